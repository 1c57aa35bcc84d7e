/** What the action knows about the run, derived from the runner's GITHUB_* variables and the event payload. */
export interface RunContext {
  serverUrl: string
  repository: string
  repositoryUrl: string
  workflow: string
  job: string
  runId: string
  runNumber: string
  runAttempt: number
  runUrl: string
  eventName: string
  actor: string
  ref: { name: string; kind: 'branch' | 'tag' | 'ref'; url: string } | undefined
  commit: { sha: string; shortSha: string; url: string; title: string | undefined } | undefined
  pullRequest: { number: number; title: string; url: string } | undefined
  // Everything below is optional and derived defensively: payloads differ between events, github.com and GHES.
  /** More about `pullRequest` (pull_request* events): author, branches, state, labels. */
  pullRequestDetails?: PullRequestDetails
  /** Who wrote the head commit of a push (payload.head_commit.author). */
  commitAuthor?: { login?: string; name?: string }
  /** `deployment` and `deployment_status` events: the deployment. */
  deployment?: DeploymentInfo
  /** `deployment_status` events: the status that triggered the run. */
  deploymentStatus?: DeploymentStatusInfo
  /** `release` events: the release. */
  release?: ReleaseInfo
  /** `workflow_run` events: the run that triggered this one (not this run). */
  workflowRun?: TriggeringRunInfo
}

export type PullRequestState = 'open' | 'closed' | 'merged' | 'draft'

export interface PullRequestDetails {
  /** The PR author's login. */
  author?: string
  /** Target branch, e.g. `main`. */
  baseRef?: string
  /** Source branch, e.g. `feature/x`. */
  headRef?: string
  /** `owner:branch` when the head is in another repository (a fork), else undefined. */
  headLabel?: string
  /** `merged` wins over `closed`; `draft` only while open. */
  state?: PullRequestState
  merged?: boolean
  draft?: boolean
  labels?: string[]
}

export interface DeploymentInfo {
  id?: number
  environment?: string
  /** The ref that was deployed: a branch, a tag or a SHA. */
  ref?: string
  sha?: string
  task?: string
  description?: string
  creator?: string
  /** payload.deployment.payload.web_url, when the deployment's creator put one there. */
  webUrl?: string
}

export interface DeploymentStatusInfo {
  /** error, failure, inactive, in_progress, queued, pending or success. */
  state?: string
  environment?: string
  environmentUrl?: string
  targetUrl?: string
  description?: string
  creator?: string
}

export interface ReleaseInfo {
  tagName: string
  name?: string
  /** The release notes, GitHub Markdown. */
  body?: string
  author?: string
  prerelease: boolean
  draft: boolean
  publishedAt?: string
  /** The release page, built from the server URL (not the payload's html_url). */
  url: string
}

export interface TriggeringRunInfo {
  id?: number
  name?: string
  runNumber?: number
  runAttempt?: number
  event?: string
  status?: string
  conclusion?: string
  headBranch?: string
  /** When the triggering run started (run_started_at), ISO 8601. */
  startedAt?: string
  /** Built from the server URL. */
  url?: string
}

/** The parts of @actions/github's `context` this action reads (so tests can hand in any payload). */
export interface GitHubContextLike {
  payload: Record<string, unknown>
  eventName: string
  sha: string
  ref: string
  workflow: string
  job: string
  actor: string
  runId: number
  runNumber: number
  runAttempt: number
  serverUrl: string
}

type Env = Record<string, string | undefined>

export function describeRun(github: GitHubContextLike, env: Env): RunContext {
  const eventName = github.eventName || env.GITHUB_EVENT_NAME || ''
  const raw = (github.payload ?? {}) as Payload
  // Only a workflow_run event is about another run; other payloads may carry one too (a deployment_status sent by
  // a workflow has the run that deployed), and GITHUB_SHA and GITHUB_REF already name what they are about.
  const payload: Payload = eventName === 'workflow_run' || !raw.workflow_run ? raw : { ...raw, workflow_run: undefined }
  const serverUrl = (github.serverUrl || env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const repository = env.GITHUB_REPOSITORY || payload.repository?.full_name || ''
  const repositoryUrl = `${serverUrl}/${repository}`
  const runId = validNumber(github.runId) ?? env.GITHUB_RUN_ID ?? ''
  const runAttempt = validNumber(github.runAttempt) ?? 1
  const runUrl = `${repositoryUrl}/actions/runs/${runId}${runAttempt > 1 ? `/attempts/${runAttempt}` : ''}`

  const pr = payload.pull_request
  const pullRequest =
    pr && typeof pr.number === 'number'
      ? { number: pr.number, title: String(pr.title ?? ''), url: `${repositoryUrl}/pull/${pr.number}` }
      : undefined

  return {
    serverUrl,
    repository,
    repositoryUrl,
    workflow: github.workflow || env.GITHUB_WORKFLOW || '',
    job: github.job || env.GITHUB_JOB || '',
    runId: String(runId),
    runNumber: String(validNumber(github.runNumber) ?? env.GITHUB_RUN_NUMBER ?? ''),
    runAttempt,
    runUrl,
    eventName,
    actor: env.GITHUB_TRIGGERING_ACTOR || github.actor || env.GITHUB_ACTOR || '',
    ref: describeRef(github, env, repositoryUrl, payload),
    commit: describeCommit(github, repositoryUrl, payload),
    pullRequest,
    ...optional({
      pullRequestDetails: pr && typeof pr.number === 'number' ? describePullRequest(pr) : undefined,
      commitAuthor: describeCommitAuthor(payload),
      deployment: describeDeployment(payload.deployment),
      deploymentStatus: describeDeploymentStatus(payload.deployment_status),
      release: describeRelease(payload.release, repositoryUrl),
      workflowRun: describeTriggeringRun(payload.workflow_run, repositoryUrl),
    }),
  }
}

/** Leaves out undefined fields, so that a context compares equal however it was built. */
function optional<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>
}

function describePullRequest(pr: NonNullable<Payload['pull_request']>): PullRequestDetails | undefined {
  const merged = pr.merged === true || Boolean(text(pr.merged_at))
  const draft = pr.draft === true
  const closed = text(pr.state) === 'closed'
  const headRepo = text(record(record(pr.head)?.repo)?.full_name)
  const baseRepo = text(record(record(pr.base)?.repo)?.full_name)
  const headRef = text(record(pr.head)?.ref)
  const headOwner =
    text(record(record(pr.head)?.user)?.login) ?? text(record(record(record(pr.head)?.repo)?.owner)?.login)
  const labels = Array.isArray(pr.labels)
    ? pr.labels.map((label) => text(record(label)?.name)).filter((name): name is string => Boolean(name))
    : undefined
  return optional({
    author: text(record(pr.user)?.login),
    baseRef: text(record(pr.base)?.ref),
    headRef,
    headLabel:
      headRepo && baseRepo && headRepo !== baseRepo && headRef && headOwner ? `${headOwner}:${headRef}` : undefined,
    state: merged ? 'merged' : closed ? 'closed' : draft ? 'draft' : text(pr.state) ? 'open' : undefined,
    merged,
    draft,
    labels,
  } satisfies PullRequestDetails)
}

function describeCommitAuthor(payload: Payload): RunContext['commitAuthor'] {
  const author = record(record(payload.head_commit)?.author)
  if (!author) return undefined
  const found = optional({ login: text(author.username), name: text(author.name) })
  return found.login || found.name ? found : undefined
}

function describeDeployment(value: unknown): DeploymentInfo | undefined {
  const deployment = record(value)
  if (!deployment) return undefined
  const webUrl = text(record(deployment.payload)?.web_url)
  return optional({
    id: positive(deployment.id),
    environment: text(deployment.environment) ?? text(deployment.original_environment),
    ref: text(deployment.ref),
    sha: text(deployment.sha),
    task: text(deployment.task),
    description: text(deployment.description),
    creator: text(record(deployment.creator)?.login),
    webUrl,
  } satisfies DeploymentInfo)
}

function describeDeploymentStatus(value: unknown): DeploymentStatusInfo | undefined {
  const status = record(value)
  if (!status) return undefined
  return optional({
    state: text(status.state),
    environment: text(status.environment),
    environmentUrl: text(status.environment_url),
    targetUrl: text(status.target_url),
    description: text(status.description),
    creator: text(record(status.creator)?.login),
  } satisfies DeploymentStatusInfo)
}

function describeRelease(value: unknown, repositoryUrl: string): ReleaseInfo | undefined {
  const release = record(value)
  const tagName = text(release?.tag_name)
  if (!release || !tagName) return undefined
  return {
    tagName,
    prerelease: release.prerelease === true,
    draft: release.draft === true,
    url: `${repositoryUrl}/releases/tag/${encodePath(tagName)}`,
    ...optional({
      name: text(release.name),
      body: typeof release.body === 'string' && release.body.trim() ? release.body : undefined,
      author: text(record(release.author)?.login),
      publishedAt: text(release.published_at),
    }),
  }
}

function describeTriggeringRun(value: unknown, repositoryUrl: string): TriggeringRunInfo | undefined {
  const run = record(value)
  if (!run) return undefined
  const id = positive(run.id)
  const attempt = positive(run.run_attempt)
  return optional({
    id,
    name: text(run.name),
    runNumber: positive(run.run_number),
    runAttempt: attempt,
    event: text(run.event),
    status: text(run.status),
    conclusion: text(run.conclusion),
    headBranch: text(run.head_branch),
    startedAt: text(run.run_started_at),
    url: id ? `${repositoryUrl}/actions/runs/${id}${attempt && attempt > 1 ? `/attempts/${attempt}` : ''}` : undefined,
  } satisfies TriggeringRunInfo)
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** A non-empty string, or undefined (null, numbers, objects and blank strings are all "not given"). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined
}

function describeRef(github: GitHubContextLike, env: Env, repositoryUrl: string, payload: Payload): RunContext['ref'] {
  // On pull_request events GITHUB_REF is refs/pull/N/merge; the branch people know is the head branch.
  // On workflow_run it is the default branch; the commit shown is the triggering run's, so is its branch.
  const headRef = env.GITHUB_HEAD_REF || payload.pull_request?.head?.ref || payload.workflow_run?.head_branch
  if (headRef) return { name: headRef, kind: 'branch', url: `${repositoryUrl}/tree/${encodePath(headRef)}` }
  const ref = github.ref || env.GITHUB_REF || ''
  if (!ref) return undefined
  if (ref.startsWith('refs/tags/')) {
    const name = ref.slice('refs/tags/'.length)
    return { name, kind: 'tag', url: `${repositoryUrl}/releases/tag/${encodePath(name)}` }
  }
  if (ref.startsWith('refs/heads/')) {
    const name = ref.slice('refs/heads/'.length)
    return { name, kind: 'branch', url: `${repositoryUrl}/tree/${encodePath(name)}` }
  }
  if (!ref.startsWith('refs/')) return { name: ref, kind: 'branch', url: `${repositoryUrl}/tree/${encodePath(ref)}` }
  return { name: env.GITHUB_REF_NAME || ref, kind: 'ref', url: repositoryUrl }
}

function describeCommit(github: GitHubContextLike, repositoryUrl: string, payload: Payload): RunContext['commit'] {
  // The commit a reader recognises: a PR's head (not the merge commit), a workflow_run's head, else GITHUB_SHA.
  const sha = payload.pull_request?.head?.sha || payload.workflow_run?.head_sha || github.sha || payload.after || ''
  // A deleted branch or tag pushes forty zeros: there is no commit to show.
  if (!/^[0-9a-f]{7,64}$/i.test(sha) || /^0+$/.test(sha)) return undefined
  const message =
    payload.head_commit?.id === sha || (payload.head_commit && !payload.pull_request)
      ? payload.head_commit?.message
      : payload.workflow_run?.head_commit?.message
  return {
    sha,
    shortSha: sha.slice(0, 7),
    url: `${repositoryUrl}/commit/${sha}`,
    title: typeof message === 'string' ? message.split(/\r?\n/, 1)[0] : undefined,
  }
}

function validNumber(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined
}

/** Branch names may hold any character but '/' separates path segments on GitHub too. */
function encodePath(name: string): string {
  return String(name).toWellFormed().split('/').map(encodeURIComponent).join('/')
}

interface Payload {
  after?: string
  repository?: { full_name?: string }
  head_commit?: { id?: string; message?: string; author?: unknown } | null
  pull_request?: {
    number?: number
    title?: string
    head?: { ref?: string; sha?: string; repo?: unknown; user?: unknown }
    base?: unknown
    user?: unknown
    state?: unknown
    merged?: unknown
    merged_at?: unknown
    draft?: unknown
    labels?: unknown
  }
  workflow_run?: { head_branch?: string; head_sha?: string; head_commit?: { message?: string } | null }
  deployment?: unknown
  deployment_status?: unknown
  release?: unknown
}
