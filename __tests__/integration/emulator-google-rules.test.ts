// Issue 12, section 1: the emulator held to Google's documented behaviour. Each test names its source: the
// discovery document (schema/chat-v1-discovery.json, field or method), an API design guide (AIP), Chat's
// reference pages, or what users of the Chat API have reported.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { chatBotToken } from '../fixtures/chat-bot-token.ts'
import {
  CHAT_APP_NOT_FOUND,
  createServiceAccountKey,
  ProxyClient,
  startEmulator,
  type Emulator,
  type ProxyResponse,
} from '../../emulator/index.ts'

const CHAT = 'https://chat.googleapis.com/v1'
const SPACE = 'spaces/RULES'
const SYSTEM_NAME = /^spaces\/RULES\/messages\/[\w-]+\.[\w-]+$/
const FALLBACK = 'messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD'

let emulator: Emulator
let client: ProxyClient
/** The action's app (project octo-project) and a second service account of the same project. */
let token: string
let sameProjectToken: string
/** Another Chat app (another project) that is also a member of the space. */
let otherAppToken: string

beforeAll(async () => {
  emulator = await startEmulator({ members: [SPACE, 'spaces/OTHER'] })
  client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
  const accounts = [
    'chat-notify@octo-project.iam.gserviceaccount.com',
    'second@octo-project.iam.gserviceaccount.com',
    'bot@other-project.iam.gserviceaccount.com',
  ].map((email) => createServiceAccountKey({ email }))
  for (const sa of accounts) emulator.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id)
  ;[token, sameProjectToken, otherAppToken] = await Promise.all(accounts.map((sa) => chatBotToken(client, sa)))
})

afterAll(async () => {
  client.close()
  await emulator.close()
})

beforeEach(() => {
  emulator.reset()
  emulator.setWriteQuota(undefined)
  emulator.setChatBehaviour({ alreadyExistsHttpStatus: 409 })
})

function api(method: string, path: string, body?: unknown, bearer = token) {
  return client.request(method, `${CHAT}/${path}`, { headers: { authorization: `Bearer ${bearer}` }, body })
}
const create = (query: string, body: unknown, bearer = token, space = SPACE) =>
  api('POST', `${space}/messages${query ? `?${query}` : ''}`, body, bearer)

function expectError(res: ProxyResponse, code: number, status: string, message?: string | RegExp) {
  expect(res.status).toBe(code)
  expect(res.json.error).toMatchObject({ code, status })
  if (typeof message === 'string') expect(res.json.error.message).toBe(message)
  else if (message) expect(res.json.error.message).toMatch(message)
}

async function control(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: ProxyResponse['json'] }> {
  const res = await fetch(`${emulator.proxyUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: await res.json() }
}

function card(sections: unknown[]) {
  return { cardsV2: [{ cardId: 'c', card: { header: { title: 'Build' }, sections } }] }
}

describe('names (discovery doc: Message.name, Message.clientAssignedMessageId)', () => {
  test('a custom id keeps the system-assigned name; the client id stands in for it in get, patch, update, delete', async () => {
    const created = await create('messageId=client-deploy-7', { text: 'v1' })
    expect(created.json.name).toMatch(SYSTEM_NAME)
    expect(created.json.clientAssignedMessageId).toBe('client-deploy-7')
    const byClient = `${SPACE}/messages/client-deploy-7`
    expect((await api('GET', byClient)).json.name).toBe(created.json.name)
    expect((await api('PATCH', `${byClient}?updateMask=text`, { text: 'v2' })).json).toMatchObject({
      name: created.json.name,
      text: 'v2',
    })
    expect((await api('PUT', `${byClient}?updateMask=text`, { text: 'v3' })).json.name).toBe(created.json.name)
    expect((await api('GET', created.json.name)).json.text).toBe('v3')
    expect((await api('DELETE', byClient)).status).toBe(200)
    expect(emulator.messages(SPACE)).toEqual([])
  })

  test('a thread starter is named <thread>.<thread>, a reply <thread>.<message>', async () => {
    const first = await create(FALLBACK, { text: 'a', thread: { threadKey: 'k' } })
    const reply = await create(FALLBACK, { text: 'b', thread: { threadKey: 'k' } })
    const threadId = first.json.thread.name.split('/').pop()
    expect(first.json.name).toBe(`${SPACE}/messages/${threadId}.${threadId}`)
    expect(reply.json.name).toMatch(new RegExp(`^${SPACE}/messages/${threadId}\\.(?!${threadId}$)`))
  })
})

describe('duplicate custom ids (discovery doc: create.messageId "unique within a space"; AIP-133 ALREADY_EXISTS)', () => {
  test('409 ALREADY_EXISTS by default, whichever app holds the id', async () => {
    await create('messageId=client-x', { text: 'one' })
    expectError(await create('messageId=client-x', { text: 'two' }), 409, 'ALREADY_EXISTS', /client-x/)
    expectError(await create('messageId=client-x', { text: 'three' }, otherAppToken), 409, 'ALREADY_EXISTS')
  })

  test('the HTTP status is a switch (the Chat reference names none); the status stays ALREADY_EXISTS', async () => {
    await create('messageId=client-y', { text: 'one' })
    emulator.setChatBehaviour({ alreadyExistsHttpStatus: 400 })
    expectError(await create('messageId=client-y', { text: 'two' }), 400, 'ALREADY_EXISTS')
    expect((await control('POST', '/_emulator/chat-behaviour', { alreadyExistsHttpStatus: 500 })).status).toBe(200)
    expectError(await create('messageId=client-y', { text: 'two' }), 500, 'ALREADY_EXISTS')
    expect((await control('POST', '/_emulator/chat-behaviour', { alreadyExistsHttpStatus: 200 })).status).toBe(400)
    expect(() => emulator.setChatBehaviour({ alreadyExistsHttpStatus: 99 })).toThrow(/alreadyExistsHttpStatus/)
  })
})

describe('allowMissing upsert (discovery doc: patch.allowMissing, update.allowMissing)', () => {
  test('creates a message with a system name and a new thread, notifying; then updates it silently', async () => {
    const path = `${SPACE}/messages/client-upsert?updateMask=text&allowMissing=true`
    const created = await api('PATCH', path, { text: 'first' })
    expect(created.status).toBe(200)
    expect(created.json).toMatchObject({
      name: expect.stringMatching(SYSTEM_NAME),
      clientAssignedMessageId: 'client-upsert',
    })
    expect(created.json.thread.name).toMatch(/^spaces\/RULES\/threads\//)
    const updated = await api('PUT', path, { text: 'second' })
    expect(updated.json).toMatchObject({ name: created.json.name, text: 'second' })
    expect(emulator.messages(SPACE)).toHaveLength(1)
    expect(emulator.notifications({ space: SPACE }).map((n) => n.message)).toEqual([created.json.name])
  })

  test('a system id is refused (404), and so is another app’s client id (403)', async () => {
    expectError(await api('PATCH', `${SPACE}/messages/abc.abc?allowMissing=true`, { text: 'x' }), 404, 'NOT_FOUND')
    emulator.postAs({ app: 'third-project' }, { space: SPACE, message: { text: 'theirs' }, messageId: 'client-theirs' })
    expectError(
      await api('PATCH', `${SPACE}/messages/client-theirs?updateMask=text&allowMissing=true`, { text: 'x' }),
      403,
      'PERMISSION_DENIED',
    )
  })
})

describe('ownership (discovery doc: patch, update, delete "only messages created by the calling Chat app")', () => {
  test('another app’s message: get works, patch, update and delete are PERMISSION_DENIED', async () => {
    const theirs = await create('messageId=client-theirs', { text: 'theirs' }, otherAppToken)
    const byName = theirs.json.name
    expect((await api('GET', byName)).status).toBe(200)
    for (const [method, path] of [
      ['PATCH', `${byName}?updateMask=text`],
      ['PUT', `${SPACE}/messages/client-theirs?updateMask=text`],
      ['DELETE', byName],
    ]) {
      expectError(
        await api(method!, path!, { text: 'mine now' }),
        403,
        'PERMISSION_DENIED',
        'The caller does not have permission',
      )
    }
    expect(emulator.messages(SPACE)[0]).toMatchObject({ text: 'theirs' })
    expect(emulator.ownerOf(byName)).toBe('apps/other-project')
  })

  test('every service account of the app’s project is the same app', async () => {
    const mine = await create('', { text: 'v1' })
    expect((await api('PATCH', `${mine.json.name}?updateMask=text`, { text: 'v2' }, sameProjectToken)).status).toBe(200)
    expect(emulator.ownerOf(mine.json.name)).toBe('apps/octo-project')
  })

  test('messages seeded as another app or a webhook (API and control route) are not the app’s', async () => {
    const seeded = emulator.postAs({ webhook: 'deploy-hook' }, { space: SPACE, message: { text: 'from a webhook' } })
    expect(seeded.name).toMatch(SYSTEM_NAME)
    const viaControl = await control('POST', '/_emulator/messages', {
      as: { app: 'release-bot' },
      space: SPACE,
      message: { text: 'from another app' },
      messageId: 'client-release',
    })
    expect(viaControl.status).toBe(200)
    expect(viaControl.json).toMatchObject({ text: 'from another app', clientAssignedMessageId: 'client-release' })
    expectError(await api('DELETE', seeded.name), 403, 'PERMISSION_DENIED')
    expectError(await api('DELETE', `${SPACE}/messages/client-release`), 403, 'PERMISSION_DENIED')
    expect(emulator.ownerOf(seeded.name)).toBe('webhooks/deploy-hook')
    expect(
      (await control('POST', '/_emulator/messages', { as: { nobody: 1 }, space: SPACE, message: {} })).status,
    ).toBe(400)
  })

  test('thread keys belong to the app or webhook that set them (discovery doc: Thread.threadKey)', async () => {
    const webhook = emulator.registerWebhook(SPACE)
    const url = `${webhook.url}&${FALLBACK}`
    const fromHook = await client.request('POST', url, { body: { text: 'hook', thread: { threadKey: 'build-1' } } })
    const fromOther = await create(FALLBACK, { text: 'other', thread: { threadKey: 'build-1' } }, otherAppToken)
    const fromApp = await create(FALLBACK, { text: 'app', thread: { threadKey: 'build-1' } })
    const again = await create(FALLBACK, { text: 'app again', thread: { threadKey: 'build-1' } })
    const hookAgain = await client.request('POST', url, { body: { text: 'hook 2', thread: { threadKey: 'build-1' } } })
    const threads = [fromHook, fromOther, fromApp].map((r) => r.json.thread.name)
    expect(new Set(threads).size).toBe(3)
    expect(again.json.thread.name).toBe(fromApp.json.thread.name)
    expect(hookAgain.json.thread.name).toBe(fromHook.json.thread.name)
    // A thread name reaches any thread ("To reply in a thread created by … another Chat app, specify the name").
    const byName = await create(FALLBACK, { text: 'into the hook thread', thread: { name: fromHook.json.thread.name } })
    expect(byName.json).toMatchObject({ thread: { name: fromHook.json.thread.name }, threadReply: true })
    expect(byName.json.thread.threadKey).toBeUndefined()
  })

  test('registering a webhook does not make the app a member of the space', async () => {
    const webhook = emulator.registerWebhook('spaces/HOOK-ONLY')
    expect((await client.request('POST', webhook.url, { body: { text: 'hook' } })).status).toBe(200)
    expectError(await create('', { text: 'app' }, token, 'spaces/HOOK-ONLY'), 404, 'NOT_FOUND')
    expect(emulator.messages('spaces/HOOK-ONLY').map((m) => m.text)).toEqual(['hook'])
  })
})

describe('incoming webhooks (discovery doc: Message.accessoryWidgets, Message.privateMessageViewer, create)', () => {
  const accessory = {
    accessoryWidgets: [
      { buttonList: { buttons: [{ text: 'Open', onClick: { openLink: { url: 'https://example.com' } } }] } },
    ],
  }

  test.each([
    ['accessoryWidgets', accessory],
    ['privateMessageViewer', { privateMessageViewer: { name: 'users/123' } }],
  ])('%s is refused with a plain 400 naming the field; an app may send it', async (field, extra) => {
    const webhook = emulator.registerWebhook(SPACE)
    const res = await client.request('POST', webhook.url, { body: { text: 'hi', ...extra } })
    expectError(res, 400, 'INVALID_ARGUMENT', new RegExp(`^Invalid message: ${field} requires app authentication`))
    expect(res.json.error.details).toBeUndefined()
    expect(emulator.messages(SPACE)).toEqual([])
    expect((await create('', { text: 'hi', ...extra })).status).toBe(200)
  })

  test.each(['NOTIFICATION_TYPE_SILENT', 'NOTIFICATION_TYPE_FORCE_NOTIFY'])(
    'notificationType %s is refused (discovery doc: create, "Requires app authentication")',
    async (type) => {
      const webhook = emulator.registerWebhook(SPACE)
      const url = `${webhook.url}&createMessageNotificationOptions.notificationType=${type}`
      const res = await client.request('POST', url, { body: { text: 'hi' } })
      expectError(res, 400, 'INVALID_ARGUMENT', /requires app authentication/)
      expect(res.json.error.details).toBeUndefined()
      expect(emulator.messages(SPACE)).toEqual([])
    },
  )

  test('the answer is the request plus name and thread.name, not the stored message', async () => {
    const webhook = emulator.registerWebhook(SPACE)
    const res = await client.request('POST', `${webhook.url}&${FALLBACK}`, {
      body: { text: 'hi', thread: { threadKey: 'k' } },
    })
    expect(res.json).toEqual({
      text: 'hi',
      name: expect.stringMatching(SYSTEM_NAME),
      thread: { threadKey: 'k', name: expect.any(String) },
    })
    expect(emulator.messages(SPACE)[0]).toMatchObject({ sender: { type: 'BOT' }, createTime: expect.any(String) })
  })
})

describe('"Google Chat app not found" (reported: taylorwilsdon/google_workspace_mcp#493)', () => {
  test('404 with the reported text for a project without a Chat app; per project, settable by email', async () => {
    emulator.setChatAppConfigured('other-project', false)
    expectError(await create('', { text: 'x' }, otherAppToken), 404, 'NOT_FOUND', CHAT_APP_NOT_FOUND)
    expect(CHAT_APP_NOT_FOUND).toBe(
      'Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console.',
    )
    expect((await create('', { text: 'x' })).status).toBe(200)
    emulator.setChatAppConfigured('bot@other-project.iam.gserviceaccount.com', true)
    expect((await create('', { text: 'x' }, otherAppToken)).status).toBe(200)
    expect((await control('POST', '/_emulator/chat-apps', { project: 'octo-project', configured: false })).status).toBe(
      200,
    )
    expectError(await api('GET', `${SPACE}/messages/x.x`), 404, 'NOT_FOUND', CHAT_APP_NOT_FOUND)
    expect((await control('POST', '/_emulator/chat-apps', { project: 'octo-project', configured: true })).status).toBe(
      200,
    )
    expect((await control('POST', '/_emulator/chat-apps', { project: 'octo-project' })).status).toBe(400)
  })

  test('the option projectsWithoutChatApp configures it at start', async () => {
    const other = await startEmulator({ members: [SPACE], projectsWithoutChatApp: ['octo-project'] })
    const otherClient = new ProxyClient(other.proxyUrl, other.caCertPem)
    try {
      const sa = createServiceAccountKey({ email: 'chat-notify@octo-project.iam.gserviceaccount.com' })
      other.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id)
      const bearer = await chatBotToken(otherClient, sa)
      const res = await otherClient.request('POST', `${CHAT}/${SPACE}/messages`, {
        headers: { authorization: `Bearer ${bearer}` },
        body: { text: 'x' },
      })
      expectError(res, 404, 'NOT_FOUND', CHAT_APP_NOT_FOUND)
    } finally {
      otherClient.close()
      await other.close()
    }
  })
})

describe('card rules beyond the schema', () => {
  const text = (t: string) => ({ textParagraph: { text: t } })

  test('at most 2 columnItems (discovery doc: Columns.columnItems "up to 2 columns")', async () => {
    const columns = (n: number) => ({
      columns: { columnItems: Array.from({ length: n }, () => ({ widgets: [text('c')] })) },
    })
    expect((await create('', card([{ widgets: [columns(2)] }]))).status).toBe(200)
    const res = await create('', card([{ widgets: [text('a')] }, { widgets: [text('b'), columns(3)] }]))
    expectError(res, 400, 'INVALID_ARGUMENT', /3 column_items; a Columns widget includes up to 2 columns/)
    expect(res.json.error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [
          {
            field: 'message.cards_v2[0].card.sections[1].widgets[1].columns.column_items',
            description: expect.any(String),
          },
        ],
      },
    ])
  })

  test('no fixedFooter in a card message (discovery doc: Card.fixedFooter "not card messages")', async () => {
    const footer = { primaryButton: { text: 'Go', onClick: { openLink: { url: 'https://example.com' } } } }
    const res = await create('', {
      cardsV2: [{ cardId: 'c', card: { sections: [{ widgets: [text('a')] }], fixedFooter: footer } }],
    })
    expectError(res, 400, 'INVALID_ARGUMENT', /fixed_footer is only supported in dialogs/)
    expect(res.json.error.details[0].fieldViolations[0].field).toBe('message.cards_v2[0].card.fixed_footer')
  })

  test('past 100 widgets (nested ones counted) that section and the following ones are dropped silently (discovery doc: Card)', async () => {
    const widgets = (n: number) => Array.from({ length: n }, (_, i) => text(String(i)))
    const nested = { columns: { columnItems: [{ widgets: widgets(5) }, { widgets: widgets(5) }] } } // 11 widgets
    const res = await create(
      '',
      card([{ widgets: widgets(80) }, { widgets: [nested] }, { widgets: widgets(9) }, { widgets: widgets(1) }]),
    )
    // 80 + 11 = 91, + 9 = 100 (kept), + 1 = 101: the last section goes.
    expect(res.status).toBe(200)
    expect(res.json.cardsV2[0].card.sections).toHaveLength(3)
    const over = await create('', card([{ widgets: widgets(90) }, { widgets: [nested] }, { widgets: widgets(1) }]))
    expect(over.json.cardsV2[0].card.sections).toHaveLength(1)
    expect(emulator.messages(SPACE)[1]!.cardsV2).toEqual(over.json.cardsV2)
    expect(emulator.warnings(SPACE).map((w) => [w.message, w.field])).toEqual([
      [res.json.name, 'message.cards_v2[0].card.sections[3]'],
      [over.json.name, 'message.cards_v2[0].card.sections[1]'],
    ])
  })

  test('an invalid materialIcon name is kept as "" with a warning (discovery doc: MaterialIcon.name)', async () => {
    const icon = (name: string) => ({ decoratedText: { text: 'x', startIcon: { materialIcon: { name } } } })
    const res = await create('', card([{ widgets: [icon('check_circle'), icon('Check Circle!')] }]))
    expect(res.status).toBe(200)
    const stored = res.json.cardsV2[0].card.sections[0].widgets
    expect(
      stored.map(
        (w: { decoratedText: { startIcon: { materialIcon: { name: string } } } }) =>
          w.decoratedText.startIcon.materialIcon.name,
      ),
    ).toEqual(['check_circle', ''])
    const warnings = (await control('GET', `/_emulator/warnings?space=${SPACE}`)).json
    expect(warnings).toEqual([
      expect.objectContaining({
        message: res.json.name,
        field: 'message.cards_v2[0].card.sections[0].widgets[1].decorated_text.start_icon.material_icon.name',
        description: expect.stringMatching(/"Check Circle!"/),
      }),
    ])
  })
})

describe('text length: 4,096 characters and 4,096 UTF-8 bytes (reports: GHC-Errbot#10, calert#10/#17)', () => {
  const TOO_LONG = 'Maximum length of the field is 4096. Field: apps.dynamite.CreateMessageInfo.text_body'
  test.each([
    ['4,096 ASCII characters', 'a'.repeat(4096), 200],
    ['4,095 ASCII characters and the "…" marker (4,098 bytes)', 'a'.repeat(4095) + '…', 400],
    ['1,365 CJK characters (4,095 bytes)', '界'.repeat(1365), 200],
    ['1,366 CJK characters (4,098 bytes)', '界'.repeat(1366), 400],
    ['3,000 CJK characters (9,000 bytes)', '界'.repeat(3000), 400],
    ['1,024 emoji (4,096 bytes)', '🚀'.repeat(1024), 200],
    ['1,025 emoji (4,100 bytes, 2,050 UTF-16 units)', '🚀'.repeat(1025), 400],
  ])('%s', async (_name, text, status) => {
    const res = await create('', { text })
    expect(res.status).toBe(status)
    if (status === 400) expectError(res, 400, 'INVALID_ARGUMENT', TOO_LONG)
  })
})

describe('per-space write quota (Chat limits page: shared by every app and webhook in the space)', () => {
  test('on by default at 60 writes a minute per space, as in production', async () => {
    const fresh = await startEmulator({ members: [SPACE] })
    try {
      for (let i = 0; i < 60; i++) fresh.postAs({ app: 'busy' }, { space: SPACE, message: { text: String(i) } })
      expect(() => fresh.postAs({ app: 'busy' }, { space: SPACE, message: { text: 'one more' } })).toThrow(
        /RESOURCE_EXHAUSTED/,
      )
      expect(() => fresh.postAs({ app: 'busy' }, { space: 'spaces/ELSEWHERE', message: { text: 'x' } })).not.toThrow()
    } finally {
      await fresh.close()
    }
  })

  test('the app, another app and a webhook draw on one quota; Retry-After comes every other 429 by default', async () => {
    emulator.setWriteQuota({ perMinute: 3, timeScale: 60 })
    const webhook = emulator.registerWebhook(SPACE)
    expect((await create('', { text: 'app' })).status).toBe(200)
    expect((await create('', { text: 'other app' }, otherAppToken)).status).toBe(200)
    expect((await client.request('POST', webhook.url, { body: { text: 'hook' } })).status).toBe(200)
    const first = await create('', { text: 'app again' })
    const second = await client.request('POST', webhook.url, { body: { text: 'hook again' } })
    expectError(first, 429, 'RESOURCE_EXHAUSTED')
    expectError(second, 429, 'RESOURCE_EXHAUSTED')
    expect(first.headers['retry-after']).toEqual(expect.any(String))
    expect(second.headers['retry-after']).toBeUndefined()
    expect((await create('', { text: 'elsewhere' }, token, 'spaces/OTHER')).status).toBe(200)
  })

  test.each([
    ['never', [undefined, undefined]],
    ['always', [expect.any(String), expect.any(String)]],
  ] as const)('retryAfter: %s', async (retryAfter, expected) => {
    emulator.setWriteQuota({ perMinute: 1, timeScale: 60, retryAfter })
    await create('', { text: 'a' })
    const answers = [await create('', { text: 'b' }), await create('', { text: 'c' })]
    expect(answers.map((r) => r.status)).toEqual([429, 429])
    expect(answers.map((r) => r.headers['retry-after'])).toEqual(expected)
    expect(answers.every((r) => Number(r.headers['x-emulator-retry-after-ms']) > 0)).toBe(true)
    expect(() => emulator.setWriteQuota({ perMinute: 1, retryAfter: 'sometimes' as never })).toThrow(/retryAfter/)
  })
})

describe('notifications (discovery doc: create.createMessageNotificationOptions; Chat: SpaceNotificationSetting)', () => {
  test('a new thread notifies the space, a reply its followers, mentions their users; edits notify no one', async () => {
    const first = await create(FALLBACK, { text: 'Build failed <users/123>', thread: { threadKey: 'b' } })
    const reply = await create(FALLBACK, { text: 'Still failing <users/all> <users/123>', thread: { threadKey: 'b' } })
    await api('PATCH', `${first.json.name}?updateMask=text`, { text: 'Build fixed' })
    await api('PUT', `${reply.json.name}?updateMask=text`, { text: 'fixed' })
    expect(emulator.notifications()).toEqual([
      {
        time: expect.any(String),
        space: SPACE,
        message: first.json.name,
        thread: first.json.thread.name,
        sentBy: 'apps/octo-project',
        notificationType: 'NOTIFICATION_TYPE_NONE',
        recipients: ['space', 'users/123'],
        forced: false,
      },
      expect.objectContaining({ message: reply.json.name, recipients: ['thread', 'users/all', 'users/123'] }),
    ])
  })

  test('SILENT notifies no one; FORCE_NOTIFY is marked forced; webhooks notify too', async () => {
    const silent = await create('createMessageNotificationOptions.notificationType=NOTIFICATION_TYPE_SILENT', {
      text: '<users/9>',
    })
    const forced = await create('createMessageNotificationOptions.notificationType=NOTIFICATION_TYPE_FORCE_NOTIFY', {
      text: 'x',
    })
    const webhook = emulator.registerWebhook(SPACE)
    const hooked = await client.request('POST', webhook.url, { body: { text: 'from the hook' } })
    expect(emulator.notifications({ message: silent.json.name })).toEqual([
      expect.objectContaining({ notificationType: 'NOTIFICATION_TYPE_SILENT', recipients: [], forced: false }),
    ])
    expect(emulator.notifications({ message: forced.json.name })[0]).toMatchObject({
      forced: true,
      recipients: ['space'],
    })
    expect(emulator.notifications({ message: hooked.json.name })[0]).toMatchObject({ sentBy: `webhooks/${webhook.id}` })
  })

  test('GET /_emulator/notifications with filters; reset() forgets them', async () => {
    await create('', { text: 'a <users/7>' })
    await create('', { text: 'b' }, token, 'spaces/OTHER')
    const all = await control('GET', '/_emulator/notifications')
    expect(all.json).toHaveLength(2)
    const bySpace = await control('GET', `/_emulator/notifications?space=${SPACE}`)
    expect(bySpace.json.map((n: { recipients: string[] }) => n.recipients)).toEqual([['space', 'users/7']])
    expect((await control('GET', '/_emulator/notifications?recipient=users/7')).json).toHaveLength(1)
    expect((await control('GET', '/_emulator/notifications?recipient=users/8')).json).toEqual([])
    emulator.reset()
    expect((await control('GET', '/_emulator/notifications')).json).toEqual([])
  })
})
