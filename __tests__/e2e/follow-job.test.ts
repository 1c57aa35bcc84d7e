// Issue 10 end to end, through dist/: an update that leaves the card in a bad state is followed by a reply that
// notifies (the emulator's notification log: an edit notifies no one), and follow-job's two halves run as the
// runner runs them: `node dist/index.js`, then `node dist/post.js` with the state the main step saved (the
// GITHUB_STATE file command) handed over as STATE_<name> variables.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import type { ChatMessage, JobSpec, StepSpec } from '../../emulator/index.ts'
import { join } from 'node:path'
import { ROOT, type RunOptions, type RunResult } from '../../scripts/simulate-runner.ts'
import {
  MEMBER_SPACE,
  STACK_TRACE,
  buttons,
  cardOf,
  facts,
  startGoogle,
  type GoogleFixture,
} from '../fixtures/google-emulator.ts'

let google: GoogleFixture
beforeAll(async () => {
  google = await startGoogle()
})
afterAll(async () => google.close())
beforeEach(() => {
  google.emulator.reset()
  google.emulator.clearFaults()
})

const REPOSITORY = 'octo-org/hello-world'
const RUN_ID = 1658821493
const TOKEN = 'ghs_followjobtoken0001'
const lines = (log: string, kind: string) => log.split('\n').filter((line) => line.startsWith(`::${kind}::`))
const messages = () => google.emulator.messages(MEMBER_SPACE)
const card = (name: string) => messages().find((m) => m.name === name) as ChatMessage
const notifications = () => google.emulator.notifications({ space: MEMBER_SPACE })

// The job started 100 s ago: its post step runs now, so its duration runs to now.
const STARTED = Date.now() - 100_000
const at = (seconds: number) => new Date(STARTED + seconds * 1000).toISOString()

/** A job in progress on `runner`, its post steps running: the state GitHub shows while post steps run. */
function job(name: string, runner: string, testsConclusion: string, extra: Partial<JobSpec> = {}): JobSpec {
  const steps: StepSpec[] = [
    { name: 'Set up job', started_at: at(0), completed_at: at(1) },
    { name: 'Run octo-org/google-chat-notify@v1', started_at: at(1), completed_at: at(2) },
    { name: 'Run npm test', conclusion: testsConclusion, started_at: at(2), completed_at: at(95) },
    { name: 'Post Run octo-org/google-chat-notify@v1', number: 4, status: 'in_progress', started_at: at(96) },
    { name: 'Complete job', number: 5, status: 'queued', started_at: null },
  ]
  return { name, status: 'in_progress', runner_name: runner, started_at: at(0), steps, ...extra }
}

/** Main step, then post step, as the runner runs them; the post step gets the main step's saved state. */
async function followJob(options: RunOptions = {}): Promise<{ main: RunResult; post: RunResult }> {
  const base: RunOptions = {
    ...options,
    inputs: { 'follow-job': 'true', 'github-token': TOKEN, ...options.inputs },
    env: { RUNNER_NAME: 'GitHub Actions 7', ...options.env },
  }
  const main = await google.run(base)
  const post = await google.run({ ...base, state: main.state, entry: join(ROOT, 'dist', 'post.js') })
  return { main, post }
}

describe('an update to a bad state replies in the card’s thread', () => {
  test('upsert started -> failure with a mention: the card is updated and one reply in its thread notifies', async () => {
    const started = await google.run({
      jobStatus: 'started',
      inputs: { 'message-id': 'deploy-1', mention: 'users/42' },
    })
    expect(started.outputs).toMatchObject({ action: 'created', 'reply-name': '' })
    const failed = await google.run({ jobStatus: 'failure', inputs: { 'message-id': 'deploy-1', mention: 'users/42' } })
    expect(failed.code).toBe(0)
    expect(failed.outputs.action).toBe('updated')
    const replyName = failed.outputs['reply-name']!
    expect(replyName).toMatch(/^spaces\/AAAAmember1\/messages\//)
    expect(JSON.parse(failed.outputs.messages!)).toEqual([
      expect.objectContaining({ action: 'updated', messageName: started.outputs['message-name'], replyName }),
    ])

    const [updated, reply] = [card(started.outputs['message-name']!), card(replyName)]
    expect(messages()).toHaveLength(2)
    expect(cardOf(updated).header?.title).toBe('❌ CI failed')
    expect(reply.thread.name).toBe(updated.thread.name)
    expect(reply.text).toBe(
      '<users/42> ❌ CI failed: build. <https://github.com/octo-org/hello-world/actions/runs/1658821493|Open the run>',
    )
    // The edit notified no one; the reply reached the thread and the user it mentions: the failure reached someone.
    expect(notifications().map((n) => n.message)).toEqual([updated.name, replyName])
    expect(google.emulator.notifications({ recipient: 'users/42' })).toEqual([
      expect.objectContaining({ message: replyName, thread: updated.thread.name, recipients: ['thread', 'users/42'] }),
    ])
  })

  test('upsert started -> success: updated in place, no reply, no notification', async () => {
    await google.run({ jobStatus: 'started', inputs: { 'message-id': 'deploy-2' } })
    const done = await google.run({ jobStatus: 'success', inputs: { 'message-id': 'deploy-2' } })
    expect(done.outputs).toMatchObject({ action: 'updated', 'reply-name': '' })
    expect(messages()).toHaveLength(1)
    expect(notifications()).toHaveLength(1)
  })

  test('notification: force is kept on the 409 path: it applies to the reply', async () => {
    await google.run({ jobStatus: 'started', inputs: { 'message-id': 'deploy-3' } })
    const failed = await google.run({
      jobStatus: 'failure',
      inputs: { 'message-id': 'deploy-3', notification: 'force' },
    })
    const patch = google.emulator.requests.find((r) => r.method === 'PATCH')
    expect(patch).toBeDefined()
    const [reply] = google.emulator.notifications({ message: failed.outputs['reply-name']! })
    expect(reply).toMatchObject({ notificationType: 'NOTIFICATION_TYPE_FORCE_NOTIFY', forced: true })
  })

  test('update: by name, cancelled replies (without the failure mention); notify-on-update: never stays quiet', async () => {
    const first = await google.run({ jobStatus: 'started', inputs: { mention: 'users/42' } })
    const name = first.outputs['message-name']!
    const cancelled = await google.run({ jobStatus: 'cancelled', inputs: { update: name, mention: 'users/42' } })
    expect(card(cancelled.outputs['reply-name']!).text).toMatch(/^⚪ CI was cancelled: build\. </)
    const quiet = await google.run({ jobStatus: 'failure', inputs: { update: name, 'notify-on-update': 'never' } })
    expect(quiet.outputs['reply-name']).toBe('')
    expect(notifications()).toHaveLength(2)
  })

  test('the reply is idempotent: a retried create (its answer lost) finds the same reply, posts nothing twice', async () => {
    const first = await google.run({ jobStatus: 'started' })
    google.emulator.injectFault({ host: 'chat.googleapis.com', method: 'POST', fault: { kind: 'lose-response' } })
    const failed = await google.run({ jobStatus: 'failure', inputs: { update: first.outputs['message-name']! } })
    expect(failed.code).toBe(0)
    expect(failed.outputs['reply-name']).toBe(messages()[1]!.name)
    expect(messages()).toHaveLength(2)
    const replies = google.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).slice(1)
    expect(replies).toHaveLength(2)
    expect(new Set(replies.map((r) => r.query.requestId)).size).toBe(1)
    // Distinct from the card's own key.
    const cardKey = google.emulator.requests.find((r) => r.method === 'POST' && r.path.endsWith('/messages'))!.query
    expect(replies[0]!.query.requestId).not.toBe(cardKey.requestId)
  })
})

describe('follow-job: true', () => {
  test('green: the card posted as started is finished as succeeded, with duration and the job, no reply', async () => {
    const [spec] = google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'success')],
    })
    const { main, post } = await followJob()
    expect(main.code).toBe(0)
    expect(main.outputs.action).toBe('created')
    expect(main.state.follow_job).toBeDefined()
    expect(post.code).toBe(0)
    expect(lines(post.log, 'warning')).toEqual([])

    const [message] = messages()
    expect(messages()).toHaveLength(1)
    expect(message!.clientAssignedMessageId).toMatch(/^client-follow-1658821493-1-build-/)
    const finished = cardOf(message!)
    expect(finished.header?.title).toBe('✅ CI succeeded')
    expect(facts(finished).Duration).toMatch(/^1m \d{1,2}s$|^2m/)
    expect(buttons(finished)['View job']).toBe(spec!.html_url)
    expect(notifications()).toHaveLength(1)
  })

  test('the main step posts "started" whatever status says, and saves where the card is', async () => {
    const main = await google.run({ jobStatus: 'success', inputs: { 'follow-job': 'true' } })
    expect(cardOf(messages()[0]!).header?.title).toBe('🚀 CI started')
    const state = JSON.parse(main.state.follow_job!) as Record<string, unknown>
    expect(state).toMatchObject({
      messageName: main.outputs['message-name'],
      threadName: main.outputs['thread-name'],
      space: MEMBER_SPACE,
      runId: String(RUN_ID),
      runAttempt: 1,
      startedStatus: 'started',
    })
    // Another job of the run: a card of its own.
    const progress = await google.run({
      jobStatus: 'in_progress',
      inputs: { 'follow-job': 'true' },
      env: { GITHUB_JOB: 'deploy' },
    })
    expect(progress.outputs.action).toBe('created')
    expect(cardOf(card(progress.outputs['message-name']!)).header?.title).toBe('⏳ CI is in progress')
  })

  test('failed at a named step: the card names it, and one reply with the mention links the job', async () => {
    const [spec] = google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'failure')],
    })
    const { main, post } = await followJob({ inputs: { mention: 'users/42' } })
    expect(post.code).toBe(0)
    const finished = card(main.outputs['message-name']!)
    expect(cardOf(finished).header?.title).toBe('❌ CI failed')
    expect(facts(cardOf(finished))['Failed step']).toBe('Run npm test')
    expect(buttons(cardOf(finished))['View job']).toBe(spec!.html_url)
    const replies = messages().filter((m) => m.name !== finished.name)
    expect(replies).toHaveLength(1)
    expect(replies[0]!.thread.name).toBe(finished.thread.name)
    expect(replies[0]!.text).toBe(`<users/42> ❌ CI failed: build, at Run npm test. <${spec!.html_url}|Open the job>`)
    expect(google.emulator.notifications({ recipient: 'users/42' })).toHaveLength(1)
    expect(post.log).toMatch(/Replied in its thread/)
  })

  test('cancelled: the card says so, and a reply follows (no failure mention)', async () => {
    google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'cancelled')],
    })
    const { main } = await followJob({ inputs: { mention: 'users/42' } })
    expect(cardOf(card(main.outputs['message-name']!)).header?.title).toBe('⚪ CI was cancelled')
    expect(messages()).toHaveLength(2)
    expect(google.emulator.notifications({ recipient: 'users/42' })).toEqual([])
  })

  test('a matrix of two legs running at once: each post step finds its own job and card', async () => {
    const [legA, legB] = google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build (a)', 'GitHub Actions 1', 'failure'), job('build (b)', 'GitHub Actions 2', 'success')],
    })
    const [a, b] = await Promise.all([
      followJob({ inputs: { matrix: '{"leg":"a"}' }, env: { RUNNER_NAME: 'GitHub Actions 1' } }),
      followJob({ inputs: { matrix: '{"leg":"b"}' }, env: { RUNNER_NAME: 'GitHub Actions 2' } }),
    ])
    expect([a.post.code, b.post.code]).toEqual([0, 0])
    const cardA = card(a.main.outputs['message-name']!)
    const cardB = card(b.main.outputs['message-name']!)
    expect(cardA.name).not.toBe(cardB.name)
    expect(cardOf(cardA).header?.title).toBe('❌ CI failed')
    expect(buttons(cardOf(cardA))['View job']).toBe(legA!.html_url)
    expect(cardOf(cardB).header?.title).toBe('✅ CI succeeded')
    expect(buttons(cardOf(cardB))['View job']).toBe(legB!.html_url)
    // One reply, for the failed leg, in its card's thread.
    expect(messages()).toHaveLength(3)
    expect(
      messages()
        .filter((m) => m.threadReply)
        .map((m) => m.thread.name),
    ).toEqual([cardA.thread.name])
  })

  test('without actions: read: the card finishes honestly, one warning, no stack trace, the job is not failed', async () => {
    google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'failure')],
    })
    google.emulator.github.denyActionsRead(TOKEN)
    const { main, post } = await followJob({ inputs: { mention: 'users/42' } })
    expect(post.code).toBe(0)
    expect(lines(post.log, 'warning')).toHaveLength(1)
    expect(lines(post.log, 'warning')[0]).toMatch(/actions: read/)
    expect(lines(post.log, 'error')).toEqual([])
    expect(post.log).not.toMatch(STACK_TRACE)
    const finished = cardOf(card(main.outputs['message-name']!))
    expect(finished.header?.title).toBe('🏁 CI finished')
    expect(facts(finished).Outcome).toBe('finished; outcome unknown: give the job `permissions: actions: read`')
    // Unknown is not news to ping anyone about.
    expect(messages()).toHaveLength(1)
  })

  test('API errors: retried through; and when they last, the card says the outcome is unknown', async () => {
    google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'failure')],
    })
    google.emulator.github.failJobListings({ status: 502, times: 2 })
    const retried = await followJob()
    expect(retried.post.code).toBe(0)
    expect(cardOf(card(retried.main.outputs['message-name']!)).header?.title).toBe('❌ CI failed')

    google.emulator.reset()
    google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'failure')],
    })
    google.emulator.github.failJobListings({ status: 503, times: 10 })
    const broken = await followJob()
    expect(broken.post.code).toBe(0)
    expect(lines(broken.post.log, 'warning')).toHaveLength(1)
    expect(broken.post.log).not.toMatch(STACK_TRACE)
    expect(facts(cardOf(card(broken.main.outputs['message-name']!))).Outcome).toBe('finished; outcome unknown')
  })

  test('lag: GitHub still shows the failed step running on the first read; the post step reads again', async () => {
    google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'failure', { lagReads: 1 })],
    })
    const { main, post } = await followJob()
    expect(post.code).toBe(0)
    const finished = cardOf(card(main.outputs['message-name']!))
    expect(finished.header?.title).toBe('❌ CI failed')
    expect(facts(finished)['Failed step']).toBe('Run npm test')
    expect(post.log).toMatch(/read 2 time\(s\)/)
  })

  test('a re-run (attempt 2) posts and finishes its own card from attempt 2’s jobs', async () => {
    google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'failure')],
    })
    const [second] = google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      attempt: 2,
      jobs: [job('build', 'GitHub Actions 9', 'success')],
    })
    const first = await followJob()
    const rerun = await followJob({ env: { GITHUB_RUN_ATTEMPT: '2', RUNNER_NAME: 'GitHub Actions 9' } })
    expect(rerun.main.outputs['message-name']).not.toBe(first.main.outputs['message-name'])
    expect(cardOf(card(first.main.outputs['message-name']!)).header?.title).toBe('❌ CI failed')
    const again = cardOf(card(rerun.main.outputs['message-name']!))
    expect(again.header?.title).toBe('✅ CI succeeded')
    expect(buttons(again)['View job']).toBe(second!.html_url)
    expect(facts(again)['Triggered by']).toContain('attempt 2')
  })

  test('several spaces: refused before anything is posted, naming follow-job', async () => {
    const several = await google.run({
      inputs: { 'follow-job': 'true', space: `${MEMBER_SPACE},spaces/AAAAother`, 'fail-on-error': 'true' },
    })
    expect(several.code).toBe(1)
    expect(lines(several.log, 'error')[0]).toMatch(/Input 'follow-job'/)
    expect(messages()).toEqual([])
  })
})

describe('the status card says what broke, at a glance', () => {
  test('a failure names the failed step and links the job, read once from the jobs API', async () => {
    const [spec] = google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'failure')],
    })
    const result = await google.run({
      jobStatus: 'failure',
      inputs: { 'github-token': TOKEN },
      env: { RUNNER_NAME: 'GitHub Actions 7' },
    })
    expect(result.code).toBe(0)
    const failed = cardOf(messages()[0]!)
    expect(Object.keys(facts(failed))).toEqual(['Failed step', 'Branch', 'Commit', 'Triggered by', 'Duration'])
    expect(facts(failed)['Failed step']).toBe('Run npm test')
    expect(Object.keys(buttons(failed))).toEqual(['View job', 'View run', 'View commit'])
    expect(buttons(failed)['View job']).toBe(spec!.html_url)
    const reads = google.emulator.requests.filter((r) => r.host === 'api.github.com')
    expect(reads).toHaveLength(1)
  })

  test('a success reads nothing from GitHub; fields: duration does, and works on the status card', async () => {
    google.emulator.github.setRun({
      repository: REPOSITORY,
      runId: RUN_ID,
      jobs: [job('build', 'GitHub Actions 7', 'success')],
    })
    const plain = await google.run({ inputs: { 'github-token': TOKEN }, env: { RUNNER_NAME: 'GitHub Actions 7' } })
    expect(plain.code).toBe(0)
    expect(google.emulator.requests.filter((r) => r.host === 'api.github.com')).toEqual([])

    const timed = await google.run({
      inputs: { 'github-token': TOKEN, fields: 'branch, duration' },
      env: { RUNNER_NAME: 'GitHub Actions 7' },
    })
    expect(timed.code).toBe(0)
    const timedCard = cardOf(card(timed.outputs['message-name']!))
    expect(Object.keys(facts(timedCard))).toEqual(['Branch', 'Duration'])
    expect(facts(timedCard).Duration).toMatch(/^1m \d{1,2}s$|^2m/)
  })

  test('a requested field the run cannot show is named once in the debug log', async () => {
    const result = await google.run({
      inputs: { fields: 'branch, pull-request, duration' },
      env: { RUNNER_DEBUG: '1' },
    })
    expect(result.code).toBe(0)
    const named = result.log.split('\n').filter((line) => line.includes('Not on the card'))
    expect(named).toEqual(['::debug::Not on the card (this run has nothing to show for them): pull-request, duration'])
  })
})
