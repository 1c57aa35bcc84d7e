import { clientMessageId } from './delivery/message-id.ts'
import { assertWebhookSupports, parseWebhookUrl, type WebhookUrl } from './delivery/webhook.ts'
import { InputError } from './errors.ts'
import { readMentionConfig, type FileAccess, type MentionConfig } from './message/mentions.ts'
import { parseFields, parseMatrix, parsePreset, type FactName, type Preset } from './message/presets/options.ts'

export const STATUSES = ['success', 'failure', 'cancelled', 'skipped', 'started', 'in_progress'] as const
export type Status = (typeof STATUSES)[number]

export const NOTIFICATIONS = ['default', 'silent', 'force'] as const
export type Notification = (typeof NOTIFICATIONS)[number]

export const AUTH_MODES = ['token', 'self-signed-jwt'] as const
export type AuthMode = (typeof AUTH_MODES)[number]

/** A card preset, or `none` for a text-only message. */
export type CardStyle = Preset | 'none'

export const THREAD_REPLIES = ['fallback', 'required'] as const
export type ThreadReply = (typeof THREAD_REPLIES)[number]

/** What the step does with its message: post (or upsert with a message id), update one, or delete one. */
export type Operation =
  | { kind: 'create'; clientMessageId: string | undefined }
  | { kind: 'update'; target: string }
  | { kind: 'delete'; target: string }

/** Every input, read once and validated: the rest of the action never calls getInput. */
export interface Settings {
  /** Raw `credentials` input; parsed (and masked) by the credentials layer. Empty when secrets are unavailable. */
  credentials: string
  /** An incoming webhook instead of the Chat app: posts only, no credentials. */
  webhook: WebhookUrl | undefined
  /** `auth: self-signed-jwt` signs the access token locally instead of asking Google's token endpoint. */
  auth: AuthMode
  /** `spaces/AAAA…` each; empty only in a dry run without a space. */
  spaces: string[]
  /** A whole Chat message of the user's own (JSON or YAML, with {{ }} placeholders), inline or from a file. */
  custom: { message: string; messageFile: string } | undefined
  /** Chat's notification type for a created message: silent (no notification, not unread) or force. */
  notification: Notification
  status: Status
  title: string
  text: string
  card: CardStyle
  /** Which facts the card shows, in order; undefined: the preset's own choice. */
  fields: FactName[] | undefined
  matrix: Record<string, string> | undefined
  environment: string | undefined
  environmentUrl: string | undefined
  version: string | undefined
  tag: string | undefined
  previousTag: string | undefined
  /** For the workflow card's job list (GitHub API, actions: read). */
  githubToken: string
  mentions: MentionConfig
  operation: Operation
  thread: { key?: string; name?: string; reply: ThreadReply } | undefined
  /** Total time for the notification, retries included. */
  timeoutMs: number
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

export function readSettings(input: InputReader, files?: FileAccess): Settings {
  const optional = (name: string): string | undefined => input(name).trim() || undefined
  const dryRun = parseBoolean('dry-run', input('dry-run'), false)
  const webhook = input('webhook-url').trim() ? parseWebhookUrl(input('webhook-url')) : undefined
  const spaces = webhook ? [webhook.space] : parseSpaces(input('space'))
  if (!dryRun && spaces.length === 0) throw new InputError('space', `is empty; ${SPACE_FORMS}`)
  const operation = parseOperation(input)
  const thread = parseThread(input, spaces)
  const notification = parseChoice('notification', input('notification'), NOTIFICATIONS, 'default')
  if (webhook) checkWebhookMode(webhook, parseSpaces(input('space')), operation, thread, notification)
  const message = input('message')
  const messageFile = input('message-file')
  if (message.trim() && messageFile.trim()) {
    throw new InputError('message-file', "cannot be combined with 'message': give the message inline or as a file")
  }
  return {
    credentials: input('credentials'),
    webhook,
    auth: parseChoice('auth', input('auth'), AUTH_MODES, 'token'),
    spaces,
    custom: message.trim() || messageFile.trim() ? { message, messageFile } : undefined,
    notification,
    status: parseStatus(input('status')),
    title: input('title').trim(),
    text: input('text'),
    card: parseCard(input('card')),
    fields: parseFields(input('fields')),
    matrix: parseMatrix(input('matrix')),
    environment: optional('environment'),
    environmentUrl: optional('environment-url'),
    version: optional('version'),
    tag: optional('tag'),
    previousTag: optional('previous-tag'),
    githubToken: input('github-token').trim(),
    mentions: readMentionConfig(
      { mention: input('mention'), mentionOn: input('mention-on'), userMap: input('user-map') },
      files,
    ),
    operation,
    thread,
    timeoutMs: parseSeconds('timeout', input('timeout'), 60) * 1000,
    failOnError: parseBoolean('fail-on-error', input('fail-on-error'), false),
    dryRun,
  }
}

/** An incoming webhook can only post: anything that needs the Chat app is refused with the reason. */
function checkWebhookMode(
  webhook: WebhookUrl,
  givenSpaces: string[],
  operation: Operation,
  thread: Settings['thread'],
  notification: Notification,
): void {
  if (givenSpaces.length > 0 && !givenSpaces.includes(webhook.space)) {
    throw new InputError('space', "names another space than webhook-url's: leave space empty with a webhook")
  }
  if (operation.kind === 'update') assertWebhookSupports('update')
  if (operation.kind === 'delete') assertWebhookSupports('delete')
  if (operation.kind === 'create' && operation.clientMessageId) assertWebhookSupports('message-id')
  if (thread?.name) {
    throw new InputError('thread-name', 'cannot be used with webhook-url: reply by thread-key instead')
  }
  if (notification !== 'default') {
    throw new InputError(
      'notification',
      'cannot be used with webhook-url: silent and forced notifications need the Chat app',
    )
  }
}

function parseCard(raw: string): CardStyle {
  if (raw.trim().toLowerCase() === 'none') return 'none'
  try {
    return parsePreset(raw) ?? 'status'
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError('card', `${error.message.replace(/^Input 'card' /, '')} or none`)
    throw error
  }
}

/** One space, or several separated by newlines or commas (each delivery independent). */
export function parseSpaces(raw: string): string[] {
  const spaces = raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean)
    .map(parseSpace)
  return [...new Set(spaces)]
}

const MESSAGE_NAME = /^spaces\/[A-Za-z0-9_-]+\/messages\/[A-Za-z0-9_.-]+$/

/** A message named by an earlier step's output (spaces/…/messages/…), or an id as given to message-id. */
function parseTarget(name: string, raw: string): string {
  const value = raw.trim()
  if (value.startsWith('spaces/')) {
    if (!MESSAGE_NAME.test(value)) {
      throw new InputError(
        name,
        `is not a message name: expected spaces/…/messages/… (e.g. an earlier step's message-name output) or a message id`,
      )
    }
    return value
  }
  return clientMessageId(value)
}

function parseOperation(input: InputReader): Operation {
  const messageId = input('message-id').trim()
  const update = input('update').trim()
  const remove = input('delete').trim()
  const given = [messageId && 'message-id', update && 'update', remove && 'delete'].filter(Boolean)
  if (given.length > 1) {
    throw new InputError(
      given[1] as string,
      `cannot be combined with '${given[0]}': set only one of message-id (create or update), update, delete`,
    )
  }
  if (update) return { kind: 'update', target: parseTarget('update', update) }
  if (remove) return { kind: 'delete', target: parseTarget('delete', remove) }
  return { kind: 'create', clientMessageId: messageId ? clientMessageId(messageId) : undefined }
}

const THREAD_NAME = /^(spaces\/[A-Za-z0-9_-]+)\/threads\/[A-Za-z0-9_.-]+$/

function parseThread(input: InputReader, spaces: string[]): Settings['thread'] {
  const key = input('thread-key').trim()
  const name = input('thread-name').trim()
  const reply = parseChoice('thread-reply', input('thread-reply'), THREAD_REPLIES, 'fallback')
  if (key && name) throw new InputError('thread-name', "cannot be combined with 'thread-key': reply by name or by key")
  if (name) {
    const match = THREAD_NAME.exec(name)
    if (!match)
      throw new InputError(
        'thread-name',
        "is not a thread name: expected spaces/…/threads/… (e.g. an earlier step's thread-name output)",
      )
    if (spaces.length > 0 && !spaces.includes(match[1] as string)) {
      throw new InputError(
        'thread-name',
        `belongs to ${match[1]}, which is not the space the message goes to (${spaces.join(', ')})`,
      )
    }
    return { name, reply }
  }
  if (key) {
    if (key.length > 4000) throw new InputError('thread-key', "is longer than 4,000 characters (Chat's limit)")
    return { key, reply }
  }
  return undefined
}

function parseSeconds(name: string, raw: string, fallback: number): number {
  const value = raw.trim()
  if (!value) return fallback
  const seconds = Number(value.replace(/s$/, ''))
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new InputError(
      name,
      `must be a number of seconds between 1 and 3600, got ${JSON.stringify(truncate(raw, 40))}`,
    )
  }
  return seconds
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value
}
