import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { chatBotToken } from '../fixtures/chat-bot-token.ts'
import {
  createServiceAccountKey,
  ProxyClient,
  startEmulator,
  type Emulator,
  type ProxyResponse,
} from '../../emulator/index.ts'

const CHAT = 'https://chat.googleapis.com/v1'

let emulator: Emulator
let client: ProxyClient
let token: string

beforeAll(async () => {
  emulator = await startEmulator({ members: ['spaces/AAA', 'spaces/BBB'], knownSpaces: ['spaces/KNOWN'] })
  client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
  const sa = createServiceAccountKey()
  emulator.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id)
  token = await chatBotToken(client, sa)
})

afterAll(async () => {
  client.close()
  await emulator.close()
})

beforeEach(() => emulator.reset())

function api(method: string, path: string, body?: unknown, auth: string | null = `Bearer ${token}`) {
  const headers: Record<string, string> = auth ? { authorization: auth } : {}
  return client.request(method, `${CHAT}/${path}`, { headers, body })
}

const create = (query: string, body: unknown, space = 'spaces/AAA') =>
  api('POST', `${space}/messages${query ? `?${query}` : ''}`, body)

function expectError(res: ProxyResponse, code: number, status: string, message?: string | RegExp) {
  expect(res.status).toBe(code)
  expect(res.json.error).toMatchObject({ code, status })
  if (typeof message === 'string') expect(res.json.error.message).toBe(message)
  else if (message) expect(res.json.error.message).toMatch(message)
}

function card(widgets: unknown[]) {
  return { cardId: 'c', card: { header: { title: 'Build' }, sections: [{ widgets }] } }
}

describe('authentication and membership', () => {
  test.each([
    ['no Authorization header', null],
    ['a token the endpoint never minted', 'Bearer ya29.forged'],
    ['a non-bearer scheme', 'Basic dXNlcjpwYXNz'],
  ])('401 UNAUTHENTICATED with %s', async (_name, auth) => {
    const res = await api('POST', 'spaces/AAA/messages', { text: 'hi' }, auth)
    expectError(
      res,
      401,
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    )
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/)
    expect(emulator.messages()).toEqual([])
  })

  test('404 NOT_FOUND for a space that does not exist', async () => {
    expectError(await create('', { text: 'hi' }, 'spaces/NOPE'), 404, 'NOT_FOUND')
  })

  test('403 PERMISSION_DENIED for a space the app is not a member of', async () => {
    expectError(
      await create('', { text: 'hi' }, 'spaces/KNOWN'),
      403,
      'PERMISSION_DENIED',
      'The caller does not have permission',
    )
  })

  test('membership added at runtime takes effect', async () => {
    emulator.addMember('spaces/LATER')
    expect((await create('', { text: 'hi' }, 'spaces/LATER')).status).toBe(200)
  })

  test('listing messages is not available to app authentication', async () => {
    expectError(await api('GET', 'spaces/AAA/messages'), 403, 'PERMISSION_DENIED')
  })
})

describe('create', () => {
  test('stores and returns the message with server-assigned fields', async () => {
    const res = await create('', { text: 'Build passed' })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      name: expect.stringMatching(/^spaces\/AAA\/messages\/[\w-]+\.[\w-]+$/),
      sender: { name: expect.stringMatching(/^users\/\d+$/), type: 'BOT' },
      createTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      text: 'Build passed',
      thread: { name: expect.stringMatching(/^spaces\/AAA\/threads\/[\w-]+$/) },
      space: { name: 'spaces/AAA' },
    })
    expect(emulator.messages('spaces/AAA')).toEqual([res.json])
    expect(emulator.messages('spaces/BBB')).toEqual([])
  })

  test('accepts output-only fields and ignores them', async () => {
    const res = await create('', {
      name: 'spaces/AAA/messages/mine',
      createTime: '2001-01-01T00:00:00Z',
      sender: { name: 'users/123', type: 'HUMAN' },
      space: { name: 'spaces/ZZZ' },
      threadReply: true,
      text: 'hi',
    })
    expect(res.status).toBe(200)
    expect(res.json.name).not.toBe('spaces/AAA/messages/mine')
    expect(res.json.sender).toEqual({ name: expect.stringMatching(/^users\/\d+$/), type: 'BOT' })
    expect(res.json.sender.name).not.toBe('users/123')
    expect(res.json.space).toEqual({ name: 'spaces/AAA' })
    expect(res.json.createTime).not.toMatch(/^2001/)
    expect(res.json.threadReply).toBeUndefined()
  })

  test('rejects an empty message', async () => {
    expectError(await create('', {}), 400, 'INVALID_ARGUMENT', /empty/)
  })

  test('rejects a body that is not JSON', async () => {
    expectError(await create('', '{"text": '), 400, 'INVALID_ARGUMENT', /^Invalid JSON payload received/)
  })

  test('rejects unknown query parameters and bad enum values', async () => {
    expectError(
      await create('foo=1', { text: 'hi' }),
      400,
      'INVALID_ARGUMENT',
      /Unknown name "foo": Cannot bind query parameter/,
    )
    expectError(
      await create('messageReplyOption=SOMETIMES', { text: 'hi' }),
      400,
      'INVALID_ARGUMENT',
      /message_reply_option/,
    )
  })

  test('records the request with headers and parsed JSON', async () => {
    await create('requestId=r1', { text: 'hi' })
    expect(emulator.requests).toEqual([
      expect.objectContaining({
        host: 'chat.googleapis.com',
        method: 'POST',
        path: '/v1/spaces/AAA/messages',
        query: { requestId: 'r1' },
        rawBody: '{"text":"hi"}',
        json: { text: 'hi' },
        status: 200,
        tunneled: true,
      }),
    ])
    expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${token}`)
  })
})

describe('custom message IDs', () => {
  // Discovery doc, `Message.name` and `Message.clientAssignedMessageId`: the name stays system-assigned; the
  // custom ID is `clientAssignedMessageId` and may replace the `{message}` part of the name in requests.
  test('the message keeps a system-assigned name; the custom ID is clientAssignedMessageId', async () => {
    const res = await create('messageId=client-build-42', { text: 'hi' })
    expect(res.status).toBe(200)
    expect(res.json.name).toMatch(/^spaces\/AAA\/messages\/[\w-]+\.[\w-]+$/)
    expect(res.json.name).not.toContain('client-')
    expect(res.json.clientAssignedMessageId).toBe('client-build-42')
    expect((await api('GET', 'spaces/AAA/messages/client-build-42')).json).toEqual(res.json)
  })

  test.each([
    ['without the client- prefix', 'build-42'],
    ['with uppercase letters', 'client-Build'],
    ['with underscores', 'client-build_42'],
    ['longer than 63 characters', 'client-' + 'a'.repeat(57)],
    ['with nothing after the prefix', 'client-'],
  ])('rejects an ID %s', async (_name, id) => {
    const res = await create(`messageId=${id}`, { text: 'hi' })
    expectError(res, 400, 'INVALID_ARGUMENT', /custom message ID/)
    expect(res.json.error.details[0].fieldViolations[0].field).toBe('message_id')
  })

  test('accepts exactly 63 characters', async () => {
    expect((await create(`messageId=client-${'a'.repeat(56)}`, { text: 'hi' })).status).toBe(200)
  })

  test('an ID is unique per space: 409 ALREADY_EXISTS in the same space, fine in another', async () => {
    expect((await create('messageId=client-x', { text: 'one' })).status).toBe(200)
    expectError(await create('messageId=client-x', { text: 'two' }), 409, 'ALREADY_EXISTS')
    expect((await create('messageId=client-x', { text: 'three' }, 'spaces/BBB')).status).toBe(200)
    expect(emulator.messages().map((m) => m.text)).toEqual(['one', 'three'])
  })
})

describe('requestId idempotency', () => {
  test('a retry returns the original message and stores nothing new', async () => {
    const first = await create('requestId=req-1', { text: 'hi' })
    const retry = await create('requestId=req-1', { text: 'hi' })
    expect(retry.status).toBe(200)
    expect(retry.json).toEqual(first.json)
    expect(emulator.messages('spaces/AAA')).toHaveLength(1)
  })

  test('a retry with a different body still returns the original, unchanged', async () => {
    const first = await create('requestId=req-2', { text: 'original' })
    const retry = await create('requestId=req-2', { text: 'changed' })
    expect(retry.json).toEqual(first.json)
    expect(emulator.messages('spaces/AAA').map((m) => m.text)).toEqual(['original'])
  })

  test('a retry with a custom ID is not a duplicate', async () => {
    const first = await create('requestId=req-3&messageId=client-retry', { text: 'hi' })
    const retry = await create('requestId=req-3&messageId=client-retry', { text: 'hi' })
    expect(retry.status).toBe(200)
    expect(retry.json.name).toBe(first.json.name)
  })

  test('request IDs are scoped to the space', async () => {
    await create('requestId=req-4', { text: 'hi' })
    await create('requestId=req-4', { text: 'hi' }, 'spaces/BBB')
    expect(emulator.messages()).toHaveLength(2)
  })

  test('different request IDs create different messages', async () => {
    await create('requestId=a', { text: 'hi' })
    await create('requestId=b', { text: 'hi' })
    expect(emulator.messages()).toHaveLength(2)
  })
})

describe('threads', () => {
  const FALLBACK = 'messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD'
  const OR_FAIL = 'messageReplyOption=REPLY_MESSAGE_OR_FAIL'

  test('without a reply option the thread key is ignored: every message starts a new thread', async () => {
    const a = await create('', { text: 'a', thread: { threadKey: 'run-1' } })
    const b = await create('', { text: 'b', thread: { threadKey: 'run-1' } })
    const c = await create('messageReplyOption=MESSAGE_REPLY_OPTION_UNSPECIFIED', {
      text: 'c',
      thread: { threadKey: 'run-1' },
    })
    const names = [a, b, c].map((r) => r.json.thread.name)
    expect(new Set(names).size).toBe(3)
    expect([a, b, c].map((r) => r.json.threadReply)).toEqual([undefined, undefined, undefined])
    expect(a.json.thread.threadKey).toBeUndefined()
    // The ignored key was never attached to a thread, so a later FALLBACK starts a fresh one.
    const d = await create(FALLBACK, { text: 'd', thread: { threadKey: 'run-1' } })
    expect(names).not.toContain(d.json.thread.name)
    expect(d.json.threadReply).toBeUndefined()
  })

  test('FALLBACK starts a thread for a new key and replies in it for a known key', async () => {
    const first = await create(FALLBACK, { text: 'start', thread: { threadKey: 'run-2' } })
    expect(first.json.thread).toEqual({ name: expect.any(String), threadKey: 'run-2' })
    expect(first.json.threadReply).toBeUndefined()
    const reply = await create(FALLBACK, { text: 'reply', thread: { threadKey: 'run-2' } })
    expect(reply.json.thread.name).toBe(first.json.thread.name)
    expect(reply.json.threadReply).toBe(true)
  })

  test('FALLBACK replies to a thread by name and starts a new thread for an unknown name', async () => {
    const first = await create('', { text: 'start' })
    const reply = await create(FALLBACK, { text: 'reply', thread: { name: first.json.thread.name } })
    expect(reply.json.thread.name).toBe(first.json.thread.name)
    expect(reply.json.threadReply).toBe(true)
    const fresh = await create(FALLBACK, { text: 'x', thread: { name: 'spaces/AAA/threads/unknown' } })
    expect(fresh.status).toBe(200)
    expect(fresh.json.thread.name).not.toBe('spaces/AAA/threads/unknown')
  })

  test('OR_FAIL replies to a known thread and fails with 404 for an unknown thread name', async () => {
    const first = await create(FALLBACK, { text: 'start', thread: { threadKey: 'run-3' } })
    const byKey = await create(OR_FAIL, { text: 'r1', thread: { threadKey: 'run-3' } })
    const byName = await create(OR_FAIL, { text: 'r2', thread: { name: first.json.thread.name } })
    expect([byKey.json.thread.name, byName.json.thread.name]).toEqual([first.json.thread.name, first.json.thread.name])
    expectError(await create(OR_FAIL, { text: 'x', thread: { name: 'spaces/AAA/threads/gone' } }), 404, 'NOT_FOUND')
  })

  test('OR_FAIL with a new thread key starts a thread, as Chat documents', async () => {
    const res = await create(OR_FAIL, { text: 'x', thread: { threadKey: 'brand-new' } })
    expect(res.status).toBe(200)
    expect(res.json.thread.threadKey).toBe('brand-new')
  })

  test('a thread of another space is unknown', async () => {
    const other = await create('', { text: 'x' }, 'spaces/BBB')
    expectError(await create(OR_FAIL, { text: 'x', thread: { name: other.json.thread.name } }), 404, 'NOT_FOUND')
  })

  test('the deprecated threadKey query parameter works with a reply option', async () => {
    const first = await create(`${FALLBACK}&threadKey=legacy`, { text: 'a' })
    const reply = await create(`${FALLBACK}&threadKey=legacy`, { text: 'b' })
    expect(reply.json.thread.name).toBe(first.json.thread.name)
    expect(reply.json.threadReply).toBe(true)
  })
})

describe('get, patch and delete', () => {
  test('get by system name and by client-assigned ID', async () => {
    const plain = await create('', { text: 'a' })
    const named = await create('messageId=client-named', { text: 'b' })
    expect((await api('GET', plain.json.name)).json).toEqual(plain.json)
    expect((await api('GET', 'spaces/AAA/messages/client-named')).json).toEqual(named.json)
    expectError(await api('GET', 'spaces/AAA/messages/nope'), 404, 'NOT_FOUND')
  })

  test('patch updates only the fields in updateMask', async () => {
    const created = await create('messageId=client-p', { text: 'old', cardsV2: [card([{ divider: {} }])] })
    const res = await api('PATCH', 'spaces/AAA/messages/client-p?updateMask=text', {
      text: 'new',
      cardsV2: [],
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ name: created.json.name, text: 'new', cardsV2: created.json.cardsV2 })
    expect(res.json.lastUpdateTime).toEqual(expect.any(String))
    expect(emulator.messages('spaces/AAA')[0].text).toBe('new')
  })

  test.each(['cards_v2', 'cardsV2'])('patch accepts the %s mask spelling', async (mask) => {
    await create('messageId=client-q', { text: 'x', cardsV2: [card([{ divider: {} }])] })
    const next = [card([{ textParagraph: { text: 'done' } }])]
    const res = await api('PATCH', `spaces/AAA/messages/client-q?updateMask=${mask}`, { cardsV2: next })
    expect(res.json.cardsV2).toEqual(next)
    expect(res.json.text).toBe('x')
  })

  test('patch with * replaces every updatable field; fields left out are cleared', async () => {
    await create('messageId=client-star', { text: 'x', cardsV2: [card([{ divider: {} }])] })
    const res = await api('PATCH', 'spaces/AAA/messages/client-star?updateMask=*', { text: 'y' })
    expect(res.json.text).toBe('y')
    expect(res.json.cardsV2).toBeUndefined()
  })

  test('patch needs a valid updateMask', async () => {
    await create('messageId=client-m', { text: 'x' })
    expectError(
      await api('PATCH', 'spaces/AAA/messages/client-m', { text: 'y' }),
      400,
      'INVALID_ARGUMENT',
      /update_mask/,
    )
    expectError(
      await api('PATCH', 'spaces/AAA/messages/client-m?updateMask=text,sender', { text: 'y' }),
      400,
      'INVALID_ARGUMENT',
      /"sender"/,
    )
  })

  test('update (PUT) behaves like patch', async () => {
    await create('messageId=client-put', { text: 'x' })
    expect((await api('PUT', 'spaces/AAA/messages/client-put?updateMask=text', { text: 'y' })).json.text).toBe('y')
  })

  test('patch of a missing message is 404 unless allowMissing is set with a client-assigned ID', async () => {
    expectError(await api('PATCH', 'spaces/AAA/messages/client-new?updateMask=text', { text: 'y' }), 404, 'NOT_FOUND')
    expectError(
      await api('PATCH', 'spaces/AAA/messages/abc.def?updateMask=text&allowMissing=true', { text: 'y' }),
      404,
      'NOT_FOUND',
    )
    const res = await api('PATCH', 'spaces/AAA/messages/client-new?allowMissing=true', { text: 'created' })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      name: expect.stringMatching(/^spaces\/AAA\/messages\/[\w-]+\.[\w-]+$/),
      clientAssignedMessageId: 'client-new',
    })
    expect(emulator.messages('spaces/AAA').map((m) => m.text)).toEqual(['created'])
    expectError(
      await api('PATCH', 'spaces/AAA/messages/client-BAD?allowMissing=true', { text: 'y' }),
      400,
      'INVALID_ARGUMENT',
    )
  })

  test('patch validates the body and the limits', async () => {
    await create('messageId=client-v', { text: 'x' })
    expectError(
      await api('PATCH', 'spaces/AAA/messages/client-v?updateMask=text', { txt: 'y' }),
      400,
      'INVALID_ARGUMENT',
      /Unknown name "txt"/,
    )
    expectError(
      await api('PATCH', 'spaces/AAA/messages/client-v?updateMask=text', { text: 'y'.repeat(4097) }),
      400,
      'INVALID_ARGUMENT',
      /4096/,
    )
    expect(emulator.messages('spaces/AAA')[0].text).toBe('x')
  })

  test('delete removes the message; force is accepted', async () => {
    const a = await create('', { text: 'a' })
    await create('messageId=client-b', { text: 'b' })
    expect((await api('DELETE', a.json.name)).json).toEqual({})
    expect((await api('DELETE', 'spaces/AAA/messages/client-b?force=true')).status).toBe(200)
    expectError(await api('GET', a.json.name), 404, 'NOT_FOUND')
    expectError(await api('DELETE', a.json.name), 404, 'NOT_FOUND')
    expect(emulator.messages('spaces/AAA')).toEqual([])
  })

  test('get, patch and delete check membership too', async () => {
    expectError(await api('GET', 'spaces/KNOWN/messages/x'), 403, 'PERMISSION_DENIED')
    expectError(await api('DELETE', 'spaces/NOPE/messages/x'), 404, 'NOT_FOUND')
  })
})

describe('limits', () => {
  // Google's wording, reported in cloudflare/GHC-Errbot#10; the unit is read strictly (see message-limits.ts).
  test('text: 4096 characters pass, 4097 fail, in Google words', async () => {
    expect((await create('', { text: 'a'.repeat(4096) })).status).toBe(200)
    const res = await create('', { text: 'a'.repeat(4097) })
    expectError(
      res,
      400,
      'INVALID_ARGUMENT',
      'Maximum length of the field is 4096. Field: apps.dynamite.CreateMessageInfo.text_body',
    )
    expect(res.json.error.details[0]['@type']).toBe('type.googleapis.com/google.rpc.BadRequest')
    expect(res.json.error.details[0].fieldViolations[0].field).toBe('apps.dynamite.CreateMessageInfo.text_body')
  })

  test('the whole message may not exceed 32,000 bytes', async () => {
    const paragraph = (n: number) => ({ textParagraph: { text: 'x'.repeat(n) } })
    expect((await create('', { cardsV2: [card([paragraph(30_000)])] })).status).toBe(200)
    expectError(
      await create('', { cardsV2: [card([paragraph(16_000), paragraph(16_000)])] }),
      400,
      'INVALID_ARGUMENT',
      /32,000 bytes/,
    )
  })

  // Discovery doc, `Card`: "If a section's widgets push the total count above 100, that entire section and all
  // following sections are ignored." No error: the stored message lacks them.
  test('a card may hold 100 widgets, counted through columns and grids; past 100 sections are dropped', async () => {
    const widgets = (n: number) => Array.from({ length: n }, () => ({ divider: {} }))
    const full = await create('', { cardsV2: [card(widgets(100))] })
    expect(full.status).toBe(200)
    expect(full.json.cardsV2[0].card.sections[0].widgets).toHaveLength(100)
    const over = await create('', { cardsV2: [card(widgets(101))] })
    expect(over.status).toBe(200)
    expect(over.json.cardsV2[0].card.sections).toEqual([])
    const columns = {
      columns: {
        columnItems: [{ widgets: widgets(48).map(() => ({ textParagraph: { text: 'a' } })) }, { widgets: [] }],
      },
    }
    const grid = { grid: { columnCount: 2, items: Array.from({ length: 5 }, () => ({ title: 'i' })) } }
    // Section 0: 48 plain; section 1: 1 columns + 48 inside = 97 in all; section 2: 1 grid + 5 items = 103.
    const res = await create('', {
      cardsV2: [
        {
          cardId: 'c',
          card: {
            sections: [{ widgets: widgets(48) }, { widgets: [columns] }, { widgets: [grid] }, { widgets: widgets(1) }],
          },
        },
      ],
    })
    expect(res.status).toBe(200)
    expect(res.json.cardsV2[0].card.sections).toHaveLength(2)
    expect(emulator.warnings('spaces/AAA').at(-1)).toMatchObject({
      message: res.json.name,
      field: 'message.cards_v2[0].card.sections[2]',
    })
  })
})

describe('request validation against the discovery document', () => {
  test('unknown field deep in a card, in Google words and with a BadRequest detail', async () => {
    const res = await create('', { cardsV2: [{ cardId: 'c', card: { foo: 1, sections: [] } }] })
    const message = `Invalid JSON payload received. Unknown name "foo" at 'message.cards_v2[0].card': Cannot find field.`
    expect(res.status).toBe(400)
    expect(res.json).toEqual({
      error: {
        code: 400,
        message,
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [{ field: 'message.cards_v2[0].card', description: message }],
          },
        ],
      },
    })
  })

  test('wrong type and bad enum', async () => {
    expectError(
      await create('', { text: 5 }),
      400,
      'INVALID_ARGUMENT',
      `Invalid value at 'message.text' (TYPE_STRING), 5`,
    )
    expectError(
      await create('', { text: 'x', markupSyntax: 'NOPE' }),
      400,
      'INVALID_ARGUMENT',
      `Invalid value at 'message.markup_syntax' (type.googleapis.com/google.chat.v1.Message.MarkupSyntax), "NOPE"`,
    )
  })

  test('every violation is reported', async () => {
    const res = await create('', {
      text: 5,
      bogus: true,
      cardsV2: [{ card: { sections: [{ widgets: [{ nope: {} }] }] } }],
    })
    expect(res.json.error.details[0].fieldViolations.map((v: { field: string }) => v.field)).toEqual([
      'message.text',
      'message',
      'message.cards_v2[0].card.sections[0].widgets[0]',
    ])
  })
})
