// A stand-in for the GitHub REST API's workflow-job listings, served through the emulator's proxy:
//   const github = createGitHubApi()
//   github.setRun({ repository: 'o/r', runId: 1, attempt: 1, jobs: [{ name: 'build', conclusion: 'failure' }] })
//   emulator.addHost('api.github.com', github.handle)
// Shapes, pagination (per_page, page, Link, total_count), authentication (401) and the 403 of a token without
// `actions: read` follow GitHub's REST API (2022-11-28): https://docs.github.com/rest/actions/workflow-jobs and the
// `job` schema of @octokit/openapi-types. Steps take the shape of the workflow_job examples in
// @octokit/webhooks-examples: later steps `queued` with null times, post steps named "Post " + the main step's name.
// Lag: GitHub's jobs API trails the runner by a second or two, so a job can be read with its step just finished
// still `in_progress` (JobSpec.lagReads).
import type { EmulatorRequest, EmulatorResponse, Handler } from './types.ts'

export const GITHUB_API_HOST = 'api.github.com'

/** A job as a test describes it; everything else is filled in as GitHub would. */
export interface JobSpec {
  id?: number
  name: string
  /** queued, in_progress, completed (default), waiting, requested or pending. */
  status?: string
  /** Default: success when completed, null otherwise. */
  conclusion?: string | null
  created_at?: string
  started_at?: string | null
  completed_at?: string | null
  html_url?: string
  /** Default: two steps matching the job's status. Numbers default to the position (1, 2, …). */
  steps?: StepSpec[]
  labels?: string[]
  /** Default: a hosted runner of its own, "GitHub Actions <n>" (null while queued). */
  runner_name?: string | null
  /**
   * Lag: the first N listings that include this job show it one step behind the runner: the last completed step
   * still `in_progress` (conclusion and completed_at null) and the steps after it `queued`. Default 0.
   */
  lagReads?: number
}

/** A step as a test describes it; status defaults to completed, conclusion to success when completed. */
export interface StepSpec {
  name: string
  status?: string
  conclusion?: string | null
  number?: number
  started_at?: string | null
  completed_at?: string | null
}

export interface GitHubJobStep {
  name: string
  status: string
  conclusion: string | null
  number: number
  started_at: string | null
  completed_at: string | null
}

/** The REST API's job object (GET /repos/{owner}/{repo}/actions/jobs/{job_id}). */
export interface GitHubJob {
  id: number
  run_id: number
  workflow_name: string
  head_branch: string
  run_url: string
  run_attempt: number
  node_id: string
  head_sha: string
  url: string
  html_url: string
  status: string
  conclusion: string | null
  created_at: string
  started_at: string
  completed_at: string | null
  name: string
  steps: GitHubJobStep[]
  check_run_url: string
  labels: string[]
  runner_id: number | null
  runner_name: string | null
  runner_group_id: number | null
  runner_group_name: string | null
}

export interface RunSpec {
  /** owner/name */
  repository: string
  runId: number
  /** Default 1. */
  attempt?: number
  jobs: JobSpec[]
  workflowName?: string
  headBranch?: string
  headSha?: string
}

export interface GitHubApiOptions {
  /** Job pages link here (default https://github.com); GHES: https://HOST. */
  serverUrl?: string
  /** The API's own base, for `url` fields and Link headers (default https://api.github.com). */
  apiUrl?: string
  /** Tokens accepted; default: any non-empty token. */
  tokens?: string[]
}

export interface GitHubApi {
  handle: Handler
  /** Adds or replaces one attempt of a run; returns the jobs as the API will serve them. */
  setRun(run: RunSpec): GitHubJob[]
  /** true: every Actions request answers 403 "Resource not accessible by integration" (no `actions: read`). */
  forbidActionsRead(forbidden: boolean): void
  /** This token (only) lacks `actions: read`: its Actions requests answer 403. */
  denyActionsRead(token: string): void
  /** The next `times` job listings (default 1) answer `status` (default 500) with GitHub's error body. */
  failJobListings(options?: { status?: number; times?: number }): void
  /** Forgets every run, failure and denied token, and lifts the 403. */
  reset(): void
}

const DOCS_ROOT = 'https://docs.github.com/rest'
const DOCS = `${DOCS_ROOT}/actions/workflow-jobs`
const ATTEMPT_JOBS = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/attempts\/(\d+)\/jobs$/
const RUN_JOBS = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/jobs$/

export function createGitHubApi(options: GitHubApiOptions = {}): GitHubApi {
  const serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '')
  const apiUrl = (options.apiUrl ?? `https://${GITHUB_API_HOST}`).replace(/\/+$/, '')
  // "owner/repo#runId" → attempt → jobs
  const runs = new Map<string, Map<number, GitHubJob[]>>()
  let forbidden = false
  const deniedTokens = new Set<string>()
  let failures: { status: number; remaining: number } | undefined
  // Job id → listings left that still show the job one step behind (JobSpec.lagReads).
  const lag = new Map<number, number>()
  let nextJobId = 1_000_000
  let nextRunnerId = 1

  const handle: Handler = (req) => {
    const attemptMatch = ATTEMPT_JOBS.exec(req.path)
    const runMatch = attemptMatch ? undefined : RUN_JOBS.exec(req.path)
    const match = attemptMatch ?? runMatch
    if (!match || req.method !== 'GET') return githubError(404, 'Not Found', 'https://docs.github.com/rest')
    const auth = authenticate(req, options.tokens)
    if (typeof auth !== 'string') return auth
    if (forbidden || deniedTokens.has(auth)) {
      return githubError(403, 'Resource not accessible by integration', docsFor(Boolean(attemptMatch)))
    }
    if (failures && failures.remaining > 0) {
      failures.remaining--
      return githubError(failures.status, failures.status === 503 ? 'Service Unavailable' : 'Server Error', DOCS_ROOT)
    }
    const [, owner, repo, runId] = match as unknown as [string, string, string, string]
    const attempts = runs.get(runKey(`${owner}/${repo}`, Number(runId)))
    if (!attempts) return githubError(404, 'Not Found', docsFor(Boolean(attemptMatch)))
    let jobs: GitHubJob[]
    if (attemptMatch) {
      const found = attempts.get(Number(attemptMatch[4]))
      if (!found) return githubError(404, 'Not Found', docsFor(true))
      jobs = found
    } else {
      const filter = req.query.get('filter') ?? 'latest'
      if (filter !== 'latest' && filter !== 'all') {
        return githubError(422, `Invalid value for parameter 'filter': ${JSON.stringify(filter)}`, docsFor(false))
      }
      const numbers = [...attempts.keys()].sort((a, b) => a - b)
      jobs =
        filter === 'all'
          ? numbers.flatMap((n) => attempts.get(n) ?? [])
          : (attempts.get(numbers[numbers.length - 1] as number) ?? [])
    }
    return paginate(req, apiUrl, jobs, (job) => {
      const left = lag.get(job.id) ?? 0
      if (left <= 0) return job
      lag.set(job.id, left - 1)
      return oneStepBehind(job)
    })
  }

  return {
    handle,
    setRun(run) {
      const attempt = run.attempt ?? 1
      const [owner] = run.repository.split('/')
      const jobs = run.jobs.map((spec) => {
        const job = toGitHubJob(spec, run, attempt, nextJobId++, nextRunnerId++, { serverUrl, apiUrl, owner })
        if (spec.lagReads) lag.set(job.id, spec.lagReads)
        return job
      })
      const key = runKey(run.repository, run.runId)
      const attempts = runs.get(key) ?? new Map<number, GitHubJob[]>()
      attempts.set(attempt, jobs)
      runs.set(key, attempts)
      return structuredClone(jobs)
    },
    forbidActionsRead(value) {
      forbidden = value
    },
    denyActionsRead(token) {
      deniedTokens.add(token)
    },
    failJobListings({ status = 500, times = 1 } = {}) {
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error('status must be 400 to 599')
      failures = { status, remaining: times }
    },
    reset() {
      runs.clear()
      lag.clear()
      deniedTokens.clear()
      failures = undefined
      forbidden = false
    },
  }
}

function runKey(repository: string, runId: number): string {
  return `${repository.toLowerCase()}#${runId}`
}

function docsFor(attempt: boolean): string {
  return attempt ? `${DOCS}#list-jobs-for-a-workflow-run-attempt` : `${DOCS}#list-jobs-for-a-workflow-run`
}

/**
 * GitHub accepts `Authorization: Bearer TOKEN` and `Authorization: token TOKEN`; anything else is a 401.
 * Returns the token, or the 401 to send.
 */
function authenticate(req: EmulatorRequest, tokens: string[] | undefined): string | EmulatorResponse {
  const header = req.headers.authorization
  const match = typeof header === 'string' ? /^(?:bearer|token)\s+(\S+)$/i.exec(header.trim()) : null
  if (!match) return githubError(401, 'Requires authentication', 'https://docs.github.com/rest')
  const token = match[1] as string
  if (tokens && !tokens.includes(token)) {
    return githubError(401, 'Bad credentials', 'https://docs.github.com/rest')
  }
  return token
}

/**
 * The job as GitHub shows it a second or two late: the step the runner just finished still in progress (no
 * conclusion, no completed_at), the steps after it queued with null times, and a finished job still in progress.
 */
function oneStepBehind(job: GitHubJob): GitHubJob {
  const lagging = structuredClone(job)
  if (lagging.status === 'completed') {
    Object.assign(lagging, { status: 'in_progress', conclusion: null, completed_at: null })
  }
  const ordered = [...lagging.steps].sort((a, b) => a.number - b.number)
  const current = ordered.findIndex((step) => step.status !== 'completed')
  const justFinished = current === -1 ? ordered.length - 1 : current - 1
  ordered.forEach((step, index) => {
    if (index === justFinished) Object.assign(step, { status: 'in_progress', conclusion: null, completed_at: null })
    if (index > justFinished && justFinished >= 0) {
      Object.assign(step, { status: 'queued', conclusion: null, started_at: null, completed_at: null })
    }
  })
  return lagging
}

function githubError(status: number, message: string, documentationUrl: string): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3; format=json' },
    body: { message, documentation_url: documentationUrl, status: String(status) },
  }
}

/** per_page (default 30, at most 100) and page (from 1), with `total_count` and a Link header like GitHub's. */
function paginate(
  req: EmulatorRequest,
  apiUrl: string,
  jobs: GitHubJob[],
  view: (job: GitHubJob) => GitHubJob,
): EmulatorResponse {
  const perPage = clampInt(req.query.get('per_page'), 30, 1, 100)
  const page = clampInt(req.query.get('page'), 1, 1, Number.MAX_SAFE_INTEGER)
  const lastPage = Math.max(1, Math.ceil(jobs.length / perPage))
  const pageUrl = (n: number) => {
    const query = new URLSearchParams(req.query)
    query.set('per_page', String(perPage))
    query.set('page', String(n))
    return `${apiUrl}${req.path}?${query.toString()}`
  }
  const links: string[] = []
  if (page > 1) links.push(`<${pageUrl(Math.min(page - 1, lastPage))}>; rel="prev"`)
  if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(lastPage)}>; rel="last"`)
  if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`)
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
  }
  if (links.length) headers.link = links.join(', ')
  return {
    status: 200,
    headers,
    body: { total_count: jobs.length, jobs: jobs.slice((page - 1) * perPage, page * perPage).map(view) },
  }
}

function clampInt(raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null || !/^\d+$/.test(raw)) return fallback
  return Math.min(max, Math.max(min, Number(raw)))
}

function toGitHubJob(
  spec: JobSpec,
  run: RunSpec,
  attempt: number,
  fallbackId: number,
  runnerId: number,
  where: { serverUrl: string; apiUrl: string; owner: string | undefined },
): GitHubJob {
  const id = spec.id ?? fallbackId
  const status = spec.status ?? 'completed'
  const conclusion = spec.conclusion !== undefined ? spec.conclusion : status === 'completed' ? 'success' : null
  const created = spec.created_at ?? '2024-05-01T10:00:00Z'
  const started = spec.started_at ?? created
  const completed = spec.completed_at !== undefined ? spec.completed_at : status === 'completed' ? started : null
  const repoApi = `${where.apiUrl}/repos/${run.repository}`
  const headSha = run.headSha ?? '6dcb09b5b57875f334f61aebed695e2e4193db5e'
  return {
    id,
    run_id: run.runId,
    workflow_name: run.workflowName ?? 'CI',
    head_branch: run.headBranch ?? 'main',
    run_url: `${repoApi}/actions/runs/${run.runId}`,
    run_attempt: attempt,
    node_id: `CR_kwDO${Buffer.from(String(id)).toString('base64url')}`,
    head_sha: headSha,
    url: `${repoApi}/actions/jobs/${id}`,
    html_url: spec.html_url ?? `${where.serverUrl}/${run.repository}/actions/runs/${run.runId}/job/${id}`,
    status,
    conclusion,
    created_at: created,
    started_at: started ?? created,
    completed_at: completed,
    name: spec.name,
    steps: spec.steps ? spec.steps.map(toStep) : defaultSteps(status, conclusion, started, completed),
    check_run_url: `${repoApi}/check-runs/${id}`,
    labels: spec.labels ?? ['ubuntu-latest'],
    runner_id: status === 'queued' ? null : runnerId,
    runner_name:
      spec.runner_name !== undefined ? spec.runner_name : status === 'queued' ? null : `GitHub Actions ${runnerId}`,
    runner_group_id: status === 'queued' ? null : 2,
    runner_group_name: status === 'queued' ? null : 'GitHub Actions',
  }
}

function toStep(spec: StepSpec, index: number): GitHubJobStep {
  const status = spec.status ?? 'completed'
  const done = status === 'completed'
  const started = spec.started_at !== undefined ? spec.started_at : status === 'queued' ? null : '2024-05-01T10:00:00Z'
  return {
    name: spec.name,
    status,
    conclusion: spec.conclusion !== undefined ? spec.conclusion : done ? 'success' : null,
    number: spec.number ?? index + 1,
    started_at: started,
    completed_at: spec.completed_at !== undefined ? spec.completed_at : done ? started : null,
  }
}

function defaultSteps(
  status: string,
  conclusion: string | null,
  started: string | null,
  completed: string | null,
): GitHubJobStep[] {
  if (status === 'queued' || conclusion === 'skipped') return []
  return [
    {
      name: 'Set up job',
      status: 'completed',
      conclusion: 'success',
      number: 1,
      started_at: started,
      completed_at: started,
    },
    { name: 'Run tests', status, conclusion, number: 2, started_at: started, completed_at: completed },
  ]
}
