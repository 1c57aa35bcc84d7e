// Emulates Chat incoming webhooks: POST https://chat.googleapis.com/v1/spaces/ID/messages?key=…&token=… creates a
// message in the space the webhook belongs to, with threads (thread.threadKey + messageReplyOption) as for apps.
// Anything else with a key and token (get, update, delete) is refused: a webhook can only post.
//
// A checked request is handed to the Chat API emulator itself with the webhook's own identity (`handleAs`), so
// messages land in the same store and meet the same validation, limits and write quota as the app's, while what
// a webhook posts, and the thread keys it sets, are the webhook's and not the app's. Registering a webhook does
// not make the app a member of the space.
import { randomBytes } from 'node:crypto'
import { webhookCaller, type Caller } from './chat-apps.ts'
import { googleError } from './http-util.ts'
import type { EmulatorRequest, EmulatorResponse, Handler } from './types.ts'

export interface RegisteredWebhook {
  /** The webhook's identity in the emulator: messages it posts belong to `webhooks/<id>`. */
  id: string
  space: string
  /** The project's API key in the URL. */
  key: string
  token: string
  /** The URL Chat shows for the webhook. */
  url: string
  deleted: boolean
}

/**
 * Message fields only a Chat app (app authentication) may send. Discovery doc, `Message.accessoryWidgets`:
 * "Creating a message with accessory widgets requires app authentication"; `Message.privateMessageViewer`: "you
 * must call the Chat API using app authentication".
 */
const APP_ONLY_FIELDS = ['accessoryWidgets', 'privateMessageViewer']

/**
 * Discovery doc, `create`, `createMessageNotificationOptions.notificationType`: FORCE_NOTIFY and SILENT each
 * "Requires app authentication".
 */
const NOTIFICATION_TYPE = 'createMessageNotificationOptions.notificationType'
const APP_ONLY_NOTIFICATION_TYPES = ['NOTIFICATION_TYPE_FORCE_NOTIFY', 'NOTIFICATION_TYPE_SILENT']

/** What the webhook service needs from the emulator's Chat API (its public methods). */
export interface WebhookTarget {
  /** Unused: kept so existing callers that pass the OAuth service still compile. */
  oauth?: unknown
  chat: { handleAs(caller: Caller, req: EmulatorRequest): EmulatorResponse }
}

/**
 * True for requests that carry a webhook token, or an API key and no access token: route them to
 * WebhookService.handle. (An app's own requests carry `Authorization: Bearer …`.)
 */
export function isWebhookRequest(req: Pick<EmulatorRequest, 'query' | 'headers'>): boolean {
  return req.query.has('token') || (req.query.has('key') && !req.headers.authorization)
}

function apiKeyInvalid(): EmulatorResponse {
  return googleError(400, 'API key not valid. Please pass a valid API key.', {
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'chat.googleapis.com' },
      },
    ],
  })
}

export class WebhookService {
  #target: WebhookTarget
  #webhooks = new Map<string, RegisteredWebhook>()
  /** Messages created through webhooks, in order. */
  readonly created: { space: string; message: string }[] = []
  /** The project API key new webhooks get (one per project, as in Google Cloud). */
  readonly apiKey = `AIzaSy${randomBytes(24).toString('base64url').slice(0, 33)}`

  constructor(target: WebhookTarget) {
    this.#target = target
  }

  /** Creates a webhook in `space` and returns its URL. The app does not become a member of the space. */
  register(space: string, options: { key?: string; token?: string } = {}): RegisteredWebhook {
    const key = options.key ?? this.apiKey
    // Real tokens are base64url with a trailing '=' (sent percent-encoded), which exercises URL encoding.
    const token = options.token ?? `${randomBytes(32).toString('base64url')}=`
    const query = new URLSearchParams({ key, token })
    const webhook: RegisteredWebhook = {
      id: randomBytes(6).toString('hex'),
      space,
      key,
      token,
      url: `https://chat.googleapis.com/v1/${space}/messages?${query}`,
      deleted: false,
    }
    this.#webhooks.set(token, webhook)
    return webhook
  }

  /** Deletes a webhook: its URL then answers 404, as for a webhook removed in the space's settings. */
  delete(webhook: RegisteredWebhook | string): void {
    const token = typeof webhook === 'string' ? (new URL(webhook).searchParams.get('token') ?? '') : webhook.token
    const found = this.#webhooks.get(token)
    if (found) found.deleted = true
  }

  /** Forgets the created-messages log; keeps webhooks. */
  reset(): void {
    this.created.length = 0
  }

  handle: Handler = async (req: EmulatorRequest): Promise<EmulatorResponse> => {
    const collection = /^\/v1\/(spaces\/[^/]+)\/messages$/.exec(req.path)
    const key = req.query.get('key')
    const token = req.query.get('token')
    if (!collection || req.method !== 'POST') {
      // An API key and webhook token authorise creating messages only.
      return googleError(
        401,
        'API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal.',
        {
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'CREDENTIALS_MISSING',
              domain: 'googleapis.com',
              metadata: { service: 'chat.googleapis.com', method: `${req.method} ${req.path}` },
            },
          ],
        },
      )
    }
    const known = [...this.#webhooks.values()]
    if (!key || !known.some((w) => w.key === key)) return apiKeyInvalid()
    const space = decodeURIComponent(collection[1] as string)
    const webhook = token ? this.#webhooks.get(token) : undefined
    if (!webhook || webhook.key !== key || webhook.space !== space) {
      return googleError(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      )
    }
    if (webhook.deleted) return googleError(404, 'Requested entity was not found.')

    const query = new URLSearchParams(req.query)
    query.delete('key')
    query.delete('token')
    let sent: Record<string, unknown> = {}
    try {
      const parsed: unknown = JSON.parse(req.rawBody || '{}')
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) sent = parsed as Record<string, unknown>
    } catch {
      // Left to the Chat API's own JSON error.
    }
    // A webhook's plainer 400: no field-violation details (the fields are app-only, see APP_ONLY_FIELDS).
    const appOnly = APP_ONLY_FIELDS.find((field) => sent[field] !== undefined)
    if (appOnly) {
      return googleError(
        400,
        `Invalid message: ${appOnly} requires app authentication and cannot be sent through an incoming webhook.`,
      )
    }
    const notificationType = query.get(NOTIFICATION_TYPE) ?? ''
    if (APP_ONLY_NOTIFICATION_TYPES.includes(notificationType)) {
      return googleError(
        400,
        `Invalid request: ${NOTIFICATION_TYPE}=${notificationType} requires app authentication and cannot be used with an incoming webhook.`,
      )
    }
    const response = this.#target.chat.handleAs(webhookCaller(webhook.id), { ...req, query })
    const created = response.body as { name?: string; thread?: { name?: string } } | undefined
    if (response.status !== 200 || !created?.name) return response
    this.created.push({ space, message: created.name })
    // Discovery doc, `create`: "For webhook requests, the response doesn't contain the full message. The
    // response only populates the `name` and `thread.name` fields in addition to the information that was in
    // the request."
    const thread = { ...(sent.thread as Record<string, unknown> | undefined), name: created.thread?.name }
    return { status: 200, body: { ...sent, name: created.name, thread } }
  }
}

/**
 * The one handler for chat.googleapis.com once webhooks exist: requests with a webhook token go to the webhook
 * service, everything else to the Chat API.
 */
export function chatHostRouter(webhooks: WebhookService, chat: Handler): Handler {
  return (req) => (isWebhookRequest(req) ? webhooks.handle(req) : chat(req))
}
