// What Google's client libraries (gaxios, google-auth-library, googleapis-common) need of the fetch API, over the
// action's own transport (https-transport.ts). Every Google client of the action is built with GOOGLE_TRANSPORTER
// (gaxios's documented `fetchImplementation` and `agent` options), so gaxios sends through `fetch` below, as
// published or bundled. In dist/ only, esbuild's `inject` (scripts/build.ts) also gives the libraries `Headers`,
// `FormData` and `ReadableStream` from fetch-globals.ts instead of Node's globals. Tests:
// __tests__/unit/google-fetch.test.ts holds `Headers` to Node's own; __tests__/e2e/bundle.test.ts checks that a
// full run loads none of Node's fetch stack, and runs the libraries as published too.
import type { Agent } from 'node:https'
import { Headers, type HeadersInit } from './fetch-globals.ts'
import { sendHttps } from './https-transport.ts'

export { FormData, Headers, ReadableStream } from './fetch-globals.ts'

/**
 * The response fetch() resolves to. The body is read whole already, so every reader works again; `bodyUsed` still
 * tells that one ran, as gaxios relies on it to keep the data it parsed for an error.
 */
export class FetchResponse {
  readonly status: number
  readonly statusText: string
  readonly headers: Headers
  readonly url: string
  readonly redirected = false
  readonly type = 'basic'
  readonly #body: Buffer
  #used = false

  constructor(status: number, statusText: string, headers: Headers, url: string, body: Buffer) {
    this.status = status
    this.statusText = statusText
    this.headers = headers
    this.url = url
    this.#body = body
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300
  }

  get bodyUsed(): boolean {
    return this.#used
  }

  get body(): import('node:stream').Readable {
    return process.getBuiltinModule('node:stream').Readable.from([this.#read()])
  }

  async text(): Promise<string> {
    return this.#read().toString('utf8')
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.#read().toString('utf8'))
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.#read()).buffer
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.#read())
  }

  async blob(): Promise<Blob> {
    const type = this.headers.get('content-type')
    return new Blob([new Uint8Array(this.#read())], type ? { type } : undefined)
  }

  #read(): Buffer {
    this.#used = true
    return this.#body
  }
}

/** The options gaxios passes to its fetch implementation (its prepared request). */
export interface GaxiosFetchInit {
  method?: string
  headers?: HeadersInit
  body?: unknown
  /** An agent a caller set (gaxios's `agent` option); a function (GOOGLE_TRANSPORTER's) leaves it to the transport. */
  agent?: Agent | typeof agentChosenByTransport
  signal?: AbortSignal | null
  /** gaxios's maxContentLength. */
  size?: number
}

/** gaxios's fetch: one request over https-transport.ts, the answer read whole; any status resolves. */
export async function fetch(input: string | URL, init: GaxiosFetchInit = {}): Promise<FetchResponse> {
  const url = new URL(String(input))
  if (url.protocol !== 'https:') throw new TypeError(`Only https: URLs are sent, not ${url.protocol} (${url.host})`)
  const headers: Record<string, string> = {}
  for (const [name, value] of new Headers(init.headers)) headers[name] = value
  const body = await requestBody(init.body, headers)
  const answer = await sendHttps(url, {
    method: (init.method ?? 'GET').toUpperCase(),
    headers,
    body,
    // The transport picks the proxy (HTTPS_PROXY/NO_PROXY, gaxios's rules) unless a caller gave its own agent.
    agent: typeof init.agent === 'function' ? undefined : init.agent,
    signal: init.signal ?? undefined,
    maxResponseBytes: init.size || undefined,
  })
  const responseHeaders = new Headers()
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one)
  }
  return new FetchResponse(answer.status, answer.statusText, responseHeaders, url.href, answer.body)
}

/** The body as bytes or text, with the content type fetch would give it when none is set. */
async function requestBody(body: unknown, headers: Record<string, string>): Promise<string | Uint8Array | undefined> {
  const defaultType = (type: string) => (headers['content-type'] ??= type)
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string' || body instanceof String) {
    defaultType('text/plain;charset=UTF-8')
    return String(body)
  }
  if (body instanceof URLSearchParams) {
    defaultType('application/x-www-form-urlencoded;charset=UTF-8')
    return body.toString()
  }
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (body instanceof Blob) {
    if (body.type) defaultType(body.type)
    return new Uint8Array(await body.arrayBuffer())
  }
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    // A Node stream (gaxios's multipart uploads); the action never sends one, but reading it whole is correct.
    const chunks: Buffer[] = []
    for await (const chunk of body as AsyncIterable<string | Uint8Array>) chunks.push(Buffer.from(chunk))
    return Buffer.concat(chunks)
  }
  throw new TypeError(`This action's fetch cannot send a body of type ${Object.prototype.toString.call(body)}`)
}

/**
 * gaxios's `agent` option (an Agent, or a function of the URL that returns one). Setting it tells gaxios to leave
 * the proxy alone, so it never imports https-proxy-agent itself; fetch above recognises it and lets
 * https-transport.ts pick the agent per URL by the same HTTPS_PROXY/NO_PROXY rules gaxios applies.
 */
function agentChosenByTransport(): Agent {
  return process.getBuiltinModule('node:https').globalAgent
}

/** The transporter options (gaxios) every Google client of the action is built with. */
export const GOOGLE_TRANSPORTER = { fetchImplementation: fetch, agent: agentChosenByTransport } as const
