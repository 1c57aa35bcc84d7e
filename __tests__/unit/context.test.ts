import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, test } from '@jest/globals'
import { describeRun } from '../../src/github/run-context.ts'
import { buildMessage } from '../../src/message/build.ts'
import { cardUrls, githubContext, settings, SHA } from '../fixtures/samples.ts'

type Payload = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const require = createRequire(import.meta.url)
const examples = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8')) as {
  name: string
  examples: Payload[]
}[]

function example(event: string, pick: (payload: Payload) => boolean = () => true): Payload {
  const found = examples.find((definition) => definition.name === event)?.examples.find(pick)
  if (!found) throw new Error(`no ${event} example`)
  return found
}

const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'Codertocat/Hello-World' }
const repoUrl = 'https://github.com/Codertocat/Hello-World'

describe('describeRun', () => {
  test('push to a branch: branch from refs/heads, commit from after, title = first line of head_commit.message', () => {
    const payload = structuredClone(example('push', (p) => p.ref === 'refs/heads/master' && p.head_commit))
    payload.head_commit.message = 'Fix the flaky test\n\nLonger explanation\nCo-authored-by: someone'
    const run = describeRun(
      githubContext({ payload, eventName: 'push', sha: payload.after, ref: payload.ref, serverUrl: '' }),
      env,
    )
    expect(run.ref).toEqual({ name: 'master', kind: 'branch', url: `${repoUrl}/tree/master` })
    expect(run.commit).toEqual({
      sha: payload.after,
      shortSha: payload.after.slice(0, 7),
      url: `${repoUrl}/commit/${payload.after}`,
      title: 'Fix the flaky test',
    })
    expect(run.pullRequest).toBeUndefined()
    expect(run.repositoryUrl).toBe(repoUrl)
  })

  test('a CRLF commit message still yields its first line', () => {
    const payload = { head_commit: { id: SHA, message: 'Title line\r\nBody' } }
    expect(describeRun(githubContext({ payload }), env).commit?.title).toBe('Title line')
  })

  test('branch names with slashes keep them in the URL; other characters are encoded', () => {
    const run = describeRun(githubContext({ ref: 'refs/heads/feature/a b#c?d' }), env)
    expect(run.ref?.name).toBe('feature/a b#c?d')
    expect(run.ref?.url).toBe(`${repoUrl}/tree/feature/a%20b%23c%3Fd`)
  })

  test('pull_request: head branch, PR head commit (not the merge commit), PR link', () => {
    const payload = example('pull_request', (p) => p.action === 'opened')
    const run = describeRun(
      githubContext({ payload, eventName: 'pull_request', sha: SHA, ref: `refs/pull/${payload.number}/merge` }),
      { ...env, GITHUB_HEAD_REF: payload.pull_request.head.ref, GITHUB_BASE_REF: 'master' },
    )
    expect(run.ref).toMatchObject({ name: payload.pull_request.head.ref, kind: 'branch' })
    expect(run.commit?.sha).toBe(payload.pull_request.head.sha)
    expect(run.commit?.sha).not.toBe(SHA)
    expect(run.pullRequest).toEqual({
      number: payload.number,
      title: payload.pull_request.title,
      url: `${repoUrl}/pull/${payload.number}`,
    })
    const message = buildMessage(settings(), run)
    const urls = cardUrls(message)
    expect(urls).toContain(`${repoUrl}/pull/${payload.number}`)
    expect(urls).toContain(`${repoUrl}/commit/${payload.pull_request.head.sha}`)
    const buttons = message.cardsV2?.[0]?.card?.sections?.[1]?.widgets?.[0]?.buttonList?.buttons ?? []
    expect(buttons.find((b) => b.text === 'View pull request')?.onClick?.openLink?.url).toBe(
      `${repoUrl}/pull/${payload.number}`,
    )
  })

  test('GITHUB_HEAD_REF wins over refs/pull/N/merge even without the payload', () => {
    const run = describeRun(githubContext({ ref: 'refs/pull/7/merge' }), { ...env, GITHUB_HEAD_REF: 'topic/x' })
    expect(run.ref).toMatchObject({ name: 'topic/x', kind: 'branch', url: `${repoUrl}/tree/topic/x` })
  })

  test('tag ref: kind tag, release URL', () => {
    const run = describeRun(githubContext({ ref: 'refs/tags/v1.2.3' }), env)
    expect(run.ref).toEqual({ name: 'v1.2.3', kind: 'tag', url: `${repoUrl}/releases/tag/v1.2.3` })
    const message = buildMessage(settings(), run)
    const facts = message.cardsV2?.[0]?.card?.sections?.[0]?.widgets ?? []
    expect(facts.some((w) => w.decoratedText?.topLabel === 'Tag' && w.decoratedText.text?.includes('v1.2.3'))).toBe(
      true,
    )
  })

  test('another ref (refs/pull/N/merge without head ref) is kind ref and links the repository', () => {
    const run = describeRun(githubContext({ ref: 'refs/pull/7/merge' }), { ...env, GITHUB_REF_NAME: '7/merge' })
    expect(run.ref).toEqual({ name: '7/merge', kind: 'ref', url: repoUrl })
  })

  test('run attempt 2: run URL ends with /attempts/2', () => {
    const run = describeRun(githubContext({ runId: 987, runAttempt: 2 }), env)
    expect(run.runUrl).toBe(`${repoUrl}/actions/runs/987/attempts/2`)
    expect(run.runAttempt).toBe(2)
  })

  test('first attempt: plain run URL', () => {
    expect(describeRun(githubContext({ runId: 987, runAttempt: 1 }), env).runUrl).toBe(`${repoUrl}/actions/runs/987`)
  })

  test('falls back to GITHUB_* variables when the context lacks numbers', () => {
    const run = describeRun(
      githubContext({ runId: NaN, runNumber: 0, runAttempt: undefined as unknown as number, workflow: '', job: '' }),
      { ...env, GITHUB_RUN_ID: '555', GITHUB_RUN_NUMBER: '9', GITHUB_WORKFLOW: 'Deploy', GITHUB_JOB: 'ship' },
    )
    expect(run.runUrl).toBe(`${repoUrl}/actions/runs/555`)
    expect(run.runNumber).toBe('9')
    expect(run.runAttempt).toBe(1)
    expect(run.workflow).toBe('Deploy')
    expect(run.job).toBe('ship')
  })

  test('workflow_run: the triggering run’s head commit and branch, not the default branch', () => {
    const payload = example('workflow_run', (p) => p.workflow_run.head_commit?.message)
    const run = describeRun(
      githubContext({ payload, eventName: 'workflow_run', sha: SHA, ref: 'refs/heads/default-branch' }),
      env,
    )
    expect(run.commit?.sha).toBe(payload.workflow_run.head_sha)
    expect(run.commit?.title).toBe(payload.workflow_run.head_commit.message.split('\n')[0])
    expect(run.ref).toMatchObject({ name: payload.workflow_run.head_branch, kind: 'branch' })
  })

  test('GITHUB_TRIGGERING_ACTOR (who re-ran) wins over the context actor', () => {
    expect(describeRun(githubContext({ actor: 'a' }), { ...env, GITHUB_TRIGGERING_ACTOR: 'b' }).actor).toBe('b')
    expect(describeRun(githubContext({ actor: 'a' }), env).actor).toBe('a')
  })

  test('GHES: every URL uses the server URL, trailing slash removed', () => {
    const run = describeRun(githubContext({ serverUrl: '' }), {
      GITHUB_SERVER_URL: 'https://ghes.example.com/',
      GITHUB_REPOSITORY: 'org/repo',
    })
    expect(run.serverUrl).toBe('https://ghes.example.com')
    expect(run.repositoryUrl).toBe('https://ghes.example.com/org/repo')
    for (const url of [run.runUrl, run.ref?.url, run.commit?.url]) {
      expect(url?.startsWith('https://ghes.example.com/org/repo/')).toBe(true)
    }
  })

  test('the repository falls back to the payload', () => {
    const run = describeRun(githubContext({ payload: { repository: { full_name: 'x/y' } } }), {})
    expect(run.repository).toBe('x/y')
    expect(run.repositoryUrl).toBe('https://github.com/x/y')
  })

  test('a missing or malformed sha gives no commit rather than a broken link', () => {
    expect(describeRun(githubContext({ sha: '' }), env).commit).toBeUndefined()
    expect(describeRun(githubContext({ sha: 'not-a-sha' }), env).commit).toBeUndefined()
    expect(describeRun(githubContext({ sha: '../../evil' }), env).commit).toBeUndefined()
  })

  test('an empty payload does not throw', () => {
    expect(() => describeRun(githubContext({ payload: undefined as unknown as Payload }), {})).not.toThrow()
  })
})

describe('describeRun on a deleted branch', () => {
  test('a push whose after is forty zeros has no commit to link', () => {
    const payload = { ...example('push'), after: '0'.repeat(40), head_commit: null, deleted: true }
    const run = describeRun(githubContext({ payload, eventName: 'push', sha: '0'.repeat(40) }), env)
    expect(run.commit).toBeUndefined()
    expect(JSON.stringify(buildMessage(settings(), run))).not.toContain('/commit/0000000')
  })
})
