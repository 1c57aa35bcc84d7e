// The action's one HTTP transport: node:https, through https-proxy-agent when HTTPS_PROXY applies. Webhook mode
// calls it directly; the Google client libraries reach it through gaxios (see google-fetch.ts). Node's own fetch
// would cost a run ~25 ms to load its stack (undici, web streams) and ignores HTTPS_PROXY unless
// NODE_USE_ENV_PROXY=1 is set; TLS here trusts NODE_EXTRA_CA_CERTS as every Node https request does.
import type { Agent } from 'node:https'
import type { IncomingHttpHeaders } from 'node:http'

/**
 * The proxy for `url` from the environment, as gaxios (google-auth-library's client) picks it: HTTPS_PROXY,
 * https_proxy, HTTP_PROXY or http_proxy, unless NO_PROXY (or no_proxy) names the host, its origin or URL, or a
 * suffix written `.example.com` / `*.example.com`; `*` turns proxies off.
 */
export function proxyFor(url: URL, env: Record<string, string | undefined> = process.env): string | undefined {
  const proxy = (env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy || '').trim()
  if (!proxy) return undefined
  const rules = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((rule) => rule.trim())
  for (const rule of rules.filter(Boolean)) {
    if (rule === '*') return undefined
    if (rule.startsWith('.') || rule.startsWith('*.')) {
      if (url.hostname.endsWith(rule.replace(/^\*\./, '.'))) return undefined
    } else if ([url.hostname, url.host, url.origin, url.href].includes(rule)) {
      return undefined
    }
  }
  // `proxy.corp:3128` without a scheme is common in runner setups.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`
}

const proxyAgents = new Map<string, Promise<Agent>>()

/** https-proxy-agent (the agent gaxios uses), loaded only when a proxy applies; one agent per proxy URL. */
export function proxyAgentFor(url: URL): Promise<Agent> | undefined {
  const proxy = proxyFor(url)
  if (!proxy) return undefined
  let agent = proxyAgents.get(proxy)
  if (!agent) {
    agent = import('./proxy-agent.ts').then(({ HttpsProxyAgent }) => new HttpsProxyAgent(proxy) as unknown as Agent)
    proxyAgents.set(proxy, agent)
  }
  return agent
}

export interface HttpsRequest {
  method: string
  headers: Record<string, string>
  body?: string | Uint8Array
  /** The agent to send through; by default the proxy agent for the URL when HTTPS_PROXY applies (proxyAgentFor). */
  agent?: Agent
  signal?: AbortSignal
  /** A larger (decoded) response body is an error, not a truncated answer. */
  maxResponseBytes?: number
}

export interface HttpsResponse {
  status: number
  statusText: string
  /** As Node parsed them, minus content-encoding/-length once the body is decoded. */
  headers: IncomingHttpHeaders
  body: Buffer
}

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

/**
 * Sends one request and reads the whole answer, whatever its status; nothing is retried here. A gzip, deflate or
 * brotli body (Google compresses when asked) is decoded. Aborting `signal` fails the request or its body read.
 */
export async function sendHttps(url: URL, request: HttpsRequest): Promise<HttpsResponse> {
  const send = process.getBuiltinModule('node:https').request
  const agent = await (request.agent ?? proxyAgentFor(url))
  const limit = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const headers = { ...request.headers }
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body))
  return new Promise((resolve, reject) => {
    const req = send(url, { method: request.method, headers, agent, signal: request.signal }, (res) => {
      const encoding = String(res.headers['content-encoding'] ?? 'identity').toLowerCase()
      let stream: Readable
      try {
        stream = decoded(res, encoding)
      } catch (error) {
        res.destroy()
        reject(error)
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > limit) stream.destroy(new Error(`the answer from ${url.host} is larger than ${limit} bytes`))
        else chunks.push(chunk)
      })
      stream.on('error', reject)
      // The connection closing before the body is complete (a reset, an abort) is an error, not a short body.
      res.on('close', () => {
        if (!res.complete) reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      })
      stream.on('end', () => {
        const responseHeaders = { ...res.headers }
        if (stream !== res) {
          delete responseHeaders['content-encoding']
          delete responseHeaders['content-length']
        }
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: responseHeaders,
          body: Buffer.concat(chunks),
        })
      })
    })
    req.on('error', reject)
    req.end(request.body)
  })
}

type Readable = import('node:stream').Readable

function decoded(res: Readable, encoding: string): Readable {
  if (encoding === 'identity' || encoding === '') return res
  const zlib = process.getBuiltinModule('node:zlib')
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined
  if (!decoder) throw new Error(`the answer is encoded as "${encoding}", which this action cannot decode`)
  res.on('error', (error) => decoder.destroy(error))
  return res.pipe(decoder)
}
