// Finding this job among a run attempt's jobs and judging it from its steps, on job objects shaped as GitHub serves
// them (the emulator's GitHub API builds them), and reading it through the REST API with retries for lag.
import { afterEach, describe, expect, test } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGitHubApi, type GitHubApi, type JobSpec, type StepSpec } from '../../emulator/github-api.ts'
import { readThisJob, readThisJobFromGitHub } from '../../src/github/read-this-job.ts'
import { findThisJob, isPostStep, jobOutcome, toRunJob, type RunJob } from '../../src/github/this-job.ts'

const REPO = 'octo-org/hello-world'
const RUN = 1658821493
const NOW = Date.parse('2024-05-01T10:05:00Z')

/** The steps of a job whose post steps are running: this action's ("Post Notify") now, checkout's next. */
function steps(testConclusion = 'success', extra: StepSpec[] = []): StepSpec[] {
  return [
    { name: 'Set up job', started_at: '2024-05-01T10:00:00Z', completed_at: '2024-05-01T10:00:02Z' },
    { name: 'Run actions/checkout@v4', started_at: '2024-05-01T10:00:02Z', completed_at: '2024-05-01T10:00:03Z' },
    { name: 'Notify', started_at: '2024-05-01T10:00:03Z', completed_at: '2024-05-01T10:00:04Z' },
    {
      name: 'Run npm test',
      conclusion: testConclusion,
      started_at: '2024-05-01T10:00:04Z',
      completed_at: '2024-05-01T10:03:00Z',
    },
    ...extra,
    { name: 'Post Notify', number: 20, status: 'in_progress', started_at: '2024-05-01T10:03:01Z' },
    { name: 'Post Run actions/checkout@v4', number: 21, status: 'queued' },
  ]
}

function leg(name: string, runner: string, overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    name,
    status: 'in_progress',
    runner_name: runner,
    started_at: '2024-05-01T10:00:00Z',
    steps: steps(),
    ...overrides,
  }
}

/** Job objects exactly as the emulated API serves them, parsed by toRunJob. */
function served(jobs: JobSpec[], attempt = 1): RunJob[] {
  return createGitHubApi()
    .setRun({ repository: REPO, runId: RUN, attempt, jobs })
    .map((job) => toRunJob(JSON.parse(JSON.stringify(job))) as RunJob)
}

describe('findThisJob', () => {
  test('a matrix of two legs at once: each finds its own by runner, not by name', () => {
    const jobs = served([
      leg('test (ubuntu-latest, 22)', 'GitHub Actions 3', { steps: steps('failure') }),
      leg('test (ubuntu-latest, 24)', 'GitHub Actions 4'),
      { name: 'lint', runner_name: 'GitHub Actions 3', conclusion: 'success' },
    ])
    const first = findThisJob(jobs, { runnerName: 'GitHub Actions 3', jobName: 'test' })
    const second = findThisJob(jobs, { runnerName: 'GitHub Actions 4', jobName: 'test' })
    expect('job' in first && first.job.name).toBe('test (ubuntu-latest, 22)')
    expect('job' in second && second.job.name).toBe('test (ubuntu-latest, 24)')
    expect('job' in first && jobOutcome(first.job, NOW).conclusion).toBe('failure')
    expect('job' in second && jobOutcome(second.job, NOW).conclusion).toBe('success')
  })

  test('never by name alone: no job on this runner is missing, with the reason', () => {
    const jobs = served([leg('test', 'GitHub Actions 3')])
    expect(findThisJob(jobs, { runnerName: 'GitHub Actions 9', jobName: 'test' })).toEqual({
      missing: expect.stringContaining('"GitHub Actions 9"'),
    })
    expect(findThisJob(jobs, { runnerName: '' })).toEqual({ missing: expect.stringContaining('RUNNER_NAME') })
  })

  test('several jobs in progress on one runner name: the matrix values choose, else none is chosen', () => {
    const jobs = served([leg('e2e (chrome, 1)', 'self-hosted'), leg('e2e (firefox, 1)', 'self-hosted')])
    const chosen = findThisJob(jobs, { runnerName: 'self-hosted', jobName: 'e2e', matrixValues: ['firefox', '1'] })
    expect('job' in chosen && chosen.job.name).toBe('e2e (firefox, 1)')
    expect(findThisJob(jobs, { runnerName: 'self-hosted', jobName: 'e2e' })).toEqual({
      missing: expect.stringMatching(/^2 jobs are in progress/),
    })
    expect(findThisJob(jobs, { runnerName: 'self-hosted' })).toHaveProperty('missing')
  })
})

describe('jobOutcome while the job is in progress', () => {
  const one = (spec: Partial<JobSpec>) => served([leg('build', 'r', spec)])[0] as RunJob

  test('green: success, duration to now, the job’s page', () => {
    const job = one({ id: 42 })
    expect(jobOutcome(job, NOW)).toEqual({
      conclusion: 'success',
      failedSteps: [],
      unsettledSteps: [],
      durationMs: 5 * 60_000,
      htmlUrl: `https://github.com/${REPO}/actions/runs/${RUN}/job/42`,
      jobId: 42,
      jobName: 'build',
    })
  })

  test('failed at named steps, a failed post step of another action included', () => {
    const job = one({
      steps: steps('failure', [
        { name: 'Upload logs', conclusion: 'failure' },
        { name: 'Deploy', conclusion: 'skipped' },
        { name: 'Post Upload logs', number: 19, conclusion: 'failure' },
      ]),
    })
    const outcome = jobOutcome(job, NOW)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.failedSteps).toEqual(['Run npm test', 'Upload logs', 'Post Upload logs'])
  })

  test('cancelled', () => {
    expect(jobOutcome(one({ steps: steps('cancelled') }), NOW).conclusion).toBe('cancelled')
  })

  test('lag: a main step still running makes it unknown, not success; a failure already seen stays a failure', () => {
    const lagging = steps()
    lagging[3] = { ...lagging[3], status: 'in_progress', conclusion: null, completed_at: null } as StepSpec
    const outcome = jobOutcome(one({ steps: lagging }), NOW)
    expect(outcome).toMatchObject({ conclusion: 'unknown', unsettledSteps: ['Run npm test'] })
    const withFailure = [...lagging]
    withFailure[1] = { ...withFailure[1], conclusion: 'failure' } as StepSpec
    expect(jobOutcome(one({ steps: withFailure }), NOW)).toMatchObject({
      conclusion: 'failure',
      failedSteps: ['Run actions/checkout@v4'],
    })
  })

  test('a step merely named "Post …" is a main step; post steps pair with their main step', () => {
    const job = one({
      steps: [
        { name: 'Post results', status: 'in_progress' },
        { name: 'Post Post results', number: 9, status: 'queued' },
      ],
    })
    expect(isPostStep(job.steps[0] as RunJob['steps'][number], job.steps)).toBe(false)
    expect(isPostStep(job.steps[1] as RunJob['steps'][number], job.steps)).toBe(true)
    expect(jobOutcome(job, NOW)).toMatchObject({ conclusion: 'unknown', unsettledSteps: ['Post results'] })
  })

  test('a completed job is judged by its own conclusion and duration', () => {
    const job = one({ status: 'completed', conclusion: 'timed_out', completed_at: '2024-05-01T10:10:00Z', steps: [] })
    expect(jobOutcome(job, NOW)).toMatchObject({ conclusion: 'failure', durationMs: 10 * 60_000 })
  })

  test('no start time: no duration', () => {
    const job = { ...one({}), startedAt: undefined }
    expect(jobOutcome(job, NOW).durationMs).toBeUndefined()
  })
})

describe('readThisJob with fakes', () => {
  const hints = { runnerName: 'GitHub Actions 3' }
  const raw = (spec: Partial<JobSpec>) =>
    createGitHubApi().setRun({ repository: REPO, runId: RUN, jobs: [leg('build', 'GitHub Actions 3', spec)] })
  const lagging = () => {
    const s = steps('failure')
    s[3] = { ...s[3], status: 'in_progress', conclusion: null, completed_at: null } as StepSpec
    return raw({ steps: s })
  }

  test('re-reads while a main step lags, then returns the settled job; waits as designed', async () => {
    const answers = [lagging(), lagging(), raw({ steps: steps('failure') })]
    const waits: number[] = []
    const read = await readThisJob({
      list: async () => ({ jobs: answers.shift() ?? [] }),
      hints,
      sleep: async (ms) => void waits.push(ms),
    })
    expect(read).toMatchObject({ settled: true, reads: 3 })
    expect('job' in read && jobOutcome(read.job, NOW).failedSteps).toEqual(['Run npm test'])
    expect(waits).toEqual([500, 1000])
  })

  test('still lagging after every read: the last job, not settled', async () => {
    const read = await readThisJob({ list: async () => ({ jobs: lagging() }), hints, sleep: async () => {} })
    expect(read).toMatchObject({ settled: false, reads: 4 })
  })

  test('a refusal is not retried; a 5xx is, up to the last read', async () => {
    let calls = 0
    const refused = await readThisJob({
      list: async () => (calls++, { unavailable: 'GitHub answered 403', retryable: false }),
      hints,
      sleep: async () => {},
    })
    expect(refused).toEqual({ unavailable: 'GitHub answered 403', reads: 1 })
    expect(calls).toBe(1)
    const failing = await readThisJob({
      list: async () => ({ unavailable: 'GitHub answered 502', retryable: true }),
      hints,
      sleep: async () => {},
    })
    expect(failing).toEqual({ unavailable: 'GitHub answered 502', reads: 4 })
  })
})

describe('readThisJobFromGitHub against the emulated API', () => {
  const servers: http.Server[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  async function serve(github: GitHubApi): Promise<{ apiUrl: string; pages: string[] }> {
    const pages: string[] = []
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      pages.push(url.searchParams.get('page') ?? '1')
      Promise.resolve(
        github.handle({
          host: 'api.github.com',
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          rawBody: '',
        }),
      ).then((response) => {
        res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers })
        res.end(JSON.stringify(response.body ?? ''))
      })
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pages }
  }

  const api = (apiUrl: string, token = 'ghs_test') => ({ token, apiUrl, repository: REPO, runId: RUN, runAttempt: 2 })
  const noWait = { sleep: async () => {} }

  test('pages through 150 jobs to find this one (on page 2), lag included', async () => {
    const github = createGitHubApi()
    const others = Array.from({ length: 149 }, (_, i) => ({ name: `shard ${i}`, conclusion: 'success' }))
    github.setRun({
      repository: REPO,
      runId: RUN,
      attempt: 2,
      jobs: [...others, leg('deploy (eu)', 'runner-eu', { steps: steps('failure'), lagReads: 1 })],
    })
    const { apiUrl, pages } = await serve(github)
    const read = await readThisJobFromGitHub(api(apiUrl), { runnerName: 'runner-eu' }, noWait)
    expect(read).toMatchObject({ settled: true, reads: 2, job: { name: 'deploy (eu)', runAttempt: 2 } })
    expect('job' in read && jobOutcome(read.job, NOW)).toMatchObject({
      conclusion: 'failure',
      failedSteps: ['Run npm test'],
    })
    expect(pages).toEqual(['1', '2', '1', '2'])
  })

  test('no actions: read: one read, the reason names the permission', async () => {
    const github = createGitHubApi()
    github.setRun({ repository: REPO, runId: RUN, attempt: 2, jobs: [leg('build', 'r')] })
    github.denyActionsRead('ghs_test')
    const { apiUrl, pages } = await serve(github)
    const read = await readThisJobFromGitHub(api(apiUrl), { runnerName: 'r' }, noWait)
    expect(read).toEqual({ unavailable: expect.stringContaining('actions: read'), reads: 1 })
    expect(pages).toHaveLength(1)
  })

  test('5xx twice, then the job', async () => {
    const github = createGitHubApi()
    github.setRun({ repository: REPO, runId: RUN, attempt: 2, jobs: [leg('build', 'r')] })
    github.failJobListings({ status: 502, times: 2 })
    const { apiUrl } = await serve(github)
    const read = await readThisJobFromGitHub(api(apiUrl), { runnerName: 'r' }, noWait)
    expect(read).toMatchObject({ settled: true, reads: 3, job: { name: 'build' } })
  })

  test('5xx on every read: unavailable after four reads, with GitHub’s status', async () => {
    const github = createGitHubApi()
    github.failJobListings({ status: 503, times: 10 })
    const { apiUrl } = await serve(github)
    const read = await readThisJobFromGitHub(api(apiUrl), { runnerName: 'r' }, noWait)
    expect(read).toEqual({ unavailable: expect.stringMatching(/^GitHub answered 503/), reads: 4 })
  })
})
