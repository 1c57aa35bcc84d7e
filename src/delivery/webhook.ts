// Webhook mode: post to a Chat space through an incoming webhook URL instead of signing in as a Chat app.
// The URL is a credential (its key and token let anyone post to the space): it is masked, never echoed in errors.
//
// Transport: https-transport.ts (node:https, through HTTPS_PROXY as gaxios would pick it), loaded only when a
// message is posted.
import type { chat_v1 } from '@googleapis/chat'
import {
  MESSAGE_REPLY_OPTION,
  urlSecretForms,
  WEBHOOK_HOST,
  type MessageReplyOption,
  type WebhookUrl,
} from '../domain.ts'
import { DeliveryError } from '../errors.ts'
import { readGoogleBody, statusLine } from '../google-error.ts'
import { oneLine } from '../text.ts'
import { couldNotReach, networkFailure, proxyRefusal, timedOut } from '../network-failure.ts'
import { sendHttps } from './https-transport.ts'

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
  /** The webhook-url input as src/inputs/webhook-url.ts parsed it. */
  url: WebhookUrl
  message: chat_v1.Schema$Message
  /** Messages with the same key go to the same thread. */
  threadKey?: string
  /** With a thread key: reply, or start the thread when it does not exist (default), or fail instead. */
  replyOption?: MessageReplyOption
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
  const webhook = request.url
  const secrets = [webhook.key, webhook.token].flatMap(urlSecretForms)
  const threadKey = request.threadKey || webhook.threadKey
  const url = new URL(webhook.url)
  const body: chat_v1.Schema$Message = { ...request.message }
  if (threadKey) {
    url.searchParams.set(
      'messageReplyOption',
      request.replyOption ?? webhook.messageReplyOption ?? MESSAGE_REPLY_OPTION.fallback,
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
