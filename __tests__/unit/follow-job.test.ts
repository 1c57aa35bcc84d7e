// follow-job's post step as logic (finishFollowedJob on fakes), its saved state, the notify-on-update input and the
// reply that follows an update to a bad status.
import { describe, expect, test } from '@jest/globals'
import { createGitHubApi, type StepSpec } from '../../emulator/github-api.ts'
import { InputError } from '../../src/errors.ts'
import type { ThisJobRead } from '../../src/github/read-this-job.ts'
import { toRunJob, type RunJob } from '../../src/github/this-job.ts'
import { finishFollowedJob, type FinishCollaborators, type FollowedJobUpdate } from '../../src/follow-job/finish.ts'
import { buildUpdateReply, shouldReplyToUpdate } from '../../src/follow-job/reply.ts'
import {
  encodeFollowJobState,
  FOLLOW_JOB_STATE,
  readFollowJobState,
  type FollowJobState,
} from '../../src/follow-job/state.ts'
import { followJobStart } from '../../src/inputs/follow-job.ts'
import { parseNotifyOnUpdate } from '../../src/inputs/notify-on-update.ts'
import { readSettings } from '../../src/inputs/read-settings.ts'
import { STATUSES } from '../../src/domain.ts'

const ZWSP = '\u200b'

describe('parseNotifyOnUpdate', () => {
  test('failure (and empty) is the default: failure and cancelled', () => {
    expect(parseNotifyOnUpdate('')).toEqual(['failure', 'cancelled'])
    expect(parseNotifyOnUpdate(' Failure ')).toEqual(['failure', 'cancelled'])
  })
  test('always, never, a list taken as written', () => {
    expect(parseNotifyOnUpdate('always')).toEqual(STATUSES)
    expect(parseNotifyOnUpdate('never')).toEqual([])
    expect(parseNotifyOnUpdate('failure, skipped\nin-progress, failure')).toEqual(['failure', 'skipped', 'in_progress'])
  })
  test('an unknown value names the input and the forms', () => {
    expect(() => parseNotifyOnUpdate('failures')).toThrow(InputError)
    expect(() => parseNotifyOnUpdate('success, always')).toThrow(
      /^Input 'notify-on-update' has an unknown value "always"; expected failure \(the default: failure and cancelled\), always, never/,
    )
    expect(() => parseNotifyOnUpdate('x'.repeat(500))).toThrow(/"x{40}…"/)
  })
})

describe('shouldReplyToUpdate', () => {
  const defaults = parseNotifyOnUpdate('')
  test('a bad update replies; a green one stays quiet; no reply when the card already showed it', () => {
    expect(shouldReplyToUpdate(defaults, 'failure', 'started')).toBe(true)
    expect(shouldReplyToUpdate(defaults, 'cancelled', 'in_progress')).toBe(true)
    expect(shouldReplyToUpdate(defaults, 'success', 'started')).toBe(false)
    expect(shouldReplyToUpdate(defaults, 'failure', 'failure')).toBe(false)
    expect(shouldReplyToUpdate(parseNotifyOnUpdate('always'), 'success', 'started')).toBe(true)
    expect(shouldReplyToUpdate(parseNotifyOnUpdate('never'), 'failure')).toBe(false)
  })
})

describe('buildUpdateReply', () => {
  test('what happened, where, the link and the mentions', () => {
    expect(
      buildUpdateReply({
        status: 'failure',
        subject: 'CI',
        jobName: 'test (ubuntu-latest, 22)',
        failedSteps: ['Run npm test'],
        url: 'https://github.com/o/r/actions/runs/1/job/7',
        urlLabel: 'the job',
        mentions: '<users/123> <users/all>',
      }),
    ).toBe(
      '<users/123> <users/all> ❌ CI failed: test (ubuntu-latest, 22), at Run npm test. <https://github.com/o/r/actions/runs/1/job/7|Open the job>',
    )
  })

  test('cancelled, without job or steps, linking the run by default', () => {
    expect(
      buildUpdateReply({ status: 'cancelled', subject: 'Deploy', url: 'https://github.com/o/r/actions/runs/1' }),
    ).toBe('⚪ Deploy was cancelled. <https://github.com/o/r/actions/runs/1|Open the run>')
  })

  test('user-controlled names are data: markup broken, clipped; bad mentions and links dropped', () => {
    const reply = buildUpdateReply({
      status: 'failure',
      subject: 'CI <users/all> *bold*',
      failedSteps: ['<https://evil|click>', 'b', 'c', 'd', 'e'],
      jobName: 'j'.repeat(300),
      url: 'https://x.example/a|b>',
      mentions: '<users/123> <users/all|x> <https://evil> users/5',
    })
    expect(reply.startsWith(`<users/123> ❌ CI <${ZWSP}users/all> *${ZWSP}bold*${ZWSP} failed`)).toBe(true)
    expect(reply).not.toContain('<users/all>')
    expect(reply).not.toContain('<https://evil')
    expect(reply).toContain(`<${ZWSP}https://evil|click>, b, c and 2 more.`)
    expect(reply).toContain(`${'j'.repeat(99)}…`)
    expect(reply).not.toContain('Open the')
  })
})

describe('saved state', () => {
  const state: FollowJobState = {
    messageName: 'spaces/A/messages/B',
    messageId: 'client-job-1',
    threadName: 'spaces/A/threads/T',
    space: 'spaces/A',
    runId: '123',
    runAttempt: 2,
    startedStatus: 'started',
  }
  test('round trip through the STATE_ variable the runner sets', () => {
    expect(readFollowJobState({ [`STATE_${FOLLOW_JOB_STATE}`]: encodeFollowJobState(state) })).toEqual(state)
  })
  test('no state: undefined; broken state: one line', () => {
    expect(readFollowJobState({})).toBeUndefined()
    expect(readFollowJobState({ STATE_follow_job: '' })).toBeUndefined()
    expect(readFollowJobState({ STATE_follow_job: '{' })).toEqual({ invalid: expect.stringContaining('not JSON') })
    expect(readFollowJobState({ STATE_follow_job: '{"v":2}' })).toEqual({ invalid: expect.stringContaining('version') })
    expect(readFollowJobState({ STATE_follow_job: '{"v":1,"messageName":"m"}' })).toEqual({
      invalid: expect.stringContaining('lacks'),
    })
  })
})

describe('finishFollowedJob on fakes', () => {
  const state: FollowJobState = {
    messageName: 'spaces/A/messages/B',
    threadName: 'spaces/A/threads/T',
    space: 'spaces/A',
    runId: '1',
    runAttempt: 1,
    startedStatus: 'started',
  }

  function job(testConclusion: string, lagging = false): RunJob {
    const steps: StepSpec[] = [
      { name: 'Set up job', started_at: '2024-05-01T10:00:00Z', completed_at: '2024-05-01T10:00:01Z' },
      { name: 'Notify', started_at: '2024-05-01T10:00:01Z', completed_at: '2024-05-01T10:00:02Z' },
      lagging
        ? { name: 'Run tests', status: 'in_progress', started_at: '2024-05-01T10:00:02Z' }
        : {
            name: 'Run tests',
            conclusion: testConclusion,
            started_at: '2024-05-01T10:00:02Z',
            completed_at: '2024-05-01T10:01:30Z',
          },
      { name: 'Post Notify', number: 8, status: lagging ? 'queued' : 'in_progress' },
    ]
    const [raw] = createGitHubApi().setRun({
      repository: 'o/r',
      runId: 1,
      jobs: [
        {
          id: 7,
          name: 'test (22)',
          status: 'in_progress',
          runner_name: 'r',
          started_at: '2024-05-01T10:00:00Z',
          steps,
        },
      ],
    })
    return toRunJob(raw) as RunJob
  }

  function fakes(read: ThisJobRead, overrides: Partial<FinishCollaborators> = {}) {
    const updates: FollowedJobUpdate[] = []
    const replies: { threadName: string; text: string }[] = []
    const logs: string[] = []
    const collaborators: FinishCollaborators = {
      state,
      readJob: async () => read,
      deliver: async (update, text) => {
        updates.push(update)
        if (text === undefined) return { messageName: update.messageName, threadName: 'spaces/A/threads/T' }
        replies.push({ threadName: 'spaces/A/threads/T', text })
        return { messageName: update.messageName, threadName: 'spaces/A/threads/T', replyName: 'spaces/A/messages/R' }
      },
      notifyOnUpdate: parseNotifyOnUpdate(''),
      mentionsFor: (status) => (status === 'failure' ? '<users/42>' : ''),
      subject: 'CI',
      runUrl: 'https://github.com/o/r/actions/runs/1',
      log: { info: (m) => logs.push(`info: ${m}`), warning: (m) => logs.push(`warning: ${m}`) },
      now: () => Date.parse('2024-05-01T10:02:00Z'),
      ...overrides,
    }
    return { collaborators, updates, replies, logs }
  }

  test('failed at a named step: card updated, one reply in its thread with the mention and the job link', async () => {
    const f = fakes({ job: job('failure'), settled: true, reads: 1 })
    const result = await finishFollowedJob(f.collaborators)
    expect(f.updates).toEqual([
      {
        messageName: state.messageName,
        status: 'failure',
        failedSteps: ['Run tests'],
        durationMs: 120_000,
        jobUrl: 'https://github.com/o/r/actions/runs/1/job/7',
        jobName: 'test (22)',
      },
    ])
    expect(f.replies).toEqual([
      {
        threadName: 'spaces/A/threads/T',
        text: '<users/42> ❌ CI failed: test (22), at Run tests. <https://github.com/o/r/actions/runs/1/job/7|Open the job>',
      },
    ])
    expect(result.reply?.messageName).toBe('spaces/A/messages/R')
    expect(f.logs).toEqual(['info: follow-job: test (22) failure (read 1 time(s))'])
  })

  test('green: updated, no reply', async () => {
    const f = fakes({ job: job('success'), settled: true, reads: 2 })
    const result = await finishFollowedJob(f.collaborators)
    expect(f.updates[0]?.status).toBe('success')
    expect(f.replies).toEqual([])
    expect(result.reply).toBeUndefined()
  })

  test('cancelled replies by default, without the failure mention', async () => {
    const f = fakes({ job: job('cancelled'), settled: true, reads: 1 })
    await finishFollowedJob(f.collaborators)
    expect(f.replies[0]?.text.startsWith('⚪ CI was cancelled: test (22).')).toBe(true)
  })

  test('no actions: read: the card finishes as unknown with the hint, one warning, no reply', async () => {
    const f = fakes({
      unavailable: 'GitHub answered 403: Resource not accessible by integration. … `permissions: actions: read`',
      reads: 1,
    })
    await finishFollowedJob(f.collaborators)
    expect(f.updates).toEqual([
      {
        messageName: state.messageName,
        status: 'unknown',
        note: 'finished; outcome unknown: give the job `permissions: actions: read`',
        failedSteps: [],
      },
    ])
    expect(f.replies).toEqual([])
    expect(f.logs).toHaveLength(1)
    expect(f.logs[0]).toMatch(/^warning: follow-job: could not read this job from GitHub \(GitHub answered 403/)
  })

  test('API errors: unknown without the permission hint', async () => {
    const f = fakes({ unavailable: 'GitHub answered 502: Server Error', reads: 4 })
    await finishFollowedJob(f.collaborators)
    expect(f.updates[0]).toMatchObject({ status: 'unknown', note: 'finished; outcome unknown' })
  })

  test('lag to the end: unknown, naming the step in the log', async () => {
    const f = fakes({ job: job('success', true), settled: false, reads: 4 })
    await finishFollowedJob(f.collaborators)
    expect(f.updates[0]).toMatchObject({
      status: 'unknown',
      note: expect.stringContaining('still showed a step running'),
    })
    expect(f.logs).toEqual([
      'warning: follow-job: after 4 reads GitHub still showed Run tests running; the card says the outcome is unknown',
    ])
  })

  test('a card posted as failure is not replied to again; notify-on-update: never stays quiet', async () => {
    const again = fakes(
      { job: job('failure'), settled: true, reads: 1 },
      { state: { ...state, startedStatus: 'failure' } },
    )
    await finishFollowedJob(again.collaborators)
    expect(again.replies).toEqual([])
    const never = fakes({ job: job('failure'), settled: true, reads: 1 }, { notifyOnUpdate: [] })
    await finishFollowedJob(never.collaborators)
    expect(never.replies).toEqual([])
  })

  test('an update that fails is the caller’s error, and nothing is replied', async () => {
    const f = fakes(
      { job: job('failure'), settled: true, reads: 1 },
      {
        deliver: async () => {
          throw new Error('Chat answered 503')
        },
      },
    )
    await expect(finishFollowedJob(f.collaborators)).rejects.toThrow('Chat answered 503')
    expect(f.replies).toEqual([])
  })
})

describe('follow-job main step: the settings it posts with', () => {
  const reader =
    (values: Record<string, string>) =>
    (name: string): string =>
      ({ status: 'success', credentials: 'x', space: 'spaces/AAAA', 'follow-job': 'true', ...values })[name] ?? ''
  const run = { runId: '42', runAttempt: 1, job: 'test', runnerName: 'GitHub Actions 3' }

  test('started whatever status says (in_progress when it says so), under an id of the run, attempt, job and leg', () => {
    const settings = followJobStart(readSettings(reader({})), run)
    expect(settings.status).toBe('started')
    expect(settings.operation).toEqual({
      kind: 'create',
      clientMessageId: expect.stringMatching(/^client-follow-42-1-test-github-actions-3-[0-9a-f]{12}$/),
    })
    expect(followJobStart(readSettings(reader({ status: 'in_progress' })), run).status).toBe('in_progress')
  })

  test('matrix legs, attempts and jobs get ids of their own; a message-id given is kept', () => {
    const id = (values: Record<string, string>, over: Partial<typeof run> = {}) => {
      const operation = followJobStart(readSettings(reader(values)), { ...run, ...over }).operation
      return operation.kind === 'create' ? operation.clientMessageId : undefined
    }
    const ids = [
      id({ matrix: '{"node":"22"}' }),
      id({ matrix: '{"node":"24"}' }),
      id({ matrix: '{"node":"22"}' }, { runAttempt: 2 }),
      id({ matrix: '{"node":"22"}' }, { job: 'lint' }),
      id({}),
      id({}, { runnerName: 'GitHub Actions 4' }),
    ]
    expect(new Set(ids).size).toBe(ids.length)
    expect(id({ matrix: '{"node":"22"}' })).toBe(ids[0])
    expect(id({ 'message-id': 'deploy-1' })).toBe('client-deploy-1')
  })

  test('refused with a webhook, with update or delete, and with several spaces', () => {
    const webhook = 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t'
    expect(() => readSettings(reader({ 'webhook-url': webhook, space: '', credentials: '' }))).toThrow(
      "Input 'follow-job' cannot be used with webhook-url: a webhook cannot update the card it posted",
    )
    expect(() => readSettings(reader({ update: 'spaces/AAAA/messages/B' }))).toThrow(
      "Input 'follow-job' cannot be combined with 'update': follow-job posts its own card",
    )
    expect(() => readSettings(reader({ space: 'spaces/AAAA, spaces/BBBB' }))).toThrow(
      /^Input 'follow-job' follows one card/,
    )
    expect(() => readSettings(reader({ 'follow-job': 'maybe' }))).toThrow(/^Input 'follow-job' must be true or false/)
    expect(readSettings(reader({ 'follow-job': '' })).followJob).toBe(false)
  })

  test('notify-on-update reaches the settings; a bad value names the input', () => {
    expect(readSettings(reader({ 'notify-on-update': 'always' })).notifyOnUpdate).toEqual(STATUSES)
    expect(() => readSettings(reader({ 'notify-on-update': 'sometimes' }))).toThrow(
      /^Input 'notify-on-update' has an unknown value "sometimes"/,
    )
  })
})
