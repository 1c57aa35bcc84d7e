import { describe, expect, test } from '@jest/globals'
import { DeliveryError } from '../../src/errors.ts'
import { isRetryable, retryAfterMs } from '../../src/delivery/retry.ts'
import { inputError } from '../fixtures/samples.ts'
import { postToWebhook, type FetchLike } from '../../src/delivery/webhook.ts'
import { assertWebhookSupports, parseWebhookUrl, secretsInWebhookUrl } from '../../src/inputs/webhook-url.ts'
import { proxyFor } from '../../src/delivery/https-transport.ts'

const KEY = 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI'
const TOKEN = 'abcDEF_123-xyz%3D'
const TOKEN_DECODED = 'abcDEF_123-xyz='
const URL_OK = `https://chat.googleapis.com/v1/spaces/AAAAbbbb123/messages?key=${KEY}&token=${TOKEN}`
const WEBHOOK = parseWebhookUrl(URL_OK)

interface Call {
  url: string
  body: Record<string, unknown>
  headers: Record<string, string>
}

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}): FetchLike & { calls: Call[] } {
  const calls: Call[] = []
  const impl = (async (url, init) => {
    calls.push({ url, body: JSON.parse(init.body), headers: init.headers })
    return {
      status,
      headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
      text: async () => (typeof body === 'string' ? body : JSON.stringify(body)),
    }
  }) as FetchLike & { calls: Call[] }
  impl.calls = calls
  return impl
}

describe('parseWebhookUrl', () => {
  test('accepts the URL Chat gives out, and finds the space', () => {
    expect(parseWebhookUrl(`  ${URL_OK}\n`)).toEqual({
      url: `https://chat.googleapis.com/v1/spaces/AAAAbbbb123/messages?key=${KEY}&token=${TOKEN}`,
      space: 'spaces/AAAAbbbb123',
      key: KEY,
      token: TOKEN_DECODED,
    })
    expect(parseWebhookUrl(`${URL_OK}&threadKey=deploys`)).toMatchObject({ threadKey: 'deploys' })
  })

  test.each([
    ['', /it is empty/],
    ['AIzaSyDdI0hCZtE6vySjMm', /it is not a URL/],
    [URL_OK.replace('https:', 'http:'), /it does not start with https:\/\//],
    [URL_OK.replace('chat.googleapis.com', 'chat.evil.example'), /its host is not chat\.googleapis\.com/],
    [URL_OK.replace('chat.googleapis.com', 'chat.googleapis.com:8443'), /it names a port/],
    [URL_OK.replace('https://', 'https://user:pw@'), /user name or password/],
    [URL_OK.replace('/messages', '/members'), /is not \/v1\/spaces\/ID\/messages/],
    [URL_OK.replace('/spaces/AAAAbbbb123', '/spaces/AAAA%2F..'), /is not \/v1\/spaces\/ID\/messages/],
    [URL_OK.replace(`key=${KEY}&`, ''), /has no key parameter/],
    [URL_OK.replace(`&token=${TOKEN}`, ''), /has no token parameter/],
    [`${URL_OK}&foo=1`, /a parameter other than key, token, threadKey, messageReplyOption/],
    [`${URL_OK}&token=again`, /the parameter token twice/],
    [`${URL_OK}&messageReplyOption=NOPE`, /messageReplyOption is not one of/],
    [`${URL_OK}#x`, /#fragment/],
  ])('refuses %j', (raw, why) => {
    const error = inputError(() => parseWebhookUrl(raw))
    expect(error.input).toBe('webhook-url')
    expect(error.message).toMatch(why)
    expect(error.message).toMatch(/expected https:\/\/chat\.googleapis\.com\/v1\/spaces\/AAAA\/messages\?key=…&token=…/)
    for (const secret of [KEY, TOKEN, TOKEN_DECODED]) expect(error.message).not.toContain(secret)
  })
})

describe('secretsInWebhookUrl', () => {
  test('the whole URL, and the key and token as written and decoded', () => {
    const secrets = secretsInWebhookUrl(` ${URL_OK} `)
    expect(secrets).toEqual(expect.arrayContaining([URL_OK, KEY, TOKEN, TOKEN_DECODED]))
  })

  test('never throws, whatever the input', () => {
    expect(secretsInWebhookUrl('not a url?key=%E0%A4%A&token=abcd')).toEqual(
      expect.arrayContaining(['not a url?key=%E0%A4%A&token=abcd', '%E0%A4%A', 'abcd']),
    )
    expect(secretsInWebhookUrl('')).toEqual([])
  })
})

describe('assertWebhookSupports', () => {
  test.each(['update', 'delete', 'message-id'] as const)('%s needs the Chat app', (feature) => {
    const error = inputError(() => assertWebhookSupports(feature))
    expect(error.input).toBe(feature)
    expect(error.message).toMatch(/cannot be used with webhook-url: an incoming webhook can only post new messages/)
    expect(error.message).toMatch(/set credentials/)
  })
})

describe('postToWebhook', () => {
  test('posts the message as JSON and returns the names Chat gave it', async () => {
    const fetchImpl = fakeFetch(200, {
      name: 'spaces/AAAAbbbb123/messages/M1',
      thread: { name: 'spaces/AAAAbbbb123/threads/T1' },
    })
    const result = await postToWebhook({ url: WEBHOOK, message: { text: 'hi' }, fetchImpl })
    expect(result).toEqual({
      messageName: 'spaces/AAAAbbbb123/messages/M1',
      threadName: 'spaces/AAAAbbbb123/threads/T1',
      space: 'spaces/AAAAbbbb123',
    })
    expect(fetchImpl.calls).toEqual([
      {
        url: `https://chat.googleapis.com/v1/spaces/AAAAbbbb123/messages?key=${KEY}&token=${TOKEN}`,
        body: { text: 'hi' },
        headers: { 'content-type': 'application/json; charset=UTF-8' },
      },
    ])
  })

  test('a thread key goes in the body, with the reply option in the URL', async () => {
    const fetchImpl = fakeFetch(200, { name: 'spaces/A/messages/M' })
    await postToWebhook({ url: WEBHOOK, message: { text: 'hi' }, threadKey: 'pr-9', fetchImpl })
    await postToWebhook({
      url: parseWebhookUrl(URL_OK),
      message: { text: 'hi' },
      threadKey: 'pr-9',
      replyOption: 'REPLY_MESSAGE_OR_FAIL',
      fetchImpl,
    })
    expect(fetchImpl.calls.map((c) => new URL(c.url).searchParams.get('messageReplyOption'))).toEqual([
      'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
      'REPLY_MESSAGE_OR_FAIL',
    ])
    expect(fetchImpl.calls[0]?.body).toEqual({ text: 'hi', thread: { threadKey: 'pr-9' } })
  })

  test.each([
    [
      400,
      {
        error: {
          code: 400,
          message: 'Invalid JSON payload received. Unknown name "cardz"',
          status: 'INVALID_ARGUMENT',
          details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'message' }] }],
        },
      },
      /^Google Chat rejected the message \(400 INVALID_ARGUMENT\) \(field message\): Invalid JSON payload received/,
    ],
    [
      400,
      { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } },
      /did not accept the webhook URL's key .*copy the URL again/,
    ],
    [
      401,
      { error: { code: 401, status: 'UNAUTHENTICATED' } },
      /refused the webhook for spaces\/AAAAbbbb123 \(401 UNAUTHENTICATED\)\. Its token is wrong or the webhook was revoked/,
    ],
    [
      404,
      { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } },
      /The webhook for spaces\/AAAAbbbb123 no longer exists \(404 NOT_FOUND\).*deleted/,
    ],
    [
      429,
      { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } },
      /quota for webhook messages to spaces\/AAAAbbbb123 is exhausted \(429 RESOURCE_EXHAUSTED\)/,
    ],
    [503, 'upstream connect error', /^Google Chat is unavailable \(503\): upstream connect error\. Try again later\.$/],
    [407, 'Proxy Authentication Required', /^The proxy \(HTTPS_PROXY\) wants credentials \(407\)/],
    [
      403,
      'The google-chat-notify emulator does not forward traffic',
      /^Something between the runner and chat\.googleapis\.com refused the request \(403, not an answer from Google/,
    ],
  ])('%d is explained in one line', async (status, body, explained) => {
    const error = await postToWebhook({
      url: WEBHOOK,
      message: { text: 'x' },
      fetchImpl: fakeFetch(status, body),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeliveryError)
    expect((error as Error).message).toMatch(explained)
    expect((error as Error).message).not.toContain('\n')
  })

  test('429 and 5xx are retryable for delivery/retry.ts, with Retry-After; 4xx are not', async () => {
    const quota = await postToWebhook({
      url: WEBHOOK,
      message: { text: 'x' },
      fetchImpl: fakeFetch(429, {}, { 'retry-after': '2' }),
    }).catch((e: unknown) => e)
    expect(isRetryable(quota)).toBe(true)
    expect(retryAfterMs(quota, Date.now())).toBe(2000)
    const gone = await postToWebhook({ url: WEBHOOK, message: { text: 'x' }, fetchImpl: fakeFetch(404, {}) }).catch(
      (e: unknown) => e,
    )
    expect(isRetryable(gone)).toBe(false)
  })

  test('network errors name the host and never show the key or token', async () => {
    const failing: FetchLike = async (url) => {
      throw Object.assign(new Error(`request to ${url} failed, reason: connect ECONNREFUSED 127.0.0.1:443`), {
        code: 'ECONNREFUSED',
      })
    }
    const error = await postToWebhook({ url: WEBHOOK, message: { text: 'x' }, fetchImpl: failing }).catch(
      (e: unknown) => e,
    )
    expect((error as Error).message).toMatch(
      /^Could not reach chat\.googleapis\.com \(ECONNREFUSED\): request to https:\/\/chat\.googleapis\.com\/v1\/spaces\/AAAAbbbb123\/messages\?key=\*\*\*&token=\*\*\* failed/,
    )
    expect((error as Error).message).toMatch(/HTTPS_PROXY\/NO_PROXY, and NODE_EXTRA_CA_CERTS/)
    expect(isRetryable(error)).toBe(true)
  })
})

describe('proxyFor (the default transport picks its proxy as gaxios does for the app)', () => {
  const chat = new URL('https://chat.googleapis.com/v1/spaces/A/messages?key=k&token=t')

  test('HTTPS_PROXY, then https_proxy, HTTP_PROXY, http_proxy; none: direct', () => {
    expect(proxyFor(chat, {})).toBeUndefined()
    expect(proxyFor(chat, { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://other:1' })).toBe('http://proxy:3128')
    expect(proxyFor(chat, { https_proxy: 'http://lower:3128' })).toBe('http://lower:3128')
    expect(proxyFor(chat, { HTTP_PROXY: 'http://plain:8080' })).toBe('http://plain:8080')
    expect(proxyFor(chat, { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128')
  })

  test.each([
    ['chat.googleapis.com', true],
    ['.googleapis.com', true],
    ['*.googleapis.com', true],
    ['https://chat.googleapis.com', true],
    ['localhost, chat.googleapis.com', true],
    ['*', true],
    ['googleapis.com', false],
    ['example.com,.example.org', false],
    ['', false],
  ])('NO_PROXY=%j bypasses the proxy: %s', (noProxy, bypassed) => {
    expect(proxyFor(chat, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: noProxy })).toBe(
      bypassed ? undefined : 'http://proxy:3128',
    )
    expect(proxyFor(chat, { HTTPS_PROXY: 'http://proxy:3128', no_proxy: noProxy })).toBe(
      bypassed ? undefined : 'http://proxy:3128',
    )
  })
})
