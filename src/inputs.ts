import { InputError } from './errors.ts'

export const STATUSES = ['success', 'failure', 'cancelled', 'skipped', 'started', 'in_progress'] as const
export type Status = (typeof STATUSES)[number]

export const CARD_STYLES = ['status', 'none'] as const
export type CardStyle = (typeof CARD_STYLES)[number]

/** Every input, read once and validated: the rest of the action never calls getInput. */
export interface Settings {
  /** Raw `credentials` input; parsed (and masked) by the credentials layer. Empty in a dry run without it. */
  credentials: string
  /** `spaces/AAAA…`, or undefined in a dry run without a space. */
  space: string | undefined
  status: Status
  title: string
  text: string
  card: CardStyle
  failOnError: boolean
  dryRun: boolean
}

export type InputReader = (name: string) => string

const SPACE_ID = /^[A-Za-z0-9_-]{3,}$/
const SPACE_FORMS =
  "expected 'spaces/AAAA…', the bare id 'AAAA…', or a Chat URL like https://mail.google.com/chat/u/0/#chat/space/AAAA… or https://chat.google.com/room/AAAA…"

/** Accepts the forms people copy: the resource name, the bare id, or the browser URL. */
export function parseSpace(raw: string): string {
  const value = raw.trim()
  let id: string | undefined
  if (value.startsWith('spaces/')) {
    id = value.slice('spaces/'.length)
  } else if (/^https?:\/\//i.test(value)) {
    id = spaceIdFromUrl(value)
  } else {
    id = value
  }
  if (!id || !SPACE_ID.test(id)) {
    throw new InputError('space', `is not a Google Chat space: ${JSON.stringify(truncate(value, 80))}; ${SPACE_FORMS}`)
  }
  return `spaces/${id}`
}

function spaceIdFromUrl(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  const host = url.hostname.toLowerCase()
  // mail.google.com keeps the space in the fragment (#chat/space/ID); chat.google.com in the path (/room/ID).
  const where = `${url.pathname}/${url.hash.replace(/^#/, '')}`
  if (host === 'mail.google.com' || host === 'chat.google.com') {
    const match = /(?:^|\/)(?:space|room)\/([A-Za-z0-9_-]+)/.exec(where)
    return match?.[1]
  }
  return undefined
}

export function parseStatus(raw: string): Status {
  // Empty usually means an expression that found nothing (e.g. the outcome of a step that did not run).
  if (!raw.trim())
    throw new InputError('status', `is empty; expected one of ${STATUSES.join(', ')} (default: \${{ job.status }})`)
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  if ((STATUSES as readonly string[]).includes(value)) return value as Status
  throw new InputError(
    'status',
    `has an unknown value ${JSON.stringify(truncate(raw, 40))}; expected one of ${STATUSES.join(', ')} (default: \${{ job.status }})`,
  )
}

export function parseBoolean(name: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim().toLowerCase()
  if (value === '') return fallback
  if (['true', 'yes', 'on', '1'].includes(value)) return true
  if (['false', 'no', 'off', '0'].includes(value)) return false
  throw new InputError(name, `must be true or false, got ${JSON.stringify(truncate(raw, 40))}`)
}

function parseChoice<T extends string>(name: string, raw: string, choices: readonly T[], fallback: T): T {
  const value = raw.trim().toLowerCase()
  if (value === '') return fallback
  if ((choices as readonly string[]).includes(value)) return value as T
  throw new InputError(
    name,
    `has an unknown value ${JSON.stringify(truncate(raw, 40))}; expected one of ${choices.join(', ')}`,
  )
}

export function readSettings(input: InputReader): Settings {
  const dryRun = parseBoolean('dry-run', input('dry-run'), false)
  const credentials = input('credentials')
  const rawSpace = input('space').trim()
  if (!dryRun) {
    if (!credentials.trim()) {
      throw new InputError(
        'credentials',
        'is empty: set it to the Chat app service-account key, e.g. credentials: ${{ secrets.GOOGLE_CHAT_CREDENTIALS }} (or use dry-run: true to only preview)',
      )
    }
    if (!rawSpace) throw new InputError('space', `is empty; ${SPACE_FORMS}`)
  }
  return {
    credentials,
    space: rawSpace ? parseSpace(rawSpace) : undefined,
    status: parseStatus(input('status')),
    title: input('title').trim(),
    text: input('text'),
    card: parseChoice('card', input('card'), CARD_STYLES, 'status'),
    failOnError: parseBoolean('fail-on-error', input('fail-on-error'), false),
    dryRun,
  }
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value
}
