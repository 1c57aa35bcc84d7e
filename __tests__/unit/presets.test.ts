// Each preset on GitHub's own example payloads: the facts it shows, where its links and buttons go, its headline,
// and the defaults it takes from the event. Limits and hostile input: presets-limits.test.ts; every example of every
// event: presets-examples.test.ts.
import { describe, expect, test } from '@jest/globals'
import type { chat_v1 } from '@googleapis/chat'
import type { RunContext } from '../../src/github/run-context.ts'
import { InputError } from '../../src/errors.ts'
import type { Status } from '../../src/domain.ts'
import { buildMessage } from '../../src/message/build.ts'
import { headline } from '../../src/message/status-card.ts'
import {
  FACT_NAMES,
  PRESETS,
  renderPreset,
  summarizeRun,
  type CardOptions,
  type Preset,
} from '../../src/message/presets/index.ts'
import { parseFields, parseMatrix, parsePreset } from '../../src/inputs/card-options.ts'
import { runContext, runFromEvent, RUN_START, webhookExample, workflowJobs } from '../fixtures/samples.ts'

type Card = chat_v1.Schema$CardWithId

const REPO = 'https://github.com/Codertocat/Hello-World'
const RUN_URL = `${REPO}/actions/runs/1658821493`

/** The facts as label → HTML, in order. */
function facts(card: Card): Record<string, string> {
  const out: Record<string, string> = {}
  for (const widget of card.card?.sections?.[0]?.widgets ?? []) {
    if (widget.decoratedText?.topLabel) out[widget.decoratedText.topLabel] = widget.decoratedText.text ?? ''
  }
  return out
}

function labels(card: Card): string[] {
  return Object.keys(facts(card))
}

/** The buttons as label → URL, in order. */
function buttons(card: Card): Record<string, string> {
  const out: Record<string, string> = {}
  for (const section of card.card?.sections ?? []) {
    for (const widget of section.widgets ?? []) {
      for (const b of widget.buttonList?.buttons ?? []) out[b.text ?? ''] = b.onClick?.openLink?.url ?? ''
    }
  }
  return out
}

function section(card: Card, header: string): chat_v1.Schema$GoogleAppsCardV1Section | undefined {
  return card.card?.sections?.find((s) => s.header === header)
}

function title(card: Card): string {
  return card.card?.header?.title ?? ''
}

const options = (overrides: Partial<CardOptions> = {}): CardOptions => ({ status: 'success', ...overrides })

function buildCard(preset: Preset, run: RunContext, cardOptions: CardOptions): Card {
  return renderPreset(preset, run, cardOptions).card
}

describe('status', () => {
  test('without fields: the card the default path builds, headline as fallback', () => {
    const run = runFromEvent(
      'push',
      webhookExample('push', (p) => Boolean(p.head_commit)),
    )
    for (const status of ['success', 'failure'] as Status[]) {
      const { card, fallbackText } = renderPreset('status', run, { status })
      const built = buildMessage({ status, title: '', text: '', card: 'status' }, run)
      expect(card).toEqual(built.cardsV2?.[0])
      expect(fallbackText).toBe(built.fallbackText)
      expect(fallbackText).toBe(headline(run, { status, title: '' }))
      expect(fallbackText).toBe(card.card?.header?.title)
      expect(labels(card)).toEqual(['Tag', 'Commit', 'Triggered by'])
    }
    const titled = renderPreset('status', run, { status: 'success', title: 'Nightly *build*' })
    const builtTitled = buildMessage({ status: 'success', title: 'Nightly *build*', text: '', card: 'status' }, run)
    expect(titled.card).toEqual(builtTitled.cardsV2?.[0])
    expect(titled.card.card?.header?.title).toBe('Nightly *build*')
    expect(titled.fallbackText).toBe('Nightly *build*')
  })

  test('a matrix job adds its values after the other facts, escaped', () => {
    const run = runContext()
    const card = buildCard('status', run, options({ matrix: { os: 'ubuntu-latest', node: '24', evil: '<users/all>' } }))
    const all = facts(card)
    expect(labels(card).at(-1)).toBe('Matrix')
    expect(all.Matrix).toBe('os: ubuntu-latest, node: 24, evil: &lt;users/all&gt;')
  })

  test('fields choose the facts and their order; facts the run lacks are left out', () => {
    const run = runContext()
    const card = buildCard('status', run, options({ fields: ['commit', 'status', 'labels', 'job', 'repository'] }))
    expect(labels(card)).toEqual(['Commit', 'Status', 'Job', 'Repository'])
    expect(buttons(card)).toEqual({ 'View run': run.runUrl, 'View commit': run.commit?.url })
  })
})

describe('deploy', () => {
  test('deployment_status: environment, URL, state and an Open app button, all from the event', () => {
    const payload = webhookExample('deployment_status', (p) => Boolean(p.deployment_status.target_url))
    const run = runFromEvent('deployment_status', payload)
    const { card, fallbackText } = renderPreset('deploy', run, options())
    const target = payload.deployment_status.target_url as string
    expect(fallbackText).toBe('✅ Deployed to github-pages')
    expect(title(card)).toBe('✅ Deployed to github-pages')
    const f = facts(card)
    expect(f.Status).toContain('Succeeded')
    expect(f.Environment).toBe('github-pages')
    expect(f.URL).toBe(`<a href="${target.replace(/&/g, '&amp;')}">${target.replace(/&/g, '&amp;')}</a>`)
    // The deployment's own state is a fact; the card's status stays the status input.
    expect(f.Deployment).toContain('in progress')
    expect(f.Ref).toBe(`<a href="${REPO}/tree/master">master</a>`)
    expect(f.Commit).toContain(`${REPO}/commit/${payload.deployment.sha}`)
    expect(buttons(card)).toEqual({ 'Open app': target, 'View run': RUN_URL })
  })

  test('environment_url wins over target_url; deployment.payload.web_url is the last resort', () => {
    const payload = webhookExample('deployment_status')
    payload.deployment_status.environment_url = 'https://app.example.com/'
    payload.deployment_status.target_url = 'https://ci.example.com/log'
    expect(buttons(buildCard('deploy', runFromEvent('deployment_status', payload), options()))['Open app']).toBe(
      'https://app.example.com/',
    )
    const deployment = webhookExample('deployment')
    deployment.deployment.payload = { web_url: 'https://preview-42.example.com' }
    const card = buildCard('deploy', runFromEvent('deployment', deployment), options())
    expect(buttons(card)['Open app']).toBe('https://preview-42.example.com/')
    expect(facts(card).Environment).toBe('production')
  })

  test('deployment without a URL: no Open app button, the ref and the deployed SHA', () => {
    const payload = webhookExample('deployment')
    const card = buildCard('deploy', runFromEvent('deployment', payload), options())
    expect(buttons(card)).toEqual({ 'View run': RUN_URL })
    expect(facts(card)).toMatchObject({ Environment: 'production', Ref: `<a href="${REPO}/tree/master">master</a>` })
    expect(facts(card).URL).toBeUndefined()
    expect(facts(card).Commit).toContain(payload.deployment.sha.slice(0, 7))
  })

  test('options override the event: environment, URL and version', () => {
    const run = runFromEvent('deployment_status', webhookExample('deployment_status'))
    const card = buildCard(
      'deploy',
      run,
      options({ environment: 'staging', environmentUrl: 'https://staging.example.com', version: 'v2.3.4' }),
    )
    expect(title(card)).toBe('✅ Deployed to staging')
    expect(facts(card)).toMatchObject({ Environment: 'staging', Version: 'v2.3.4' })
    expect(buttons(card)['Open app']).toBe('https://staging.example.com/')
  })

  test.each(['javascript:alert(1)', 'data:text/html,x', 'ftp://example.com', 'app.example.com'])(
    'an environment URL %j is shown as text, never linked',
    (url) => {
      const card = buildCard('deploy', runContext(), options({ environment: 'prod', environmentUrl: url }))
      expect(buttons(card)['Open app']).toBeUndefined()
      expect(facts(card).URL).not.toContain('<a')
    },
  )

  test('without a deployment: the branch (or tag) as the version; headlines for each status', () => {
    const run = runContext()
    expect(facts(buildCard('deploy', run, options())).Branch).toBe(`<a href="${run.ref?.url}">main</a>`)
    const tagged = runContext({
      ref: { name: 'v1.0.0', kind: 'tag', url: 'https://github.com/o/r/releases/tag/v1.0.0' },
    })
    expect(facts(buildCard('deploy', tagged, options())).Version).toContain('>v1.0.0</a>')
    expect(title(buildCard('deploy', run, options()))).toBe('✅ Deploy succeeded')
    const env = { environment: 'production' }
    expect(title(buildCard('deploy', run, options({ ...env, status: 'failure' })))).toBe(
      '❌ Deploy to production failed',
    )
    expect(title(buildCard('deploy', run, options({ ...env, status: 'in_progress' })))).toBe(
      '⏳ Deploy to production is in progress',
    )
    expect(title(buildCard('deploy', run, options({ ...env, status: 'started' })))).toBe(
      '🚀 Deploy to production started',
    )
  })

  test('a deployment of a bare SHA shows it as the commit, not as a ref', () => {
    const payload = webhookExample('deployment')
    payload.deployment.ref = payload.deployment.sha
    expect(facts(buildCard('deploy', runFromEvent('deployment', payload), options())).Ref).toBeUndefined()
  })
})

describe('release', () => {
  const published = () => webhookExample('release', (p) => p.action === 'published')

  test('release published: tag, author, release page and the run; Compare only with a previous tag', () => {
    const payload = published()
    const run = runFromEvent('release', payload)
    const card = buildCard('release', run, options())
    expect(title(card)).toBe('🎉 Released 0.0.1')
    expect(facts(card)).toMatchObject({
      Tag: `<a href="${REPO}/releases/tag/0.0.1">0.0.1</a>`,
      Author: '<a href="https://github.com/Codertocat">Codertocat</a>',
    })
    expect(buttons(card)).toEqual({ 'View release': `${REPO}/releases/tag/0.0.1`, 'View run': RUN_URL })
    const compared = buildCard('release', run, options({ previousTag: 'v0.0.0' }))
    expect(buttons(compared).Compare).toBe(`${REPO}/compare/v0.0.0...0.0.1`)
  })

  test('the release notes become a section of card HTML, with Read more to the release when long', () => {
    const payload = published()
    payload.release.name = 'Spring release'
    payload.release.body = `## Highlights\n* **Faster** builds\n* [Docs](https://example.com/docs)\n\n${'More. '.repeat(800)}`
    const card = buildCard('release', runFromEvent('release', payload), options())
    expect(title(card)).toBe('🎉 Released Spring release')
    const notes = section(card, 'Release notes')?.widgets?.[0]?.textParagraph?.text ?? ''
    expect(
      notes.startsWith('<b>Highlights</b><br>• <b>Faster</b> builds<br>• <a href="https://example.com/docs">'),
    ).toBe(true)
    expect(notes.length).toBeLessThanOrEqual(3000)
    expect(notes).toContain(`<a href="${REPO}/releases/tag/0.0.1">Read more</a>`)
  })

  test('a pre-release says so; a failed release workflow says that', () => {
    const payload = published()
    payload.release.prerelease = true
    const run = runFromEvent('release', payload)
    expect(title(buildCard('release', run, options()))).toBe('🎉 Released 0.0.1 (pre-release)')
    expect(facts(buildCard('release', run, options())).Tag).toContain('(pre-release)')
    expect(title(buildCard('release', run, options({ status: 'failure' })))).toBe('❌ Release 0.0.1 failed')
  })

  test('any run given a tag: the tag, no notes from an unrelated release', () => {
    const onPush = buildCard('release', runContext(), options({ tag: 'v3.1.0', previousTag: 'v3.0.0' }))
    expect(title(onPush)).toBe('🎉 Released v3.1.0')
    expect(buttons(onPush)).toMatchObject({
      'View release': 'https://github.com/octo-org/octo-repo/releases/tag/v3.1.0',
      Compare: 'https://github.com/octo-org/octo-repo/compare/v3.0.0...v3.1.0',
    })
    const payload = published()
    payload.release.body = 'notes of 0.0.1'
    const other = buildCard('release', runFromEvent('release', payload), options({ tag: 'v9' }))
    expect(section(other, 'Release notes')).toBeUndefined()
    expect(facts(other).Author).toBeUndefined()
  })

  test('a push of a tag is a release of that tag', () => {
    const tagged = runContext({ ref: { name: 'v1.2.3', kind: 'tag', url: 'x' } })
    expect(buttons(buildCard('release', tagged, options()))['View release']).toBe(
      'https://github.com/octo-org/octo-repo/releases/tag/v1.2.3',
    )
  })

  test('no tag at all: the releases page', () => {
    const card = buildCard('release', runContext(), options())
    expect(title(card)).toBe('✅ Release succeeded')
    expect(buttons(card)['View releases']).toBe('https://github.com/octo-org/octo-repo/releases')
  })

  test('a release name cannot mention anyone from the header', () => {
    const payload = published()
    payload.release.name = '<users/all> hi'
    expect(title(buildCard('release', runFromEvent('release', payload), options()))).toBe(
      '🎉 Released <\u200busers/all> hi',
    )
  })
})

describe('pull-request', () => {
  const opened = () => webhookExample('pull_request', (p) => p.action === 'opened' && p.pull_request.labels.length > 0)
  const closed = () => webhookExample('pull_request', (p) => p.action === 'closed')

  test('opened: number and title, open, author, base ← head, labels; buttons to the PR and the run', () => {
    const payload = opened()
    const pr = payload.pull_request
    const card = buildCard('pull-request', runFromEvent('pull_request', payload), options())
    expect(title(card)).toBe(`✅ #${pr.number}: ${pr.title}`)
    const f = facts(card)
    expect(f['Pull request']).toBe(`<a href="${REPO}/pull/${pr.number}">#${pr.number}</a> ${pr.title}`)
    expect(f.State).toContain('Open')
    expect(f.Author).toBe(`<a href="https://github.com/${pr.user.login}">${pr.user.login}</a>`)
    expect(f.Branches).toBe(
      `<a href="${REPO}/tree/${pr.base.ref}">${pr.base.ref}</a> ← <a href="${REPO}/tree/${pr.head.ref}">${pr.head.ref}</a>`,
    )
    expect(f.Labels).toBe(pr.labels.map((l: { name: string }) => l.name).join(', '))
    expect(buttons(card)).toEqual({ 'View pull request': `${REPO}/pull/${pr.number}`, 'View run': RUN_URL })
  })

  test('closed without merging: closed; closed and merged: merged', () => {
    const payload = closed()
    const unmerged = buildCard('pull-request', runFromEvent('pull_request', payload), options())
    expect(facts(unmerged).State).toContain('Closed')
    expect(title(unmerged)).toMatch(/^✅ #\d+ closed: /)
    // GitHub's examples have no merged PR; the same payload as GitHub sends it on merge.
    payload.pull_request.merged = true
    payload.pull_request.merged_at = '2024-05-01T10:00:00Z'
    const merged = buildCard('pull-request', runFromEvent('pull_request', payload), options())
    expect(facts(merged).State).toContain('Merged')
    expect(title(merged)).toMatch(/^✅ #\d+ merged: /)
  })

  test('a draft says so', () => {
    const payload = webhookExample('pull_request', (p) => p.action === 'converted_to_draft')
    const card = buildCard('pull-request', runFromEvent('pull_request', payload), options())
    expect(facts(card).State).toContain('Draft')
    expect(title(card)).toMatch(/^✅ #\d+ draft: /)
  })

  test('a fork’s branch is owner:branch, not linked into this repository', () => {
    const payload = opened()
    payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: 'forker/Hello-World' }
    payload.pull_request.head.user = { login: 'forker' }
    const branches = facts(buildCard('pull-request', runFromEvent('pull_request', payload), options())).Branches
    expect(branches).toMatch(/ ← forker:changes$/)
  })

  test('more than 20 labels: the first 20 and a count', () => {
    const payload = opened()
    payload.pull_request.labels = Array.from({ length: 25 }, (_, i) => ({ name: `label-${i}` }))
    expect(facts(buildCard('pull-request', runFromEvent('pull_request', payload), options())).Labels).toMatch(
      /label-19 and 5 more$/,
    )
  })

  test('not a pull request event: the status headline and the run', () => {
    const card = buildCard('pull-request', runContext(), options({ status: 'failure' }))
    expect(title(card)).toBe('❌ CI failed')
    expect(buttons(card)).toEqual({ 'View run': runContext().runUrl })
    expect(facts(card)['Pull request']).toBeUndefined()
  })
})

describe('workflow', () => {
  const NOW = RUN_START + 2 * 3600_000
  const run = (overrides: Partial<RunContext> = {}) => runContext({ job: 'notify', ...overrides })

  test('a few jobs: each with its icon, duration and link; the run failed because one job did', () => {
    const jobs = workflowJobs(3, { failed: 1 })
    const { card, fallbackText } = renderPreset('workflow', run(), options({ jobs, now: NOW }))
    expect(fallbackText).toBe('❌ CI failed (1 of 3 jobs)')
    const f = facts(card)
    expect(f.Status).toContain('Failed')
    // Run start (the jobs' creation) to the latest completion: job 3 starts at +2s and runs 3 minutes.
    expect(f.Duration).toBe('3m 2s')
    const list = section(card, 'Jobs')?.widgets ?? []
    expect(list[0]?.textParagraph?.text).toBe('<b>3 jobs</b>: ❌ 1 failed · ✅ 2 succeeded')
    expect(
      list.slice(1).map((w) => [w.decoratedText?.startIcon?.materialIcon?.name, w.decoratedText?.bottomLabel]),
    ).toEqual([
      ['cancel', 'Failed · 1m'],
      ['check_circle', 'Succeeded · 2m'],
      ['check_circle', 'Succeeded · 3m'],
    ])
    expect(list[1]?.decoratedText?.text).toBe(`<a href="${jobs[0]?.htmlUrl}">test (shard 1)</a>`)
    expect(buttons(card)).toEqual({ 'View run': runContext().runUrl })
  })

  test.each([
    [{ cancelled: 1 }, 'cancelled', '⚪ CI was cancelled'],
    [{ skipped: 2 }, 'success', '✅ CI succeeded'],
    [{ failed: 1, cancelled: 2 }, 'failure', '❌ CI failed (1 of 5 jobs)'],
    [{}, 'success', '✅ CI succeeded'],
  ])('%j: %s', (shape, conclusion, headlineText) => {
    const jobs = workflowJobs(5, shape)
    expect(summarizeRun(run(), options({ jobs })).conclusion).toBe(conclusion)
    expect(renderPreset('workflow', run(), options({ jobs })).fallbackText).toBe(headlineText)
  })

  test('this job (still running) is left out; other running jobs show how long they have run', () => {
    const jobs = [
      ...workflowJobs(2),
      {
        id: 1,
        name: 'deploy',
        status: 'in_progress',
        conclusion: null,
        startedAt: new Date(NOW - 95_000).toISOString(),
      },
      { id: 2, name: 'notify', status: 'in_progress', conclusion: null, startedAt: new Date(NOW).toISOString() },
    ]
    const summary = summarizeRun(run(), options({ jobs }))
    expect(summary.jobs.map((job) => job.name)).toEqual(['test (shard 1)', 'test (shard 2)', 'deploy'])
    expect(summary.counts).toMatchObject({ succeeded: 2, running: 1 })
    expect(summary.conclusion).toBe('success')
    const list = section(buildCard('workflow', run(), options({ jobs, now: NOW })), 'Jobs')?.widgets ?? []
    expect(list.at(-1)?.decoratedText?.bottomLabel).toBe('Running · 1m 35s')
  })

  test('this job’s own failure or cancellation counts', () => {
    const jobs = workflowJobs(3)
    expect(summarizeRun(run(), options({ jobs, status: 'failure' })).conclusion).toBe('failure')
    expect(summarizeRun(run(), options({ jobs, status: 'cancelled' })).conclusion).toBe('cancelled')
  })

  test('job links stay on the server: an html_url elsewhere is rebuilt from GITHUB_SERVER_URL', () => {
    const ghes = run({
      serverUrl: 'https://ghes.example.com',
      repositoryUrl: 'https://ghes.example.com/octo-org/octo-repo',
      runUrl: 'https://ghes.example.com/octo-org/octo-repo/actions/runs/1658821493',
    })
    const jobs = workflowJobs(2, { failed: 2 })
    const html = JSON.stringify(section(buildCard('workflow', ghes, options({ jobs })), 'Jobs'))
    expect(html).toContain(`https://ghes.example.com/octo-org/octo-repo/actions/runs/${ghes.runId}/job/9000`)
    expect(html).not.toContain('https://github.com/')
  })

  test('without jobs (no actions: read): the status input, what the context knows, and a pointer to the log', () => {
    const card = buildCard('workflow', run(), options({ status: 'failure', jobsUnavailable: 'GitHub answered 403' }))
    expect(title(card)).toBe('❌ CI failed')
    expect(section(card, 'Jobs')).toBeUndefined()
    expect(JSON.stringify(card)).toContain('Jobs not listed')
    expect(JSON.stringify(card)).not.toContain('403')
    expect(labels(card)).toEqual(['Status', 'Branch', 'Commit', 'Triggered by', 'Event', 'Workflow'])
  })

  test('runStartedAt, when known, starts the duration', () => {
    const jobs = workflowJobs(1)
    const card = buildCard(
      'workflow',
      run(),
      options({ jobs, runStartedAt: new Date(RUN_START - 600_000).toISOString() }),
    )
    expect(facts(card).Duration).toBe('11m')
  })

  test('a large run lists the failed and cancelled jobs, linked, and counts the rest', () => {
    const jobs = workflowJobs(60, { failed: 7, cancelled: 1, skipped: 2 })
    const card = buildCard('workflow', run(), options({ jobs }))
    const listed = section(card, 'Jobs that failed or were cancelled')?.widgets ?? []
    expect(listed[0]?.textParagraph?.text).toBe(
      '<b>60 jobs</b>: ❌ 7 failed · ⚪ 1 cancelled · ✅ 50 succeeded · ⏭️ 2 skipped',
    )
    const links = listed.slice(1).map((w) => /href="([^"]+)"/.exec(w.decoratedText?.text ?? '')?.[1])
    expect(links).toEqual(jobs.slice(0, 8).map((job) => job.htmlUrl))
  })
})

describe('every preset', () => {
  test.each(PRESETS.map((p) => [p]))('%s: title replaces the headline as written, fields pick the facts', (preset) => {
    const run = runFromEvent('pull_request', webhookExample('pull_request'))
    const { card, fallbackText } = renderPreset(preset, run, options({ title: 'Ship it <now>' }))
    expect(title(card)).toBe('Ship it <now>')
    expect(fallbackText).toBe('Ship it <now>')
    expect(card.card?.header?.subtitle).toBe('Codertocat/Hello-World')
    const picked = buildCard(preset, run, options({ fields: ['commit', 'status', 'pull-request'] }))
    expect(labels(picked)).toEqual(['Commit', 'Status', 'Pull request'])
    expect(buttons(picked)['View run']).toBe(RUN_URL)
    expect(picked.cardId).toBe(preset)
  })

  test('every fact name renders on a run that has everything', () => {
    const payload = webhookExample('deployment_status', (p) => Boolean(p.deployment_status.target_url))
    const run = {
      ...runFromEvent('deployment_status', payload),
      pullRequest: { number: 1, title: 't', url: `${REPO}/pull/1` },
      pullRequestDetails: { author: 'a', baseRef: 'main', headRef: 'x', state: 'open' as const, labels: ['l'] },
    }
    const card = buildCard(
      'status',
      run,
      options({
        fields: [...FACT_NAMES],
        matrix: { os: 'linux' },
        tag: 'v1',
        runStartedAt: new Date(RUN_START).toISOString(),
        now: RUN_START + 65_000,
      }),
    )
    expect(labels(card)).toEqual([
      'Status',
      'Repository',
      'Branch',
      'Commit',
      'Author',
      'Triggered by',
      'Event',
      'Workflow',
      'Job',
      'Matrix',
      'Duration',
      'Pull request',
      'State',
      'Branches',
      'Labels',
      'Environment',
      'URL',
      'Ref',
      'Deployment',
      'Tag',
    ])
    expect(facts(card).Duration).toBe('1m 5s')
  })
})

describe('parsing the inputs', () => {
  test('parsePreset: the names, a few aliases, case-insensitive; empty is undefined', () => {
    expect(PRESETS.map((p) => parsePreset(p.toUpperCase()))).toEqual([...PRESETS])
    expect(parsePreset('PR')).toBe('pull-request')
    expect(parsePreset('pull_request')).toBe('pull-request')
    expect(parsePreset('deployment')).toBe('deploy')
    expect(parsePreset(' ')).toBeUndefined()
    expect(() => parsePreset('fancy')).toThrow(
      'Input \'card\' has an unknown value "fancy"; expected one of status, deploy, release, pull-request, workflow',
    )
  })

  test('parseFields: commas or new lines, any case, _ or space for -', () => {
    expect(parseFields('Branch, commit\nPULL_REQUEST, deployment state')).toEqual([
      'branch',
      'commit',
      'pull-request',
      'deployment-state',
    ])
    expect(parseFields('  ')).toBeUndefined()
    expect(parseFields(' , ,')).toBeUndefined()
  })

  test('parseFields: an unknown name is an InputError listing every known name', () => {
    let error: unknown
    try {
      parseFields('branch, sha')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('fields')
    expect((error as InputError).message).toContain('unknown field "sha"')
    for (const name of FACT_NAMES) expect((error as InputError).message).toContain(name)
    expect(() => parseFields('commit, commit')).toThrow(/lists "commit" twice/)
  })

  test('parseMatrix: toJSON(matrix) as strings; null and {} are no matrix; anything else is an error', () => {
    expect(parseMatrix('{"os":"ubuntu-latest","node":24,"experimental":false,"include":{"a":1}}')).toEqual({
      os: 'ubuntu-latest',
      node: '24',
      experimental: 'false',
      include: '{"a":1}',
    })
    expect(parseMatrix('null')).toBeUndefined()
    expect(parseMatrix('')).toBeUndefined()
    expect(parseMatrix('{}')).toBeUndefined()
    expect(() => parseMatrix('os=linux')).toThrow(/Input 'matrix' is not JSON/)
    expect(() => parseMatrix('[1]')).toThrow(/must be a JSON object/)
    expect(
      Object.keys(
        parseMatrix(JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])))) ?? {},
      ),
    ).toHaveLength(20)
  })

  test('the preset type and the list agree', () => {
    const all: Preset[] = ['status', 'deploy', 'release', 'pull-request', 'workflow']
    expect([...PRESETS]).toEqual(all)
  })
})
