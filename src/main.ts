import {
  debug,
  endGroup,
  getInput,
  info,
  isDebug,
  setFailed,
  setOutput,
  setSecret,
  startGroup,
  summary,
  warning,
} from '@actions/core'
import { context } from '@actions/github'
import { describeRun, type GitHubContextLike } from './context.ts'
import { parseServiceAccountKey, secretsInKeyInput } from './credentials/service-account-key.ts'
import type { Deliver } from './delivery/deliver.ts'
import { showDryRun } from './dry-run.ts'
import { InputError } from './errors.ts'
import { readSettings } from './inputs.ts'
import { buildMessage } from './message/build.ts'
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
  const {
    core: actions,
    github,
    env,
    deliver,
  }: Collaborators = {
    core: actionsCore,
    github: context as unknown as GitHubContextLike,
    env: process.env,
    deliver: lazyDeliver,
    ...overrides,
  }
  let failOnError = false
  // Written on every path, failures included, so later steps can rely on them (empty when unknown).
  const outputs: Outputs = {}
  try {
    // Before anything else can log: register every form of the key as a secret.
    for (const secret of secretsInKeyInput(actions.getInput('credentials'))) actions.setSecret(secret)

    const settings = readSettings((name) => actions.getInput(name))
    failOnError = settings.failOnError
    outputs.space = settings.space
    const message = buildMessage(settings, describeRun(github, env))

    if (settings.dryRun) {
      await showDryRun(actions, message, settings.space, Boolean(env.GITHUB_STEP_SUMMARY))
      return
    }

    const key = parseServiceAccountKey(settings.credentials)
    const space = settings.space as string
    Object.assign(outputs, await deliver({ key, space, message, mask: (secret) => actions.setSecret(secret) }))
    actions.info(`Posted ${outputs.messageName} to ${space}.`)
  } catch (error) {
    report(actions, error, failOnError)
  } finally {
    writeOutputs(actions.setOutput, outputs)
  }
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
