// "This job" among the jobs of a run attempt, and its outcome while it is still running (the post step runs before
// the job completes). Pure: the jobs come from listAttemptJobs (read-this-job.ts reads them, with retries).
// Matrix legs share a name prefix and run at once, so this job is the one in progress on this runner
// (`runner_name` equals RUNNER_NAME), never the one whose name matches.

export interface JobStep {
  name: string
  /** queued, in_progress or completed. */
  status: string
  /** When completed: success, failure, cancelled or skipped. */
  conclusion: string | null
  number: number
  startedAt?: string
  completedAt?: string
}

/** A job of the run attempt with what finding it and judging it needs (a subset of the REST API's job object). */
export interface RunJob {
  id: number
  name: string
  status: string
  conclusion: string | null
  runnerName?: string
  startedAt?: string
  completedAt?: string
  /** The job's page, https://github.com/o/r/actions/runs/1/job/2. */
  htmlUrl?: string
  runAttempt?: number
  steps: JobStep[]
}

export interface ThisJobHints {
  /** RUNNER_NAME: the runner this step runs on. */
  runnerName: string
  /** Tie-breakers only, when several jobs are in progress on a runner of that name: the job's name (or its prefix)… */
  jobName?: string
  /** …and the matrix leg's values, as they appear in the job's name: "test (ubuntu-latest, 22)". */
  matrixValues?: readonly string[]
}

export type FindThisJobResult = { job: RunJob } | { missing: string }

export type JobConclusion = 'success' | 'failure' | 'cancelled'

export interface JobOutcome {
  /** unknown: a step that had to be finished still showed as running, and nothing had failed so far. */
  conclusion: JobConclusion | 'unknown'
  /** Names of the failed steps, in order. */
  failedSteps: string[]
  /** Main steps GitHub did not yet show as finished (non-empty only when the read lagged behind the runner). */
  unsettledSteps: string[]
  /** From the job's start to its end (or to now, or its last finished step, whichever is later). */
  durationMs?: number
  htmlUrl?: string
  jobId: number
  jobName: string
}

/** One job object from the REST API, checked field by field; undefined when it has no numeric id. */
export function toRunJob(value: unknown): RunJob | undefined {
  if (!value || typeof value !== 'object') return undefined
  const job = value as Record<string, unknown>
  if (typeof job.id !== 'number') return undefined
  const steps = Array.isArray(job.steps) ? job.steps.map(toStep).filter((s): s is JobStep => s !== undefined) : []
  return {
    id: job.id,
    name: typeof job.name === 'string' && job.name ? job.name : `job ${job.id}`,
    status: typeof job.status === 'string' ? job.status : 'completed',
    conclusion: typeof job.conclusion === 'string' ? job.conclusion : null,
    ...optional('runnerName', job.runner_name),
    ...optional('startedAt', job.started_at),
    ...optional('completedAt', job.completed_at),
    ...optional('htmlUrl', job.html_url),
    ...(typeof job.run_attempt === 'number' ? { runAttempt: job.run_attempt } : {}),
    steps: steps.sort((a, b) => a.number - b.number),
  }
}

/**
 * This job: the one in progress on `hints.runnerName`. A runner runs one job at a time, so there is one; when a
 * listing shows more (self-hosted runners sharing a name), the name hints choose, and if they cannot, none is chosen.
 */
export function findThisJob(jobs: readonly RunJob[], hints: ThisJobHints): FindThisJobResult {
  if (!hints.runnerName) return { missing: 'RUNNER_NAME is not set, so this job cannot be told from the others' }
  const onRunner = jobs.filter((job) => job.runnerName === hints.runnerName && job.status === 'in_progress')
  if (onRunner.length === 1) return { job: onRunner[0] as RunJob }
  if (onRunner.length === 0) {
    return { missing: `no job of this run attempt is in progress on runner ${JSON.stringify(hints.runnerName)}` }
  }
  const named = onRunner.filter((job) => matchesHints(job.name, hints))
  if (named.length === 1) return { job: named[0] as RunJob }
  return {
    missing: `${onRunner.length} jobs are in progress on runner ${JSON.stringify(hints.runnerName)} and their names do not tell which is this one`,
  }
}

/**
 * The job's outcome as far as its steps tell: a failed step fails it, a cancelled one cancels it, else it succeeded.
 * Steps not finished yet (this post step, the post steps after it) are left out. A main step still shown running
 * means GitHub lags behind the runner (main steps are all done before any post step runs): without a failure seen
 * so far, the outcome is then unknown rather than a guessed success.
 */
export function jobOutcome(job: RunJob, nowMs: number): JobOutcome {
  const base = { jobId: job.id, jobName: job.name, ...(job.htmlUrl ? { htmlUrl: job.htmlUrl } : {}) }
  const failedSteps = job.steps.filter((s) => s.status === 'completed' && s.conclusion === 'failure').map((s) => s.name)
  const durationMs = jobDuration(job, nowMs)
  const withDuration = durationMs === undefined ? {} : { durationMs }
  if (job.status === 'completed') {
    return { ...base, conclusion: fromJobConclusion(job.conclusion), failedSteps, unsettledSteps: [], ...withDuration }
  }
  const unsettledSteps = unsettledMainSteps(job.steps).map((s) => s.name)
  const finished = job.steps.filter((s) => s.status === 'completed')
  let conclusion: JobOutcome['conclusion']
  if (failedSteps.length) conclusion = 'failure'
  else if (unsettledSteps.length) conclusion = 'unknown'
  else if (finished.some((s) => s.conclusion === 'cancelled')) conclusion = 'cancelled'
  else conclusion = 'success'
  return { ...base, conclusion, failedSteps, unsettledSteps, ...withDuration }
}

/** True when GitHub shows every main step of the job finished (or the job itself completed). */
export function isSettled(job: RunJob): boolean {
  return job.status === 'completed' || unsettledMainSteps(job.steps).length === 0
}

/**
 * A post step is named "Post " + its main step's name ("Post Run actions/checkout@v4"), numbered after it; a step
 * named "Post …" without such a main step is a main step of its own.
 */
export function isPostStep(step: JobStep, steps: readonly JobStep[]): boolean {
  if (!step.name.startsWith('Post ')) return false
  const main = step.name.slice('Post '.length)
  return steps.some((other) => other.number < step.number && other.name === main)
}

/** Main steps not shown as completed. "Complete job" is the runner's own last step, after every post step. */
function unsettledMainSteps(steps: readonly JobStep[]): JobStep[] {
  return steps.filter((s) => s.status !== 'completed' && s.name !== 'Complete job' && !isPostStep(s, steps))
}

function fromJobConclusion(conclusion: string | null): JobConclusion | 'unknown' {
  if (conclusion === 'failure' || conclusion === 'timed_out' || conclusion === 'startup_failure') return 'failure'
  if (conclusion === 'cancelled') return 'cancelled'
  if (conclusion === 'success' || conclusion === 'neutral' || conclusion === 'skipped') return 'success'
  return 'unknown'
}

function jobDuration(job: RunJob, nowMs: number): number | undefined {
  const start = Date.parse(job.startedAt ?? '')
  if (!Number.isFinite(start)) return undefined
  let end = job.status === 'completed' ? Date.parse(job.completedAt ?? '') : nowMs
  for (const step of job.steps) {
    const done = Date.parse(step.completedAt ?? '')
    if (Number.isFinite(done) && !(done <= end)) end = done
  }
  return Number.isFinite(end) && end >= start ? end - start : undefined
}

function matchesHints(name: string, hints: ThisJobHints): boolean {
  if (hints.jobName && name !== hints.jobName && !name.startsWith(`${hints.jobName} (`)) return false
  const values = hints.matrixValues ?? []
  if (!hints.jobName && values.length === 0) return false
  const open = name.lastIndexOf('(')
  const legs = open >= 0 && name.endsWith(')') ? name.slice(open + 1, -1).split(', ') : []
  return values.every((value) => legs.includes(value))
}

function toStep(value: unknown, index: number): JobStep | undefined {
  if (!value || typeof value !== 'object') return undefined
  const step = value as Record<string, unknown>
  if (typeof step.name !== 'string') return undefined
  return {
    name: step.name,
    status: typeof step.status === 'string' ? step.status : 'completed',
    conclusion: typeof step.conclusion === 'string' ? step.conclusion : null,
    number: typeof step.number === 'number' ? step.number : index + 1,
    ...optional('startedAt', step.started_at),
    ...optional('completedAt', step.completed_at),
  }
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value ? ({ [key]: value } as Record<K, string>) : {}
}
