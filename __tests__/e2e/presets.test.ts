// Issue 3 end to end: every card preset on real event payloads, the workflow card from the GitHub API (through
// the same proxy), mentions. Each test runs `node dist/index.js` through the emulator, which validates every
// message against Google's discovery document and Chat's limits.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { createRequire } from 'node:module'
import { createGitHubApi, type GitHubApi } from '../../emulator/github-api.ts'
import { MEMBER_SPACE, buttons, cardOf, facts, startGoogle, type GoogleFixture } from '../fixtures/google-emulator.ts'

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string
  examples: Record<string, unknown>[]
}[]
// GitHub's example payloads are untyped JSON, edited freely below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = Record<string, any>
const example = (event: string, pick: (payload: Payload) => boolean = () => true): Payload =>
  structuredClone(examples.find((e) => e.name === event)!.examples.find(pick)!)

let google: GoogleFixture
let github: GitHubApi
beforeAll(async () => {
  google = await startGoogle()
  github = createGitHubApi()
  google.emulator.addHost('api.github.com', github.handle)
})
afterAll(async () => google.close())
beforeEach(() => {
  google.emulator.reset()
  github.reset()
})

const posted = () => google.emulator.messages(MEMBER_SPACE)
const cardText = () => JSON.stringify(posted()[0]!.cardsV2)

const EVENTS: [string, Payload, Record<string, string>][] = [
  ['push', example('push'), {}],
  ['pull_request', example('pull_request', (p) => p.action === 'opened'), { GITHUB_HEAD_REF: 'changes' }],
  ['release', example('release', (p) => p.action === 'published'), { GITHUB_REF: 'refs/tags/0.0.1' }],
  ['deployment_status', example('deployment_status'), {}],
  ['workflow_dispatch', example('workflow_dispatch'), {}],
  ['schedule', {}, {}],
  ['workflow_run', example('workflow_run'), {}],
]

describe('every preset on every event type is a valid Chat message', () => {
  test.each(
    EVENTS.flatMap(([event, payload, env]) =>
      ['status', 'deploy', 'release', 'pull-request', 'workflow'].map((card) => [card, event, payload, env] as const),
    ),
  )('%s card on %s', async (card, eventName, event, env) => {
    const result = await google.run({ event, eventName, env, inputs: { card } })
    expect(result.log).not.toMatch(/::(warning|error)::/)
    expect(result.code).toBe(0)
    const [message] = posted()
    expect(posted()).toHaveLength(1)
    // Every link on the card leads to this GitHub server (deploy URLs and release notes aside).
    const links = buttons(cardOf(message!))
    expect(links['View run']).toBe('https://github.com/octo-org/hello-world/actions/runs/1658821493')
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(32_000)
  })
})

describe('deploy', () => {
  test('deployment_status: environment, URL and Open app from the event; the status from the job', async () => {
    const event = example('deployment_status')
    event.deployment_status.environment_url = 'https://staging.example.com/'
    const result = await google.run({
      jobStatus: 'failure',
      event,
      eventName: 'deployment_status',
      inputs: { card: 'deploy' },
    })
    expect(result.code).toBe(0)
    const card = cardOf(posted()[0]!)
    expect(card.header!.title).toMatch(/failed/)
    expect(facts(card).Environment).toContain(event.deployment_status.environment)
    expect(buttons(card)['Open app']).toBe('https://staging.example.com/')
  })

  test('inputs override the event, and a javascript: URL never becomes a button', async () => {
    await google.run({
      inputs: {
        card: 'deploy',
        environment: 'production',
        'environment-url': 'javascript:alert(1)',
        version: 'v2.3.4',
      },
    })
    const card = cardOf(posted()[0]!)
    expect(facts(card).Environment).toContain('production')
    expect(JSON.stringify(facts(card))).toContain('v2.3.4')
    expect(buttons(card)['Open app']).toBeUndefined()
    expect(cardText()).not.toContain('href="javascript:')
  })
})

describe('release', () => {
  test('notes from GitHub Markdown, truncated with Read more; Compare with the previous tag', async () => {
    const event = example('release', (p) => p.action === 'published')
    event.release.body = `## What's new\n\n- **Faster** builds <users/all>\n- [docs](https://example.com/docs) and [x](javascript:alert(1))\n\n${'Long paragraph. '.repeat(1500)}`
    const result = await google.run({
      event,
      eventName: 'release',
      env: { GITHUB_REF: `refs/tags/${event.release.tag_name}` },
      inputs: { card: 'release', 'previous-tag': '0.0.0' },
    })
    expect(result.code).toBe(0)
    const card = cardOf(posted()[0]!)
    const text = cardText()
    expect(text).toContain('<b>Faster</b>')
    expect(text).toContain('<a href=\\"https://example.com/docs\\">docs</a>')
    expect(text).not.toContain('javascript:')
    expect(text).not.toContain('<users/all>')
    expect(text).toMatch(/Read more/)
    expect(buttons(card).Compare).toBe(
      `https://github.com/octo-org/hello-world/compare/0.0.0...${event.release.tag_name}`,
    )
    expect(Buffer.byteLength(JSON.stringify(posted()[0]))).toBeLessThanOrEqual(32_000)
  })
})

describe('pull request', () => {
  test('a merged pull request: number, title, branches, state, labels, button', async () => {
    const event = example('pull_request', (p) => p.action === 'closed')
    Object.assign(event.pull_request, { merged: true, merged_at: '2026-11-26T10:00:00Z', state: 'closed' })
    event.pull_request.labels = [{ name: 'bug' }, { name: '<users/all>' }]
    await google.run({
      event,
      eventName: 'pull_request',
      env: { GITHUB_HEAD_REF: event.pull_request.head.ref },
      inputs: { card: 'pull-request' },
    })
    const card = cardOf(posted()[0]!)
    const text = cardText()
    expect(text).toMatch(/[Mm]erged/)
    expect(text).toContain('bug')
    expect(text).toContain('&lt;users/all&gt;')
    expect(Object.values(buttons(card))).toContain(
      `https://github.com/octo-org/hello-world/pull/${event.pull_request.number}`,
    )
  })
})

describe('workflow: one card for the whole run', () => {
  const jobs = Array.from({ length: 60 }, (_, i) => ({
    name: `test (${i})`,
    conclusion: i % 9 === 3 ? 'failure' : 'success',
    started_at: '2026-11-26T10:00:00Z',
    completed_at: `2026-11-26T10:0${i % 10}:12Z`,
  }))

  test('60 jobs, 7 failed: the run failed, the failed jobs are linked, durations read naturally', async () => {
    github.setRun({ repository: 'octo-org/hello-world', runId: 1658821493, attempt: 1, jobs })
    const result = await google.run({ inputs: { card: 'workflow', 'github-token': 'ghs_test' } })
    expect(result.code).toBe(0)
    const card = cardOf(posted()[0]!)
    expect(card.header!.title).toMatch(/failed/)
    const text = cardText()
    const failed = jobs.filter((j) => j.conclusion === 'failure')
    expect(failed).toHaveLength(7)
    for (const job of failed) expect(text).toContain(job.name.replace(/[()]/g, (c) => c))
    expect(text).toMatch(/\d+m \d+s|\d+s/)
    const api = google.emulator.requests.filter((r) => r.host === 'api.github.com')
    expect(api.length).toBeGreaterThanOrEqual(1)
    expect(api[0]!.path).toBe('/repos/octo-org/hello-world/actions/runs/1658821493/attempts/1/jobs')
    expect(String(api[0]!.headers.authorization)).toMatch(/ghs_test/)
  })

  test('without actions: read it degrades to what the job knows and says so once', async () => {
    github.setRun({ repository: 'octo-org/hello-world', runId: 1658821493, attempt: 1, jobs })
    github.forbidActionsRead(true)
    const result = await google.run({ inputs: { card: 'workflow', 'github-token': 'ghs_test' } })
    expect(result.code).toBe(0)
    expect(posted()).toHaveLength(1)
    const notes = result.log.split('\n').filter((l) => l.includes('The workflow card shows what this job knows'))
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/actions: read/)
  })
})

describe('mentions', () => {
  const commitBy = (login: string) => {
    const event = example('push')
    event.head_commit = {
      ...event.head_commit,
      id: event.after,
      message: 'Break <users/all>',
      author: { ...event.head_commit.author, username: login },
    }
    return event
  }

  test('on failure: the configured users and the mapped commit author, in the text; never from event data', async () => {
    const event = commitBy('octocat')
    const result = await google.run({
      jobStatus: 'failure',
      event,
      env: { GITHUB_SHA: event.after },
      inputs: { mention: 'users/111', 'user-map': '{"octocat": "users/222"}', text: 'Build broke' },
    })
    expect(result.code).toBe(0)
    const text = posted()[0]!.text!
    expect(text).toMatch(/^<users\/111> <users\/222> Build broke$/)
    expect(JSON.stringify(posted()[0])).not.toContain('<users/all>')
  })

  test('on success nobody is mentioned (mention-on defaults to failure); always mentions', async () => {
    await google.run({ inputs: { mention: 'users/111' } })
    expect(posted()[0]!.text ?? '').not.toContain('<users/')
    await google.run({ inputs: { mention: 'all', 'mention-on': 'always' } })
    expect(posted()[1]!.text).toBe('<users/all>')
  })

  test('a bad user id is an input error naming the input', async () => {
    const result = await google.run({ inputs: { mention: 'users/all>, <https://evil' } })
    expect(result.code).toBe(1)
    expect(result.log).toMatch(/::error::google-chat-notify: Input 'mention'/)
  })
})

describe('matrix and fields', () => {
  test('a matrix job shows its values; fields choose and order the facts', async () => {
    await google.run({ inputs: { matrix: '{"os":"ubuntu-latest","node":"24"}' } })
    expect(facts(cardOf(posted()[0]!)).Matrix).toMatch(/os.*ubuntu-latest.*node.*24/)
    await google.run({ inputs: { fields: 'commit, branch' } })
    expect(Object.keys(facts(cardOf(posted()[1]!)))).toEqual(['Commit', 'Branch'])
    const bad = await google.run({ inputs: { fields: 'commit, colour' } })
    expect(bad.code).toBe(1)
    expect(bad.log).toMatch(/Input 'fields'.*colour/)
  })
})
