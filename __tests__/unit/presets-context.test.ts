// What describeRun now reads for the presets: pull request details, deployments, releases, the triggering run,
// from GitHub's examples, and defensively from payloads of the wrong shape.
import { describe, expect, test } from '@jest/globals'
import { describeRun } from '../../src/github/run-context.ts'
import {
  githubContext,
  runFromEvent,
  SHA,
  webhookDefinitions,
  webhookExample,
  webhookSources,
} from '../fixtures/samples.ts'

const REPO = 'https://github.com/Codertocat/Hello-World'

describe('pull request details', () => {
  test('opened: author, branches, open, labels', () => {
    const payload = webhookExample('pull_request', (p) => p.action === 'opened' && p.pull_request.labels.length > 0)
    const pr = payload.pull_request
    expect(runFromEvent('pull_request', payload).pullRequestDetails).toEqual({
      author: pr.user.login,
      baseRef: pr.base.ref,
      headRef: pr.head.ref,
      state: 'open',
      merged: false,
      draft: false,
      labels: pr.labels.map((label: { name: string }) => label.name),
    })
  })

  test('merged wins over closed; draft only while open', () => {
    const payload = webhookExample('pull_request', (p) => p.action === 'closed')
    expect(runFromEvent('pull_request', payload).pullRequestDetails?.state).toBe('closed')
    payload.pull_request.merged_at = '2024-05-01T10:00:00Z'
    expect(runFromEvent('pull_request', payload).pullRequestDetails).toMatchObject({ state: 'merged', merged: true })
    const draft = webhookExample('pull_request', (p) => p.pull_request.draft === true)
    expect(runFromEvent('pull_request', draft).pullRequestDetails).toMatchObject({ state: 'draft', draft: true })
    draft.pull_request.state = 'closed'
    expect(runFromEvent('pull_request', draft).pullRequestDetails?.state).toBe('closed')
  })

  test('a fork’s head is owner:branch', () => {
    const payload = webhookExample('pull_request')
    payload.pull_request.head.repo.full_name = 'forker/Hello-World'
    payload.pull_request.head.user.login = 'forker'
    expect(runFromEvent('pull_request', payload).pullRequestDetails?.headLabel).toBe(
      `forker:${payload.pull_request.head.ref}`,
    )
  })
})

describe('deployments and releases', () => {
  test('deployment_status: the status and its deployment', () => {
    const payload = webhookExample('deployment_status', (p) => Boolean(p.deployment_status.target_url))
    const run = runFromEvent('deployment_status', payload)
    expect(run.deploymentStatus).toEqual({
      state: 'in_progress',
      environment: 'github-pages',
      targetUrl: payload.deployment_status.target_url,
      creator: payload.deployment_status.creator.login,
    })
    expect(run.deployment).toMatchObject({ environment: 'github-pages', ref: 'master', sha: payload.deployment.sha })
    // Its payload also carries the workflow run that deployed; that is not what this run is about.
    expect(payload.workflow_run).toBeDefined()
    expect(run.workflowRun).toBeUndefined()
    expect(run.commit?.sha).toBe(payload.deployment.sha)
  })

  test('deployment: environment, ref, SHA, task, creator; web_url from its payload', () => {
    const payload = webhookExample('deployment')
    payload.deployment.payload = { web_url: 'https://preview.example.com' }
    expect(runFromEvent('deployment', payload).deployment).toEqual({
      id: payload.deployment.id,
      environment: 'production',
      ref: 'master',
      sha: payload.deployment.sha,
      task: 'deploy',
      creator: 'Codertocat',
      webUrl: 'https://preview.example.com',
    })
  })

  test('release: tag, name, notes, author, flags, and its page on this server (not the payload’s html_url)', () => {
    const payload = webhookExample('release', (p) => p.action === 'published')
    payload.release.name = 'v1'
    payload.release.body = '## Notes'
    const run = runFromEvent('release', payload, { serverUrl: 'https://ghes.example.com' })
    expect(run.release).toEqual({
      tagName: '0.0.1',
      name: 'v1',
      body: '## Notes',
      author: 'Codertocat',
      prerelease: false,
      draft: false,
      publishedAt: payload.release.published_at,
      url: 'https://ghes.example.com/Codertocat/Hello-World/releases/tag/0.0.1',
    })
  })

  test('workflow_run: the triggering run, linked on this server with its attempt', () => {
    const payload = webhookExample('workflow_run')
    payload.workflow_run.run_attempt = 2
    const run = runFromEvent('workflow_run', payload)
    expect(run.workflowRun).toMatchObject({
      id: payload.workflow_run.id,
      name: payload.workflow_run.name,
      headBranch: payload.workflow_run.head_branch,
      startedAt: payload.workflow_run.run_started_at,
      url: `${REPO}/actions/runs/${payload.workflow_run.id}/attempts/2`,
    })
  })

  test('push: the head commit’s author', () => {
    const payload = webhookExample('push', (p) => Boolean(p.head_commit))
    expect(runFromEvent('push', payload).commitAuthor).toEqual({
      login: payload.head_commit.author.username,
      name: payload.head_commit.author.name,
    })
  })
})

describe('defensively', () => {
  test('a push has none of the new fields (they are absent, not undefined)', () => {
    const run = describeRun(githubContext(), { GITHUB_REPOSITORY: 'o/r' })
    for (const key of [
      'pullRequestDetails',
      'commitAuthor',
      'deployment',
      'deploymentStatus',
      'release',
      'workflowRun',
    ]) {
      expect(Object.hasOwn(run, key)).toBe(false)
    }
  })

  test.each([
    [
      'strings where objects go',
      { pull_request: { number: 1, user: 'x', base: 'y', labels: 'z' }, release: 'r', deployment: 7 },
    ],
    [
      'arrays and nulls',
      { pull_request: { number: 1, labels: [null, 3, { name: 5 }, { name: 'ok' }] }, deployment: [], release: null },
    ],
    [
      'wrong types',
      {
        deployment: { id: -1, environment: 3, payload: 'x' },
        release: { tag_name: 5 },
        deployment_status: { state: {} },
      },
    ],
    ['blank strings', { release: { tag_name: '  ' }, head_commit: { author: { name: '', username: '' } } }],
  ])('%s: no throw, nothing invented', (_, payload) => {
    const run = describeRun(githubContext({ payload: payload as Record<string, unknown> }), {
      GITHUB_REPOSITORY: 'o/r',
    })
    expect(run.release).toBeUndefined()
    expect(run.commitAuthor).toBeUndefined()
    if (run.pullRequestDetails) {
      expect(run.pullRequestDetails.author).toBeUndefined()
      expect((run.pullRequestDetails.labels ?? []).every((label) => typeof label === 'string')).toBe(true)
    }
    expect(run.deployment?.environment).toBeUndefined()
    expect(run.deploymentStatus?.state).toBeUndefined()
    expect(run.commit?.sha).toBe(SHA)
  })

  test('every example of every event in every source: describeRun takes it without throwing', () => {
    let count = 0
    for (const source of webhookSources()) {
      for (const definition of webhookDefinitions(source)) {
        for (const payload of definition.examples) {
          expect(() => runFromEvent(definition.name, payload)).not.toThrow()
          count++
        }
      }
    }
    expect(count).toBeGreaterThan(500)
  })
})
