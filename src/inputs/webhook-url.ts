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

export const WEBHOOK_INPUT = 'webhook-url'
const WEBHOOK_FORM =
  'expected https://chat.googleapis.com/v1/spaces/AAAA/messages?key=…&token=… as copied from the space (space name > Apps & integrations > Webhooks)'

const REPLY_OPTIONS: readonly string[] = Object.values(MESSAGE_REPLY_OPTION)

/** Parses and checks a webhook URL; an InputError naming webhook-url says why not, without echoing key or token. */
export function parseWebhookUrl(raw: string): WebhookUrl {
  const value = raw.trim()
  const fail = (why: string): never => {
    throw new InputError(WEBHOOK_INPUT, `is not a Google Chat incoming webhook URL: ${why}; ${WEBHOOK_FORM}`)
  }
  if (!value) fail('it is empty')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return fail('it is not a URL')
  }
  if (url.protocol !== 'https:') fail(`it uses ${url.protocol.replace(/:$/, '')}:, not https:`)
  if (url.username || url.password) fail('it has a user name or password in it')
  if (url.hostname !== WEBHOOK_HOST) fail(`its host is ${url.hostname}, not ${WEBHOOK_HOST}`)
  if (url.port) fail(`it names port ${url.port}`)
  if (url.hash) fail('it has a #fragment')
  const match = /^\/v1\/spaces\/([A-Za-z0-9_-]+)\/messages$/.exec(url.pathname)
  if (!match) fail(`its path ${JSON.stringify(url.pathname.slice(0, 80))} is not /v1/spaces/ID/messages`)
  const params = url.searchParams
  for (const name of new Set(params.keys())) {
    if (!['key', 'token', 'threadKey', 'messageReplyOption'].includes(name)) {
      fail(`it has an unexpected parameter "${name.slice(0, 40)}"`)
    }
    if (params.getAll(name).length > 1) fail(`it has the parameter "${name}" twice`)
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

/**
 * Every string that would give the webhook away if it reached the log: the input as given, and its key and token
 * both as written in the URL (percent-encoded) and decoded. Never throws: call it before validating the input.
 */
export function secretsInWebhookUrl(raw: string): string[] {
  const secrets = new Set<string>()
  const add = (value: string | undefined | null): void => {
    const trimmed = value?.trim()
    if (trimmed && trimmed.length >= 4) secrets.add(trimmed)
  }
  add(raw)
  const query = raw.trim().split('?')[1]?.split('#')[0] ?? ''
  for (const pair of query.split('&')) {
    const [name = '', encoded] = pair.split('=')
    if (name !== 'key' && name !== 'token') continue
    add(encoded)
    try {
      add(decodeURIComponent((encoded ?? '').replace(/\+/g, ' ')))
    } catch {
      // A malformed escape: the encoded form above is what would be logged.
    }
  }
  try {
    const url = new URL(raw.trim())
    add(url.href)
    for (const name of ['key', 'token']) {
      const value = url.searchParams.get(name)
      // As given, and as this action itself writes it back into a URL.
      if (value) urlSecretForms(value).forEach(add)
    }
  } catch {
    // Not a URL: the input as given is all there is to mask.
  }
  return [...secrets]
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
