// follow-job's post step, loaded (through main.ts's runPost) only when the main step saved state: read this job
// from GitHub, update the card with its outcome, and reply in the card's thread when the outcome is bad. The
// settings, credentials and delivery are main's: the runner gives the post step the same inputs.
import type { AppCredentials, Deliver } from '../delivery/deliver.ts'
import { requestId, type RequestIdParts } from '../delivery/message-id.ts'
import type { Settings, Status } from '../domain.ts'
import { DeliveryError } from '../errors.ts'
import type { GitHubContextLike, RunContext } from '../github/run-context.ts'
import { readThisJobFromGitHub } from '../github/read-this-job.ts'
import type { ChatMessage } from '../message/build.ts'
import { composeCustomMessage, composeMessage } from '../message/compose.ts'
import { involvedLogins, mentionPrefix } from '../message/mentions.ts'
import type { JobFacts } from '../message/presets/options.ts'
import { finishFollowedJob, type FollowedJobUpdate } from './finish.ts'
import type { FollowJobState } from './state.ts'

type Env = Record<string, string | undefined>

export interface PostStepLog {
  info(line: string): void
  warning(line: string): void
  debug(line: string): void
}

export interface PostStep {
  state: FollowJobState
  settings: Settings
  run: RunContext
  github: GitHubContextLike
  env: Env
  credentials: AppCredentials
  deliver: Deliver
  /** requestId's parts for this step (the reply's key adds its own mark). */
  ids: Omit<RequestIdParts, 'space'>
  log: PostStepLog
  /** Registers a secret with the runner (a token the sign-in obtains). */
  mask: (secret: string) => void
}

/**
 * Finishes the card the main step posted. Never fails the job over GitHub's API (no `actions: read`, errors, lag):
 * the card then says the outcome is unknown, and the log says why once. A delivery that fails throws
 * DeliveryError, which main.ts reports as it reports any (a warning, unless fail-on-error).
 */
export async function finishJobCard(p: PostStep): Promise<void> {
  const { state, settings, run, env } = p
  const result = await finishFollowedJob({
    state,
    readJob: () =>
      readThisJobFromGitHub(
        {
          token: settings.githubToken,
          apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
          repository: run.repository,
          runId: state.runId,
          runAttempt: state.runAttempt,
        },
        { runnerName: env.RUNNER_NAME ?? '', jobName: run.job, matrixValues: Object.values(settings.matrix ?? {}) },
      ),
    deliver: async (update, replyText) => {
      const message = await cardFor(p, update)
      const [delivered] = await p.deliver({
        credentials: p.credentials,
        spaces: [state.space],
        operation: 'update',
        message,
        target: state.messageName,
        notification: settings.notification,
        requestId: (space) => requestId({ ...p.ids, space }),
        ...(replyText
          ? {
              reply: {
                text: replyText,
                requestId: (space) => requestId({ ...p.ids, step: `${p.ids.step}#post-reply`, space }),
              },
            }
          : {}),
        timeoutMs: settings.timeoutMs,
        mask: p.mask,
        log: (line) => p.log.info(line),
      })
      if (!delivered?.ok) throw new DeliveryError(delivered?.error ?? 'the card was not updated')
      return {
        messageName: delivered.messageName,
        threadName: delivered.threadName,
        ...(delivered.replyName ? { replyName: delivered.replyName } : {}),
        ...(delivered.replyError ? { replyError: delivered.replyError } : {}),
      }
    },
    notifyOnUpdate: settings.notifyOnUpdate,
    mentionsFor: (status) => mentionPrefix(settings.mentions, status, involvedLogins(run)).text,
    subject: settings.title || run.workflow,
    runUrl: run.runUrl,
    log: p.log,
    now: Date.now,
  })
  p.log.info(`Updated ${result.messageName} with the job's outcome (${result.update.status}).`)
  if (result.reply) p.log.info(`Replied in its thread (an edit notifies no one): ${result.reply.messageName}.`)
  if (result.replyError) throw new DeliveryError(result.replyError)
}

/** The card rebuilt for the outcome, from the same inputs as the main step's, with what GitHub said of the job. */
async function cardFor(p: PostStep, update: FollowedJobUpdate): Promise<ChatMessage> {
  const { settings, state, run } = p
  // An unknown outcome keeps the card's status; the note says the job finished and why its outcome is unknown.
  const status: Status = update.status === 'unknown' ? state.startedStatus : update.status
  const job: JobFacts = {
    failedSteps: update.failedSteps,
    ...(update.jobName ? { name: update.jobName } : {}),
    ...(update.jobUrl ? { url: update.jobUrl } : {}),
    ...(update.durationMs === undefined ? {} : { durationMs: update.durationMs }),
    ...(update.note ? { note: update.note } : {}),
  }
  // Only the status card shows the note itself; any other card carries it in its text.
  const text =
    update.note && settings.card !== 'status'
      ? [settings.text, `_${update.note}_`].filter(Boolean).join('\n')
      : settings.text
  const outcome: Settings = { ...settings, status, text, operation: { kind: 'update', target: state.messageName } }
  if (settings.custom) return composeCustomMessage(outcome, settings.custom, run, p.github, p.env)
  return composeMessage(outcome, run, p.log, p.env, { job })
}
