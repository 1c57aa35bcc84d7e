import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { chatBotToken } from '../fixtures/chat-bot-token.ts'
import { execFile, spawn } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { promisify } from 'node:util'
import { createServiceAccountKey, ProxyClient, startEmulator, type Emulator } from '../../emulator/index.ts'

const ROOT = new URL('../..', import.meta.url).pathname

// Runs in a separate Node process with the exact client stack the action uses: google-auth-library's JWT
// client → gaxios → node-fetch + https-proxy-agent, configured only through HTTPS_PROXY and NODE_EXTRA_CA_CERTS.
const CLIENT_SCRIPT = `
import { readFileSync } from 'node:fs'
import { JWT } from 'google-auth-library'
const key = JSON.parse(readFileSync(process.env.KEY_FILE, 'utf8'))
const client = new JWT({
  email: key.client_email,
  key: key.private_key,
  keyId: key.private_key_id,
  scopes: ['https://www.googleapis.com/auth/chat.bot'],
})
const base = 'https://chat.googleapis.com/v1/' + process.env.SPACE
const out = {}
try {
  const created = await client.request({ url: base + '/messages', method: 'POST', data: { text: 'hi' } })
  out.created = { status: created.status, data: created.data }
  const patched = await client.request({
    url: 'https://chat.googleapis.com/v1/' + created.data.name + '?updateMask=text',
    method: 'PATCH',
    data: { text: 'edited' },
  })
  out.patched = { status: patched.status, data: patched.data }
  await client.request({ url: 'https://chat.googleapis.com/v1/spaces/NOT-A-MEMBER/messages', method: 'POST', data: { text: 'x' } })
} catch (error) {
  out.error = { status: error.status ?? error.response?.status, data: error.response?.data, message: error.message }
}
console.log(JSON.stringify(out))
`

interface ClientResult {
  created?: { status: number; data: Record<string, unknown> }
  patched?: { status: number; data: Record<string, unknown> }
  error?: { status: number; data: { error: { code: number; status: string } }; message: string }
}

async function runGoogleClient(
  proxyUrl: string,
  caPath: string,
  keyFile: string,
  space: string,
): Promise<ClientResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HTTPS_PROXY: proxyUrl,
    NODE_EXTRA_CA_CERTS: caPath,
    KEY_FILE: keyFile,
    SPACE: space,
  }
  for (const name of ['NODE_OPTIONS', 'NO_PROXY', 'no_proxy', 'https_proxy', 'HTTP_PROXY', 'http_proxy'])
    delete env[name]
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CLIENT_SCRIPT], {
    cwd: ROOT,
    env,
    timeout: 20_000,
  })
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}')
}

/** Opens a CONNECT tunnel by hand and returns the TLS socket, for looking at the served certificate. */
function tunnel(proxyUrl: string, host: string, ca: string, servername = host): Promise<tls.TLSSocket> {
  const proxy = new URL(proxyUrl)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: `${host}:443` })
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) return reject(new Error(`CONNECT ${res.statusCode}`))
      const secure = tls.connect({ socket, servername, ca }, () => resolve(secure))
      secure.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

function plain(
  proxyUrl: string,
  path: string,
  options: { method?: string; host?: string; body?: unknown } = {},
): Promise<{ status: number; type: string; text: string }> {
  const proxy = new URL(proxyUrl)
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: proxy.hostname,
        port: proxy.port,
        path,
        method: options.method ?? 'GET',
        headers: {
          ...(options.host ? { host: options.host } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }))
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

let emulator: Emulator
let dir: string
const sa = createServiceAccountKey({ projectId: 'proxy-test' })

beforeAll(async () => {
  emulator = await startEmulator({ members: ['spaces/AAA'], knownSpaces: ['spaces/NOT-A-MEMBER'] })
  emulator.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id)
  dir = mkdtempSync(join(tmpdir(), 'emulator-proxy-test-'))
})

afterAll(async () => {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('through the real client stack in another process', () => {
  test('google-auth-library gets a token and posts, patches and fails like against Google', async () => {
    const keyFile = join(dir, 'key.json')
    writeFileSync(keyFile, sa.json)
    const caPath = emulator.writeCaCert(dir)
    emulator.reset()

    const result = await runGoogleClient(emulator.proxyUrl, caPath, keyFile, 'spaces/AAA')

    expect(result.created).toEqual({
      status: 200,
      data: expect.objectContaining({ text: 'hi', space: { name: 'spaces/AAA' } }),
    })
    expect(result.patched?.data).toMatchObject({ name: result.created?.data.name, text: 'edited' })
    expect(result.error).toMatchObject({ status: 403, data: { error: { code: 403, status: 'PERMISSION_DENIED' } } })
    expect(emulator.messages('spaces/AAA')).toEqual([expect.objectContaining({ text: 'edited' })])

    const seen = emulator.requests.map((r) => `${r.method} ${r.host}${r.path} ${r.status}`)
    expect(seen).toEqual([
      'POST oauth2.googleapis.com/token 200',
      'POST chat.googleapis.com/v1/spaces/AAA/messages 200',
      `PATCH chat.googleapis.com/v1/${result.created?.data.name} 200`,
      'POST chat.googleapis.com/v1/spaces/NOT-A-MEMBER/messages 403',
    ])
    expect(emulator.requests.every((r) => r.tunneled)).toBe(true)
    expect(emulator.requests[1].headers.authorization).toMatch(/^Bearer ya29\.emu-/)
    expect(emulator.requests[1].json).toEqual({ text: 'hi' })
  })

  test('the CLI runs a usable emulator in its own process', async () => {
    const child = spawn(process.execPath, ['emulator/cli.ts', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      let output = ''
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8')
        child.stdout.on('data', (chunk: string) => {
          output += chunk
          if (output.includes('Ctrl-C')) resolve()
        })
        child.on('exit', (code) => reject(new Error(`cli exited with ${code}: ${output}`)))
      })
      const proxyUrl = /HTTPS_PROXY=(\S+)/.exec(output)![1]
      const caPath = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(output)![1]
      const keyFile = /Service account key: (\S+)/.exec(output)![1]
      expect(JSON.parse(readFileSync(keyFile, 'utf8')).type).toBe('service_account')

      const result = await runGoogleClient(proxyUrl, caPath, keyFile, 'spaces/AAAAdemo')
      expect(result.created?.status).toBe(200)

      const listed = await plain(proxyUrl, '/_emulator/messages?space=spaces/AAAAdemo')
      expect(JSON.parse(listed.text)).toEqual([expect.objectContaining({ text: 'edited' })])
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  })
})

describe('proxy', () => {
  test('serves a leaf certificate for the CONNECT host, signed by the test CA', async () => {
    const ca = new X509Certificate(emulator.caCertPem)
    expect(ca.ca).toBe(true)
    expect(ca.subject).toBe('CN=google-chat-notify test CA')
    const day = 24 * 3600 * 1000
    expect(Date.now() - Date.parse(ca.validFrom)).toBeGreaterThan(day - 60_000)
    expect(Date.parse(ca.validTo) - Date.now()).toBeGreaterThan(9.9 * 365 * day)

    for (const host of ['chat.googleapis.com', 'oauth2.googleapis.com']) {
      const socket = await tunnel(emulator.proxyUrl, host, emulator.caCertPem)
      const leaf = socket.getPeerX509Certificate()!
      expect(leaf.subjectAltName).toBe(`DNS:${host}`)
      expect(leaf.checkIssued(ca)).toBe(true)
      expect(leaf.ca).toBe(false)
      socket.destroy()
    }
  })

  test('the certificate is not valid for other names', async () => {
    await expect(tunnel(emulator.proxyUrl, 'chat.googleapis.com', emulator.caCertPem, 'evil.example')).rejects.toThrow(
      /altnames/i,
    )
  })

  test('keeps the tunnel alive across requests', async () => {
    const client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
    try {
      const responses = []
      for (let i = 0; i < 3; i++)
        responses.push(await client.request('GET', 'https://chat.googleapis.com/v1/spaces/AAA/messages/x'))
      expect(responses.map((r) => r.status)).toEqual([401, 401, 401])
      expect(responses.map((r) => r.reusedSocket)).toEqual([false, true, true])
      expect(client.tunnels).toBe(1)
    } finally {
      client.close()
    }
  })

  test('refuses to tunnel to any other host or port, and records the attempt', async () => {
    emulator.reset()
    const client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
    try {
      await expect(client.request('GET', 'https://example.com/')).rejects.toThrow(/403/)
      await expect(client.request('GET', 'https://chat.googleapis.com:8443/')).rejects.toThrow(/403/)
    } finally {
      client.close()
    }
    expect(emulator.requests).toEqual([
      expect.objectContaining({ method: 'CONNECT', host: 'example.com', status: 403 }),
      expect.objectContaining({
        method: 'CONNECT',
        host: 'chat.googleapis.com',
        path: 'chat.googleapis.com:8443',
        status: 403,
      }),
    ])
  })

  test('refuses plain-HTTP proxy requests for other hosts', async () => {
    const res = await plain(emulator.proxyUrl, 'http://example.com/', { host: 'example.com' })
    expect(res.status).toBe(403)
  })

  test('more hosts can be added by hostname', async () => {
    emulator.addHost('api.github.com', (req) => ({ status: 201, body: { path: req.path, q: req.query.get('q') } }))
    const client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
    try {
      const res = await client.request('POST', 'https://api.github.com/repos/o/r/issues?q=1', { body: { title: 't' } })
      expect(res).toMatchObject({ status: 201, json: { path: '/repos/o/r/issues', q: '1' } })
    } finally {
      client.close()
    }
    expect(emulator.requests.at(-1)).toMatchObject({ host: 'api.github.com', json: { title: 't' }, status: 201 })
  })

  test('close() stops listening and drops open tunnels', async () => {
    const other = await startEmulator()
    const socket = await tunnel(other.proxyUrl, 'chat.googleapis.com', other.caCertPem)
    const closed = new Promise((resolve) => socket.once('close', resolve))
    await other.close()
    await closed
    await expect(plain(other.proxyUrl, '/')).rejects.toThrow(/ECONNREFUSED/)
  })
})

describe('control and viewer API', () => {
  test('lists messages and requests, registers spaces, resets', async () => {
    const url = emulator.proxyUrl
    emulator.reset()
    expect((await plain(url, '/_emulator/members', { method: 'POST', body: { space: 'spaces/CTL' } })).status).toBe(200)

    const keyFile = join(dir, 'key.json')
    writeFileSync(keyFile, sa.json)
    await runGoogleClient(url, emulator.writeCaCert(dir), keyFile, 'spaces/CTL')

    const messages = JSON.parse((await plain(url, '/_emulator/messages?space=spaces/CTL')).text)
    expect(messages).toEqual(emulator.messages('spaces/CTL'))
    expect(messages).toHaveLength(1)
    expect(JSON.parse((await plain(url, '/_emulator/messages?space=spaces/AAA')).text)).toEqual([])

    const requests = JSON.parse((await plain(url, '/_emulator/requests')).text)
    expect(requests.map((r: { path: string }) => r.path)[0]).toBe('/token')
    // Control calls themselves are not recorded.
    expect(requests).toHaveLength(emulator.requests.length)

    expect((await plain(url, '/_emulator/ca.pem')).text).toBe(emulator.caCertPem)
    expect((await plain(url, '/_emulator/reset', { method: 'POST' })).status).toBe(200)
    expect(emulator.requests).toEqual([])
    expect(emulator.messages()).toEqual([])
  })

  test('GET / shows spaces and messages with their JSON escaped', async () => {
    emulator.reset()
    const client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
    try {
      const token = await chatBotToken(client, sa, 60)
      await client.request('POST', 'https://chat.googleapis.com/v1/spaces/AAA/messages', {
        headers: { authorization: `Bearer ${token}` },
        body: { text: '<script>alert("x")</script>' },
      })
    } finally {
      client.close()
    }
    const page = await plain(emulator.proxyUrl, '/')
    expect(page.status).toBe(200)
    expect(page.type).toMatch(/^text\/html/)
    expect(page.text).toContain('spaces/AAA')
    expect(page.text).not.toContain('<script>')
    expect(page.text).toContain('&#60;script&#62;')
  })

  test('unknown control routes are 404', async () => {
    expect((await plain(emulator.proxyUrl, '/_emulator/nope')).status).toBe(404)
  })
})
