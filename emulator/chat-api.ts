// Emulates the Chat API v1 `spaces.messages` resource as a Chat app (app authentication) sees it:
// create, get, patch/update and delete, with Chat's rules for custom message IDs, request IDs, threads,
// space membership, ownership, size limits, card rules, notifications and request validation.
// Incoming webhooks post through `handleAs` with their own identity (see webhook.ts).
import { randomBytes } from 'node:crypto'
import { appCaller, ChatAppRegistry, senderOf, type Caller } from './chat-apps.ts'
import { badRequest, googleError, json } from './http-util.ts'
import { applyMessageLimits, type ContentWarning } from './message-limits.ts'
import { NotificationLog } from './notifications.ts'
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
  /** `${caller id}\n${threadKey}` → thread name: a key belongs to the app (or webhook) that set it. */
  threadsByKey: Map<string, string>
  /** requestId → the message as first returned, for idempotent retries. */
  requests: Map<string, ChatMessage>
}

/** Something Chat did to a stored message without an error (sections dropped, icons blanked). */
export interface ChatWarning extends ContentWarning {
  time: string
  space: string
  message: string
}

export interface ChatBehaviour {
  /**
   * HTTP status of the ALREADY_EXISTS answer to a duplicate custom message ID. AIP-133 gives 409; the Chat
   * reference does not name it, so tests can make it anything (the body's `status` stays ALREADY_EXISTS).
   */
  alreadyExistsHttpStatus: number
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

const threadScope = (caller: Caller, key: string) => `${caller.id}\n${key}`

export class ChatApi {
  #oauth: OAuthService
  #members = new Set<string>()
  #knownSpaces = new Set<string>()
  #spaces = new Map<string, SpaceState>()
  /** Who created each stored message (`Caller.id`); kept out of the message JSON, as Google keeps it. */
  #owners = new WeakMap<ChatMessage, string>()
  #warnings: ChatWarning[] = []
  /** Projects with and without a configured Chat app ("Google Chat app not found"). */
  readonly apps = new ChatAppRegistry()
  /** What a create notifies; edits notify no one. */
  readonly notifications = new NotificationLog()
  readonly behaviour: ChatBehaviour = { alreadyExistsHttpStatus: 409 }
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

  /** Who created a stored message (`apps/<project>` or `webhooks/<id>`), by name or client-assigned name. */
  ownerOf(name: string): string | undefined {
    const match = /^(spaces\/[^/]+)\/messages\/([^/]+)$/.exec(name)
    const state = match ? this.#spaces.get(match[1]!) : undefined
    const message = state && this.#find(state, match![2]!)
    return message && this.#owners.get(message)
  }

  /** What Chat changed in stored messages without an error, oldest first; all spaces when `space` is omitted. */
  warnings(space?: string): ChatWarning[] {
    return structuredClone(this.#warnings.filter((w) => !space || w.space === space))
  }

  /** The spaces the app can post to and those it can see but is not a member of. */
  spaces(): { members: string[]; knownSpaces: string[] } {
    return { members: [...this.#members], knownSpaces: [...this.#knownSpaces] }
  }

  /** Forgets messages, threads, request IDs, notifications and warnings; keeps memberships and configuration. */
  reset(): void {
    this.#spaces.clear()
    this.#warnings = []
    this.notifications.reset()
  }

  handle = (req: EmulatorRequest): EmulatorResponse => {
    const route = this.#route(req)
    if (!route) return googleError(404, 'Method not found.')
    const authenticated = this.#authenticate(req)
    if ('status' in authenticated) return authenticated
    return this.handleAs(appCaller(authenticated.email), req)
  }

  /** Serves a request for an already identified caller: an incoming webhook, or a message seeded by a test. */
  handleAs(caller: Caller, req: EmulatorRequest): EmulatorResponse {
    const route = this.#route(req)
    if (!route) return googleError(404, 'Method not found.')
    const appError = this.apps.check(caller)
    if (appError) return appError
    if (route.name === 'list') {
      return googleError(
        403,
        "This method doesn't support app authentication with a service account. Authenticate with a user account.",
      )
    }
    const { spaceName, messageId } = route
    // A webhook belongs to its space (webhook.ts checks that), and seeded callers are in it by definition.
    const spaceError = caller.kind === 'webhook' || caller.seeded ? undefined : this.#checkSpace(spaceName)
    if (spaceError) return spaceError
    const limited = route.name === 'get' ? undefined : this.writeGate?.(spaceName)
    if (limited) return limited
    const space = this.#space(spaceName)

    switch (route.name) {
      case 'create':
        return this.#create(req, caller, spaceName, space)
      case 'get':
        return this.#get(req, space, messageId)
      case 'patch':
        return this.#patch(req, caller, spaceName, space, messageId)
      case 'delete':
        return this.#delete(req, caller, space, messageId)
    }
  }

  #route(
    req: EmulatorRequest,
  ): { name: 'create' | 'list' | 'get' | 'patch' | 'delete'; spaceName: string; messageId: string } | undefined {
    const collection = /^\/v1\/(spaces\/[^/]+)\/messages$/.exec(req.path)
    const item = /^\/v1\/(spaces\/[^/]+)\/messages\/([^/]+)$/.exec(req.path)
    const name = collection ? COLLECTION_ROUTES[req.method] : item ? ITEM_ROUTES[req.method] : undefined
    if (!name) return undefined
    const spaceName = decodeURIComponent((collection ?? item)![1]!)
    return { name, spaceName, messageId: item ? decodeURIComponent(item[2]!) : '' }
  }

  #authenticate(req: EmulatorRequest): IssuedToken | EmulatorResponse {
    const header = req.headers.authorization
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
    const token: IssuedToken | undefined = bearer ? this.#oauth.lookup(bearer[1]!) : undefined
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
    return token
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

  /**
   * Discovery doc, `Message.name`: the `{message}` part is system-assigned, and a custom ID (from
   * `clientAssignedMessageId`) may replace it in requests: `spaces/AAAAAAAAAAA/messages/client-custom-name`.
   */
  #find(space: SpaceState, id: string): ChatMessage | undefined {
    if (id.startsWith('client-')) return space.messages.find((m) => m.clientAssignedMessageId === id)
    return space.messages.find((m) => m.name.endsWith(`/messages/${id}`))
  }

  /**
   * Discovery doc, `patch`/`update`/`delete`: "When using app authentication, requests can only update [delete]
   * messages created by the calling Chat app." Google's PERMISSION_DENIED wording.
   */
  #checkOwner(caller: Caller, message: ChatMessage): EmulatorResponse | undefined {
    if (this.#owners.get(message) === caller.id) return undefined
    return googleError(403, 'The caller does not have permission')
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

  #create(req: EmulatorRequest, caller: Caller, spaceName: string, space: SpaceState): EmulatorResponse {
    const parsed = this.#parse(req, messageMethods.create, 'CreateMessageRequest', true)
    if ('status' in parsed) return parsed
    const { params, body } = parsed

    const messageId = params.get('messageId') || undefined
    if (messageId) {
      const error = messageIdError(messageId, 'message_id')
      if (error) return error
    }
    const checked = this.#checkContent(pickContent(body), true)
    if ('refused' in checked) return checked.refused

    // A retried request returns what the first one created, whatever its body says now.
    const requestId = params.get('requestId') || undefined
    const previous = requestId ? space.requests.get(requestId) : undefined
    if (previous) return json(200, structuredClone(previous))

    // discovery doc, `create.messageId`: "Is unique within a space"; AIP-133: a duplicate is ALREADY_EXISTS
    // (409 there; the Chat reference names no status, hence `behaviour.alreadyExistsHttpStatus`).
    if (messageId && this.#find(space, messageId)) {
      return googleError(
        this.behaviour.alreadyExistsHttpStatus,
        `Message with custom ID ${messageId} already exists in ${spaceName}.`,
        { status: 'ALREADY_EXISTS' },
      )
    }

    const thread = this.#resolveThread(caller, space, spaceName, params, body)
    if ('status' in thread) return thread

    const message = this.#store(caller, spaceName, space, checked.kept, messageId, thread, checked.warnings)
    this.notifications.created({
      space: spaceName,
      message: message.name,
      thread: message.thread.name,
      sentBy: caller.id,
      reply: thread.reply,
      text: message.text,
      notificationType: params.get('createMessageNotificationOptions.notificationType'),
    })
    if (requestId) space.requests.set(requestId, structuredClone(message))
    return json(200, structuredClone(message))
  }

  /**
   * Chat ignores thread.threadKey / thread.name (and the deprecated threadKey param) unless a reply option is
   * given: without one every message starts a new, unkeyed thread. A key belongs to the caller that set it
   * (discovery doc, `Thread.threadKey`: "This ID is unique to the Chat app that sets it"); a thread name reaches
   * any thread of the space ("To reply in a thread created by a person or another Chat app, specify the thread
   * `name` field instead").
   */
  #resolveThread(
    caller: Caller,
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
    const keyed = threadKey ? space.threadsByKey.get(threadScope(caller, threadKey)) : undefined
    if (requested.name) {
      if (space.threads.has(requested.name)) {
        const ownKey = [...space.threadsByKey].find(
          ([scoped, name]) => name === requested.name && scoped.startsWith(`${caller.id}\n`),
        )?.[0]
        return { name: requested.name, threadKey: ownKey?.slice(caller.id.length + 1), reply: true }
      }
      if (option === REPLY_OPTIONS.orFail) return googleError(404, NOT_FOUND)
      return newThread(threadKey && !keyed ? threadKey : undefined)
    }
    if (threadKey) {
      if (keyed) return { name: keyed, threadKey, reply: true }
      // Per Chat's docs, a new thread key starts a thread with both reply options; OR_FAIL only fails on names.
      return newThread(threadKey)
    }
    return newThread()
  }

  /**
   * Discovery doc, `Message.name`: `{message}` is system-assigned (e.g. `BBBBBBBBBBB.BBBBBBBBBBB`) even when a
   * custom ID is set; the custom ID is `clientAssignedMessageId`. Modelled as `<thread id>.<message id>`.
   */
  #store(
    caller: Caller,
    spaceName: string,
    space: SpaceState,
    content: Json,
    clientId: string | undefined,
    thread: { name: string; threadKey?: string; reply: boolean },
    warnings: ContentWarning[],
  ): ChatMessage {
    const threadId = thread.name.slice(thread.name.lastIndexOf('/') + 1)
    const message: ChatMessage = {
      name: `${spaceName}/messages/${threadId}.${thread.reply ? randomId() : threadId}`,
      sender: senderOf(caller),
      createTime: new Date().toISOString(),
      ...content,
      thread: thread.threadKey ? { name: thread.name, threadKey: thread.threadKey } : { name: thread.name },
      space: { name: spaceName },
    }
    if (clientId) message.clientAssignedMessageId = clientId
    if (thread.reply) message.threadReply = true
    space.threads.add(thread.name)
    if (thread.threadKey) space.threadsByKey.set(threadScope(caller, thread.threadKey), thread.name)
    space.messages.push(message)
    this.#owners.set(message, caller.id)
    this.#warn(spaceName, message, warnings)
    return message
  }

  #warn(space: string, message: ChatMessage, warnings: ContentWarning[]): void {
    const time = new Date().toISOString()
    for (const warning of warnings) this.#warnings.push({ time, space, message: message.name, ...warning })
  }

  /** The content as Chat keeps it, or the 400 to send. */
  #checkContent(
    content: Json,
    creating: boolean,
  ): { kept: Json; warnings: ContentWarning[] } | { refused: EmulatorResponse } {
    if (creating && !hasContent(content)) {
      return { refused: googleError(400, 'Message cannot be empty. Discarding empty message.') }
    }
    const { violations, content: kept, warnings } = applyMessageLimits(content)
    if (violations.length) return { refused: badRequest(violations) }
    return { kept, warnings }
  }

  #get(req: EmulatorRequest, space: SpaceState, id: string): EmulatorResponse {
    const parsed = this.#parse(req, messageMethods.get, 'GetMessageRequest', false)
    if ('status' in parsed) return parsed
    const message = this.#find(space, id)
    return message ? json(200, structuredClone(message)) : googleError(404, NOT_FOUND)
  }

  #patch(req: EmulatorRequest, caller: Caller, spaceName: string, space: SpaceState, id: string): EmulatorResponse {
    const method = req.method === 'PUT' ? messageMethods.update : messageMethods.patch
    const parsed = this.#parse(req, method, 'UpdateMessageRequest', true)
    if ('status' in parsed) return parsed
    const { params, body } = parsed
    const content = pickContent(body)

    const existing = this.#find(space, id)
    if (!existing) {
      // Discovery doc, `patch.allowMissing`/`update.allowMissing`: "If true and the message isn't found, a new
      // message is created and updateMask is ignored. The specified message ID must be client-assigned or the
      // request fails." The new message is a create: it starts a thread and notifies the space.
      if (params.get('allowMissing') !== 'true' || !id.startsWith('client-')) return googleError(404, NOT_FOUND)
      const error = messageIdError(id, 'message.name')
      if (error) return error
      const checked = this.#checkContent(content, true)
      if ('refused' in checked) return checked.refused
      const thread = { name: `${spaceName}/threads/${randomId()}`, reply: false }
      const message = this.#store(caller, spaceName, space, checked.kept, id, thread, checked.warnings)
      this.notifications.created({
        space: spaceName,
        message: message.name,
        thread: thread.name,
        sentBy: caller.id,
        reply: false,
        text: message.text,
      })
      return json(200, structuredClone(message))
    }
    const denied = this.#checkOwner(caller, existing)
    if (denied) return denied

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
    const checked = this.#checkContent(updated, false)
    if ('refused' in checked) return checked.refused
    for (const field of fields) {
      if (checked.kept[field] === undefined) delete existing[field]
      else existing[field] = checked.kept[field]
    }
    this.#warn(spaceName, existing, checked.warnings)
    // An edit notifies no one (FACTS.md: nothing documents an edit notifying; tools that edit report it silent).
    existing.lastUpdateTime = new Date().toISOString()
    return json(200, structuredClone(existing))
  }

  #delete(req: EmulatorRequest, caller: Caller, space: SpaceState, id: string): EmulatorResponse {
    const parsed = this.#parse(req, messageMethods.delete, 'DeleteMessageRequest', false)
    if ('status' in parsed) return parsed
    const message = this.#find(space, id)
    if (!message) return googleError(404, NOT_FOUND)
    const denied = this.#checkOwner(caller, message)
    if (denied) return denied
    space.messages.splice(space.messages.indexOf(message), 1)
    return json(200, {})
  }
}
