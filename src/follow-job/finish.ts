// follow-job's post step, as logic: read this job, judge its outcome, update the card, and reply when the update
// leaves it in a bad state. Every effect goes through a collaborator, so it runs on fakes in tests.
import type { ThisJobRead } from '../github/read-this-job.ts'
import { jobOutcome, type JobConclusion } from '../github/this-job.ts'
import type { Status } from '../domain.ts'
import { buildUpdateReply, shouldReplyToUpdate } from './reply.ts'
import type { FollowJobState } from './state.ts'

/** What the card is updated to. */
export interface FollowedJobUpdate {
  messageName: string
  /** The job's outcome; unknown when GitHub could not tell (no `actions: read`, API errors, lag to the end). */
  status: JobConclusion | 'unknown'
  /** For an unknown outcome: why, one line for the card ("give the job `permissions: actions: read`"). */
  note?: string
  failedSteps: string[]
  durationMs?: number
  /** The job's page (`…/actions/runs/1/job/2`), for the card's button. */
  jobUrl?: string
  jobName?: string
}

export interface FinishCollaborators {
  state: FollowJobState
  /** readThisJobFromGitHub bound to the run attempt, token and runner. */
  readJob: () => Promise<ThisJobRead>
  /**
   * Updates the card (patch) and, given a reply text, then creates that reply in the card's thread (it notifies;
   * honours `notification`; idempotent with a requestId), in one delivery. Answers the names, or why the reply
   * was not posted.
   */
  deliver: (
    update: FollowedJobUpdate,
    replyText: string | undefined,
  ) => Promise<{ messageName: string; threadName?: string; replyName?: string; replyError?: string }>
  /** The parsed notify-on-update input. */
  notifyOnUpdate: readonly Status[]
  /** mentionPrefix(config, status, logins).text for that status. */
  mentionsFor: (status: Status) => string
  /** What the reply is about: the workflow's name, or the card's title. */
  subject: string
  /** The run's page, linked when the job's page is not known. */
  runUrl?: string
  log: { info: (message: string) => void; warning: (message: string) => void }
  now: () => number
}

export interface FinishResult {
  update: FollowedJobUpdate
  messageName: string
  threadName?: string
  /** The reply, when the outcome called for one. */
  reply?: { messageName: string; text: string }
  /** Why the reply the outcome called for was not posted. */
  replyError?: string
}

const NO_PERMISSION_HINT = 'give the job `permissions: actions: read`'

/**
 * Reads this job, updates the card to its outcome and replies when notify-on-update asks for it. A job that cannot
 * be read (no permission, API errors, this job not found) still finishes the card, as "outcome unknown", and says
 * why once in the log. Errors from `deliver` are the caller's, as for any delivery.
 */
export async function finishFollowedJob(c: FinishCollaborators): Promise<FinishResult> {
  const update = judgeFollowedJob(await c.readJob(), c.state.messageName, c.log, c.now())
  const text = followedJobReply(update, c)
  const delivered = await c.deliver(update, text)
  const result: FinishResult = { update, messageName: delivered.messageName }
  const threadName = delivered.threadName || c.state.threadName
  if (threadName) result.threadName = threadName
  if (text && delivered.replyName) result.reply = { messageName: delivered.replyName, text }
  if (delivered.replyError) result.replyError = delivered.replyError
  return result
}

/** What the card becomes, from what GitHub said about this job; one log line either way. */
export function judgeFollowedJob(
  read: ThisJobRead,
  messageName: string,
  log: FinishCollaborators['log'],
  now: number,
): FollowedJobUpdate {
  if ('unavailable' in read) {
    const permission = read.unavailable.includes('actions: read')
    log.warning(
      `follow-job: could not read this job from GitHub (${read.unavailable}); the card says the outcome is unknown`,
    )
    return {
      messageName,
      status: 'unknown',
      note: permission ? `finished; outcome unknown: ${NO_PERMISSION_HINT}` : 'finished; outcome unknown',
      failedSteps: [],
    }
  }
  const outcome = jobOutcome(read.job, now)
  const update: FollowedJobUpdate = {
    messageName,
    status: outcome.conclusion,
    failedSteps: outcome.failedSteps,
    jobName: outcome.jobName,
    ...(outcome.durationMs === undefined ? {} : { durationMs: outcome.durationMs }),
    ...(outcome.htmlUrl ? { jobUrl: outcome.htmlUrl } : {}),
  }
  if (outcome.conclusion === 'unknown') {
    update.note = 'finished; outcome unknown: GitHub still showed a step running'
    log.warning(
      `follow-job: after ${read.reads} reads GitHub still showed ${outcome.unsettledSteps.join(', ')} running; the card says the outcome is unknown`,
    )
  } else {
    log.info(`follow-job: ${outcome.jobName} ${outcome.conclusion} (read ${read.reads} time(s))`)
  }
  return update
}

/** The reply's text when the update calls for one (notify-on-update, and news to the card); else undefined. */
export function followedJobReply(
  update: FollowedJobUpdate,
  c: Pick<FinishCollaborators, 'state' | 'notifyOnUpdate' | 'mentionsFor' | 'subject' | 'runUrl'>,
): string | undefined {
  const status = update.status
  // An unknown outcome is not news to ping people about; the card says it.
  if (status === 'unknown' || !shouldReplyToUpdate(c.notifyOnUpdate, status, c.state.startedStatus)) return undefined
  return buildUpdateReply({
    status,
    subject: c.subject,
    ...(update.jobName ? { jobName: update.jobName } : {}),
    failedSteps: update.failedSteps,
    ...(update.jobUrl
      ? { url: update.jobUrl, urlLabel: 'the job' }
      : c.runUrl
        ? { url: c.runUrl, urlLabel: 'the run' }
        : {}),
    mentions: c.mentionsFor(status),
  })
}
