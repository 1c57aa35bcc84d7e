// Emulates Chat incoming webhooks: POST https://chat.googleapis.com/v1/spaces/ID/messages?key=…&token=… creates a
// message in the space the webhook belongs to, with threads (thread.threadKey + messageReplyOption) as for apps.
// Anything else with a key and token (get, update, delete) is refused: a webhook can only post.
//
// A checked request is handed to the Chat API emulator itself, signed in as the webhook's own service account, so
// messages land in the same store and meet the same validation, limits and write quota as the app's.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { signJwt } from './keys.ts'
import { googleError } from './http-util.ts'
import { CHAT_BOT_SCOPE, TOKEN_AUDIENCE } from './oauth.ts'
import type { EmulatorRequest, EmulatorResponse, Handler } from './types.ts'

const WEBHOOK_ACCOUNT = 'incoming-webhooks@chat-emulator.iam.gserviceaccount.com'

export interface RegisteredWebhook {
  space: string
  /** The project's API key in the URL. */
  key: string
  token: string
  /** The URL Chat shows for the webhook. */
  url: string
  deleted: boolean
}

/** What the webhook service needs from the emulator's OAuth and Chat API services (their public methods). */
export interface WebhookTarget {
  oauth: { addServiceAccount(email: string, publicKeyPem: string, keyId?: string): void; handle: Handler }
  chat: { addMember(space: string): void; handle: Handler }
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
  #signer: { privateKeyPem: string; keyId: string } | undefined
  /** Messages created through webhooks, in order. */
  readonly created: { space: string; message: string }[] = []
  /** The project API key new webhooks get (one per project, as in Google Cloud). */
  readonly apiKey = `AIzaSy${randomBytes(24).toString('base64url').slice(0, 33)}`

  constructor(target: WebhookTarget) {
    this.#target = target
  }

  /** Creates a webhook in `space` (making it a space the emulator posts to) and returns its URL. */
  register(space: string, options: { key?: string; token?: string } = {}): RegisteredWebhook {
    const key = options.key ?? this.apiKey
    // Real tokens are base64url with a trailing '=' (sent percent-encoded), which exercises URL encoding.
    const token = options.token ?? `${randomBytes(32).toString('base64url')}=`
    const query = new URLSearchParams({ key, token })
    const webhook: RegisteredWebhook = {
      space,
      key,
      token,
      url: `https://chat.googleapis.com/v1/${space}/messages?${query}`,
      deleted: false,
    }
    this.#webhooks.set(token, webhook)
    this.#target.chat.addMember(space)
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
    const response = await this.#target.chat.handle({
      ...req,
      query,
      headers: { ...req.headers, authorization: `Bearer ${await this.#accessToken()}` },
    })
    const created = response.body as { name?: string } | undefined
    if (response.status === 200 && created?.name) this.created.push({ space, message: created.name })
    return response
  }

  /** A fresh chat.bot token for the webhook's own account, from the emulator's OAuth service. */
  async #accessToken(): Promise<string> {
    if (!this.#signer) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      })
      this.#signer = { privateKeyPem: privateKey, keyId: randomBytes(20).toString('hex') }
      this.#target.oauth.addServiceAccount(WEBHOOK_ACCOUNT, publicKey, this.#signer.keyId)
    }
    const now = Math.floor(Date.now() / 1000)
    const assertion = signJwt(
      this.#signer.privateKeyPem,
      { iss: WEBHOOK_ACCOUNT, scope: CHAT_BOT_SCOPE, aud: TOKEN_AUDIENCE, iat: now, exp: now + 3600 },
      { alg: 'RS256', typ: 'JWT', kid: this.#signer.keyId },
    )
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion })
    const minted = await this.#target.oauth.handle({
      host: 'oauth2.googleapis.com',
      method: 'POST',
      path: '/token',
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: body.toString(),
    })
    const token = (minted.body as { access_token?: string } | undefined)?.access_token
    if (!token)
      throw new Error(`the emulator's OAuth service refused the webhook account: ${JSON.stringify(minted.body)}`)
    return token
  }
}

/**
 * The one handler for chat.googleapis.com once webhooks exist: requests with a webhook token go to the webhook
 * service, everything else to the Chat API.
 */
export function chatHostRouter(webhooks: WebhookService, chat: Handler): Handler {
  return (req) => (isWebhookRequest(req) ? webhooks.handle(req) : chat(req))
}
