// What the step does (`message-id`, `update`, `delete`) and where it replies (`thread-key`, `thread-name`).
import { THREAD_REPLIES, type Operation, type Thread } from '../domain.ts'
import { InputError } from '../errors.ts'
import { clientMessageId } from './message-id.ts'
import { parseChoice } from './values.ts'

export type InputReader = (name: string) => string

const MESSAGE_NAME = /^spaces\/[A-Za-z0-9_-]+\/messages\/[A-Za-z0-9_.-]+$/

/** A message named by an earlier step's output (spaces/…/messages/…), or an id as given to message-id. */
function parseTarget(name: string, raw: string): string {
  const value = raw.trim()
  if (value.startsWith('spaces/')) {
    if (!MESSAGE_NAME.test(value)) {
      throw new InputError(
        name,
        `is not a message name: expected spaces/…/messages/… (e.g. an earlier step's message-name output) or a message id`,
      )
    }
    return value
  }
  return clientMessageId(value)
}

export function parseOperation(input: InputReader): Operation {
  const messageId = input('message-id').trim()
  const update = input('update').trim()
  const remove = input('delete').trim()
  const given = [messageId && 'message-id', update && 'update', remove && 'delete'].filter(Boolean)
  if (given.length > 1) {
    throw new InputError(
      given[1] as string,
      `cannot be combined with '${given[0]}': set only one of message-id (create or update), update, delete`,
    )
  }
  if (update) return { kind: 'update', target: parseTarget('update', update) }
  if (remove) return { kind: 'delete', target: parseTarget('delete', remove) }
  return { kind: 'create', clientMessageId: messageId ? clientMessageId(messageId) : undefined }
}

const THREAD_NAME = /^(spaces\/[A-Za-z0-9_-]+)\/threads\/[A-Za-z0-9_.-]+$/

export function parseThread(input: InputReader, spaces: string[]): Thread | undefined {
  const key = input('thread-key').trim()
  const name = input('thread-name').trim()
  const reply = parseChoice('thread-reply', input('thread-reply'), THREAD_REPLIES, 'fallback')
  if (key && name) throw new InputError('thread-name', "cannot be combined with 'thread-key': reply by name or by key")
  if (name) {
    const match = THREAD_NAME.exec(name)
    if (!match)
      throw new InputError(
        'thread-name',
        "is not a thread name: expected spaces/…/threads/… (e.g. an earlier step's thread-name output)",
      )
    if (spaces.length > 0 && !spaces.includes(match[1] as string)) {
      throw new InputError(
        'thread-name',
        `belongs to ${match[1]}, which is not the space the message goes to (${spaces.join(', ')})`,
      )
    }
    return { name, reply }
  }
  if (key) {
    if (key.length > 4000) throw new InputError('thread-key', "is longer than 4,000 characters (Chat's limit)")
    return { key, reply }
  }
  return undefined
}
