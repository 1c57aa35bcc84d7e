// The GitHub API stand-in (emulator/github-api.ts) through the emulator's proxy: in process with ProxyClient, and in
// a child Node process with @actions/github's getOctokit and src/github/workflow-jobs.ts, configured only through
// HTTPS_PROXY and NODE_EXTRA_CA_CERTS, as on a runner.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createGitHubApi, type GitHubApi, type JobSpec } from '../emulator/github-api.ts'
import { ProxyClient, startEmulator, type Emulator } from '../emulator/index.ts'

const ROOT = new URL('..', import.meta.url).pathname
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
