// Loaded lazily by main: the Google client libraries are only paid for when a message is sent.
import { chat, type chat_v1 } from '@googleapis/chat'
import type { JWT } from 'google-auth-library'
import { DeliveryError } from '../errors.ts'
import { signIn } from '../credentials/sign-in.ts'
import type { ServiceAccountKey } from '../credentials/service-account-key.ts'
import type { ChatMessage } from '../message/build.ts'
import { explainChatError, explainSignInError } from './explain-error.ts'
import { RetriesExhausted, httpStatus, policyFor, realClock, withRetries, type RetryClock } from './retry.ts'

export type Operation = 'create' | 'update' | 'delete'
export type ThreadReply = 'fallback' | 'required'

export interface DeliveryPlan {
  key: ServiceAccountKey
  spaces: string[]
  operation: Operation
  message: ChatMessage
  /** create: the client-assigned id that makes re-runs update instead of posting again. */
  clientMessageId?: string
  /** update/delete: a message name (spaces/…/messages/…) or a client id (client-…), per space. */
  target?: string
  thread?: { key?: string; name?: string; reply: ThreadReply }
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

const REPLY_OPTION: Record<ThreadReply, string> = {
  fallback: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
  required: 'REPLY_MESSAGE_OR_FAIL',
}

/** Signs in once for the run, then delivers to every space independently: one failing space stops no other. */
export const deliver: Deliver = async (plan) => {
  const clock = plan.clock ?? realClock
  const started = clock.now()
  const retryLog = (what: string) => (error: unknown, attempt: number, delayMs: number) =>
    plan.log(`${what}: attempt ${attempt} failed (${describeFailure(error)}); retrying in ${Math.round(delayMs)} ms`)

  let auth: JWT
  try {
    auth = await withRetries(
      (timeout) => signIn(plan.key, plan.mask, timeout),
      policyFor(plan.timeoutMs),
      clock,
      retryLog('Signing in'),
    )
  } catch (error) {
    throw new DeliveryError(explainSignInError(unwrap(error)) + gaveUp(error, clock.now() - started), { cause: error })
  }
  const api = chat({ version: 'v1', auth })
  const remaining = Math.max(1_000, plan.timeoutMs - (clock.now() - started))

  return Promise.all(
    plan.spaces.map(async (space): Promise<SpaceResult> => {
      const call = <T>(what: string, request: (timeoutMs: number) => Promise<T>): Promise<T> =>
        withRetries(request, policyFor(remaining), clock, retryLog(`${what} in ${space}`))
      try {
        return await deliverToSpace(api, space, plan, call)
      } catch (error) {
        return {
          space,
          ok: false,
          error: explainChatError(unwrap(error), space) + gaveUp(error, clock.now() - started),
        }
      }
    }),
  )
}

type Call = <T>(what: string, request: (timeoutMs: number) => Promise<T>) => Promise<T>

async function deliverToSpace(api: chat_v1.Chat, space: string, plan: DeliveryPlan, call: Call): Promise<Delivered> {
  const messages = api.spaces.messages
  // One retry layer: ours. The client library's own retries would ignore our budget and Retry-After.
  const options = (timeout: number) => ({ timeout, retry: false })

  if (plan.operation === 'delete') {
    const name = messageName(space, plan.target as string)
    try {
      await call('Deleting', (timeout) => messages.delete({ name }, options(timeout)))
    } catch (error) {
      // Gone already (deleted by hand, or an earlier attempt whose answer was lost): the goal is met.
      if (httpStatus(unwrap(error)) !== 404) throw error
      plan.log(`${name} was already deleted`)
    }
    return { space, ok: true, action: 'deleted', messageName: name, messageId: clientIdOf(name), threadName: '' }
  }

  if (plan.operation === 'update') {
    const name = messageName(space, plan.target as string)
    const { data } = await call('Updating', (timeout) =>
      messages.patch({ name, updateMask: UPDATE_MASK, requestBody: plan.message }, options(timeout)),
    )
    return result(space, 'updated', data)
  }

  const requestBody: ChatMessage = { ...plan.message }
  let messageReplyOption: string | undefined
  if (plan.thread?.key || plan.thread?.name) {
    requestBody.thread = plan.thread.name ? { name: plan.thread.name } : { threadKey: plan.thread.key }
    // Chat ignores a thread key unless a reply option is given.
    messageReplyOption = REPLY_OPTION[plan.thread.reply]
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
        },
        options(timeout),
      ),
    )
    return result(space, 'created', data)
  } catch (error) {
    // The id is taken: this is a later run (or another job) for the same story, so update that message.
    if (!plan.clientMessageId || httpStatus(unwrap(error)) !== 409) throw error
    const name = `${space}/messages/${plan.clientMessageId}`
    const { data } = await call('Updating', (timeout) =>
      messages.patch({ name, updateMask: UPDATE_MASK, requestBody: plan.message }, options(timeout)),
    )
    return result(space, 'updated', data)
  }
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

function unwrap(error: unknown): unknown {
  return error instanceof RetriesExhausted ? error.cause : error
}

function gaveUp(error: unknown, elapsedMs: number): string {
  return error instanceof RetriesExhausted
    ? ` (gave up after ${error.attempts} attempts in ${(elapsedMs / 1000).toFixed(1)} s; raise 'timeout' to wait longer)`
    : ''
}

function describeFailure(error: unknown): string {
  const status = httpStatus(error)
  if (status) return `HTTP ${status}`
  const err = error as { code?: unknown; message?: unknown }
  return typeof err.code === 'string' ? err.code : String(err.message ?? error).slice(0, 80)
}
