// Putting the message together: the settings, the run, and what the chosen card needs, loaded on demand (the
// preset renderer, the run's jobs from the GitHub API, the custom-message parser). The builders it calls are pure.
import type { CustomMessageSource, Settings } from '../domain.ts'
import type { GitHubContextLike, RunContext } from '../github/run-context.ts'
import { buildMessage, cardOptions, needsPresets, type ChatMessage, type MessageExtras } from './build.ts'
import { involvedLogins, mentionPrefix } from './mentions.ts'

type Env = Record<string, string | undefined>

export interface ComposeLog {
  info(line: string): void
  debug(line: string): void
}

/** The message, with what its card needs loaded on demand: the preset renderer, the run's jobs, mentions. */
export async function composeMessage(
  settings: Settings,
  run: RunContext,
  log: ComposeLog,
  env: Env,
): Promise<ChatMessage> {
  const extras: MessageExtras = { now: Date.now() }
  const presets = needsPresets(settings) ? await import('./presets/index.ts') : undefined
  extras.renderPreset = presets?.renderPreset
  let status = settings.status
  if (presets && settings.card === 'workflow') {
    const { fetchWorkflowJobs } = await import('../github/workflow-jobs.ts')
    const listed = await fetchWorkflowJobs({
      token: settings.githubToken,
      apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
      repository: run.repository,
      runId: run.runId,
      runAttempt: run.runAttempt,
    })
    if ('jobs' in listed) {
      extras.jobs = listed.jobs
    } else {
      extras.jobsUnavailable = listed.unavailable
      log.info(`The workflow card shows what this job knows, not every job: ${listed.unavailable}.`)
    }
    // Mentions follow how the whole run went, not just this job.
    status = presets.summarizeRun(run, cardOptions(settings, extras)).conclusion
  }
  const mentions = mentionPrefix(settings.mentions, status, involvedLogins(run))
  if (mentions.unknownLogins.length) {
    log.debug(`Not mentioned (no user-map entry): ${mentions.unknownLogins.join(', ')}`)
  }
  extras.mentionText = mentions.text
  return buildMessage(settings, run, extras)
}

/** The user's own message: parsed, placeholders filled (escaped per field), checked against Chat's schema. */
export async function composeCustomMessage(
  settings: Settings,
  source: CustomMessageSource,
  run: RunContext,
  github: GitHubContextLike,
  env: Env,
): Promise<ChatMessage> {
  const [{ buildCustomMessage }, { templateContext }, { assertValidMessage }, { fitToChatLimits }] = await Promise.all([
    import('./custom-message.ts'),
    import('./template/context.ts'),
    import('./validate-message.ts'),
    import('./limits.ts'),
  ])
  const inputs = { status: settings.status, title: settings.title, text: settings.text }
  const built = buildCustomMessage(source, templateContext({ github, env, inputs }))
  const message = assertValidMessage(built.message, built.input, { webhook: settings.webhook !== undefined })
  const mentions = mentionPrefix(settings.mentions, settings.status, involvedLogins(run)).text
  if (mentions) message.text = [mentions, message.text].filter(Boolean).join(' ')
  return fitToChatLimits(message)
}
