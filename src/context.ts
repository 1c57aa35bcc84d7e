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
  const payload = (github.payload ?? {}) as Payload
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
    eventName: github.eventName || env.GITHUB_EVENT_NAME || '',
    actor: env.GITHUB_TRIGGERING_ACTOR || github.actor || env.GITHUB_ACTOR || '',
    ref: describeRef(github, env, repositoryUrl, payload),
    commit: describeCommit(github, repositoryUrl, payload),
    pullRequest,
  }
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
  return name.split('/').map(encodeURIComponent).join('/')
}

interface Payload {
  after?: string
  repository?: { full_name?: string }
  head_commit?: { id?: string; message?: string } | null
  pull_request?: { number?: number; title?: string; head?: { ref?: string; sha?: string } }
  workflow_run?: { head_branch?: string; head_sha?: string; head_commit?: { message?: string } | null }
}
