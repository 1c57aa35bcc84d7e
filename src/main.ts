import {
  debug,
  endGroup,
  error,
  getInput,
  info,
  isDebug,
  notice,
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
import { requestId } from './delivery/message-id.ts'
import { showDryRun } from './dry-run.ts'
import { DeliveryError, InputError } from './errors.ts'
import { describeRun, type GitHubContextLike } from './github/run-context.ts'
import { readGitHubContext } from './github/runner-context.ts'
import { readSettings, secretsInWebhookUrl, secretsPastedIntoSpace } from './inputs/index.ts'
import { composeCustomMessage, composeMessage } from './message/compose.ts'
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
    // Before anything else can log: register every form of the key and of the webhook URL as secrets.
    const input = (name: string) => actions.getInput(name)
    const secrets = [
      ...secretsInKeyInput(input('credentials')),
      ...secretsInWebhookUrl(input('webhook-url')),
      ...secretsPastedIntoSpace(input('space')),
    ]
    for (const secret of secrets) actions.setSecret(secret)

    const github = overrides.github ?? readGitHubContext(env)
    const settings = readSettings(input, {
      workspace: env.GITHUB_WORKSPACE || process.cwd(),
      keylessSignIn: keylessSignInConfigured(env),
      warn: (line) => actions.warning(`${ACTION_NAME}: ${line}`),
    })
    failOnError = settings.failOnError
    // With the inputs, dry run included: a key that does not decode is an input mistake, found before any request.
    const credentials = settings.webhook ? undefined : appCredentials(settings, env)
    if (settings.githubToken) actions.setSecret(settings.githubToken)
    outputs.space = settings.spaces[0]
    const { operation } = settings
    const runContext = describeRun(github, env)
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
      results = await deliver({
        credentials,
        spaces: settings.spaces,
        operation: operation.kind,
        message,
        clientMessageId: operation.kind === 'create' ? operation.clientMessageId : undefined,
        target: operation.kind === 'create' ? undefined : operation.target,
        thread: settings.thread,
        notification: settings.notification,
        requestId: (space) =>
          requestId({
            runId: env.GITHUB_RUN_ID ?? '',
            runAttempt: github.runAttempt || 1,
            job: github.job,
            step: env.GITHUB_ACTION ?? '',
            space,
          }),
        timeoutMs: settings.timeoutMs,
        mask: (secret) => actions.setSecret(secret),
        log: (line) => actions.info(line),
      })
    }
    Object.assign(outputs, summarise(results))
    reportSpaces(actions, results, failOnError)
  } catch (error) {
    report(actions, error, failOnError)
  } finally {
    writeOutputs(actions.setOutput, outputs)
  }
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
    messages: results.map((result) =>
      result.ok
        ? {
            space: result.space,
            action: result.action,
            messageName: result.messageName,
            messageId: result.messageId,
            threadName: result.threadName,
          }
        : { space: result.space, error: result.error },
    ),
  }
}

function reportSpaces(actions: Core, results: SpaceResult[], failOnError: boolean): void {
  for (const result of results) {
    if (result.ok) actions.info(`${capitalise(result.action)} ${result.messageName}.`)
  }
  const failed = results.filter((result) => !result.ok)
  if (failed.length === 0) return
  if (results.length === 1) throw new DeliveryError(failed[0]!.error)
  // Several spaces: one line for each that failed, then one verdict.
  for (const result of failed) (failOnError ? actions.error : actions.warning)(`${ACTION_NAME}: ${result.error}`)
  throw new DeliveryError(`${failed.length} of ${results.length} spaces were not notified (see above)`)
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
