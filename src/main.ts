import {
  debug,
  endGroup,
  error,
  getInput,
  info,
  isDebug,
  notice,
  saveState,
  setFailed,
  setOutput,
  setSecret,
  startGroup,
  summary,
  warning,
} from '@actions/core'
import { appCredentials, keylessSignInConfigured } from './credentials/app-credentials.ts'
import { secretsInKeyInput } from './credentials/service-account-key.ts'
import type { Deliver, SpaceResult } from './delivery/deliver.ts'
import { requestId, type RequestIdParts } from './delivery/message-id.ts'
import type { UpdateReplyPlan } from './delivery/update-reply.ts'
import type { Settings } from './domain.ts'
import { showDryRun } from './dry-run.ts'
import { DeliveryError, InputError } from './errors.ts'
import { buildUpdateReply, shouldReplyToUpdate } from './follow-job/reply.ts'
import { encodeFollowJobState, FOLLOW_JOB_STATE, type FollowJobState } from './follow-job/state.ts'
import { describeRun, type GitHubContextLike, type RunContext } from './github/run-context.ts'
import { readGitHubContext } from './github/runner-context.ts'
import { followJobStart, readSettings, secretsInWebhookUrl, secretsPastedIntoSpace } from './inputs/index.ts'
import { composeCustomMessage, composeMessage } from './message/compose.ts'
import { involvedLogins, mentionPrefix } from './message/mentions.ts'
import { writeOutputs, type Outputs } from './outputs.ts'

export const ACTION_NAME = 'google-chat-notify'

// Named imports, not `import * as core`: a namespace object keeps every export (and the HTTP client
// @actions/core carries for OIDC) in the startup bundle.
const actionsCore = {
  getInput,
  setSecret,
  setOutput,
  info,
  debug,
  warning,
  error,
  notice,
  saveState,
  setFailed,
  startGroup,
  endGroup,
  isDebug,
  summary,
}

export type Core = Omit<typeof actionsCore, 'summary'> & {
  summary: Pick<typeof summary, 'addHeading' | 'addRaw' | 'addCodeBlock' | 'write'>
}

/** What a run talks to; tests hand in their own to drive run() whole. */
export interface Collaborators {
  core: Core
  github: GitHubContextLike
  env: Record<string, string | undefined>
  /** Signs in and posts; loaded on first use so a dry run never pays for the Google libraries. */
  deliver: Deliver
}

const lazyDeliver: Deliver = async (request) => (await import('./delivery/deliver.ts')).deliver(request)

export async function run(overrides: Partial<Collaborators> = {}): Promise<void> {
  const actions = overrides.core ?? actionsCore
  const env = overrides.env ?? process.env
  const deliver = overrides.deliver ?? lazyDeliver
  let failOnError = false
  // Written on every path, failures included, so later steps can rely on them (empty when unknown).
  const outputs: Outputs = {}
  try {
    let settings = readInputs(actions, env, (line) => actions.warning(`${ACTION_NAME}: ${line}`))
    failOnError = settings.failOnError
    const github = overrides.github ?? readGitHubContext(env)
    // With the inputs, dry run included: a key that does not decode is an input mistake, found before any request.
    const credentials = settings.webhook ? undefined : appCredentials(settings, env)
    outputs.space = settings.spaces[0]
    const runContext = describeRun(github, env)
    if (settings.followJob) settings = followJobStart(settings, { ...runContext, runnerName: env.RUNNER_NAME ?? '' })
    const { operation } = settings
    const message =
      operation.kind === 'delete'
        ? {}
        : settings.custom
          ? await composeCustomMessage(settings, settings.custom, runContext, github, env)
          : await composeMessage(settings, runContext, actions, env)

    if (settings.dryRun) {
      await showDryRun(actions, message, settings.spaces[0], Boolean(env.GITHUB_STEP_SUMMARY))
      return
    }

    let results: SpaceResult[]
    if (settings.webhook) {
      const { deliverToWebhook } = await import('./delivery/deliver-webhook.ts')
      results = await deliverToWebhook({
        webhook: settings.webhook,
        message,
        thread: settings.thread,
        timeoutMs: settings.timeoutMs,
        log: (line) => actions.info(line),
      })
    } else {
      if (!credentials) {
        // Secrets are empty in runs for pull requests from forks and from Dependabot: not a broken setup, and the
        // same for webhook users (whose space comes from the URL), so nothing here asks for a space.
        const why =
          'is empty, webhook-url too, and no keyless sign-in was set up, so nothing was sent. Secrets are not passed to workflows run for pull requests from forks or by Dependabot; elsewhere, set credentials: ${{ secrets.GOOGLE_CHAT_CREDENTIALS }} or webhook-url: ${{ secrets.GOOGLE_CHAT_WEBHOOK }}, or sign in keyless with google-github-actions/auth before this step.'
        if (failOnError) throw new InputError('credentials', why)
        actions.notice(`${ACTION_NAME}: Input 'credentials' ${why}`)
        return
      }
      const ids = requestIdParts(env, github)
      results = await deliver({
        credentials,
        spaces: settings.spaces,
        operation: operation.kind,
        message,
        clientMessageId: operation.kind === 'create' ? operation.clientMessageId : undefined,
        target: operation.kind === 'create' ? undefined : operation.target,
        thread: settings.thread,
        notification: settings.notification,
        requestId: (space) => requestId({ ...ids, space }),
        reply: updateReply(settings, runContext, ids),
        timeoutMs: settings.timeoutMs,
        mask: (secret) => actions.setSecret(secret),
        log: (line) => actions.info(line),
      })
    }
    Object.assign(outputs, summarise(results))
    if (settings.followJob) saveFollowJob(actions, results, settings.status, runContext)
    if (settings.notification !== 'default' && results.some((r) => r.ok && r.action === 'updated' && !r.replyName)) {
      actions.info(
        `notification: ${settings.notification} applies to new messages; the update notified no one (notify-on-update chooses when a reply follows).`,
      )
    }
    reportSpaces(actions, results, failOnError)
  } catch (error) {
    report(actions, error, failOnError)
  } finally {
    writeOutputs(actions.setOutput, outputs)
  }
}

/**
 * follow-job's post step: src/post.ts loads this module only when the main step saved state. The same inputs as the
 * main step (the runner passes them again), read the same way; the job's outcome from GitHub; the card updated.
 */
export async function runPost(
  state: FollowJobState | { invalid: string },
  overrides: Partial<Collaborators> = {},
): Promise<void> {
  const actions = overrides.core ?? actionsCore
  if ('invalid' in state) {
    actions.warning(`follow-job: ${state.invalid}; the card was left as the main step posted it`)
    return
  }
  const env = overrides.env ?? process.env
  let failOnError = false
  try {
    // The main step already warned about inputs without effect: no warnings twice.
    const settings = readInputs(actions, env)
    failOnError = settings.failOnError
    const github = overrides.github ?? readGitHubContext(env)
    const credentials = appCredentials(settings, env)
    if (!credentials) {
      actions.info(`follow-job: no credentials in the post step, so ${state.messageName} was left as posted`)
      return
    }
    const { finishJobCard } = await import('./follow-job/post-step.ts')
    await finishJobCard({
      state,
      settings,
      run: describeRun(github, env),
      github,
      env,
      credentials,
      deliver: overrides.deliver ?? lazyDeliver,
      ids: requestIdParts(env, github),
      log: actions,
      mask: (secret) => actions.setSecret(secret),
    })
  } catch (error) {
    report(actions, error, failOnError)
  }
}

/**
 * Every input, read once, for the main and the post step alike. Before anything else can log, every form of the key,
 * of the webhook URL (also one pasted into space) and the GitHub token are registered as secrets.
 */
function readInputs(actions: Core, env: Record<string, string | undefined>, warn?: (line: string) => void): Settings {
  const input = (name: string) => actions.getInput(name)
  const secrets = [
    ...secretsInKeyInput(input('credentials')),
    ...secretsInWebhookUrl(input('webhook-url')),
    ...secretsPastedIntoSpace(input('space')),
  ]
  for (const secret of secrets) actions.setSecret(secret)
  const settings = readSettings(input, {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    keylessSignIn: keylessSignInConfigured(env),
    ...(warn ? { warn } : {}),
  })
  if (settings.githubToken) actions.setSecret(settings.githubToken)
  return settings
}

/** The single-space outputs name the first message delivered; `messages` names every one. */
function summarise(results: SpaceResult[]): Outputs {
  const first = results.find((result) => result.ok)
  return {
    space: first?.space ?? results[0]?.space,
    messageName: first?.messageName,
    messageId: first?.messageId,
    threadName: first?.threadName,
    action: first?.action,
    replyName: first?.replyName,
    messages: results.map((result) =>
      result.ok
        ? {
            space: result.space,
            action: result.action,
            messageName: result.messageName,
            messageId: result.messageId,
            threadName: result.threadName,
            ...(result.replyName ? { replyName: result.replyName } : {}),
          }
        : { space: result.space, error: result.error },
    ),
  }
}

function reportSpaces(actions: Core, results: SpaceResult[], failOnError: boolean): void {
  for (const result of results) {
    if (!result.ok) continue
    actions.info(`${capitalise(result.action)} ${result.messageName}.`)
    if (result.replyName) actions.info(`Replied in its thread (an edit notifies no one): ${result.replyName}.`)
    // The card changed; only the people who were to hear about it did not: a warning, or a failure on request.
    if (result.replyError) (failOnError ? actions.error : actions.warning)(`${ACTION_NAME}: ${result.replyError}`)
  }
  if (failOnError && results.some((result) => result.ok && result.replyError)) {
    throw new DeliveryError('the update was not followed by its reply (see above)')
  }
  const failed = results.filter((result) => !result.ok)
  if (failed.length === 0) return
  if (results.length === 1) throw new DeliveryError(failed[0]!.error)
  // Several spaces: one line for each that failed, then one verdict.
  for (const result of failed) (failOnError ? actions.error : actions.warning)(`${ACTION_NAME}: ${result.error}`)
  throw new DeliveryError(`${failed.length} of ${results.length} spaces were not notified (see above)`)
}

/** The parts of a create's requestId: the run, the attempt, the job and the step (per space, added by the caller). */
function requestIdParts(
  env: Record<string, string | undefined>,
  github: GitHubContextLike,
): Omit<RequestIdParts, 'space'> {
  return {
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: github.runAttempt || 1,
    job: github.job,
    step: env.GITHUB_ACTION ?? '',
  }
}

/** A reply's own idempotency key: a retry finds this reply, never the card. */
function replyRequestId(ids: Omit<RequestIdParts, 'space'>): (space: string) => string {
  return (space) => requestId({ ...ids, step: `${ids.step}#reply`, space })
}

/**
 * The reply that follows an update to a bad status (notify-on-update): `update`, or a message-id that may find its
 * message. An edit notifies no one, so the news and the mentions go in a new message in the card's thread.
 */
function updateReply(
  settings: Settings,
  run: RunContext,
  ids: Omit<RequestIdParts, 'space'>,
): UpdateReplyPlan | undefined {
  const { operation, status } = settings
  const updates = operation.kind === 'update' || (operation.kind === 'create' && operation.clientMessageId)
  if (!updates || !shouldReplyToUpdate(settings.notifyOnUpdate, status)) return undefined
  const text = buildUpdateReply({
    status,
    subject: settings.title || run.workflow,
    ...(run.job ? { jobName: run.job } : {}),
    url: run.runUrl,
    urlLabel: 'the run',
    mentions: mentionPrefix(settings.mentions, status, involvedLogins(run)).text,
  })
  return { text, requestId: replyRequestId(ids) }
}

/** follow-job: what the post step needs to finish the card (core.saveState; the runner hands it back as STATE_*). */
function saveFollowJob(actions: Core, results: SpaceResult[], startedStatus: Settings['status'], run: RunContext) {
  const card = results[0]
  if (!card?.ok) return
  const state: FollowJobState = {
    messageName: card.messageName,
    space: card.space,
    runId: run.runId,
    runAttempt: run.runAttempt,
    startedStatus,
    ...(card.messageId ? { messageId: card.messageId } : {}),
    ...(card.threadName ? { threadName: card.threadName } : {}),
  }
  actions.saveState(FOLLOW_JOB_STATE, encodeFollowJobState(state))
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

/** The one place a run fails: input mistakes always; a delivery problem only with fail-on-error. */
function report(actions: Core, error: unknown, failOnError: boolean): void {
  const reason = error instanceof Error ? error.message : String(error)
  if (error instanceof Error && error.stack && actions.isDebug()) actions.debug(error.stack)
  if (error instanceof InputError || failOnError) {
    actions.setFailed(`${ACTION_NAME}: ${reason}`)
  } else {
    actions.warning(`${ACTION_NAME}: ${reason} (the job goes on: set fail-on-error: true to fail it)`)
  }
}
