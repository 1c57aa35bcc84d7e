// Emulates the Chat API v1 `spaces.messages` resource as a Chat app (app authentication) sees it:
// create, get, patch/update and delete, with Chat's rules for custom message IDs, request IDs, threads,
// space membership, size limits and request validation.
import { randomBytes } from 'node:crypto'
import { badRequest, googleError, json } from './http-util.ts'
import { checkMessageLimits } from './message-limits.ts'
import { CHAT_BOT_SCOPE, type IssuedToken, type OAuthService } from './oauth.ts'
import { messageMethods, validateQuery, validateResource, type DiscoveryMethod } from './schema-validator.ts'
import type { ChatMessage, EmulatorRequest, EmulatorResponse } from './types.ts'

const UNAUTHENTICATED =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'
const NOT_FOUND = 'Requested entity was not found.'
const CLIENT_ID = /^client-[a-z0-9-]+$/
const MAX_CLIENT_ID_LENGTH = 63

/** Message fields a client may set; everything else in a request body is output-only and ignored. */
const CONTENT_FIELDS = [
  'text',
  'cardsV2',
  'cards',
  'accessoryWidgets',
  'attachment',
  'fallbackText',
  'privateMessageViewer',
  'quotedMessageMetadata',
]

/** updateMask paths, in both the snake_case and the JSON (lowerCamel) spelling Google accepts. */
const MASK_FIELDS: Record<string, string> = {
  text: 'text',
  cards: 'cards',
  cards_v2: 'cardsV2',
  cardsV2: 'cardsV2',
  attachment: 'attachment',
  accessory_widgets: 'accessoryWidgets',
  accessoryWidgets: 'accessoryWidgets',
  quoted_message_metadata: 'quotedMessageMetadata',
  quotedMessageMetadata: 'quotedMessageMetadata',
}
const WILDCARD_FIELDS = ['text', 'cards', 'cardsV2', 'attachment', 'accessoryWidgets']

const REPLY_OPTIONS = {
  unspecified: 'MESSAGE_REPLY_OPTION_UNSPECIFIED',
  fallback: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
  orFail: 'REPLY_MESSAGE_OR_FAIL',
}

const COLLECTION_ROUTES: Record<string, 'create' | 'list' | undefined> = { POST: 'create', GET: 'list' }
const ITEM_ROUTES: Record<string, 'get' | 'patch' | 'delete' | undefined> = {
  GET: 'get',
  PATCH: 'patch',
  PUT: 'patch',
  DELETE: 'delete',
}

interface SpaceState {
  messages: ChatMessage[]
  threads: Set<string>
  threadsByKey: Map<string, string>
  /** requestId → the message as first returned, for idempotent retries. */
  requests: Map<string, ChatMessage>
}

type Json = Record<string, unknown>

function randomId(): string {
  return randomBytes(8).toString('base64url')
}

function messageIdError(id: string, field: string): EmulatorResponse | undefined {
  if (CLIENT_ID.test(id) && id.length <= MAX_CLIENT_ID_LENGTH) return undefined
  return badRequest([
    {
      field,
      description: `Invalid custom message ID ${JSON.stringify(id)}: it must start with "client-", contain only lowercase letters, numbers and hyphens, and be at most ${MAX_CLIENT_ID_LENGTH} characters long.`,
    },
  ])
}

function pickContent(message: Json): Json {
  const content: Json = {}
  for (const field of CONTENT_FIELDS) if (message[field] !== undefined) content[field] = message[field]
  return content
}

function hasContent(content: Json): boolean {
  const nonEmpty = (v: unknown) =>
    Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.length > 0 : v !== undefined
  return ['text', 'cardsV2', 'cards', 'attachment'].some((f) => nonEmpty(content[f]))
}

export class ChatApi {
  #oauth: OAuthService
  #members = new Set<string>()
  #knownSpaces = new Set<string>()
  #spaces = new Map<string, SpaceState>()
  /** Consulted for every write (create, patch/update, delete) to a space; a response returned is sent instead. */
  writeGate?: (space: string) => EmulatorResponse | undefined

  constructor(oauth: OAuthService) {
    this.#oauth = oauth
  }

  addMember(space: string): void {
    this.#members.add(space)
  }

  addKnownSpace(space: string): void {
    this.#knownSpaces.add(space)
  }

  /** Stored messages, in creation order; all spaces when `space` is omitted. */
  messages(space?: string): ChatMessage[] {
    const states = space ? [this.#spaces.get(space)] : [...this.#spaces.values()]
    return structuredClone(states.flatMap((s) => s?.messages ?? []))
  }

  /** The spaces the app can post to and those it can see but is not a member of. */
  spaces(): { members: string[]; knownSpaces: string[] } {
    return { members: [...this.#members], knownSpaces: [...this.#knownSpaces] }
  }

  /** Forgets messages, threads and request IDs; keeps memberships. */
  reset(): void {
    this.#spaces.clear()
  }

  handle = (req: EmulatorRequest): EmulatorResponse => {
    const collection = /^\/v1\/(spaces\/[^/]+)\/messages$/.exec(req.path)
    const item = /^\/v1\/(spaces\/[^/]+)\/messages\/([^/]+)$/.exec(req.path)
    const route = collection ? COLLECTION_ROUTES[req.method] : item ? ITEM_ROUTES[req.method] : undefined
    if (!route) return googleError(404, 'Method not found.')

    const authError = this.#authenticate(req)
    if (authError) return authError
    if (route === 'list') {
      return googleError(
        403,
        "This method doesn't support app authentication with a service account. Authenticate with a user account.",
      )
    }

    const spaceName = decodeURIComponent((collection ?? item)![1])
    const spaceError = this.#checkSpace(spaceName)
    if (spaceError) return spaceError
    const limited = route === 'get' ? undefined : this.writeGate?.(spaceName)
    if (limited) return limited
    const space = this.#space(spaceName)
    const messageId = item ? decodeURIComponent(item[2]) : ''

    switch (route) {
      case 'create':
        return this.#create(req, spaceName, space)
      case 'get':
        return this.#get(req, space, messageId)
      case 'patch':
        return this.#patch(req, spaceName, space, messageId)
      case 'delete':
        return this.#delete(req, space, messageId)
    }
  }

  #authenticate(req: EmulatorRequest): EmulatorResponse | undefined {
    const header = req.headers.authorization
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
    const token: IssuedToken | undefined = bearer ? this.#oauth.lookup(bearer[1]) : undefined
    if (!token) {
      const response = googleError(401, UNAUTHENTICATED, {
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: header ? 'ACCESS_TOKEN_TYPE_UNSUPPORTED' : 'CREDENTIALS_MISSING',
            domain: 'googleapis.com',
            metadata: { service: 'chat.googleapis.com' },
          },
        ],
      })
      return { ...response, headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' } }
    }
    if (!token.scopes.includes(CHAT_BOT_SCOPE)) {
      return googleError(403, 'Request had insufficient authentication scopes.', {
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
            domain: 'googleapis.com',
            metadata: { service: 'chat.googleapis.com' },
          },
        ],
      })
    }
    return undefined
  }

  #checkSpace(space: string): EmulatorResponse | undefined {
    if (this.#members.has(space)) return undefined
    if (this.#knownSpaces.has(space)) return googleError(403, 'The caller does not have permission')
    return googleError(404, NOT_FOUND)
  }

  #space(name: string): SpaceState {
    let state = this.#spaces.get(name)
    if (!state) {
      state = { messages: [], threads: new Set(), threadsByKey: new Map(), requests: new Map() }
      this.#spaces.set(name, state)
    }
    return state
  }

  #find(space: SpaceState, id: string): ChatMessage | undefined {
    return space.messages.find((m) => m.name.endsWith(`/messages/${id}`) || m.clientAssignedMessageId === id)
  }

  /** Query params + body → validated params and message content, or the 400 to send. */
  #parse(
    req: EmulatorRequest,
    method: DiscoveryMethod,
    requestType: string,
    withBody: boolean,
  ): { params: Map<string, string>; body: Json } | EmulatorResponse {
    const { params, violations } = validateQuery(method, requestType, req.query)
    if (violations.length) return badRequest(violations)
    if (!withBody) return { params, body: {} }
    let raw: unknown = {}
    if (req.rawBody.trim()) {
      try {
        raw = JSON.parse(req.rawBody)
      } catch (e) {
        return badRequest([
          { field: '', description: `Invalid JSON payload received. ${(e as Error).message.split('\n')[0]}` },
        ])
      }
    }
    const result = validateResource('Message', raw, 'message')
    if (result.violations.length) return badRequest(result.violations)
    return { params, body: result.value as Json }
  }

  #create(req: EmulatorRequest, spaceName: string, space: SpaceState): EmulatorResponse {
    const parsed = this.#parse(req, messageMethods.create, 'CreateMessageRequest', true)
    if ('status' in parsed) return parsed
    const { params, body } = parsed

    const messageId = params.get('messageId') || undefined
    if (messageId) {
      const error = messageIdError(messageId, 'message_id')
      if (error) return error
    }
    const content = pickContent(body)
    const invalid = this.#checkContent(content, true)
    if (invalid) return invalid

    // A retried request returns what the first one created, whatever its body says now.
    const requestId = params.get('requestId') || undefined
    const previous = requestId ? space.requests.get(requestId) : undefined
    if (previous) return json(200, structuredClone(previous))

    if (messageId && this.#find(space, messageId)) {
      return googleError(409, `Message with custom ID ${messageId} already exists in ${spaceName}.`)
    }

    const thread = this.#resolveThread(space, spaceName, params, body)
    if ('status' in thread) return thread

    const message = this.#store(spaceName, space, content, messageId, thread)
    if (requestId) space.requests.set(requestId, structuredClone(message))
    return json(200, structuredClone(message))
  }

  /**
   * Chat ignores thread.threadKey / thread.name (and the deprecated threadKey param) unless a reply option is
   * given: without one every message starts a new, unkeyed thread.
   */
  #resolveThread(
    space: SpaceState,
    spaceName: string,
    params: Map<string, string>,
    body: Json,
  ): { name: string; threadKey?: string; reply: boolean } | EmulatorResponse {
    const option = params.get('messageReplyOption') ?? REPLY_OPTIONS.unspecified
    const newThread = (threadKey?: string) => ({ name: `${spaceName}/threads/${randomId()}`, threadKey, reply: false })
    if (option === REPLY_OPTIONS.unspecified) return newThread()

    const requested = (body.thread ?? {}) as { name?: string; threadKey?: string }
    const threadKey = requested.threadKey || params.get('threadKey') || undefined
    if (requested.name) {
      if (space.threads.has(requested.name)) {
        const key = [...space.threadsByKey].find(([, name]) => name === requested.name)?.[0]
        return { name: requested.name, threadKey: key, reply: true }
      }
      if (option === REPLY_OPTIONS.orFail) return googleError(404, NOT_FOUND)
      return newThread(threadKey && !space.threadsByKey.has(threadKey) ? threadKey : undefined)
    }
    if (threadKey) {
      const existing = space.threadsByKey.get(threadKey)
      if (existing) return { name: existing, threadKey, reply: true }
      // Per Chat's docs, a new thread key starts a thread with both reply options; OR_FAIL only fails on names.
      return newThread(threadKey)
    }
    return newThread()
  }

  #store(
    spaceName: string,
    space: SpaceState,
    content: Json,
    clientId: string | undefined,
    thread: { name: string; threadKey?: string; reply: boolean },
  ): ChatMessage {
    const id = clientId ?? `${randomId()}.${randomId()}`
    const message: ChatMessage = {
      name: `${spaceName}/messages/${id}`,
      sender: { name: 'users/app', type: 'BOT' },
      createTime: new Date().toISOString(),
      ...content,
      thread: thread.threadKey ? { name: thread.name, threadKey: thread.threadKey } : { name: thread.name },
      space: { name: spaceName },
    }
    if (clientId) message.clientAssignedMessageId = clientId
    if (thread.reply) message.threadReply = true
    space.threads.add(thread.name)
    if (thread.threadKey) space.threadsByKey.set(thread.threadKey, thread.name)
    space.messages.push(message)
    return message
  }

  #checkContent(content: Json, creating: boolean): EmulatorResponse | undefined {
    if (creating && !hasContent(content)) {
      return googleError(400, 'Message cannot be empty. Discarding empty message.')
    }
    const violations = checkMessageLimits(content)
    return violations.length ? badRequest(violations) : undefined
  }

  #get(req: EmulatorRequest, space: SpaceState, id: string): EmulatorResponse {
    const parsed = this.#parse(req, messageMethods.get, 'GetMessageRequest', false)
    if ('status' in parsed) return parsed
    const message = this.#find(space, id)
    return message ? json(200, structuredClone(message)) : googleError(404, NOT_FOUND)
  }

  #patch(req: EmulatorRequest, spaceName: string, space: SpaceState, id: string): EmulatorResponse {
    const method = req.method === 'PUT' ? messageMethods.update : messageMethods.patch
    const parsed = this.#parse(req, method, 'UpdateMessageRequest', true)
    if ('status' in parsed) return parsed
    const { params, body } = parsed
    const content = pickContent(body)

    const existing = this.#find(space, id)
    if (!existing) {
      // allowMissing turns the update into a create, but only for client-assigned IDs.
      if (params.get('allowMissing') !== 'true' || !id.startsWith('client-')) return googleError(404, NOT_FOUND)
      const error = messageIdError(id, 'message.name') ?? this.#checkContent(content, true)
      if (error) return error
      const thread = { name: `${spaceName}/threads/${randomId()}`, reply: false }
      return json(200, structuredClone(this.#store(spaceName, space, content, id, thread)))
    }

    const mask = params.get('updateMask')
    if (!mask) {
      return badRequest([{ field: 'update_mask', description: 'update_mask is required: list the fields to update.' }])
    }
    const fields = new Set<string>()
    for (const path of mask.split(',').map((p) => p.trim())) {
      if (path === '*') WILDCARD_FIELDS.forEach((f) => fields.add(f))
      else if (MASK_FIELDS[path]) fields.add(MASK_FIELDS[path])
      else {
        return badRequest([
          {
            field: 'update_mask',
            description: `Invalid update_mask path ${JSON.stringify(path)}. Supported paths: text, attachment, cards, cards_v2, accessory_widgets, quoted_message_metadata, or *.`,
          },
        ])
      }
    }

    const updated: Json = pickContent(existing)
    for (const field of fields) {
      if (content[field] === undefined) delete updated[field]
      else updated[field] = content[field]
    }
    const invalid = this.#checkContent(updated, false)
    if (invalid) return invalid
    for (const field of fields) {
      if (updated[field] === undefined) delete existing[field]
      else existing[field] = updated[field]
    }
    existing.lastUpdateTime = new Date().toISOString()
    return json(200, structuredClone(existing))
  }

  #delete(req: EmulatorRequest, space: SpaceState, id: string): EmulatorResponse {
    const parsed = this.#parse(req, messageMethods.delete, 'DeleteMessageRequest', false)
    if ('status' in parsed) return parsed
    const message = this.#find(space, id)
    if (!message) return googleError(404, NOT_FOUND)
    space.messages.splice(space.messages.indexOf(message), 1)
    return json(200, {})
  }
}
