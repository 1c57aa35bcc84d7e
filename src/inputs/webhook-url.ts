// The `webhook-url` input: an incoming webhook instead of the Chat app. The URL is a credential (its key and token
// let anyone post to the space): it is masked before anything can log it and never echoed in errors.
import {
  MESSAGE_REPLY_OPTION,
  urlSecretForms,
  WEBHOOK_HOST,
  type MessageReplyOption,
  type WebhookUrl,
} from '../domain.ts'
import { InputError } from '../errors.ts'
import { WEBHOOK_LIKE } from './spaces.ts'

export const WEBHOOK_INPUT = 'webhook-url'
const WEBHOOK_FORM =
  'expected https://chat.googleapis.com/v1/spaces/AAAA/messages?key=…&token=… as copied from the space (space name > Apps & integrations > Webhooks)'

const REPLY_OPTIONS: readonly string[] = Object.values(MESSAGE_REPLY_OPTION)

/**
 * Parses and checks a webhook URL; an InputError naming webhook-url says why not. The input is a secret: no error
 * quotes any part of it, not even the host or a parameter's name (a typo can put the key anywhere).
 */
export function parseWebhookUrl(raw: string): WebhookUrl {
  const value = raw.trim()
  const fail = (why: string): never => {
    throw new InputError(WEBHOOK_INPUT, `is not a Google Chat incoming webhook URL: ${why}; ${WEBHOOK_FORM}`)
  }
  if (!value) fail('it is empty')
  // URL() would quietly drop line breaks and encode spaces into the key or token.
  if (/\s/.test(value)) fail('it has a space or line break in it: paste it on one line, as copied')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return fail('it is not a URL')
  }
  if (url.protocol !== 'https:') fail('it does not start with https://')
  if (url.username || url.password) fail('it has a user name or password in it')
  if (url.hostname !== WEBHOOK_HOST) fail(`its host is not ${WEBHOOK_HOST}`)
  if (url.port) fail('it names a port')
  if (url.hash) fail('it has a #fragment')
  const match = /^\/v1\/spaces\/([A-Za-z0-9_-]+)\/messages$/.exec(url.pathname)
  if (!match) fail(pathProblem(url))
  const params = url.searchParams
  for (const name of new Set(params.keys())) {
    if (!QUERY_PARAMETERS.includes(name)) fail(`it has a parameter other than ${QUERY_PARAMETERS.join(', ')}`)
    if (params.getAll(name).length > 1) fail(`it has the parameter ${name} twice`)
  }
  const key = params.get('key')
  const token = params.get('token')
  if (!key) fail('it has no key parameter')
  if (!token) fail('it has no token parameter')
  const option = params.get('messageReplyOption') ?? undefined
  if (option !== undefined && !REPLY_OPTIONS.includes(option)) {
    fail(`its messageReplyOption is not one of ${REPLY_OPTIONS.join(', ')}`)
  }
  const space = `spaces/${(match as RegExpExecArray)[1]}`
  const query = new URLSearchParams({ key: key as string, token: token as string })
  return {
    url: `https://${WEBHOOK_HOST}/v1/${space}/messages?${query}`,
    space,
    key: key as string,
    token: token as string,
    ...(params.get('threadKey') ? { threadKey: params.get('threadKey') as string } : {}),
    ...(option ? { messageReplyOption: option as MessageReplyOption } : {}),
  }
}

const QUERY_PARAMETERS: readonly string[] = ['key', 'token', 'threadKey', 'messageReplyOption']

/** What is wrong with the path, from its shape alone: the typos seen in practice, else the form expected. */
function pathProblem(url: URL): string {
  const path = url.pathname
  if (/%3f/i.test(path)) return "its '?' is percent-encoded (%3F): paste the URL exactly as copied"
  if (!url.search && /[&;](?:key|token)=/.test(path)) return "its parameters start with '&' where '?' belongs"
  if (/(?:key|token)=/.test(path)) return 'its key or token is in the path, not after the ?'
  return 'its path is not /v1/spaces/ID/messages'
}

/** Pieces of a webhook URL that are never secret, and that masking would hide from every log line. */
const URL_WORDS = new Set([WEBHOOK_HOST, 'messages', ...QUERY_PARAMETERS, ...REPLY_OPTIONS])

/**
 * Every string that would give the webhook away if it reached the log: the input as given, and every piece of it
 * that could be a key or a token wherever a typo put it (any text between URL delimiters, as written and
 * percent-decoded, except the space id and the URL's fixed words), each also as this action writes it into a URL.
 * Never throws: call it before validating the input.
 */
export function secretsInWebhookUrl(raw: string): string[] {
  const secrets = new Set<string>()
  const add = (value: string | undefined | null): void => {
    const trimmed = value?.trim()
    if (trimmed && trimmed.length >= 4) secrets.add(trimmed)
  }
  add(raw)
  try {
    const url = new URL(raw.trim())
    add(url.href)
    // As given, and as this action itself writes them back into a URL.
    for (const name of ['key', 'token'])
      for (const value of url.searchParams.getAll(name)) urlSecretForms(value).forEach(add)
  } catch {
    // Not a URL: its pieces below are what there is to mask.
  }
  const once = decodeLoosely(raw)
  for (const text of new Set([raw, once, decodeLoosely(once)])) {
    const pieces = text.split(/[\s?&#/;,]+/)
    pieces.forEach((piece, i) => {
      // name=value: the value whole (a token can end in =), and the piece itself in case the = is part of it.
      const equals = piece.indexOf('=')
      const name = equals < 0 ? '' : piece.slice(0, equals)
      const value = equals < 0 ? piece : piece.slice(equals + 1)
      const named = name === 'key' || name === 'token'
      if (pieces[i - 1] === 'spaces' || (!named && (value.length < 8 || URL_WORDS.has(value)))) return
      urlSecretForms(value).forEach(add)
      if (name && !URL_WORDS.has(name) && piece.length >= 8) add(piece)
    })
  }
  return [...secrets]
}

/** The same for a webhook URL pasted into `space` by mistake (that error never echoes it either). */
export function secretsPastedIntoSpace(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .filter((item) => WEBHOOK_LIKE.test(item))
    .flatMap(secretsInWebhookUrl)
}

/** Percent-decoded where the escapes are valid, left as written where not (`+` is a space, as in a query). */
function decodeLoosely(text: string): string {
  return text.replace(/\+/g, ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run
    }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Features an incoming webhook cannot offer.

/** The inputs that need a Chat app, with why; each key is the input's name. */
export const APP_ONLY_FEATURES = {
  update: 'updating a message in place',
  delete: 'deleting a message',
  'message-id': 'a message-id (it exists to find the message again and update it)',
} as const

export type AppOnlyFeature = keyof typeof APP_ONLY_FEATURES

/** Throws an InputError naming the feature's input when webhook mode cannot do it. */
export function assertWebhookSupports(feature: AppOnlyFeature): void {
  const what = APP_ONLY_FEATURES[feature]
  if (!what) return
  throw new InputError(
    feature,
    `cannot be used with webhook-url: an incoming webhook can only post new messages, and ${what} needs the Chat app (set credentials, or sign in keyless with google-github-actions/auth, instead of webhook-url)`,
  )
}
