// fetchWorkflowJobs against the GitHub API stand-in, served over plain HTTP on localhost (apiUrl), so each test can
// shape the server: GHES path prefixes, error statuses, a server that never answers, one that is not there.
import { afterEach, describe, expect, test } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGitHubApi, type JobSpec } from '../../emulator/github-api.ts'
import type { Handler } from '../../emulator/types.ts'
import { fetchWorkflowJobs, type FetchWorkflowJobsOptions } from '../../src/github/workflow-jobs.ts'

const REPO = 'octo-org/hello-world'
const RUN = 1658821493

interface Served {
  apiUrl: string
  paths: string[]
  authorizations: string[]
}

const servers: http.Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** Serves `handler` at http://127.0.0.1:PORT{prefix}, recording the paths and Authorization headers it sees. */
async function serve(handler: Handler, prefix = ''): Promise<Served> {
  const served: Served = { apiUrl: '', paths: [], authorizations: [] }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    served.paths.push(url.pathname + url.search)
    served.authorizations.push(String(req.headers.authorization))
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
    Promise.resolve(
      handler({
        host: 'api.github.com',
        method: req.method ?? 'GET',
        path,
        query: url.searchParams,
        headers: req.headers,
        rawBody: '',
      }),
    ).then((response) => {
      const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '')
      res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers })
      res.end(body)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  served.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`
  return served
}

function options(apiUrl: string, overrides: Partial<FetchWorkflowJobsOptions> = {}): FetchWorkflowJobsOptions {
  return { token: 'ghs_test', apiUrl, repository: REPO, runId: RUN, runAttempt: 1, ...overrides }
}

function jobs(count: number): JobSpec[] {
  return Array.from({ length: count }, (_, i) => ({ name: `job ${i + 1}`, id: i + 1 }))
}

describe('fetchWorkflowJobs', () => {
  test('maps GitHub’s job objects to WorkflowJob (camel case, null conclusion kept, nothing else)', async () => {
    const github = createGitHubApi()
    github.setRun({
      repository: REPO,
      runId: RUN,
      attempt: 2,
      jobs: [
        {
          id: 7,
          name: 'build',
          conclusion: 'failure',
          started_at: '2024-05-01T10:00:00Z',
          completed_at: '2024-05-01T10:03:12Z',
        },
        { id: 8, name: 'deploy', status: 'in_progress', started_at: '2024-05-01T10:04:00Z' },
      ],
    })
    const served = await serve(github.handle)
    const result = await fetchWorkflowJobs(options(served.apiUrl, { runAttempt: 2 }))
    expect(result).toEqual({
      jobs: [
        {
          id: 7,
          name: 'build',
          status: 'completed',
          conclusion: 'failure',
          createdAt: '2024-05-01T10:00:00Z',
          startedAt: '2024-05-01T10:00:00Z',
          completedAt: '2024-05-01T10:03:12Z',
          htmlUrl: `https://github.com/${REPO}/actions/runs/${RUN}/job/7`,
          runAttempt: 2,
        },
        {
          id: 8,
          name: 'deploy',
          status: 'in_progress',
          conclusion: null,
          createdAt: '2024-05-01T10:00:00Z',
          startedAt: '2024-05-01T10:04:00Z',
          htmlUrl: `https://github.com/${REPO}/actions/runs/${RUN}/job/8`,
          runAttempt: 2,
        },
      ],
    })
    expect(served.paths).toEqual([`/repos/${REPO}/actions/runs/${RUN}/attempts/2/jobs?per_page=100`])
    expect(served.authorizations).toEqual(['token ghs_test'])
  })

  test('follows the pages: 150 jobs in two requests of 100', async () => {
    const github = createGitHubApi()
    github.setRun({ repository: REPO, runId: RUN, jobs: jobs(150) })
    const served = await serve(github.handle)
    const result = await fetchWorkflowJobs(options(served.apiUrl))
    expect('jobs' in result && result.jobs.map((job) => job.id)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1))
    expect(served.paths).toHaveLength(2)
    expect(served.paths[1]).toContain('page=2')
  })

  test('stops after 10 pages (1,000 jobs) however many the API claims', async () => {
    const github = createGitHubApi()
    github.setRun({ repository: REPO, runId: RUN, jobs: jobs(1100) })
    const served = await serve(github.handle)
    const result = await fetchWorkflowJobs(options(served.apiUrl))
    expect('jobs' in result && result.jobs).toHaveLength(1000)
    expect(served.paths).toHaveLength(10)
  })

  test('GHES: the API under /api/v3 (GITHUB_API_URL), a trailing slash tolerated', async () => {
    const github = createGitHubApi({ serverUrl: 'https://ghes.example.com' })
    github.setRun({ repository: REPO, runId: RUN, jobs: jobs(3) })
    const served = await serve(github.handle, '/api/v3')
    const result = await fetchWorkflowJobs(options(`${served.apiUrl}/`))
    expect('jobs' in result && result.jobs).toHaveLength(3)
    expect(served.paths[0]).toBe(`/api/v3/repos/${REPO}/actions/runs/${RUN}/attempts/1/jobs?per_page=100`)
  })

  test('drops entries that are not jobs instead of failing', async () => {
    const served = await serve(() => ({
      status: 200,
      body: { total_count: 3, jobs: [null, { name: 'no id' }, { id: 5, name: '', status: 7, conclusion: 1 }] },
    }))
    const result = await fetchWorkflowJobs(options(served.apiUrl))
    expect(result).toEqual({ jobs: [{ id: 5, name: 'job 5', status: 'completed', conclusion: null }] })
  })

  test.each([
    [403, /^GitHub answered 403: Resource not accessible by integration.*permissions: actions: read/],
    [404, /^GitHub answered 404: Not Found.*permissions: actions: read/],
  ])('%i (no actions: read, or a private run): unavailable, naming the permission', async (status, expected) => {
    const github = createGitHubApi()
    github.setRun({ repository: REPO, runId: status === 403 ? RUN : 1, jobs: jobs(1) })
    github.forbidActionsRead(status === 403)
    const served = await serve(github.handle)
    const result = await fetchWorkflowJobs(options(served.apiUrl))
    expect(result).toEqual({ unavailable: expect.stringMatching(expected) })
  })

  test('401 and 5xx: unavailable with GitHub’s status and message', async () => {
    const github = createGitHubApi({ tokens: ['other'] })
    const refused = await fetchWorkflowJobs(options((await serve(github.handle)).apiUrl))
    expect(refused).toEqual({ unavailable: expect.stringMatching(/^GitHub answered 401: Bad credentials.*refused/) })
    const broken = await serve(() => ({ status: 502, body: { message: 'Server Error' } }))
    expect(await fetchWorkflowJobs(options(broken.apiUrl))).toEqual({
      unavailable: expect.stringMatching(/^GitHub answered 502/),
    })
  })

  test('a server that is not there: unavailable, "could not reach"', async () => {
    const gone = await serve(() => ({ status: 200 }))
    const apiUrl = gone.apiUrl
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
    const result = await fetchWorkflowJobs(options(apiUrl))
    expect(result).toEqual({
      unavailable: expect.stringMatching(new RegExp(`^could not reach ${apiUrl}: .*ECONNREFUSED`)),
    })
  })

  test('a server that never answers: unavailable after timeoutMs', async () => {
    const hanging = await serve(() => new Promise(() => undefined))
    const started = Date.now()
    const result = await fetchWorkflowJobs(options(hanging.apiUrl, { timeoutMs: 300 }))
    expect(result).toEqual({ unavailable: `GitHub did not answer in time (${hanging.apiUrl})` })
    expect(Date.now() - started).toBeLessThan(5000)
  })

  test.each([
    [{ repository: 'no-slash' }, /^not a repository/],
    [{ repository: 'a/b/c' }, /^not a repository/],
    [{ runId: 'abc' }, /^not a run id/],
    [{ runId: 0 }, /^not a run id/],
    [{ token: '' }, /^no token/],
  ])('refuses %j without a request', async (overrides, expected) => {
    const served = await serve(() => ({ status: 200, body: { total_count: 0, jobs: [] } }))
    const result = await fetchWorkflowJobs(options(served.apiUrl, overrides as Partial<FetchWorkflowJobsOptions>))
    expect(result).toEqual({ unavailable: expect.stringMatching(expected) })
    expect(served.paths).toEqual([])
  })

  test('an attempt that is not a positive integer reads attempt 1', async () => {
    const github = createGitHubApi()
    github.setRun({ repository: REPO, runId: RUN, jobs: jobs(1) })
    const served = await serve(github.handle)
    await fetchWorkflowJobs(options(served.apiUrl, { runAttempt: Number.NaN }))
    expect(served.paths[0]).toContain('/attempts/1/jobs')
  })
})
