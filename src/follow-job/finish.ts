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
  /** Updates the card (patch) and answers its message and thread names. */
  update: (update: FollowedJobUpdate) => Promise<{ messageName: string; threadName?: string }>
  /** Creates a reply in the thread (notifies; honours `notification`; idempotent with a requestId). */
  reply: (reply: { threadName: string; text: string }) => Promise<{ messageName: string }>
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
}

const NO_PERMISSION_HINT = 'give the job `permissions: actions: read`'

/**
 * Reads this job, updates the card to its outcome and replies when notify-on-update asks for it. A job that cannot
 * be read (no permission, API errors, this job not found) still finishes the card, as "outcome unknown", and says
 * why once in the log. Errors from `update` and `reply` are the caller's, as for any delivery.
 */
export async function finishFollowedJob(c: FinishCollaborators): Promise<FinishResult> {
  const read = await c.readJob()
  let update: FollowedJobUpdate
  if ('unavailable' in read) {
    const permission = read.unavailable.includes('actions: read')
    update = {
      messageName: c.state.messageName,
      status: 'unknown',
      note: permission ? `finished; outcome unknown: ${NO_PERMISSION_HINT}` : 'finished; outcome unknown',
      failedSteps: [],
    }
    c.log.warning(
      `follow-job: could not read this job from GitHub (${read.unavailable}); the card says the outcome is unknown`,
    )
  } else {
    const outcome = jobOutcome(read.job, c.now())
    update = {
      messageName: c.state.messageName,
      status: outcome.conclusion,
      failedSteps: outcome.failedSteps,
      jobName: outcome.jobName,
      ...(outcome.durationMs === undefined ? {} : { durationMs: outcome.durationMs }),
      ...(outcome.htmlUrl ? { jobUrl: outcome.htmlUrl } : {}),
    }
    if (outcome.conclusion === 'unknown') {
      update.note = 'finished; outcome unknown: GitHub still showed a step running'
      c.log.warning(
        `follow-job: after ${read.reads} reads GitHub still showed ${outcome.unsettledSteps.join(', ')} running; the card says the outcome is unknown`,
      )
    } else {
      c.log.info(`follow-job: ${outcome.jobName} ${outcome.conclusion} (read ${read.reads} time(s))`)
    }
  }

  const updated = await c.update(update)
  const result: FinishResult = { update, messageName: updated.messageName }
  const threadName = updated.threadName ?? c.state.threadName
  if (threadName) result.threadName = threadName
  const status = update.status
  // An unknown outcome is not news to ping people about; the card says it.
  if (status === 'unknown' || !shouldReplyToUpdate(c.notifyOnUpdate, status, c.state.startedStatus)) return result
  if (!threadName) {
    c.log.warning('follow-job: the card’s thread is not known, so no reply was posted')
    return result
  }
  const text = buildUpdateReply({
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
  const reply = await c.reply({ threadName, text })
  result.reply = { messageName: reply.messageName, text }
  return result
}
