// run() in this process against the emulator (fixtures/run-in-process.ts): what reaches Chat for each operation
// (create, upsert by message id, update, delete, thread replies), each way of signing in (key, self-signed JWT,
// keyless) and webhook mode, read back from the emulator and from the outputs the fake core recorded.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  cardOf,
  FOREIGN_SPACE,
  MEMBER_SPACE,
  startGoogle,
  tokensUsed,
  type GoogleFixture,
} from '../fixtures/google-emulator.ts'
import { routeThroughEmulator, runInProcess, type InProcessOptions } from '../fixtures/run-in-process.ts'

let google: GoogleFixture
let restore: () => void
let dir: string
beforeAll(async () => {
  google = await startGoogle({ selfSignedJwt: true })
  restore = routeThroughEmulator(google.emulator)
  dir = mkdtempSync(join(tmpdir(), 'gcn-run-delivery-'))
})
afterAll(async () => {
  restore()
  await google.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => google.emulator.reset())

const runWithKey = (options: InProcessOptions = {}) =>
  runInProcess({ ...options, inputs: { credentials: google.key.json, space: MEMBER_SPACE, ...options.inputs } })

const posted = () => google.emulator.messages(MEMBER_SPACE)
const chatRequests = () => google.emulator.requests.filter((r) => r.host === 'chat.googleapis.com')
const hosts = () => google.emulator.requests.map((r) => `${r.method} ${r.host}`)

describe('create', () => {
  test('one POST with a request id; the outputs name the stored message and its thread', async () => {
    const { outputs, failure } = await runWithKey()
    expect(failure).toBeUndefined()
    expect(hosts()).toEqual(['POST oauth2.googleapis.com', 'POST chat.googleapis.com'])
    const [create] = chatRequests()
    expect(create!.path).toBe(`/v1/${MEMBER_SPACE}/messages`)
    expect(create!.query.requestId).toBeTruthy()
    const [message] = posted()
    expect(outputs).toMatchObject({
      action: 'created',
      'message-name': message!.name,
      'thread-name': message!.thread.name,
    })
  })

  test('a lost response is retried with the same request id: one message', async () => {
    google.emulator.injectFault({ host: 'chat.googleapis.com', method: 'POST', fault: { kind: 'lose-response' } })
    const { core, outputs } = await runWithKey()
    expect(posted()).toHaveLength(1)
    expect(new Set(chatRequests().map((r) => r.query.requestId)).size).toBe(1)
    expect(chatRequests()).toHaveLength(2)
    expect(outputs['message-name']).toBe(posted()[0]!.name)
    expect(core.lines('info').some((line) => /attempt 1 failed \(ECONNRESET\); retrying/.test(line))).toBe(true)
  })

  test("notification: silent sets Chat's notification type", async () => {
    await runWithKey({ inputs: { notification: 'silent' } })
    expect(chatRequests()[0]!.query['createMessageNotificationOptions.notificationType']).toBe(
      'NOTIFICATION_TYPE_SILENT',
    )
  })
})

describe('upsert by message id', () => {
  test('started creates the card; success updates the same card in place', async () => {
    const started = await runWithKey({ jobStatus: 'started', inputs: { 'message-id': 'deploy-42' } })
    expect(started.outputs).toMatchObject({ action: 'created', 'message-id': 'client-deploy-42' })
    expect(cardOf(posted()[0]!).header?.title).toBe('🚀 CI started')

    const done = await runWithKey({ jobStatus: 'success', inputs: { 'message-id': 'deploy-42' } })
    expect(done.outputs).toMatchObject({
      action: 'updated',
      'message-id': 'client-deploy-42',
      'message-name': started.outputs['message-name'],
    })
    expect(posted()).toHaveLength(1)
    expect(cardOf(posted()[0]!).header?.title).toBe('✅ CI succeeded')
    expect(chatRequests().find((r) => r.method === 'PATCH')!.query.updateMask).toBe('text,cardsV2,accessoryWidgets')
  })
})

describe('update and delete by name', () => {
  test("update an earlier step's message, delete it, and deleting again is not an error", async () => {
    const first = await runWithKey({ jobStatus: 'started' })
    const name = first.outputs['message-name']!

    const updated = await runWithKey({ jobStatus: 'success', inputs: { update: name } })
    expect(updated.outputs).toMatchObject({ action: 'updated', 'message-name': name })
    expect(cardOf(posted()[0]!).header?.title).toBe('✅ CI succeeded')

    const deleted = await runWithKey({ inputs: { delete: name } })
    expect(deleted.failure).toBeUndefined()
    expect(deleted.outputs).toMatchObject({ action: 'deleted', 'message-name': name })
    expect(posted()).toEqual([])

    const again = await runWithKey({ inputs: { delete: name, 'fail-on-error': 'true' } })
    expect(again.failure).toBeUndefined()
    expect(again.core.text()).toContain('was already deleted')
  })

  test('updating a message that does not exist fails with fail-on-error', async () => {
    const { failure } = await runWithKey({
      inputs: { update: `${MEMBER_SPACE}/messages/nope.nope`, 'fail-on-error': 'true' },
    })
    expect(failure).toMatch(/^google-chat-notify: /)
    expect(failure).not.toContain('\n')
  })
})

describe('threads', () => {
  test('messages with one thread key share a thread; later ones are replies', async () => {
    const names: string[] = []
    for (const status of ['started', 'success']) {
      const { outputs } = await runWithKey({ jobStatus: status, inputs: { 'thread-key': 'pr-42' } })
      names.push(outputs['thread-name']!)
    }
    const messages = posted()
    expect(messages.map((m) => Boolean(m.threadReply))).toEqual([false, true])
    expect(new Set(names)).toEqual(new Set([messages[0]!.thread.name]))
    for (const request of chatRequests().filter((r) => r.method === 'POST')) {
      expect(request.query.messageReplyOption).toBe('REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD')
    }
  })

  test('a reply by thread name; required fails when the thread does not exist', async () => {
    const first = await runWithKey()
    const reply = await runWithKey({
      inputs: { 'thread-name': first.outputs['thread-name']!, 'thread-reply': 'required' },
    })
    expect(reply.outputs['thread-name']).toBe(first.outputs['thread-name'])
    expect(posted()[1]!.threadReply).toBe(true)

    const missing = await runWithKey({
      inputs: { 'thread-name': `${MEMBER_SPACE}/threads/nope`, 'thread-reply': 'required', 'fail-on-error': 'true' },
    })
    expect(missing.failure).toBeDefined()
    expect(posted()).toHaveLength(2)
  })
})

describe('several spaces', () => {
  test('one failing space does not stop the other; the messages output names both', async () => {
    const { core, outputs, failure } = await runWithKey({ inputs: { space: `${MEMBER_SPACE}\n${FOREIGN_SPACE}` } })
    expect(failure).toBeUndefined()
    expect(posted()).toHaveLength(1)
    expect(JSON.parse(outputs.messages!)).toEqual([
      expect.objectContaining({ space: MEMBER_SPACE, action: 'created', messageName: posted()[0]!.name }),
      { space: FOREIGN_SPACE, error: expect.stringMatching(/403 PERMISSION_DENIED/) },
    ])
    // One warning for the space, one verdict.
    expect(core.lines('warning')).toHaveLength(2)
    expect(core.lines('warning')[1]).toMatch(/1 of 2 spaces were not notified/)
  })
})

describe('signing in', () => {
  test('self-signed JWT: no token endpoint, the JWT masked', async () => {
    const { core, failure } = await runWithKey({ inputs: { auth: 'self-signed-jwt' } })
    expect(failure).toBeUndefined()
    expect(hosts()).toEqual(['POST chat.googleapis.com'])
    const [jwt] = tokensUsed(google.emulator)
    expect(jwt!.split('.')).toHaveLength(3)
    expect(core.secrets).toContain(jwt)
  })

  test("keyless: auth's credentials file, the runner's OIDC token, STS, IAM Credentials, then Chat", async () => {
    const keyless = google.emulator.keyless
    const credentialsPath = keyless.writeCredentials(dir)
    const { core, failure } = await runInProcess({
      inputs: { space: MEMBER_SPACE },
      env: keyless.env(credentialsPath),
    })
    expect(failure).toBeUndefined()
    expect(core.lines('warning')).toEqual([])
    expect(hosts()).toEqual([
      `GET ${keyless.oidc.host}`,
      'POST sts.googleapis.com',
      'POST iamcredentials.googleapis.com',
      'POST chat.googleapis.com',
    ])
    expect(posted()).toHaveLength(1)
    const [token] = tokensUsed(google.emulator)
    expect(core.secrets).toContain(token)
  })
})

describe('webhook mode', () => {
  test('posts through the webhook with no sign-in; the URL, its key and token are masked', async () => {
    const webhook = google.emulator.registerWebhook(MEMBER_SPACE)
    const { core, outputs, failure } = await runInProcess({
      inputs: { 'webhook-url': webhook.url, 'thread-key': 'deploy-7' },
    })
    expect(failure).toBeUndefined()
    expect(hosts()).toEqual(['POST chat.googleapis.com'])
    expect(outputs).toMatchObject({ space: MEMBER_SPACE, action: 'created', 'message-name': posted()[0]!.name })
    expect(google.emulator.ownerOf(posted()[0]!.name)).toBe(`webhooks/${webhook.id}`)
    expect(core.secrets).toEqual(expect.arrayContaining([webhook.url, webhook.token]))
    for (const secret of [webhook.url, webhook.key, webhook.token]) expect(core.text()).not.toContain(secret)
  })

  test('a webhook cannot update in place: the input is named and nothing is sent', async () => {
    const webhook = google.emulator.registerWebhook(MEMBER_SPACE)
    const { failure } = await runInProcess({ inputs: { 'webhook-url': webhook.url, 'message-id': 'deploy-1' } })
    expect(failure).toMatch(/Input 'message-id' cannot be used with webhook-url/)
    expect(google.emulator.requests).toEqual([])
  })
})
