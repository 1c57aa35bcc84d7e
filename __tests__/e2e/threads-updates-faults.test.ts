// Issue 4 end to end: threads, updates in place, deletes, retries under injected faults, several spaces,
// missing credentials. Each test runs `node dist/index.js` as the runner does, through the emulator.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import {
  FOREIGN_SPACE,
  MEMBER_SPACE,
  STACK_TRACE,
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

const creates = () =>
  google.emulator.requests.filter(
    (r) => r.host === 'chat.googleapis.com' && r.method === 'POST' && r.path.endsWith('/messages'),
  )
const lines = (log: string, kind: string) => log.split('\n').filter((line) => line.startsWith(`::${kind}::`))

describe('threads', () => {
  test('three messages with one thread key land in one thread', async () => {
    const results = []
    for (const status of ['started', 'in_progress', 'success']) {
      results.push(await google.run({ jobStatus: status, inputs: { 'thread-key': 'pr-42' } }))
    }
    expect(results.map((r) => r.code)).toEqual([0, 0, 0])
    const messages = google.emulator.messages(MEMBER_SPACE)
    expect(messages).toHaveLength(3)
    expect(new Set(messages.map((m) => m.thread.name)).size).toBe(1)
    expect(messages.map((m) => Boolean(m.threadReply))).toEqual([false, true, true])
    // Chat ignores a key without a reply option: every create carried both.
    for (const request of creates()) {
      expect(request.query.messageReplyOption).toBe('REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD')
      expect((request.json as { thread: unknown }).thread).toEqual({ threadKey: 'pr-42' })
    }
    expect(new Set(results.map((r) => r.outputs['thread-name']))).toEqual(new Set([messages[0]!.thread.name]))
  })

  test("a reply by an earlier step's thread-name; required fails for a thread that does not exist", async () => {
    const first = await google.run()
    const reply = await google.run({
      inputs: { 'thread-name': first.outputs['thread-name']!, 'thread-reply': 'required' },
    })
    expect(reply.code).toBe(0)
    expect(reply.outputs['thread-name']).toBe(first.outputs['thread-name'])
    expect(google.emulator.messages(MEMBER_SPACE)[1]!.threadReply).toBe(true)

    const missing = await google.run({
      inputs: { 'thread-name': `${MEMBER_SPACE}/threads/nope`, 'thread-reply': 'required', 'fail-on-error': 'true' },
    })
    expect(missing.code).toBe(1)
    expect(lines(missing.log, 'error')).toHaveLength(1)
  })
})

describe('one card per story: update in place', () => {
  test('started, then success: the same card changes, and the outputs say created then updated', async () => {
    const started = await google.run({ jobStatus: 'started', inputs: { 'message-id': 'deploy-1658821493' } })
    expect(started.code).toBe(0)
    expect(started.outputs).toMatchObject({ action: 'created', 'message-id': 'client-deploy-1658821493' })
    expect(cardOf(google.emulator.messages(MEMBER_SPACE)[0]!).header?.title).toBe('🚀 CI started')

    const done = await google.run({ jobStatus: 'success', inputs: { 'message-id': 'deploy-1658821493' } })
    expect(done.code).toBe(0)
    expect(done.outputs).toMatchObject({
      action: 'updated',
      'message-id': 'client-deploy-1658821493',
      'message-name': started.outputs['message-name'],
    })
    const messages = google.emulator.messages(MEMBER_SPACE)
    expect(messages).toHaveLength(1)
    expect(cardOf(messages[0]!).header?.title).toBe('✅ CI succeeded')
    const patch = google.emulator.requests.find((r) => r.method === 'PATCH')!
    expect(patch.query.updateMask).toBe('text,cardsV2,accessoryWidgets')
  })

  test('two processes at once with one message id: one message, created once and updated once', async () => {
    const [a, b] = await Promise.all([
      google.run({ jobStatus: 'started', inputs: { 'message-id': 'Release v1.2/eu' } }),
      google.run({ jobStatus: 'success', inputs: { 'message-id': 'Release v1.2/eu' } }),
    ])
    expect([a!.code, b!.code]).toEqual([0, 0])
    expect([a!.outputs.action, b!.outputs.action].sort()).toEqual(['created', 'updated'])
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
    expect(a!.outputs['message-id']).toMatch(/^client-release-v1-2-eu-[0-9a-f]{12}$/)
  })

  test('a re-run (new attempt) updates the card of the first attempt', async () => {
    await google.run({ jobStatus: 'failure', inputs: { 'message-id': 'deploy-7' } })
    const rerun = await google.run({
      jobStatus: 'success',
      inputs: { 'message-id': 'deploy-7' },
      env: { GITHUB_RUN_ATTEMPT: '2' },
    })
    expect(rerun.outputs.action).toBe('updated')
    const [message] = google.emulator.messages(MEMBER_SPACE)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
    expect(facts(cardOf(message!))['Triggered by']).toContain('attempt 2')
  })

  test("update by an earlier step's message-name, then delete it; deleting again is not an error", async () => {
    const first = await google.run({ jobStatus: 'started' })
    const name = first.outputs['message-name']!
    const updated = await google.run({ jobStatus: 'success', inputs: { update: name } })
    expect(updated.outputs).toMatchObject({ action: 'updated', 'message-name': name })
    expect(cardOf(google.emulator.messages(MEMBER_SPACE)[0]!).header?.title).toBe('✅ CI succeeded')

    const deleted = await google.run({ inputs: { delete: name } })
    expect(deleted.code).toBe(0)
    expect(deleted.outputs).toMatchObject({ action: 'deleted', 'message-name': name })
    expect(google.emulator.messages(MEMBER_SPACE)).toEqual([])
    const again = await google.run({ inputs: { delete: name, 'fail-on-error': 'true' } })
    expect(again.code).toBe(0)
    expect(again.log).toContain('was already deleted')
  })
})

describe('exactly once under faults', () => {
  test('a response lost after the message was stored: the retry returns it, nothing is posted twice', async () => {
    google.emulator.injectFault({ host: 'chat.googleapis.com', method: 'POST', fault: { kind: 'lose-response' } })
    const result = await google.run()
    expect(result.code).toBe(0)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
    expect(creates()).toHaveLength(2)
    expect(new Set(creates().map((r) => r.query.requestId)).size).toBe(1)
    expect(result.outputs['message-name']).toBe(google.emulator.messages(MEMBER_SPACE)[0]!.name)
    expect(result.log).toMatch(/Posting in spaces\/AAAAmember1: attempt 1 failed \(ECONNRESET\); retrying in \d+ ms/)
  })

  test('429 with Retry-After: waits as told, then succeeds', async () => {
    google.emulator.injectFault({
      host: 'chat.googleapis.com',
      method: 'POST',
      times: 2,
      fault: { kind: 'status', status: 429, retryAfterSeconds: 1 },
    })
    const result = await google.run()
    expect(result.code).toBe(0)
    expect(creates().map((r) => r.status)).toEqual([429, 429, 200])
    expect(result.durationMs).toBeGreaterThanOrEqual(2000)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
  })

  test('the token request is retried too (connection reset)', async () => {
    google.emulator.injectFault({ host: 'oauth2.googleapis.com', fault: { kind: 'reset' } })
    const result = await google.run()
    expect(result.code).toBe(0)
    expect(google.emulator.requests.filter((r) => r.host === 'oauth2.googleapis.com').map((r) => r.status)).toEqual([
      0, 200,
    ])
  })

  test('a response delayed past the per-attempt time-out is retried without a duplicate', async () => {
    google.emulator.injectFault({ host: 'chat.googleapis.com', method: 'POST', fault: { kind: 'delay', ms: 3000 } })
    const result = await google.run({ inputs: { timeout: '8' } })
    expect(result.code).toBe(0)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
    expect(creates().length).toBeGreaterThanOrEqual(2)
  })

  test.each([
    ['false', 0, 'warning'],
    ['true', 1, 'error'],
  ])('a persistent 503 ends within the time budget (fail-on-error %s: exit %i)', async (failOnError, code, kind) => {
    google.emulator.injectFault({
      host: 'chat.googleapis.com',
      times: Infinity,
      fault: { kind: 'status', status: 503 },
    })
    const result = await google.run({ inputs: { timeout: '3', 'fail-on-error': failOnError } })
    expect(result.code).toBe(code)
    const [line] = lines(result.log, kind)
    // The last attempt gets only what is left of the budget: on a loaded machine that can run out before the 503
    // arrives, and then the line names the time-out instead. Either way every attempt before it met the 503.
    expect(line).toMatch(
      /(Google Chat is unavailable \(503 UNAVAILABLE\)|The operation was aborted due to timeout).*gave up after \d+ attempts in \d\.\d s; raise 'timeout'/,
    )
    expect(result.log).toMatch(/attempt 1 failed \(HTTP 503\); retrying in \d+ ms/)
    // The budget is the action's own clock, from its first request; Node's start-up, which a loaded machine can
    // stretch to seconds, is not part of it. Timers may fire late on a loaded machine, hence the 0.5 s.
    const spent = Number(/gave up after \d+ attempts in (\d\.\d) s/.exec(line!)![1])
    expect(spent).toBeLessThanOrEqual(3 + 0.5)
    // The process as a whole: only a hang would take this long.
    expect(result.durationMs).toBeLessThan(3000 + 20_000)
    expect(result.log).not.toMatch(STACK_TRACE)
    expect(google.emulator.messages()).toEqual([])
  })

  test('a 400 names the field Chat rejected', async () => {
    google.emulator.injectFault({
      host: 'chat.googleapis.com',
      method: 'POST',
      fault: {
        kind: 'status',
        status: 400,
        body: {
          error: {
            code: 400,
            message: "Invalid value at 'message.cards_v2[0].card.header.title'",
            status: 'INVALID_ARGUMENT',
            details: [
              {
                '@type': 'type.googleapis.com/google.rpc.BadRequest',
                fieldViolations: [{ field: 'message.cards_v2[0].card.header.title', description: 'Invalid value' }],
              },
            ],
          },
        },
      },
    })
    const result = await google.run()
    expect(result.code).toBe(0)
    expect(lines(result.log, 'warning')[0]).toMatch(
      /Google Chat rejected the message \(400 INVALID_ARGUMENT\) \(field message\.cards_v2\[0\]\.card\.header\.title\)/,
    )
    expect(creates()).toHaveLength(1)
  })
})

describe('several spaces', () => {
  test('one failing space does not stop the others; every message is named in the messages output', async () => {
    const spaces = `${MEMBER_SPACE}\n${FOREIGN_SPACE}`
    const soft = await google.run({ inputs: { space: spaces } })
    expect(soft.code).toBe(0)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
    const messages = JSON.parse(soft.outputs.messages!) as { space: string; action?: string; error?: string }[]
    expect(messages).toEqual([
      expect.objectContaining({ space: MEMBER_SPACE, action: 'created' }),
      { space: FOREIGN_SPACE, error: expect.stringMatching(/403 PERMISSION_DENIED.*add the app/) },
    ])
    expect(soft.outputs['message-name']).toBe(google.emulator.messages(MEMBER_SPACE)[0]!.name)
    expect(lines(soft.log, 'warning')).toHaveLength(2)

    const hard = await google.run({ inputs: { space: spaces, 'fail-on-error': 'true' } })
    expect(hard.code).toBe(1)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(2)
    expect(lines(hard.log, 'error').at(-1)).toMatch(/1 of 2 spaces were not notified/)
  })
})

describe('credentials missing (fork or Dependabot pull request)', () => {
  test('skips with a notice and exit 0; with fail-on-error it fails', async () => {
    const skipped = await google.run({ inputs: { credentials: '' } })
    expect(skipped.code).toBe(0)
    expect(lines(skipped.log, 'notice')[0]).toMatch(
      /'credentials' is empty, webhook-url too, and no keyless sign-in was set up, so nothing was sent.*forks or by Dependabot/,
    )
    expect(google.emulator.requests).toEqual([])

    const failed = await google.run({ inputs: { credentials: '', 'fail-on-error': 'true' } })
    expect(failed.code).toBe(1)
    expect(lines(failed.log, 'error')[0]).toMatch(/Input 'credentials' is empty/)
  })
})
