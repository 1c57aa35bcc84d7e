// Loaded lazily by main: the Google client libraries are only paid for when a message is sent.
// The v1 client's own module: the package's index adds discovery and auth helpers the action never uses.
import { chat_v1 } from '@googleapis/chat/build/v1.js'
import type { AuthClient, BaseExternalAccountClient, OAuth2Client } from 'google-auth-library'
import { MESSAGE_REPLY_OPTION, type Notification, type OperationKind, type Thread } from '../domain.ts'
import { DeliveryError, InputError } from '../errors.ts'
import { signIn } from '../credentials/sign-in.ts'
import type { ServiceAccountKey } from '../credentials/service-account-key.ts'
import type { ChatMessage } from '../message/build.ts'
import { explainChatError, explainSignInError, type ChatCallKind } from './explain-error.ts'
import { GOOGLE_TRANSPORTER } from './google-fetch.ts'
import { isAlreadyExists } from './google-status.ts'
import { NOTIFICATION_TYPE, replyInThread, type UpdateReplyPlan } from './update-reply.ts'
import {
  describeFailure,
  gaveUp,
  httpStatus,
  lastError,
  policyFor,
  realClock,
  withRetries,
  type RetryClock,
} from './retry.ts'

/** How the app signs in: its key (token from Google, or a self-signed JWT), or keyless (Workload Identity). */
export type AppCredentials =
  | { kind: 'key'; key: ServiceAccountKey; selfSignedJwt: boolean }
  | { kind: 'keyless'; env: Record<string, string | undefined> }

export interface DeliveryPlan {
  credentials: AppCredentials
  spaces: string[]
  operation: OperationKind
  message: ChatMessage
  /** create: the client-assigned id that makes re-runs update instead of posting again. */
  clientMessageId?: string
  /** update/delete: a message name (spaces/…/messages/…) or a client id (client-…), per space. */
  target?: string
  thread?: Thread
  notification?: Notification
  /** When an update (update, or a create that found its client id taken) happens: a reply in the card's thread. */
  reply?: UpdateReplyPlan
  /** Chat's idempotency key for a create, per space. */
  requestId: (space: string) => string
  timeoutMs: number
  mask: (secret: string) => void
  log: (line: string) => void
  clock?: RetryClock
}

export interface Delivered {
  space: string
  ok: true
  action: 'created' | 'updated' | 'deleted'
  messageName: string
  messageId: string
  threadName: string
  /** The reply posted after the update (plan.reply), or why it was not. */
  replyName?: string
  replyError?: string
}

export interface NotDelivered {
  space: string
  ok: false
  error: string
}

export type SpaceResult = Delivered | NotDelivered

export type Deliver = (plan: DeliveryPlan) => Promise<SpaceResult[]>

// Every field the action sets; an update replaces all of them, so a card can also be removed.
const UPDATE_MASK = 'text,cardsV2,accessoryWidgets'

/** Signs in once for the run, then delivers to every space independently: one failing space stops no other. */
export const deliver: Deliver = async (plan) => {
  const clock = plan.clock ?? realClock
  const started = clock.now()
  const retryLog = (what: string) => (error: unknown, attempt: number, delayMs: number) =>
    plan.log(`${what}: attempt ${attempt} failed (${describeFailure(error)}); retrying in ${Math.round(delayMs)} ms`)

  let auth: AuthClient
  try {
    auth = await withRetries(
      (timeout) => signInWith(plan, timeout),
      policyFor(plan.timeoutMs),
      clock,
      retryLog('Signing in'),
    )
  } catch (error) {
    const cause = lastError(error)
    // Keyless sign-in explains its own failures (which step of the exchange, what to fix).
    const reason =
      cause instanceof DeliveryError || cause instanceof InputError ? cause.message : explainSignInError(cause)
    if (cause instanceof InputError) throw cause
    throw new DeliveryError(reason + gaveUp(error, clock.now() - started), { cause: error })
  }
  // A JWT or an external-account client; both are what the Chat client takes.
  const api = new chat_v1.Chat({ auth: auth as OAuth2Client | BaseExternalAccountClient })
  const remaining = Math.max(1_000, plan.timeoutMs - (clock.now() - started))

  return Promise.all(
    plan.spaces.map(async (space): Promise<SpaceResult> => {
      // Which call failed shapes the explanation: a 403 on an edit is most often another app's message.
      let kind: ChatCallKind = 'post'
      const call = <T>(what: string, request: (timeoutMs: number) => Promise<T>): Promise<T> => {
        kind = what === 'Posting' ? 'post' : 'edit'
        return withRetries(request, policyFor(remaining), clock, retryLog(`${what} in ${space}`))
      }
      try {
        return await deliverToSpace(api, space, plan, call)
      } catch (error) {
        return {
          space,
          ok: false,
          error: explainChatError(lastError(error), space, kind) + gaveUp(error, clock.now() - started),
        }
      }
    }),
  )
}

async function signInWith(plan: DeliveryPlan, timeoutMs: number): Promise<AuthClient> {
  const { credentials, mask } = plan
  // gaxios sends through the action's transport (google-fetch.ts), whichever client signs in.
  const client = { timeoutMs, transporter: GOOGLE_TRANSPORTER }
  if (credentials.kind === 'key' && !credentials.selfSignedJwt) return signIn(credentials.key, mask, client)
  // Loaded only for the runs that use them: workload identity brings google-auth-library's external-account clients.
  if (credentials.kind === 'keyless') {
    const { signInKeyless } = await import('../credentials/keyless.ts')
    return signInKeyless({ mask, env: credentials.env, ...client })
  }
  const { signInSelfSignedJwt } = await import('../credentials/self-signed-jwt.ts')
  return signInSelfSignedJwt(credentials.key, mask, client)
}

type Call = <T>(what: string, request: (timeoutMs: number) => Promise<T>) => Promise<T>

async function deliverToSpace(api: chat_v1.Chat, space: string, plan: DeliveryPlan, call: Call): Promise<Delivered> {
  const messages = api.spaces.messages
  // One retry layer: ours. The client library's own retries would ignore our budget and Retry-After.
  const options = (timeout: number) => ({ timeout, retry: false })
  // Both ways to an update (`update:`, and a taken message id) patch the card, then reply when the plan asks.
  const update = async (name: string): Promise<Delivered> => {
    const { data } = await call('Updating', (timeout) =>
      messages.patch({ name, updateMask: UPDATE_MASK, requestBody: plan.message }, options(timeout)),
    )
    return withReply(messages, call, plan, result(space, 'updated', data))
  }

  if (plan.operation === 'delete') {
    const name = messageName(space, plan.target as string)
    try {
      await call('Deleting', (timeout) => messages.delete({ name }, options(timeout)))
    } catch (error) {
      // Gone already (deleted by hand, or an earlier attempt whose answer was lost): the goal is met.
      if (httpStatus(lastError(error)) !== 404) throw error
      plan.log(`${name} was already deleted`)
    }
    return { space, ok: true, action: 'deleted', messageName: name, messageId: clientIdOf(name), threadName: '' }
  }

  if (plan.operation === 'update') return update(messageName(space, plan.target as string))

  const requestBody: ChatMessage = { ...plan.message }
  let messageReplyOption: string | undefined
  if (plan.thread?.key || plan.thread?.name) {
    requestBody.thread = plan.thread.name ? { name: plan.thread.name } : { threadKey: plan.thread.key }
    // Chat ignores a thread key unless a reply option is given.
    messageReplyOption = MESSAGE_REPLY_OPTION[plan.thread.reply]
  }
  try {
    const { data } = await call('Posting', (timeout) =>
      messages.create(
        {
          parent: space,
          requestBody,
          messageId: plan.clientMessageId,
          requestId: plan.requestId(space),
          messageReplyOption,
          'createMessageNotificationOptions.notificationType': NOTIFICATION_TYPE[plan.notification ?? 'default'],
        },
        options(timeout),
      ),
    )
    return result(space, 'created', data)
  } catch (error) {
    // The id is taken: this is a later run (or another job) for the same story, so update that message.
    if (!plan.clientMessageId || !isAlreadyExists(lastError(error))) throw error
    return update(`${space}/messages/${plan.clientMessageId}`)
  }
}

/** An update notifies no one: the reply the plan asks for (update-reply.ts) goes into the card's thread. */
async function withReply(
  messages: chat_v1.Resource$Spaces$Messages,
  call: Call,
  plan: DeliveryPlan,
  updated: Delivered,
): Promise<Delivered> {
  if (!plan.reply) return updated
  const target = { space: updated.space, threadName: updated.threadName }
  return { ...updated, ...(await replyInThread(messages, call, target, plan.reply, plan.notification)) }
}

function result(space: string, action: Delivered['action'], data: chat_v1.Schema$Message): Delivered {
  const name = data.name ?? ''
  return {
    space,
    ok: true,
    action,
    messageName: name,
    messageId: data.clientAssignedMessageId ?? clientIdOf(name),
    threadName: data.thread?.name ?? '',
  }
}

/** `spaces/A/messages/B` stays as it is; a client id is resolved in the given space. */
export function messageName(space: string, target: string): string {
  return target.startsWith('spaces/') ? target : `${space}/messages/${target}`
}

function clientIdOf(name: string): string {
  const id = name.slice(name.lastIndexOf('/') + 1)
  return id.startsWith('client-') ? id : ''
}
