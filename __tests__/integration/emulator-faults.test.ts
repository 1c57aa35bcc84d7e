import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { chatBotToken } from '../fixtures/chat-bot-token.ts'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { promisify } from 'node:util'
import {
  createServiceAccountKey,
  ProxyClient,
  startEmulator,
  type Emulator,
  type ProxyResponse,
} from '../../emulator/index.ts'

const ROOT = new URL('../..', import.meta.url).pathname
const CHAT = 'https://chat.googleapis.com/v1'
const CREATE_PATH = '/v1/spaces/AAA/messages'

let emulator: Emulator
let client: ProxyClient
let token: string
let dir: string
const sa = createServiceAccountKey({ projectId: 'faults-test' })

beforeAll(async () => {
  emulator = await startEmulator({ members: ['spaces/AAA', 'spaces/BBB'] })
  emulator.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id)
  client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
  token = await chatBotToken(client, sa)
  dir = mkdtempSync(join(tmpdir(), 'emulator-faults-test-'))
})

afterAll(async () => {
  client.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(() => {
  emulator.reset()
  emulator.setWriteQuota(undefined)
})

const auth = () => ({ authorization: `Bearer ${token}` })
const create = (body: unknown = { text: 'hi' }, query = '', space = 'spaces/AAA') =>
  client.request('POST', `${CHAT}/${space}/messages${query ? `?${query}` : ''}`, { headers: auth(), body })
const get = (name: string) => client.request('GET', `${CHAT}/${name}`, { headers: auth() })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function chatRequests() {
  return emulator.requests.filter((r) => r.host === 'chat.googleapis.com')
}

/** One request over its own CONNECT tunnel, abandoned (rejected) after `timeoutMs` without a response. */
function requestWithTimeout(
  method: string,
  url: string,
  body: unknown,
  timeoutMs: number,
): Promise<{ status: number; json: unknown }> {
  const target = new URL(url)
  const proxy = new URL(emulator.proxyUrl)
  const payload = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const connect = http.request({
      host: proxy.hostname,
      port: proxy.port,
      method: 'CONNECT',
      path: `${target.hostname}:443`,
    })
    connect.on('connect', (_res, socket) => {
      const secure = tls.connect({ socket, servername: target.hostname, ca: emulator.caCertPem })
      const req = https.request(
        url,
        {
          method,
          createConnection: () => secure,
          headers: { ...auth(), 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (text += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }))
        },
      )
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`client timeout after ${timeoutMs} ms`)))
      req.on('error', reject)
      req.end(payload)
    })
    connect.on('error', reject)
    connect.end()
  })
}

/** A plain HTTP request to the emulator's own address (the control API). */
function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const proxy = new URL(emulator.proxyUrl)
  const payload = body === undefined ? undefined : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: proxy.hostname,
        port: proxy.port,
        path,
        method,
        headers: payload ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }))
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

describe('status faults', () => {
  test('N× 429 with Retry-After, then the service answers', async () => {
    emulator.injectFault({
      method: 'POST',
      path: CREATE_PATH,
      times: 2,
      fault: { kind: 'status', status: 429, retryAfterSeconds: 7 },
    })
    const responses = [await create(), await create(), await create()]

    expect(responses.map((r) => r.status)).toEqual([429, 429, 200])
    expect(responses[0].headers['retry-after']).toBe('7')
    expect(responses[0].json).toEqual({
      error: { code: 429, message: expect.any(String), status: 'RESOURCE_EXHAUSTED' },
    })
    expect(responses[2].headers['retry-after']).toBeUndefined()
    expect(emulator.messages()).toHaveLength(1)
    expect(chatRequests().map((r) => [r.status, r.fault])).toEqual([
      [429, 'status'],
      [429, 'status'],
      [200, undefined],
    ])
    expect(emulator.faultsInjected).toBe(2)
  })

  test('503 UNAVAILABLE hits only the matching host, method and path, until cleared', async () => {
    emulator.injectFault({
      host: 'chat.googleapis.com',
      method: 'post',
      path: CREATE_PATH,
      times: Infinity,
      fault: { kind: 'status', status: 503 },
    })
    const other = await create({ text: 'other space' }, '', 'spaces/BBB')
    expect(other.status).toBe(200)
    expect((await get(other.json.name)).status).toBe(200)
    // The path match ignores the query string.
    for (const query of ['', 'requestId=r1']) {
      const res = await create({ text: 'x' }, query)
      expect(res.status).toBe(503)
      expect(res.json.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' })
    }
    expect(emulator.messages('spaces/AAA')).toEqual([])

    emulator.clearFaults()
    expect((await create()).status).toBe(200)
    expect(emulator.faultsInjected).toBe(2)
  })

  test.each([
    [400, 'INVALID_ARGUMENT'],
    [500, 'INTERNAL'],
    [502, 'UNAVAILABLE'],
    [504, 'DEADLINE_EXCEEDED'],
  ])('%i gets a Google-shaped %s body by default', async (status, name) => {
    emulator.injectFault({ fault: { kind: 'status', status } })
    const res = await create()
    expect(res.status).toBe(status)
    expect(res.json.error).toMatchObject({ code: status, status: name })
  })

  test('a custom body is sent as given', async () => {
    emulator.injectFault({ fault: { kind: 'status', status: 502, body: 'upstream connect error' } })
    const res = await create()
    expect(res.status).toBe(502)
    expect(res.text).toBe('upstream connect error')
  })

  test('rules apply to any emulated host by default, and a RegExp matches the path', async () => {
    emulator.injectFault({ path: /^\/tok/, fault: { kind: 'status', status: 500 } })
    const res = await client.request('POST', 'https://oauth2.googleapis.com/token', { body: 'x' })
    expect(res.status).toBe(500)
    expect(emulator.requests.at(-1)).toMatchObject({ host: 'oauth2.googleapis.com', status: 500, fault: 'status' })
  })

  test('rules fire in the order they were added', async () => {
    emulator.injectFault({ fault: { kind: 'status', status: 500 } })
    emulator.injectFault({ times: 2, fault: { kind: 'status', status: 503 } })
    expect([
      (await create()).status,
      (await create()).status,
      (await create()).status,
      (await create()).status,
    ]).toEqual([500, 503, 503, 200])
  })

  test('invalid rules are refused', () => {
    expect(() => emulator.injectFault({ fault: { kind: 'status', status: 42 } })).toThrow(/status/)
    expect(() => emulator.injectFault({ times: 0, fault: { kind: 'reset' } })).toThrow(/times/)
    expect(() => emulator.injectFault({ probability: 1.5, fault: { kind: 'reset' } })).toThrow(/probability/)
    expect(() => emulator.injectFault({ fault: { kind: 'delay', ms: -1 } })).toThrow(/ms/)
    expect(() => emulator.injectFault({ fault: { kind: 'nope' } as never })).toThrow(/kind/)
  })

  test('reset() forgets pending rules and the faulted count', async () => {
    emulator.injectFault({ fault: { kind: 'status', status: 500 } })
    expect((await create()).status).toBe(500)
    emulator.injectFault({ times: Infinity, fault: { kind: 'status', status: 500 } })
    emulator.reset()
    expect(emulator.faultsInjected).toBe(0)
    expect((await create()).status).toBe(200)
  })
})

describe('connection faults', () => {
  test('reset: the client sees a connection error, nothing is stored, the next connection works', async () => {
    emulator.injectFault({ method: 'POST', fault: { kind: 'reset' } })
    const tunnels = client.tunnels
    await expect(create()).rejects.toThrow(/ECONNRESET|socket hang up/)
    expect(emulator.messages()).toEqual([])
    expect(chatRequests()).toEqual([expect.objectContaining({ method: 'POST', status: 0, fault: 'reset' })])

    expect((await create()).status).toBe(200)
    expect(client.tunnels).toBe(tunnels + 1)
  })

  test('delay after the service call: a client with a short timeout gives up, yet the message was stored', async () => {
    emulator.injectFault({ method: 'POST', fault: { kind: 'delay', ms: 1500 } })
    await expect(requestWithTimeout('POST', `${CHAT}/spaces/AAA/messages`, { text: 'slow' }, 200)).rejects.toThrow(
      /client timeout/,
    )
    expect(emulator.messages()).toEqual([expect.objectContaining({ text: 'slow' })])
    expect(chatRequests()).toEqual([expect.objectContaining({ status: 200, fault: 'delay' })])
  })

  test('delay: a patient client gets the response, late', async () => {
    emulator.injectFault({ fault: { kind: 'delay', ms: 300 } })
    const started = performance.now()
    const res = await create()
    expect(res.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
  })

  test('lose-response: stored, the client errors, and a retry with the same requestId is exactly-once', async () => {
    emulator.injectFault({ method: 'POST', path: CREATE_PATH, fault: { kind: 'lose-response' } })
    await expect(create({ text: 'once' }, 'requestId=req-1')).rejects.toThrow(/ECONNRESET|socket hang up/)
    const stored = emulator.messages()
    expect(stored).toEqual([expect.objectContaining({ text: 'once' })])

    const retry = await create({ text: 'once' }, 'requestId=req-1')
    expect(retry.status).toBe(200)
    expect(retry.json.name).toBe(stored[0].name)
    expect(emulator.messages()).toEqual(stored)
    expect(chatRequests().map((r) => [r.status, r.fault])).toEqual([
      [0, 'lose-response'],
      [200, undefined],
    ])
  })

  test('lose-response without a requestId: the retry duplicates, and messagesByKey shows it', async () => {
    emulator.injectFault({ fault: { kind: 'lose-response' } })
    await expect(create({ text: 'dup' })).rejects.toThrow()
    await create({ text: 'dup' })
    await create({ text: 'single' })
    const groups = emulator.messagesByKey((m) => `${m.text}|${JSON.stringify(m.cardsV2 ?? null)}`)
    expect([...groups].map(([key, messages]) => [key, messages.length])).toEqual([
      ['dup|null', 2],
      ['single|null', 1],
    ])
  })
})

describe('probabilistic faults', () => {
  async function run(seed: number): Promise<string> {
    emulator.reset()
    emulator.seedFaults(seed)
    emulator.injectFault({ method: 'GET', probability: 0.5, fault: { kind: 'status', status: 503 } })
    let pattern = ''
    for (let i = 0; i < 24; i++) pattern += (await get('spaces/AAA/messages/none')).status === 503 ? 'x' : '.'
    return pattern
  }

  test('the same seed faults the same requests', async () => {
    const first = await run(42)
    expect(first).toMatch(/x/)
    expect(first).toMatch(/\./)
    expect(emulator.faultsInjected).toBe(first.split('x').length - 1)
    expect(await run(42)).toBe(first)
    expect(await run(43)).not.toBe(first)
  })

  test('times caps a probabilistic rule', async () => {
    emulator.injectFault({ probability: 1, times: 2, fault: { kind: 'status', status: 500 } })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await get('spaces/AAA/messages/none')).status)
    expect(statuses).toEqual([500, 500, 404, 404])
  })
})

describe('per-space write quota', () => {
  function expectQuotaError(res: ProxyResponse) {
    expect(res.status).toBe(429)
    expect(res.json.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' })
    expect(res.json.error.message).toMatch(
      /^Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per space' of service 'chat\.googleapis\.com'/,
    )
    const retryAfter = Number(res.headers['retry-after'])
    const retryAfterMs = Number(res.headers['x-emulator-retry-after-ms'])
    // Scaled time: fractional seconds matching the precise wait (whole seconds would be whole scaled minutes).
    expect(retryAfter).toBeGreaterThan(0)
    expect(Math.abs(retryAfter * 1000 - retryAfterMs)).toBeLessThan(1)
    return retryAfterMs
  }

  test('the 6th write in a scaled minute gets 429 with Retry-After, gets are free, and it succeeds after waiting', async () => {
    emulator.setWriteQuota({ perMinute: 5, timeScale: 60, retryAfter: 'always' })
    const first = await create({ text: '1' })
    expect(first.status).toBe(200)
    const name = first.json.name as string
    const second = await create({ text: '2' })
    const writes = [
      second,
      await create({ text: '3' }),
      await client.request('PATCH', `${CHAT}/${name}?updateMask=text`, { headers: auth(), body: { text: '1b' } }),
      await client.request('DELETE', `${CHAT}/${second.json.name}`, { headers: auth() }),
    ]
    expect(writes.map((r) => r.status)).toEqual([200, 200, 200, 200])
    for (let i = 0; i < 5; i++) expect((await get(name)).status).toBe(200)

    const limited = await create({ text: '6' })
    const waitMs = expectQuotaError(limited)
    expect(waitMs).toBeGreaterThan(0)
    expect(waitMs).toBeLessThanOrEqual(1000)
    expect(emulator.messages('spaces/AAA').map((m) => m.text)).toEqual(['1b', '3'])

    expect((await get(name)).status).toBe(200)
    expect((await create({ text: 'other space' }, '', 'spaces/BBB')).status).toBe(200)

    await sleep(waitMs + 20)
    expect((await create({ text: '6' })).status).toBe(200)
  })

  test('the window slides: a slot frees when the oldest write is a scaled minute old', async () => {
    emulator.setWriteQuota({ perMinute: 2, timeScale: 60, retryAfter: 'always' })
    expect((await create()).status).toBe(200)
    await sleep(600)
    expect((await create()).status).toBe(200)
    const waitMs = expectQuotaError(await create())
    expect(waitMs).toBeLessThanOrEqual(420)
    await sleep(waitMs + 20)
    expect((await create()).status).toBe(200)
    // The second write is still in the window, so the next one waits for it.
    expect(expectQuotaError(await create())).toBeGreaterThan(100)
  })

  test('unscaled: Retry-After counts whole seconds of the real minute', async () => {
    emulator.setWriteQuota({ perMinute: 1 })
    expect((await create()).status).toBe(200)
    const res = await create()
    expect(res.status).toBe(429)
    expect(res.headers['retry-after']).toMatch(/^\d+$/)
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(59)
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60)
  })

  test('requests faulted before the service do not count; setWriteQuota(undefined) removes the limit', async () => {
    emulator.setWriteQuota({ perMinute: 1, timeScale: 60 })
    emulator.injectFault({ fault: { kind: 'status', status: 503 } })
    expect((await create()).status).toBe(503)
    expect((await create()).status).toBe(200)
    expect((await create()).status).toBe(429)
    emulator.setWriteQuota(undefined)
    expect((await create()).status).toBe(200)
  })

  test('invalid settings are refused', () => {
    expect(() => emulator.setWriteQuota({ perMinute: 0 })).toThrow(/perMinute/)
    expect(() => emulator.setWriteQuota({ perMinute: 5, timeScale: 0 })).toThrow(/timeScale/)
  })
})

describe('control API', () => {
  test('faults and quota can be set from another process', async () => {
    expect(
      await control('POST', '/_emulator/faults', {
        method: 'POST',
        path: { regex: '^/v1/spaces/[^/]+/messages$' },
        times: 'Infinity',
        fault: { kind: 'status', status: 503, retryAfterSeconds: 2 },
      }),
    ).toEqual({ status: 200, json: {} })
    expect((await control('GET', '/_emulator/faults')).json).toEqual({ injected: 0, pending: 1 })
    const res = await create()
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('2')
    expect((await create({ text: 'b' }, '', 'spaces/BBB')).status).toBe(503)
    expect((await control('GET', '/_emulator/faults')).json).toEqual({ injected: 2, pending: 1 })

    expect((await control('DELETE', '/_emulator/faults')).status).toBe(200)
    expect((await create()).status).toBe(200)

    expect((await control('POST', '/_emulator/faults/seed', { seed: 7 })).status).toBe(200)
    expect((await control('POST', '/_emulator/quota', { perMinute: 1, timeScale: 60 })).status).toBe(200)
    expect((await create()).status).toBe(200)
    expect((await create()).status).toBe(429)
    expect((await control('POST', '/_emulator/quota', null)).status).toBe(200)
    expect((await create()).status).toBe(200)
  })

  test('bad requests are 400 with the reason', async () => {
    for (const [path, body] of [
      ['/_emulator/faults', { fault: { kind: 'status', status: 9999 } }],
      ['/_emulator/faults', { path: 3, fault: { kind: 'reset' } }],
      ['/_emulator/faults', 'not a rule'],
      ['/_emulator/faults/seed', {}],
      ['/_emulator/quota', { perMinute: -1 }],
    ] as const) {
      const res = await control('POST', path, body)
      expect(res.status).toBe(400)
      expect(res.json).toEqual({ error: expect.any(String) })
    }
    expect((await control('GET', '/_emulator/faults')).json).toEqual({ injected: 0, pending: 0 })
  })
})

// google-auth-library (gaxios) in its own process, retrying POSTs with the same requestId: it rides over a 503,
// a lost response and a per-attempt timeout, and the space ends up with exactly one message.
const RETRY_SCRIPT = `
import { readFileSync } from 'node:fs'
import { JWT } from 'google-auth-library'
const key = JSON.parse(readFileSync(process.env.KEY_FILE, 'utf8'))
const client = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id,
  scopes: ['https://www.googleapis.com/auth/chat.bot'] })
const errors = []
const out = {}
try {
  const res = await client.request({
    url: 'https://chat.googleapis.com/v1/spaces/AAA/messages?requestId=run-1',
    method: 'POST',
    data: { text: 'exactly once' },
    // Long enough for an ordinary answer on a loaded machine (400 ms was not), short beside the delay fault's.
    timeout: 2000,
    retryConfig: {
      retry: 4,
      noResponseRetries: 4,
      retryDelay: 10,
      httpMethodsToRetry: ['POST'],
      onRetryAttempt: (error) => errors.push(error.status ?? error.code ?? error.message),
    },
  })
  out.result = { status: res.status, name: res.data.name }
} catch (error) {
  out.error = error.message
}
out.errors = errors
console.log(JSON.stringify(out))
`

test('google-auth-library retries through a 503, a lost response and a timeout: one message', async () => {
  const keyFile = join(dir, 'key.json')
  writeFileSync(keyFile, sa.json)
  const chatCreate = { host: 'chat.googleapis.com', method: 'POST', path: CREATE_PATH }
  emulator.injectFault({ ...chatCreate, fault: { kind: 'status', status: 503 } })
  emulator.injectFault({ ...chatCreate, fault: { kind: 'lose-response' } })
  emulator.injectFault({ ...chatCreate, fault: { kind: 'delay', ms: 6000 } })

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HTTPS_PROXY: emulator.proxyUrl,
    NODE_EXTRA_CA_CERTS: emulator.writeCaCert(dir),
    KEY_FILE: keyFile,
  }
  for (const name of ['NODE_OPTIONS', 'NO_PROXY', 'no_proxy', 'https_proxy', 'HTTP_PROXY', 'http_proxy'])
    delete env[name]
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', RETRY_SCRIPT], {
    cwd: ROOT,
    env,
    timeout: 20_000,
  })
  const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}')

  expect(out.result).toEqual({ status: 200, name: expect.stringMatching(/^spaces\/AAA\/messages\//) })
  // What gaxios reports for each failed attempt: the status, then the error codes a reset and a timeout give.
  expect(out.errors).toEqual([503, 'ECONNRESET', 'TimeoutError'])
  expect(emulator.messages()).toEqual([expect.objectContaining({ name: out.result.name, text: 'exactly once' })])
  expect(chatRequests().map((r) => [r.status, r.fault])).toEqual([
    [503, 'status'],
    [0, 'lose-response'],
    [200, 'delay'],
    [200, undefined],
  ])
})
