// The `space` input: one space or several, in whatever form people copy.
import { InputError } from '../errors.ts'
import { truncate } from '../text.ts'

const SPACE_ID = /^[A-Za-z0-9_-]{3,}$/
export const SPACE_FORMS =
  "expected 'spaces/AAAA…', the bare id 'AAAA…', or a Chat URL like https://mail.google.com/chat/u/0/#chat/space/AAAA… or https://chat.google.com/room/AAAA…"

/** An incoming webhook's URL (or a piece of one): its key and token are secrets, so none of it is ever echoed. */
export const WEBHOOK_LIKE = /chat\.googleapis\.com|[?&](?:key|token)=/i

/** Accepts the forms people copy: the resource name, the bare id, or the browser URL (a trailing / too). */
export function parseSpace(raw: string): string {
  if (WEBHOOK_LIKE.test(raw)) {
    throw new InputError(
      'space',
      'is an incoming-webhook URL: pass it as webhook-url (stored as a secret) and leave space empty; space takes a space name like spaces/AAAA…',
    )
  }
  const value = raw.trim().replace(/\/+$/, '')
  let id: string | undefined
  if (value === 'spaces') {
    id = undefined
  } else if (value.startsWith('spaces/')) {
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

/** One space, or several separated by newlines or commas (each delivery independent). */
export function parseSpaces(raw: string): string[] {
  const spaces = raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean)
    .map(parseSpace)
  return [...new Set(spaces)]
}
