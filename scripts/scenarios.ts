// One sample run per card the README shows: the bundled action on GitHub's own example payloads, through the
// emulator. Used by `npm run screenshots` and by the browser test of the emulator's viewer.
import { createRequire } from 'node:module'
import { createGitHubApi } from '../emulator/github-api.ts'
import { createServiceAccountKey, type Emulator } from '../emulator/index.ts'
import { runAction, type RunOptions, type RunResult } from './simulate-runner.ts'

export const SCENARIO_SPACE = 'spaces/AAAAshowcase'

export interface Scenario {
  /** The PNG under docs/images/. */
  file: string
  /** What the card must show (a header fragment), for the browser test. */
  header: RegExp
  /** Buttons the card must carry, text to URL prefix. */
  buttons: Record<string, string>
  run: RunOptions
}

// GitHub's example payloads are untyped JSON, edited freely below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = Record<string, any>
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string
  examples: Payload[]
}[]
const example = (event: string, pick: (payload: Payload) => boolean = () => true): Payload =>
  structuredClone(examples.find((e) => e.name === event)!.examples.find(pick)!)

const RUN = 'https://github.com/octo-org/hello-world/actions/runs/1658821493'
/** The failed run of the status-failure picture: its job failed at a named step, read from the jobs API. */
const FAILED_RUN_ID = 1658821494
const FAILED_RUN = `https://github.com/octo-org/hello-world/actions/runs/${FAILED_RUN_ID}`
const FAILED_RUNNER = 'GitHub Actions 3'

function scenarioList(): Scenario[] {
  const push = example('push')
  const deployment = example('deployment_status')
  deployment.deployment_status.environment_url = 'https://hello-world.example.com/'
  const release = example('release', (p) => p.action === 'published')
  release.release.name = 'Hello World 1.2.0'
  release.release.tag_name = 'v1.2.0'
  release.release.body = [
    "## What's new",
    '',
    '- **Faster builds**: the cache is shared between jobs',
    '- Deploy cards update in place ([#42](https://github.com/octo-org/hello-world/pull/42))',
    '',
    '## Fixes',
    '',
    '- Branch names with `/` link correctly',
  ].join('\n')
  const pr = example('pull_request', (p) => p.action === 'opened')
  pr.pull_request.labels = [{ name: 'enhancement' }, { name: 'docs' }]
  return [
    {
      file: 'status-success.png',
      header: /CI succeeded/,
      buttons: { 'View run': RUN, 'View commit': 'https://github.com/octo-org/hello-world/commit/' },
      run: { event: push, env: { GITHUB_SHA: String(push.after) } },
    },
    {
      file: 'status-failure.png',
      header: /CI failed/,
      buttons: { 'View job': `${FAILED_RUN}/job/`, 'View run': FAILED_RUN },
      run: {
        jobStatus: 'failure',
        event: push,
        env: { GITHUB_SHA: String(push.after), GITHUB_RUN_ID: String(FAILED_RUN_ID), RUNNER_NAME: FAILED_RUNNER },
        inputs: { mention: 'users/123456789', text: 'Tests failed on main.', 'github-token': 'ghs_showcase' },
      },
    },
    {
      file: 'deploy.png',
      header: /Deploy/,
      buttons: { 'Open app': 'https://hello-world.example.com/', 'View run': RUN },
      run: {
        event: deployment,
        eventName: 'deployment_status',
        env: { GITHUB_WORKFLOW: 'Deploy', GITHUB_JOB: 'production' },
        inputs: { card: 'deploy', version: 'v1.2.0' },
      },
    },
    {
      file: 'release.png',
      header: /1\.2\.0/,
      buttons: { Compare: 'https://github.com/octo-org/hello-world/compare/v1.1.0...v1.2.0' },
      run: {
        event: release,
        eventName: 'release',
        env: { GITHUB_REF: 'refs/tags/v1.2.0', GITHUB_WORKFLOW: 'Release' },
        inputs: { card: 'release', 'previous-tag': 'v1.1.0' },
      },
    },
    {
      file: 'pull-request.png',
      header: /#2|README/,
      buttons: { 'View pull request': 'https://github.com/octo-org/hello-world/pull/2' },
      run: {
        event: pr,
        eventName: 'pull_request',
        env: { GITHUB_HEAD_REF: 'changes', GITHUB_WORKFLOW: 'PR checks' },
        inputs: { card: 'pull-request' },
      },
    },
    {
      file: 'workflow.png',
      header: /CI failed/,
      buttons: { 'View run': RUN },
      run: { inputs: { card: 'workflow', 'github-token': 'ghs_showcase' }, env: { GITHUB_JOB: 'notify' } },
    },
  ]
}

const JOBS = [
  { name: 'lint', conclusion: 'success', done: '10:00:41' },
  { name: 'build', conclusion: 'success', done: '10:02:13' },
  { name: 'test (ubuntu-latest, 22)', conclusion: 'success', done: '10:04:02' },
  { name: 'test (ubuntu-latest, 24)', conclusion: 'failure', done: '10:03:27' },
  { name: 'test (windows-latest, 24)', conclusion: 'success', done: '10:06:55' },
  { name: 'e2e', conclusion: 'skipped', done: '10:06:56' },
]

/** Runs every scenario through `emulator` (which must count SCENARIO_SPACE among its members). */
export async function runScenarios(
  emulator: Emulator,
  caCertPath: string,
): Promise<{ scenario: Scenario; result: RunResult }[]> {
  const key = createServiceAccountKey({ projectId: 'showcase' })
  emulator.addServiceAccount(key.key.client_email, key.publicKeyPem, key.key.private_key_id)
  const github = createGitHubApi()
  github.setRun({
    repository: 'octo-org/hello-world',
    runId: 1658821493,
    jobs: JOBS.map((job) => ({
      name: job.name,
      conclusion: job.conclusion,
      created_at: '2026-11-26T10:00:00Z',
      started_at: '2026-11-26T10:00:00Z',
      completed_at: `2026-11-26T${job.done}Z`,
    })),
  })
  // The failed job as GitHub shows it while its last step (this notification) runs: 3 min 27 s in.
  const started = Date.now() - 207_000
  const at = (seconds: number) => new Date(started + seconds * 1000).toISOString()
  github.setRun({
    repository: 'octo-org/hello-world',
    runId: FAILED_RUN_ID,
    jobs: [
      {
        name: 'test',
        status: 'in_progress',
        runner_name: FAILED_RUNNER,
        started_at: at(0),
        steps: [
          { name: 'Set up job', started_at: at(0), completed_at: at(2) },
          { name: 'Run actions/checkout@v5', started_at: at(2), completed_at: at(4) },
          { name: 'Run npm test', conclusion: 'failure', started_at: at(4), completed_at: at(205) },
          { name: 'Notify Google Chat', status: 'in_progress', started_at: at(206) },
        ],
      },
    ],
  })
  emulator.addHost('api.github.com', github.handle)
  const results = []
  for (const scenario of scenarioList()) {
    const result = await runAction({
      ...scenario.run,
      proxy: { url: emulator.proxyUrl, caCertPath },
      inputs: { credentials: key.json, space: SCENARIO_SPACE, ...scenario.run.inputs },
    })
    if (result.code !== 0 || /::(warning|error)::/.test(result.log)) {
      throw new Error(`scenario ${scenario.file} failed:\n${result.log}`)
    }
    results.push({ scenario, result })
  }
  return results
}
