// The jobs of a workflow run, from the GitHub REST API, for the workflow card. Import it lazily
// (`await import('./github/workflow-jobs.ts')`): it pulls in Octokit, which no other card needs.
import { getOctokit } from '@actions/github'
import { truncate } from '../text.ts'

/** One job of a run, as the card needs it (a subset of the REST API's job object, camel-cased). */
export interface WorkflowJob {
  id: number
  name: string
  /** queued, in_progress, completed, waiting, requested or pending. */
  status: string
  /** When completed: success, failure, cancelled, skipped, timed_out, neutral, action_required, startup_failure… */
  conclusion: string | null
  createdAt?: string
  startedAt?: string
  completedAt?: string
  /** The job's page, e.g. https://github.com/o/r/actions/runs/1/job/2. */
  htmlUrl?: string
  runAttempt?: number
}

export interface FetchWorkflowJobsOptions {
  /** A token that may read Actions: GITHUB_TOKEN with `permissions: actions: read` (the default for most repos). */
  token: string
  /** GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GHES. */
  apiUrl: string
  /** owner/name (GITHUB_REPOSITORY). */
  repository: string
  runId: string | number
  /** GITHUB_RUN_ATTEMPT; the jobs of that attempt are listed. */
  runAttempt: number
  /** Give up after this long, all pages together (default 10 s): a notification must not hang the job. */
  timeoutMs?: number
}

export type WorkflowJobsResult = { jobs: WorkflowJob[] } | { unavailable: string }

/** GitHub's job objects as served (unchecked), or why they could not be read and whether asking again may help. */
export type RawJobsResult = { jobs: unknown[] } | { unavailable: string; retryable: boolean }

const PER_PAGE = 100
/** 1,000 jobs: far more than a run has (a matrix has at most 256), and a bound on the requests made. */
const MAX_PAGES = 10
const ROUTE = 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs'

/**
 * Lists the jobs of one run attempt, every page. Never throws: without permission (403/404), on a network error or
 * a timeout it returns `{ unavailable: reason }`, one line the caller can log before degrading to what it knows.
 */
export async function fetchWorkflowJobs(options: FetchWorkflowJobsOptions): Promise<WorkflowJobsResult> {
  const result = await listAttemptJobs(options)
  if ('unavailable' in result) return { unavailable: result.unavailable }
  return { jobs: result.jobs.map(toJob).filter((job): job is WorkflowJob => job !== undefined) }
}

/**
 * The job objects of one run attempt as GitHub serves them, every page, for callers that need more than
 * WorkflowJob (steps, runner_name). Never throws; `retryable` is true for 5xx, 429 and connections that failed.
 */
export async function listAttemptJobs(options: FetchWorkflowJobsOptions): Promise<RawJobsResult> {
  const [owner, repo, ...rest] = options.repository.split('/')
  const runId = Number(options.runId)
  const refuse = (unavailable: string) => ({ unavailable, retryable: false })
  if (!owner || !repo || rest.length) return refuse(`not a repository: ${JSON.stringify(options.repository)}`)
  if (!Number.isSafeInteger(runId) || runId <= 0) return refuse(`not a run id: ${JSON.stringify(options.runId)}`)
  if (!options.token) return refuse('no token to read the run’s jobs with (github-token is empty)')
  const attempt = Number.isSafeInteger(options.runAttempt) && options.runAttempt > 0 ? options.runAttempt : 1
  const apiUrl = options.apiUrl.replace(/\/+$/, '') || 'https://api.github.com'
  // One deadline for all pages. Pages are requested by number (not by following Link headers): octokit's paginate
  // drops per-request options such as this signal, and a page count bounds the requests made.
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000)
  try {
    // Only baseUrl is set: any `request` option here would replace @actions/github's proxy-aware fetch.
    const octokit = getOctokit(options.token, { baseUrl: apiUrl })
    const raw: unknown[] = []
    for (let page = 1; page <= MAX_PAGES; page++) {
      const parameters = {
        owner,
        repo,
        run_id: runId,
        attempt_number: attempt,
        per_page: PER_PAGE,
        ...(page > 1 ? { page } : {}),
        request: { signal },
      }
      const { data } = await octokit.request(ROUTE, parameters)
      const jobs: unknown[] = Array.isArray(data?.jobs) ? data.jobs : []
      raw.push(...jobs)
      const total = typeof data?.total_count === 'number' ? data.total_count : 0
      if (jobs.length < PER_PAGE || raw.length >= total) break
    }
    return { jobs: raw }
  } catch (error) {
    return { unavailable: explain(error, apiUrl, signal.aborted), retryable: isRetryable(error, signal.aborted) }
  }
}

/** A server error, a rate limit or a connection that failed may pass; a refusal (4xx) or a spent deadline will not. */
function isRetryable(error: unknown, timedOut: boolean): boolean {
  if (timedOut) return false
  const { status, response } = error as { status?: unknown; response?: unknown }
  if (typeof status !== 'number' || response === undefined) return true
  return status >= 500 || status === 429
}

function explain(error: unknown, apiUrl: string, timedOut: boolean): string {
  if (timedOut) return `GitHub did not answer in time (${apiUrl})`
  const { status, response } = error as { status?: unknown; response?: unknown }
  const message = error instanceof Error ? error.message.split('\n', 1)[0] : String(error)
  const said = message ? `: ${truncate(message, 160)}` : ''
  // Octokit reports a request that got no answer (refused, reset, DNS, TLS) as a 500 without a response.
  if (typeof status === 'number' && response !== undefined) {
    if (status === 403 || status === 404) {
      return `GitHub answered ${status}${said}. The token cannot read this run's jobs: give the job \`permissions: actions: read\``
    }
    if (status === 401) return `GitHub answered 401${said}. The token was refused`
    return `GitHub answered ${status}${said}`
  }
  const cause = (error as { cause?: { code?: unknown; cause?: { code?: unknown } } }).cause
  const code = [cause?.code, cause?.cause?.code].find((value) => typeof value === 'string')
  return `could not reach ${apiUrl}${said}${code && !message.includes(code as string) ? ` (${code})` : ''}`
}

function toJob(value: unknown): WorkflowJob | undefined {
  if (!value || typeof value !== 'object') return undefined
  const job = value as Record<string, unknown>
  if (typeof job.id !== 'number') return undefined
  return {
    id: job.id,
    name: typeof job.name === 'string' && job.name ? job.name : `job ${job.id}`,
    status: typeof job.status === 'string' ? job.status : 'completed',
    conclusion: typeof job.conclusion === 'string' ? job.conclusion : null,
    ...optionalString('createdAt', job.created_at),
    ...optionalString('startedAt', job.started_at),
    ...optionalString('completedAt', job.completed_at),
    ...optionalString('htmlUrl', job.html_url),
    ...(typeof job.run_attempt === 'number' ? { runAttempt: job.run_attempt } : {}),
  }
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value ? ({ [key]: value } as Record<K, string>) : {}
}
