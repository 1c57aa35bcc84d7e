// Webhook mode: post to a Chat space through an incoming webhook URL instead of signing in as a Chat app.
// The URL is a credential (its key and token let anyone post to the space): it is masked, never echoed in errors.
//
// Transport: https-transport.ts (node:https, through HTTPS_PROXY as gaxios would pick it), loaded only when a
// message is posted.
import type { chat_v1 } from '@googleapis/chat'
import { DeliveryError, InputError } from '../errors.ts'
import { oneLine, readGoogleBody, statusLine } from '../google-error.ts'
import { couldNotReach, networkFailure, proxyRefusal, timedOut } from '../network-failure.ts'
import { sendHttps } from './https-transport.ts'

export const WEBHOOK_INPUT = 'webhook-url'
const WEBHOOK_HOST = 'chat.googleapis.com'
const WEBHOOK_FORM =
  'expected https://chat.googleapis.com/v1/spaces/AAAA/messages?key=…&token=… as copied from the space (space name > Apps & integrations > Webhooks)'

export type WebhookReplyOption = 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' | 'REPLY_MESSAGE_OR_FAIL'
const REPLY_OPTIONS: readonly string[] = ['REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD', 'REPLY_MESSAGE_OR_FAIL']

/** A validated incoming-webhook URL. `key` and `token` are secrets. */
export interface WebhookUrl {
  /** The URL to post to: https://chat.googleapis.com/v1/spaces/ID/messages?key=…&token=… */
  url: string
  /** `spaces/ID`. */
  space: string
  key: string
  token: string
  /** A threadKey the URL itself carries (Google documents adding one to the URL); the request's own wins. */
  threadKey?: string
  messageReplyOption?: WebhookReplyOption
}

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
    ...(option ? { messageReplyOption: option as WebhookReplyOption } : {}),
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
      add(value)
      // As this action itself writes it back into a URL.
      if (value) encodings(value).forEach(add)
    }
  } catch {
    // Not a URL: the input as given is all there is to mask.
  }
  return [...secrets]
}

/** The forms a secret takes inside a URL: percent-encoded, and form-encoded as URLSearchParams writes it. */
function encodings(secret: string): string[] {
  return [encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]
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

// ---------------------------------------------------------------------------------------------------------------
// Posting.

export interface FetchLikeResponse {
  status: number
  headers?: { get(name: string): string | null }
  text(): Promise<string>
}

/** The slice of `fetch` postToWebhook uses, so tests (or another transport) can stand in for the network. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<FetchLikeResponse>

export interface WebhookPostRequest {
  /** The webhook-url input (validated here) or an already parsed URL. */
  url: string | WebhookUrl
  message: chat_v1.Schema$Message
  /** Messages with the same key go to the same thread. */
  threadKey?: string
  /** With a thread key: reply, or start the thread when it does not exist (default), or fail instead. */
  replyOption?: WebhookReplyOption
  /** This attempt's time limit (default 30 s). */
  timeoutMs?: number
  fetchImpl?: FetchLike
}

export interface WebhookPostResult {
  messageName: string
  threadName: string
  space: string
}

/** A failed post: `status` and `response` let the retry policy (delivery/retry.ts) tell 429/5xx from the rest. */
export class WebhookDeliveryError extends DeliveryError {
  readonly status: number | undefined
  readonly response: { status: number; headers: Record<string, string> } | undefined
  constructor(message: string, options: { status?: number; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'WebhookDeliveryError'
    this.status = options.status
    this.response =
      options.status === undefined ? undefined : { status: options.status, headers: options.headers ?? {} }
  }
}

const MAX_RESPONSE_BYTES = 1024 * 1024

/** The default transport: node:https, through the proxy when HTTPS_PROXY applies (https-transport.ts). */
export const httpsFetch: FetchLike = async (url, init) => {
  const response = await sendHttps(new URL(url), { ...init, maxResponseBytes: MAX_RESPONSE_BYTES })
  return {
    status: response.status,
    headers: {
      get: (name) => {
        const value = response.headers[name.toLowerCase()]
        return Array.isArray(value) ? value.join(', ') : (value ?? null)
      },
    },
    text: async () => response.body.toString('utf8'),
  }
}

/** Creates a message through the webhook: one attempt, errors explained in one line (key and token never shown). */
export async function postToWebhook(request: WebhookPostRequest): Promise<WebhookPostResult> {
  const webhook = typeof request.url === 'string' ? parseWebhookUrl(request.url) : request.url
  const secrets = [webhook.key, webhook.token].flatMap((secret) => [secret, ...encodings(secret)])
  const threadKey = request.threadKey || webhook.threadKey
  const url = new URL(webhook.url)
  const body: chat_v1.Schema$Message = { ...request.message }
  if (threadKey) {
    url.searchParams.set(
      'messageReplyOption',
      request.replyOption ?? webhook.messageReplyOption ?? 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
    )
    body.thread = { ...request.message.thread, threadKey }
  }
  const fetchImpl = request.fetchImpl ?? httpsFetch
  let response: FetchLikeResponse
  let text: string
  try {
    response = await fetchImpl(url.toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(request.timeoutMs ?? 30_000),
    })
    text = await response.text()
  } catch (error) {
    throw new WebhookDeliveryError(redact(networkProblem(error), secrets), { cause: error })
  }
  let data: unknown
  try {
    data = text ? JSON.parse(text) : undefined
  } catch {
    data = undefined
  }
  if (response.status >= 200 && response.status < 300) {
    const created = (data ?? {}) as chat_v1.Schema$Message
    return { messageName: created.name ?? '', threadName: created.thread?.name ?? '', space: webhook.space }
  }
  const headers: Record<string, string> = {}
  const retryAfter = response.headers?.get('retry-after')
  if (retryAfter) headers['retry-after'] = retryAfter
  throw new WebhookDeliveryError(redact(explainWebhookError(response.status, data ?? text, webhook.space), secrets), {
    status: response.status,
    headers,
  })
}

/** One line a user can act on, for a webhook's non-2xx answer. */
export function explainWebhookError(status: number, body: unknown, space: string): string {
  const answer = readGoogleBody(status, body)
  const said = answer.message ? `: ${answer.message}` : answer.text ? `: ${answer.text}` : ''
  const code = statusLine(answer)
  const again = 'copy the URL again from the space (space name > Apps & integrations > Webhooks) and update the secret'
  const proxy = proxyRefusal(status, answer.fromGoogleApi, WEBHOOK_HOST, said)
  if (proxy) return proxy
  switch (status) {
    case 400: {
      if (answer.reasons.includes('API_KEY_INVALID') || /API key not valid/i.test(answer.message ?? '')) {
        return `Google Chat did not accept the webhook URL's key (${code}): ${again}.`
      }
      const field = answer.fields.length ? ` (field ${answer.fields.join(', ')})` : ''
      return `Google Chat rejected the message (${code})${field}${said}`
    }
    case 401:
    case 403:
      return `Google Chat refused the webhook for ${space} (${code})${said}. Its token is wrong or the webhook was revoked, or your Workspace admin turned incoming webhooks off: ${again}.`
    case 404:
      return `The webhook for ${space} no longer exists (${code})${said}: it was deleted, or its space was. Create a new webhook (space name > Apps & integrations > Webhooks) and update the secret.`
    case 429:
      return `Google Chat's quota for webhook messages to ${space} is exhausted (${code})${said}: a webhook may post about one message per second per space. Try again in a minute.`
    default:
      if (status >= 500) return `Google Chat is unavailable (${code})${said}. Try again later.`
      return `Posting through the webhook failed (${code})${said}`
  }
}

function networkProblem(error: unknown): string {
  const failure = networkFailure(error) ?? { message: oneLine(error instanceof Error ? error.message : String(error)) }
  if (timedOut(error)) {
    return `Google Chat did not answer the webhook in time (${WEBHOOK_HOST}): ${failure.message}. Check the runner's network access and HTTPS_PROXY/NO_PROXY.`
  }
  return couldNotReach(WEBHOOK_HOST, failure)
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***')
  return out
}
