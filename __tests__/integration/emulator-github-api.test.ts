// The GitHub API stand-in (emulator/github-api.ts) through the emulator's proxy: in process with ProxyClient, and in
// a child Node process with @actions/github's getOctokit and src/github/workflow-jobs.ts, configured only through
// HTTPS_PROXY and NODE_EXTRA_CA_CERTS, as on a runner.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import webhookExamples from '@octokit/webhooks-examples'
import { createGitHubApi, type GitHubApi, type JobSpec } from '../../emulator/github-api.ts'
import { ProxyClient, startEmulator, type Emulator } from '../../emulator/index.ts'

const ROOT = new URL('../..', import.meta.url).pathname
const REPO = 'octo-org/hello-world'
const RUN = 1658821493
const BASE = `https://api.github.com/repos/${REPO}/actions/runs/${RUN}`

let emulator: Emulator
let github: GitHubApi
let client: ProxyClient
let dir: string

beforeAll(async () => {
  emulator = await startEmulator()
  github = createGitHubApi()
  emulator.addHost('api.github.com', github.handle)
  client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
  dir = mkdtempSync(join(tmpdir(), 'emulator-github-api-'))
})

afterAll(async () => {
  client.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(() => {
  emulator.reset()
  github.reset()
})

/** 60 jobs: 7 failed (every 8th), 2 skipped, the rest succeeded; each 1 to 60 minutes long. */
function sixtyJobs(): JobSpec[] {
  return Array.from({ length: 60 }, (_, i) => ({
    name: `test (shard ${i + 1})`,
    conclusion: i % 8 === 3 && i < 56 ? 'failure' : i === 58 || i === 59 ? 'skipped' : 'success',
    started_at: `2024-05-01T10:0${i % 10}:00Z`,
    completed_at: `2024-05-01T11:${String(i).padStart(2, '0')}:00Z`,
  }))
}

const auth = { authorization: 'Bearer ghs_emulated' }

describe('in process, through the proxy', () => {
  test('a job has GitHub’s shape, with links on the server', async () => {
    const [job] = github.setRun({ repository: REPO, runId: RUN, attempt: 2, jobs: [{ name: 'build', id: 42 }] })
    const res = await client.request('GET', `${BASE}/attempts/2/jobs`, { headers: auth })
    expect(res.status).toBe(200)
    expect(res.json.total_count).toBe(1)
    expect(res.json.jobs).toEqual([job])
    expect(job).toMatchObject({
      id: 42,
      run_id: RUN,
      run_attempt: 2,
      name: 'build',
      status: 'completed',
      conclusion: 'success',
      html_url: `https://github.com/${REPO}/actions/runs/${RUN}/job/42`,
      url: `https://api.github.com/repos/${REPO}/actions/jobs/42`,
      steps: [expect.objectContaining({ number: 1 }), expect.objectContaining({ number: 2 })],
    })
    expect(res.headers.link).toBeUndefined()
    expect(emulator.requests.at(-1)).toMatchObject({ host: 'api.github.com', tunneled: true, status: 200 })
  })

  test('pages: per_page (default 30, at most 100), page, total_count and a Link header like GitHub’s', async () => {
    github.setRun({ repository: REPO, runId: RUN, jobs: sixtyJobs() })
    const first = await client.request('GET', `${BASE}/attempts/1/jobs?per_page=25`, { headers: auth })
    expect(first.json.total_count).toBe(60)
    expect(first.json.jobs).toHaveLength(25)
    expect(first.headers.link).toBe(
      `<${BASE}/attempts/1/jobs?per_page=25&page=2>; rel="next", <${BASE}/attempts/1/jobs?per_page=25&page=3>; rel="last"`,
    )
    const last = await client.request('GET', `${BASE}/attempts/1/jobs?per_page=25&page=3`, { headers: auth })
    expect(last.json.jobs.map((j: { name: string }) => j.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `test (shard ${i + 51})`),
    )
    expect(last.headers.link).toBe(
      `<${BASE}/attempts/1/jobs?per_page=25&page=2>; rel="prev", <${BASE}/attempts/1/jobs?per_page=25&page=1>; rel="first"`,
    )
    const defaults = await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: auth })
    expect(defaults.json.jobs).toHaveLength(30)
    const capped = await client.request('GET', `${BASE}/attempts/1/jobs?per_page=500`, { headers: auth })
    expect(capped.json.jobs).toHaveLength(60)
    const beyond = await client.request('GET', `${BASE}/attempts/1/jobs?page=9`, { headers: auth })
    expect(beyond.json).toEqual({ total_count: 60, jobs: [] })
  })

  test('/runs/{id}/jobs: the latest attempt, or every attempt with filter=all', async () => {
    github.setRun({ repository: REPO, runId: RUN, attempt: 1, jobs: [{ name: 'a', conclusion: 'failure' }] })
    github.setRun({ repository: REPO, runId: RUN, attempt: 2, jobs: [{ name: 'a' }] })
    const latest = await client.request('GET', `${BASE}/jobs`, { headers: auth })
    expect(latest.json.jobs.map((j: { run_attempt: number }) => j.run_attempt)).toEqual([2])
    const all = await client.request('GET', `${BASE}/jobs?filter=all`, { headers: auth })
    expect(all.json.jobs.map((j: { run_attempt: number }) => j.run_attempt)).toEqual([1, 2])
    expect((await client.request('GET', `${BASE}/jobs?filter=x`, { headers: auth })).status).toBe(422)
  })

  test('401 without a token (Bearer or token scheme), 403 without actions: read, 404 for unknown runs', async () => {
    github.setRun({ repository: REPO, runId: RUN, jobs: [{ name: 'a' }] })
    const none = await client.request('GET', `${BASE}/attempts/1/jobs`)
    expect(none.status).toBe(401)
    expect(none.json).toEqual({
      message: 'Requires authentication',
      documentation_url: expect.any(String),
      status: '401',
    })
    expect(
      (await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: { authorization: 'Basic x' } })).status,
    ).toBe(401)
    expect(
      (await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: { authorization: 'token t' } })).status,
    ).toBe(200)
    expect((await client.request('GET', `${BASE}/attempts/2/jobs`, { headers: auth })).status).toBe(404)
    expect((await client.request('GET', `${BASE.replace(String(RUN), '1')}/jobs`, { headers: auth })).status).toBe(404)
    expect((await client.request('GET', 'https://api.github.com/user', { headers: auth })).status).toBe(404)

    github.forbidActionsRead(true)
    const forbidden = await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: auth })
    expect(forbidden.status).toBe(403)
    expect(forbidden.json).toMatchObject({ message: 'Resource not accessible by integration', status: '403' })
  })

  test('a fixed token list refuses other tokens with Bad credentials', async () => {
    const strict = createGitHubApi({ tokens: ['ghs_good'] })
    strict.setRun({ repository: REPO, runId: RUN, jobs: [{ name: 'a' }] })
    emulator.addHost('api.github.com', strict.handle)
    try {
      const bad = await client.request('GET', `${BASE}/attempts/1/jobs`, {
        headers: { authorization: 'token ghs_bad' },
      })
      expect(bad).toMatchObject({ status: 401, json: { message: 'Bad credentials' } })
      const good = await client.request('GET', `${BASE}/attempts/1/jobs`, {
        headers: { authorization: 'token ghs_good' },
      })
      expect(good.status).toBe(200)
    } finally {
      emulator.addHost('api.github.com', github.handle)
    }
  })
})

/** A job running its post steps: main steps done (one failed), this action's post step running, checkout's queued. */
function postStepJob(overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    name: 'test (ubuntu-latest, 22)',
    status: 'in_progress',
    runner_name: 'GitHub Actions 7',
    started_at: '2024-05-01T10:00:00Z',
    steps: [
      { name: 'Set up job', started_at: '2024-05-01T10:00:00Z', completed_at: '2024-05-01T10:00:02Z' },
      { name: 'Run actions/checkout@v4', started_at: '2024-05-01T10:00:02Z', completed_at: '2024-05-01T10:00:03Z' },
      { name: 'Notify', started_at: '2024-05-01T10:00:03Z', completed_at: '2024-05-01T10:00:04Z' },
      {
        name: 'Run npm test',
        conclusion: 'failure',
        started_at: '2024-05-01T10:00:04Z',
        completed_at: '2024-05-01T10:03:00Z',
      },
      { name: 'Post Notify', number: 9, status: 'in_progress', started_at: '2024-05-01T10:03:01Z' },
      { name: 'Post Run actions/checkout@v4', number: 10, status: 'queued' },
    ],
    ...overrides,
  }
}

describe('jobs with steps, runners, lag and failures', () => {
  test('a job has the keys and step shape of GitHub’s workflow_job examples', async () => {
    const definition = (
      webhookExamples as unknown as { name: string; examples: { workflow_job: Record<string, unknown> }[] }[]
    ).find((d) => d.name === 'workflow_job')
    const example = definition?.examples.find((e) => e.workflow_job.runner_name && e.workflow_job.run_attempt)
    expect(example).toBeDefined()
    const [job] = github.setRun({ repository: REPO, runId: RUN, attempt: 3, jobs: [postStepJob({ id: 77 })] })
    const res = await client.request('GET', `${BASE}/attempts/3/jobs`, { headers: auth })
    const served = res.json.jobs[0]
    expect(served).toEqual(job)
    for (const key of Object.keys(example?.workflow_job ?? {})) expect(served).toHaveProperty(key)
    const exampleStep = (example?.workflow_job.steps as Record<string, unknown>[])[0] ?? {}
    expect(Object.keys(served.steps[0]).sort()).toEqual(Object.keys(exampleStep).sort())
    expect(served).toMatchObject({
      run_attempt: 3,
      runner_name: 'GitHub Actions 7',
      status: 'in_progress',
      conclusion: null,
      completed_at: null,
      html_url: `https://github.com/${REPO}/actions/runs/${RUN}/job/77`,
    })
    expect(served.steps.map((s: { number: number }) => s.number)).toEqual([1, 2, 3, 4, 9, 10])
    expect(served.steps[3]).toMatchObject({ name: 'Run npm test', status: 'completed', conclusion: 'failure' })
    expect(served.steps[5]).toEqual({
      name: 'Post Run actions/checkout@v4',
      status: 'queued',
      conclusion: null,
      number: 10,
      started_at: null,
      completed_at: null,
    })
  })

  test('each job runs on a runner of its own by default; a queued job has none', async () => {
    const jobs = github.setRun({
      repository: REPO,
      runId: RUN,
      jobs: [
        { name: 'a (1)', status: 'in_progress' },
        { name: 'a (2)', status: 'in_progress' },
        { name: 'b', status: 'queued' },
      ],
    })
    expect(new Set(jobs.map((j) => j.runner_name)).size).toBe(3)
    expect(jobs[2]).toMatchObject({ runner_name: null, runner_id: null })
    expect(jobs[0]?.runner_name).toMatch(/^GitHub Actions \d+$/)
  })

  test('lag: the first reads show the step just finished still in progress, then the truth', async () => {
    const [truth] = github.setRun({ repository: REPO, runId: RUN, jobs: [postStepJob({ lagReads: 2 })] })
    const read = async () => (await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: auth })).json.jobs[0]
    for (let i = 0; i < 2; i++) {
      const lagging = await read()
      expect(lagging.steps[3]).toMatchObject({
        name: 'Run npm test',
        status: 'in_progress',
        conclusion: null,
        completed_at: null,
      })
      expect(lagging.steps[4]).toMatchObject({ name: 'Post Notify', status: 'queued', started_at: null })
      expect(lagging.steps[2]).toEqual(truth?.steps[2])
    }
    expect(await read()).toEqual(truth)
  })

  test('lag on a finished job: the job and its last step still in progress', async () => {
    github.setRun({ repository: REPO, runId: RUN, jobs: [{ name: 'done', conclusion: 'failure', lagReads: 1 }] })
    const first = (await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: auth })).json.jobs[0]
    expect(first).toMatchObject({ status: 'in_progress', conclusion: null, completed_at: null })
    expect(first.steps.at(-1)).toMatchObject({ status: 'in_progress', conclusion: null })
    const second = (await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: auth })).json.jobs[0]
    expect(second).toMatchObject({ status: 'completed', conclusion: 'failure' })
  })

  test('lag is spent only by listings that include the job (paging)', async () => {
    const jobs = sixtyJobs()
    jobs[59] = { ...jobs[59], name: 'last', lagReads: 1 } as JobSpec
    github.setRun({ repository: REPO, runId: RUN, jobs })
    await client.request('GET', `${BASE}/attempts/1/jobs?per_page=50`, { headers: auth })
    const page2 = await client.request('GET', `${BASE}/attempts/1/jobs?per_page=50&page=2`, { headers: auth })
    expect(page2.json.jobs.at(-1)).toMatchObject({ name: 'last', status: 'in_progress' })
    const again = await client.request('GET', `${BASE}/attempts/1/jobs?per_page=50&page=2`, { headers: auth })
    expect(again.json.jobs.at(-1)).toMatchObject({ name: 'last', status: 'completed' })
  })

  test('a token without actions: read gets the 403; another token still reads', async () => {
    github.setRun({ repository: REPO, runId: RUN, jobs: [{ name: 'a' }] })
    github.denyActionsRead('ghs_readonly')
    const denied = await client.request('GET', `${BASE}/attempts/1/jobs`, {
      headers: { authorization: 'token ghs_readonly' },
    })
    expect(denied).toMatchObject({ status: 403, json: { message: 'Resource not accessible by integration' } })
    expect(
      (await client.request('GET', `${BASE}/jobs`, { headers: { authorization: 'Bearer ghs_readonly' } })).status,
    ).toBe(403)
    expect((await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: auth })).status).toBe(200)
  })

  test('5xx on demand: the next N listings fail with GitHub’s error body, then it answers', async () => {
    github.setRun({ repository: REPO, runId: RUN, jobs: [{ name: 'a' }] })
    github.failJobListings({ status: 502, times: 2 })
    const statuses = []
    for (let i = 0; i < 3; i++)
      statuses.push((await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: auth })).status)
    expect(statuses).toEqual([502, 502, 200])
    github.failJobListings()
    const failed = await client.request('GET', `${BASE}/attempts/1/jobs`, { headers: auth })
    expect(failed).toMatchObject({ status: 500, json: { message: 'Server Error', status: '500' } })
    expect(() => github.failJobListings({ status: 200 })).toThrow(/400 to 599/)
  })
})

describe('the emulator’s own GitHub API, seeded through the control API', () => {
  async function control(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${emulator.proxyUrl}${path}`, { method: 'POST', body: JSON.stringify(body) })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }

  test('runs, a token without actions: read and failures, then reset', async () => {
    emulator.addHost('api.github.com', emulator.github.handle)
    try {
      const seeded = await control('/_emulator/github/runs', {
        repository: REPO,
        runId: RUN,
        attempt: 2,
        jobs: [postStepJob({ id: 5, lagReads: 1 })],
      })
      expect(seeded.status).toBe(200)
      expect(seeded.json.jobs).toEqual([expect.objectContaining({ id: 5, run_attempt: 2 })])
      const lagging = await client.request('GET', `${BASE}/attempts/2/jobs`, { headers: auth })
      expect(lagging.json.jobs[0].steps[3].status).toBe('in_progress')
      expect((await control('/_emulator/github/deny-actions-read', { token: 'ghs_x' })).status).toBe(200)
      const denied = await client.request('GET', `${BASE}/attempts/2/jobs`, {
        headers: { authorization: 'token ghs_x' },
      })
      expect(denied.status).toBe(403)
      expect((await control('/_emulator/github/failures', { status: 503, times: 1 })).status).toBe(200)
      expect((await client.request('GET', `${BASE}/attempts/2/jobs`, { headers: auth })).status).toBe(503)
      expect(
        (await client.request('GET', `${BASE}/attempts/2/jobs`, { headers: auth })).json.jobs[0].steps[3],
      ).toMatchObject({
        status: 'completed',
        conclusion: 'failure',
      })
      expect((await control('/_emulator/github/runs', { jobs: [] })).status).toBe(400)
      expect((await control('/_emulator/github/failures', { status: 'x' })).status).toBe(400)
      emulator.reset()
      expect((await client.request('GET', `${BASE}/attempts/2/jobs`, { headers: auth })).status).toBe(404)
    } finally {
      emulator.addHost('api.github.com', github.handle)
    }
  })
})

// getOctokit and fetchWorkflowJobs in a child process, the way the bundled action would run them.
const CLIENT_SCRIPT = `
import { getOctokit } from '@actions/github'
const { fetchWorkflowJobs } = await import('./src/github/workflow-jobs.ts')
const [owner, repo] = process.env.REPO.split('/')
const out = {}
try {
  const octokit = getOctokit(process.env.TOKEN)
  const jobs = await octokit.paginate(
    'GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs',
    { owner, repo, run_id: Number(process.env.RUN), attempt_number: 1, per_page: 25 },
  )
  out.octokit = { count: jobs.length, names: jobs.map((job) => job.name) }
} catch (error) {
  out.octokit = { status: error.status, message: error.message }
}
out.fetched = await fetchWorkflowJobs({
  token: process.env.TOKEN,
  apiUrl: process.env.GITHUB_API_URL,
  repository: process.env.REPO,
  runId: process.env.RUN,
  runAttempt: 1,
})
console.log(JSON.stringify(out))
`

interface ChildResult {
  octokit: { count?: number; names?: string[]; status?: number; message?: string }
  fetched: { jobs?: { name: string; conclusion: string | null; htmlUrl?: string }[]; unavailable?: string }
}

async function runOctokitChild(env: Record<string, string>): Promise<ChildResult> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    HTTPS_PROXY: emulator.proxyUrl,
    NODE_EXTRA_CA_CERTS: emulator.writeCaCert(dir),
    GITHUB_API_URL: 'https://api.github.com',
    REPO,
    RUN: String(RUN),
    TOKEN: 'ghs_emulated',
    ...env,
  }
  for (const name of ['NODE_OPTIONS', 'NO_PROXY', 'no_proxy', 'https_proxy', 'HTTP_PROXY', 'http_proxy'])
    delete childEnv[name]
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CLIENT_SCRIPT], {
    cwd: ROOT,
    env: childEnv,
    timeout: 30_000,
  })
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult
}

describe('@actions/github in another process, through HTTPS_PROXY with the CA from NODE_EXTRA_CA_CERTS', () => {
  test('getOctokit pages through all 60 jobs; fetchWorkflowJobs returns them with per_page 100', async () => {
    github.setRun({ repository: REPO, runId: RUN, jobs: sixtyJobs() })
    const result = await runOctokitChild({})

    expect(result.octokit.count).toBe(60)
    expect(result.octokit.names?.[59]).toBe('test (shard 60)')
    expect(result.fetched.jobs).toHaveLength(60)
    expect(result.fetched.jobs?.filter((job) => job.conclusion === 'failure')).toHaveLength(7)
    expect(result.fetched.jobs?.[0]?.htmlUrl).toMatch(
      new RegExp(`^https://github.com/${REPO}/actions/runs/${RUN}/job/`),
    )

    const calls = emulator.requests.filter((r) => r.host === 'api.github.com')
    expect(calls.map((r) => `${r.query.per_page}:${r.query.page ?? '1'}`)).toEqual(['25:1', '25:2', '25:3', '100:1'])
    // Through the tunnel, with the token in GitHub's `token` scheme and @actions/github's user agent.
    expect(calls.every((r) => r.tunneled && r.status === 200)).toBe(true)
    expect(calls.every((r) => r.headers.authorization === 'token ghs_emulated')).toBe(true)
    expect(String(calls[0]?.headers['user-agent'])).toMatch(/octokit/i)
  })

  test('without actions: read both see the 403; fetchWorkflowJobs explains it instead of throwing', async () => {
    github.setRun({ repository: REPO, runId: RUN, jobs: sixtyJobs() })
    github.forbidActionsRead(true)
    const result = await runOctokitChild({})
    expect(result.octokit).toMatchObject({ status: 403, message: expect.stringContaining('Resource not accessible') })
    expect(result.fetched.jobs).toBeUndefined()
    expect(result.fetched.unavailable).toMatch(/^GitHub answered 403: Resource not accessible by integration/)
    expect(result.fetched.unavailable).toContain('actions: read')
  })

  test('an unknown run is a 404, reported the same way', async () => {
    const result = await runOctokitChild({ RUN: '999' })
    expect(result.octokit.status).toBe(404)
    expect(result.fetched.unavailable).toMatch(/^GitHub answered 404/)
  })
})
