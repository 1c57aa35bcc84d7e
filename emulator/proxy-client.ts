// A small keep-alive HTTPS client that reaches the emulator the way the action does: CONNECT through the proxy,
// then TLS verified against the test CA. Meant for tests that want to talk to emulated hosts directly.
import http from 'node:http'
import https from 'node:https'
import type { Duplex } from 'node:stream'
import tls from 'node:tls'

export interface ProxyResponse {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary; tests narrow them
  /** True when the request went over a tunnel opened for an earlier request. */
  reusedSocket: boolean
}

export interface ProxyRequestOptions {
  headers?: Record<string, string>
  /** Strings are sent as they are; anything else as JSON. */
  body?: unknown
}

class TunnelAgent extends https.Agent {
  #proxy: URL
  #ca: string
  tunnels = 0

  constructor(proxyUrl: string, ca: string) {
    super({ keepAlive: true })
    this.#proxy = new URL(proxyUrl)
    this.#ca = ca
  }

  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const host = options.host ?? options.hostname ?? 'localhost'
    const port = options.port ?? 443
    const connect = http.request({
      host: this.#proxy.hostname,
      port: this.#proxy.port,
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers: { host: `${host}:${port}` },
    })
    connect.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy()
        callback?.(new Error(`proxy refused CONNECT ${host}:${port} with ${res.statusCode}`), socket)
        return
      }
      this.tunnels++
      callback?.(null, tls.connect({ socket, servername: host, ca: this.#ca }))
    })
    connect.on('error', (error) => callback?.(error, undefined as unknown as Duplex))
    connect.end()
    return undefined
  }
}

export class ProxyClient {
  #agent: TunnelAgent

  constructor(proxyUrl: string, caCertPem: string) {
    this.#agent = new TunnelAgent(proxyUrl, caCertPem)
  }

  /** How many CONNECT tunnels have been opened so far (keep-alive reuses them). */
  get tunnels(): number {
    return this.#agent.tunnels
  }

  request(method: string, url: string, options: ProxyRequestOptions = {}): Promise<ProxyResponse> {
    const payload =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body)
    const headers: Record<string, string> = { ...options.headers }
    if (payload !== undefined) {
      headers['content-type'] ??= typeof options.body === 'string' ? 'text/plain' : 'application/json'
      headers['content-length'] = String(Buffer.byteLength(payload))
    }
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try {
            json = JSON.parse(text)
          } catch {
            json = undefined
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, reusedSocket: req.reusedSocket })
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  }

  close(): void {
    this.#agent.destroy()
  }
}
