// What follow-job's main step saves for its post step (core.saveState) and how the post step reads it back. The
// runner hands saved state to the post step as STATE_<name> environment variables (what core.getState reads).
// Imported by src/post.ts, which every job using the action runs: type-only imports here, nothing else.
import type { Status } from '../domain.ts'

/** The state's name: core.saveState(FOLLOW_JOB_STATE, encodeFollowJobState(state)). */
export const FOLLOW_JOB_STATE = 'follow_job'

export interface FollowJobState {
  /** The card posted by the main step: spaces/…/messages/…. */
  messageName: string
  /** Its client-assigned id, when it has one. */
  messageId?: string
  /** Its thread, spaces/…/threads/…, for the reply. */
  threadName?: string
  space: string
  runId: string
  runAttempt: number
  /** The status the card was posted with (started, in_progress, …). */
  startedStatus: Status
}

/** The string to save; versioned so that a post step of another release recognises what it cannot read. */
export function encodeFollowJobState(state: FollowJobState): string {
  return JSON.stringify({ v: 1, ...state })
}

/**
 * The saved state, or undefined when there is none (follow-job off, or the main step did not get to post).
 * Invalid state is reported as `{ invalid }`, one line for the log.
 */
export function readFollowJobState(
  env: Readonly<Record<string, string | undefined>>,
): FollowJobState | { invalid: string } | undefined {
  const raw = env[`STATE_${FOLLOW_JOB_STATE}`]
  if (!raw) return undefined
  let value: Record<string, unknown>
  try {
    value = JSON.parse(raw) as Record<string, unknown>
  } catch {
    return { invalid: 'the saved follow-job state is not JSON' }
  }
  if (!value || typeof value !== 'object' || value.v !== 1)
    return { invalid: 'the saved follow-job state has an unknown version' }
  const text = (key: string) => (typeof value[key] === 'string' && value[key] ? (value[key] as string) : undefined)
  const messageName = text('messageName')
  const space = text('space')
  const runId = text('runId')
  const startedStatus = text('startedStatus') as Status | undefined
  const runAttempt = value.runAttempt
  if (!messageName || !space || !runId || !startedStatus || typeof runAttempt !== 'number') {
    return { invalid: 'the saved follow-job state lacks the message, space, run or status' }
  }
  const messageId = text('messageId')
  const threadName = text('threadName')
  return {
    messageName,
    space,
    runId,
    runAttempt,
    startedStatus,
    ...(messageId ? { messageId } : {}),
    ...(threadName ? { threadName } : {}),
  }
}
