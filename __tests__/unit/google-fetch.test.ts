// The fetch that Google's libraries use in dist/ (scripts/build.ts): its Headers is held to Node's own, and its
// requests go to a local HTTPS server signed by the emulator's test CA, as the real ones go to Google.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createServer, Agent, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { FormData, Headers as LightHeaders, ReadableStream, fetch } from '../../src/delivery/google-fetch.ts'
import { sendHttps } from '../../src/delivery/https-transport.ts'
import { createCertificateAuthority } from '../../emulator/tls.ts'

describe('Headers, next to Node', () => {
  type Step = (h: Headers | LightHeaders) => void
  const scripts: [string, unknown, Step[]][] = [
    ['from a record', { 'Content-Type': 'application/json', 'X-Goog-Api-Client': 'gl-node/24' }, []],
    [
      'from pairs, repeated names',
      [
        ['Accept', 'a'],
        ['accept', 'b'],
        ['Set-Cookie', 'x=1'],
        ['set-cookie', 'y=2'],
      ],
      [],
    ],
    [
      'set, append, delete',
      undefined,
      [(h) => h.set('B', '1'), (h) => h.append('a', ' 2 '), (h) => h.append('b', '3'), (h) => h.delete('A')],
    ],
    ['values are trimmed of HTTP whitespace', { X: '\t padded \r\n' }, []],
    [
      'iteration is sorted',
      { zeta: '1', Alpha: '2', mid: '3' },
      [(h) => h.append('set-cookie', 'a=1'), (h) => h.append('set-cookie', 'b=2')],
    ],
  ]
  test.each(scripts)('%s', (_, init, steps) => {
    const native = new Headers(init as ConstructorParameters<typeof Headers>[0])
    const light = new LightHeaders(init as never)
    for (const step of steps) {
      step(native)
      step(light)
    }
    expect([...light]).toEqual([...native])
    expect([...light.keys()]).toEqual([...native.keys()])
    expect([...light.values()]).toEqual([...native.values()])
    expect(light.getSetCookie()).toEqual(native.getSetCookie())
    for (const name of ['a', 'B', 'accept', 'content-type', 'set-cookie', 'x', 'missing']) {
      expect([name, light.get(name), light.has(name)]).toEqual([name, native.get(name), native.has(name)])
    }
    const seen: string[] = []
    light.forEach((value, name, self) => seen.push(`${name}=${value}:${self === light}`))
    expect(seen).toEqual([...native].map(([name, value]) => `${name}=${value}:true`))
    // Copies of either kind hold the same.
    expect([...new LightHeaders(light)]).toEqual([...native])
    expect([...new LightHeaders(native)]).toEqual([...native])
    expect([...new Headers(light as unknown as ConstructorParameters<typeof Headers>[0])]).toEqual([...native])
  })

  test.each([
    ['a name with a space', () => new Headers({ 'bad name': 'x' }), () => new LightHeaders({ 'bad name': 'x' })],
    ['an empty name', () => new Headers([['', 'x']]), () => new LightHeaders([['', 'x']])],
    ['a line break in a value', () => new Headers({ x: 'a\nb' }), () => new LightHeaders({ x: 'a\nb' })],
    ['a NUL in a value', () => new Headers({ x: 'a\0b' }), () => new LightHeaders({ x: 'a\0b' })],
  ])('rejects %s as Node does', (_, native, light) => {
    // Node's TypeError comes from another realm than jest's, so the name is compared.
    const thrown = (make: () => unknown) => {
      try {
        make()
      } catch (error) {
        return (error as Error).name
      }
      return 'nothing thrown'
    }
    expect(thrown(native)).toBe('TypeError')
    expect(thrown(light)).toBe('TypeError')
  })
})

test("FormData and ReadableStream are Node's own when made, and tell them by brand", () => {
  expect(new globalThis.FormData() instanceof FormData).toBe(true)
  expect(new globalThis.ReadableStream() instanceof ReadableStream).toBe(true)
  expect(new FormData()).toBeInstanceOf(globalThis.FormData)
  expect(new ReadableStream()).toBeInstanceOf(globalThis.ReadableStream)
  expect(new URLSearchParams('a=1') instanceof FormData).toBe(false)
  expect(new Uint8Array(1) instanceof ReadableStream).toBe(false)
  expect(new globalThis.Headers({ a: '1' }) instanceof LightHeaders).toBe(true)
  expect(new LightHeaders({ a: '1' }) instanceof LightHeaders).toBe(true)
})

describe('fetch over https-transport', () => {
  const ca = createCertificateAuthority()
  const agent = new Agent({ ca: ca.caCertPem })
  let server: Server
  let base: string
  let handle: (req: IncomingMessage, body: string, res: ServerResponse) => void = () => {}
  beforeAll(async () => {
    server = createServer({ SNICallback: (host, done) => done(null, ca.secureContextFor(host)) }, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res))
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    base = `https://localhost:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    agent.destroy()
    server.closeAllConnections()
    await new Promise((done) => server.close(done))
  })

  test('sends the method, headers and body, and reads status, headers and JSON back', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {}
    handle = (req, body, res) => {
      seen = { method: req.method, headers: req.headers, body }
      res.writeHead(201, 'Created', { 'content-type': 'application/json', 'x-goog-trace': 'abc' })
      res.end('{"name":"spaces/A/messages/1"}')
    }
    const headers = new LightHeaders({ 'Content-Type': 'application/json', Authorization: 'Bearer t' })
    const res = await fetch(`${base}/v1/spaces/A/messages?messageId=client-1`, {
      method: 'post',
      headers,
      body: '{"text":"hi ✅"}',
      agent,
    })
    expect(seen).toMatchObject({
      method: 'POST',
      body: '{"text":"hi ✅"}',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer t',
        'content-length': String(Buffer.byteLength('{"text":"hi ✅"}')),
      },
    })
    expect([res.status, res.statusText, res.ok, res.url]).toEqual([
      201,
      'Created',
      true,
      `${base}/v1/spaces/A/messages?messageId=client-1`,
    ])
    expect(res.headers.get('X-Goog-Trace')).toBe('abc')
    expect(res.bodyUsed).toBe(false)
    expect(await res.json()).toEqual({ name: 'spaces/A/messages/1' })
    // Read whole already: gaxios reads once, then keeps the data for errors only if bodyUsed says so.
    expect(res.bodyUsed).toBe(true)
    expect(await res.text()).toBe('{"name":"spaces/A/messages/1"}')
  })

  test.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('decodes a %s body (Google compresses when asked)', async (encoding, compress) => {
    const json = JSON.stringify({ error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } })
    handle = (_req, _body, res) => {
      res.writeHead(404, { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': encoding })
      res.end(compress(Buffer.from(json)))
    }
    const res = await fetch(`${base}/x`, { headers: new LightHeaders({ 'accept-encoding': encoding }), agent })
    expect(res.status).toBe(404)
    expect(res.ok).toBe(false)
    expect(await res.text()).toBe(json)
    expect(res.headers.has('content-encoding')).toBe(false)
  })

  test('a form body is sent URL-encoded with its content type, as fetch does', async () => {
    let seen: { type?: string; body?: string } = {}
    handle = (req, body, res) => {
      seen = { type: req.headers['content-type'], body }
      res.writeHead(204).end()
    }
    const res = await fetch(`${base}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'a.b.c' }),
      agent,
    })
    expect(seen).toEqual({
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
      body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c',
    })
    expect([res.status, await res.text()]).toEqual([204, ''])
  })

  test('a body it cannot send is a TypeError, before anything is sent', async () => {
    let requests = 0
    handle = (_req, _body, res) => {
      requests++
      res.end()
    }
    await expect(fetch(`${base}/x`, { method: 'POST', body: { not: 'serialized' }, agent })).rejects.toThrow(
      /cannot send a body of type \[object Object\]/,
    )
    await expect(fetch('http://chat.googleapis.com/v1', { agent })).rejects.toThrow(/Only https: URLs/)
    expect(requests).toBe(0)
  })

  test('an aborted signal fails the request (gaxios times its attempts out this way)', async () => {
    // The server never answers, so only the signal can end the request: no wall-clock bound to miss under load.
    handle = () => undefined
    const error = await fetch(`${base}/slow`, { agent, signal: AbortSignal.timeout(100) }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'AbortError' })
  })

  test('a connection cut in the middle of the body is an error, not a short answer', async () => {
    handle = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      res.write('{"partial":')
      setTimeout(() => res.socket?.destroy(), 20)
    }
    await expect(fetch(`${base}/cut`, { agent })).rejects.toMatchObject({ code: 'ECONNRESET' })
  })

  test('an answer over the size limit is an error; an unknown encoding too', async () => {
    handle = (_req, _body, res) => res.end('x'.repeat(5_000))
    await expect(
      sendHttps(new URL(`${base}/big`), { method: 'GET', headers: {}, agent, maxResponseBytes: 1_000 }),
    ).rejects.toThrow(/larger than 1000 bytes/)
    handle = (_req, _body, res) => {
      res.writeHead(200, { 'content-encoding': 'zstd' })
      res.end('??')
    }
    await expect(fetch(`${base}/zstd`, { agent })).rejects.toThrow(/encoded as "zstd"/)
  })
})
