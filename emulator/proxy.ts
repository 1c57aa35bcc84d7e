// The emulator's network face: an HTTP proxy on 127.0.0.1 that terminates CONNECT tunnels for emulated
// hosts with the test CA and serves them locally, refuses every other host (nothing leaves the machine),
// and answers direct requests with the control API.
import http from 'node:http'
import type net from 'node:net'
import tls from 'node:tls'
import { gzipSync } from 'node:zlib'
import { faultResponse, type Fault, type FaultTarget } from './faults.ts'
import { googleError } from './http-util.ts'
import type { CertificateAuthority } from './tls.ts'
import type { EmulatorRequest, EmulatorResponse, Handler, RecordedRequest } from './types.ts'

export interface ProxyOptions {
  ca: CertificateAuthority
  /** hostname → handler; read on every request, so hosts can be added while running. */
  routes: Map<string, Handler>
  /** Serves direct (non-proxied) requests for the emulator's own address. */
  control: Handler
  record(request: RecordedRequest): void
  /** Picks the injected fault, if any, for each request to an emulated host (never the control API). */
  fault?(target: FaultTarget): Fault | undefined
  port?: number
}

export interface ProxyServer {
  port: number
  close(): Promise<void>
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function hostnameOf(authority: string | undefined): string {
  try {
    return new URL(`http://${authority ?? ''}`).hostname
  } catch {
    return ''
  }
}

/**
 * Writes the response; gzip-compressed when the client asked for it with Accept-Encoding, as Google's front ends
 * do for the APIs (googleapis-common asks), so clients are tested on the bytes Google sends.
 */
function send(res: http.ServerResponse, response: EmulatorResponse, acceptEncoding?: string): void {
  const headers: Record<string, string> = { ...response.headers }
  let payload = ''
  if (typeof response.body === 'string') {
    payload = response.body
    headers['content-type'] ??= 'text/plain; charset=utf-8'
  } else if (response.body !== undefined) {
    // Google pretty-prints its JSON responses.
    payload = JSON.stringify(response.body, null, 2)
    headers['content-type'] ??= 'application/json; charset=UTF-8'
  }
  let bytes = Buffer.from(payload)
  if (bytes.length && /\bgzip\b/i.test(acceptEncoding ?? '') && !headers['content-encoding']) {
    bytes = gzipSync(bytes)
    headers['content-encoding'] = 'gzip'
  }
  headers['content-length'] = String(bytes.length)
  res.writeHead(response.status, headers)
  res.end(bytes)
}

export async function startProxy(options: ProxyOptions): Promise<ProxyServer> {
  const { ca, routes, control, record } = options
  const sockets = new Set<net.Socket>()
  const tunnelHosts = new WeakMap<net.Socket, string>()
  /** TLS socket → the TCP socket under it, so that a `reset` fault can send a real RST. */
  const rawSockets = new WeakMap<net.Socket, net.Socket>()
  const holds = new Set<NodeJS.Timeout>()
  const hold = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        holds.delete(timer)
        resolve()
      }, ms)
      holds.add(timer)
    })
  const drop = (socket: net.Socket) => {
    const raw = rawSockets.get(socket) ?? socket
    if (typeof raw.resetAndDestroy === 'function' && !raw.destroyed) raw.resetAndDestroy()
    socket.destroy()
  }

  const track = (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }

  async function dispatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: { host: string; url: URL; handler: Handler; tunneled: boolean; recorded: boolean },
  ): Promise<void> {
    const rawBody = await readBody(req)
    const request: EmulatorRequest = {
      host: target.host,
      method: req.method ?? 'GET',
      path: target.url.pathname,
      query: target.url.searchParams,
      headers: req.headers,
      rawBody,
    }
    // Only requests to emulated hosts (the recorded ones) can meet an injected fault.
    const fault = target.recorded ? options.fault?.(request) : undefined
    const lost = fault?.kind === 'reset' || fault?.kind === 'lose-response'
    let response: EmulatorResponse
    if (fault?.kind === 'status') response = faultResponse(fault)
    else if (fault?.kind === 'reset') response = { status: 0 }
    else {
      try {
        response = await target.handler(request)
      } catch (error) {
        response = googleError(500, `Emulator error: ${(error as Error).message}`)
      }
    }
    // Recorded before answering, so a client that has its response can already assert on it.
    if (target.recorded) {
      record({
        time: new Date().toISOString(),
        host: request.host,
        method: request.method,
        path: request.path,
        query: Object.fromEntries(request.query),
        headers: request.headers,
        rawBody,
        json: parseJson(rawBody),
        status: lost ? 0 : response.status,
        tunneled: target.tunneled,
        ...(fault ? { fault: fault.kind } : {}),
      })
    }
    if (lost) return drop(req.socket)
    if (fault?.kind === 'delay') await hold(fault.ms)
    send(res, response, target.tunneled ? req.headers['accept-encoding'] : undefined)
  }

  function refuse(host: string, method: string, path: string, headers: http.IncomingHttpHeaders): string {
    record({
      time: new Date().toISOString(),
      host,
      method,
      path,
      query: {},
      headers,
      rawBody: '',
      status: 403,
      tunneled: false,
    })
    return `The google-chat-notify emulator does not forward traffic to ${host || 'this host'}.\n`
  }

  const fail = (res: http.ServerResponse) => (error: Error) => {
    if (!res.headersSent) send(res, googleError(500, `Emulator error: ${error.message}`))
    else res.destroy(error)
  }

  // Serves the decrypted requests from CONNECT tunnels; it never listens itself.
  const inner = http.createServer((req, res) => {
    const host = tunnelHosts.get(req.socket) ?? hostnameOf(req.headers.host)
    const handler = routes.get(host)
    if (!handler) return send(res, { status: 404, body: 'Not Found' })
    const url = new URL(req.url ?? '/', `https://${host}`)
    dispatch(req, res, { host, url, handler, tunneled: true, recorded: true }).catch(fail(res))
  })
  inner.on('clientError', (_error, socket) => socket.destroy())

  const outer = http.createServer((req, res) => {
    const target = req.url ?? '/'
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
      // Absolute-form: a plain-HTTP proxy request.
      const url = new URL(target)
      const handler = routes.get(url.hostname)
      if (!handler) {
        return send(res, { status: 403, body: refuse(url.hostname, req.method ?? 'GET', url.pathname, req.headers) })
      }
      return void dispatch(req, res, { host: url.hostname, url, handler, tunneled: false, recorded: true }).catch(
        fail(res),
      )
    }
    const url = new URL(target, 'http://emulator')
    const host = hostnameOf(req.headers.host)
    const handler = routes.get(host)
    if (handler)
      return void dispatch(req, res, { host, url, handler, tunneled: false, recorded: true }).catch(fail(res))
    dispatch(req, res, { host, url, handler: control, tunneled: false, recorded: false }).catch(fail(res))
  })
  outer.on('clientError', (_error, socket) => socket.destroy())

  outer.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    track(socket)
    const authority = req.url ?? ''
    const host = hostnameOf(authority)
    const port = authority.slice(authority.lastIndexOf(':') + 1)
    if (!routes.has(host) || port !== '443') {
      const message = refuse(host, 'CONNECT', authority, req.headers)
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`,
      )
      return
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    // Bytes the client sent right after CONNECT (the start of its TLS ClientHello) belong to the tunnel.
    if (head.length) socket.unshift(head)
    const tlsSocket = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: ca.secureContextFor(host),
      ALPNProtocols: ['http/1.1'],
    })
    track(tlsSocket)
    tunnelHosts.set(tlsSocket, host)
    rawSockets.set(tlsSocket, socket)
    inner.emit('connection', tlsSocket)
  })

  await new Promise<void>((resolve, reject) => {
    outer.once('error', reject)
    outer.listen(options.port ?? 0, '127.0.0.1', () => {
      outer.off('error', reject)
      resolve()
    })
  })

  return {
    port: (outer.address() as net.AddressInfo).port,
    close: async () => {
      for (const timer of holds) clearTimeout(timer)
      for (const socket of sockets) socket.destroy()
      outer.closeAllConnections()
      await new Promise<void>((resolve) => outer.close(() => resolve()))
    },
  }
}
