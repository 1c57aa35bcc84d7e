// Putting the message together: the settings, the run, and what the chosen card needs, loaded on demand (the
// preset renderer, the run's jobs from the GitHub API, the custom-message parser). The builders it calls are pure.
import type { CustomMessageSource, Settings } from '../domain.ts'
import type { GitHubContextLike, RunContext } from '../github/run-context.ts'
import { buildMessage, cardOptions, needsPresets, type ChatMessage, type MessageExtras } from './build.ts'
import { involvedLogins, mentionPrefix } from './mentions.ts'
import { unshownFacts } from './presets/facts.ts'
import type { JobFacts } from './presets/options.ts'

type Env = Record<string, string | undefined>

export interface ComposeLog {
  info(line: string): void
  debug(line: string): void
}

/**
 * The message, with what its card needs loaded on demand: the preset renderer, the run's jobs, this job (for the
 * status card: given by follow-job's post step, or read when it has something to show), mentions.
 */
export async function composeMessage(
  settings: Settings,
  run: RunContext,
  log: ComposeLog,
  env: Env,
  known: { job?: JobFacts } = {},
): Promise<ChatMessage> {
  const extras: MessageExtras = { now: Date.now() }
  if (settings.card === 'status') {
    const job = known.job ?? (await readJobForStatusCard(settings, run, log, env))
    if (job) extras.job = job
    const unshown = settings.fields
      ? unshownFacts(settings.fields, {
          run,
          options: cardOptions(settings, extras),
          status: settings.status,
          ...(job?.durationMs === undefined ? {} : { durationMs: job.durationMs }),
        })
      : []
    if (unshown.length) log.debug(`Not on the card (this run has nothing to show for them): ${unshown.join(', ')}`)
  }
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

/**
 * This job from GitHub's jobs API, for the status card: read (once, without waiting for lag) only when the card has
 * a use for it: a bad outcome (which step failed, a link to the job) or `fields: duration`. A dry run reads nothing.
 */
async function readJobForStatusCard(
  settings: Settings,
  run: RunContext,
  log: ComposeLog,
  env: Env,
): Promise<JobFacts | undefined> {
  const bad = settings.status === 'failure' || settings.status === 'cancelled'
  if (settings.dryRun || !(bad || settings.fields?.includes('duration'))) return undefined
  const runnerName = env.RUNNER_NAME ?? ''
  if (!settings.githubToken || !runnerName) {
    log.debug(
      'This job was not read from GitHub (no github-token or RUNNER_NAME): no failed step, duration or job link',
    )
    return undefined
  }
  const [{ readThisJobFromGitHub }, { jobOutcome }] = await Promise.all([
    import('../github/read-this-job.ts'),
    import('../github/this-job.ts'),
  ])
  const read = await readThisJobFromGitHub(
    {
      token: settings.githubToken,
      apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
      repository: run.repository,
      runId: run.runId,
      runAttempt: run.runAttempt,
    },
    { runnerName, jobName: run.job, matrixValues: Object.values(settings.matrix ?? {}) },
    { retryDelaysMs: [] },
  )
  if ('unavailable' in read) {
    log.debug(`This job was not read from GitHub (${read.unavailable}): no failed step, duration or job link`)
    return undefined
  }
  const outcome = jobOutcome(read.job, Date.now())
  return {
    name: outcome.jobName,
    failedSteps: outcome.failedSteps,
    ...(outcome.htmlUrl ? { url: outcome.htmlUrl } : {}),
    ...(outcome.durationMs === undefined ? {} : { durationMs: outcome.durationMs }),
  }
}
