// Public API: a local stand-in for the Google endpoints the action calls, reached through HTTPS_PROXY.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ChatApi } from './chat-api.ts'
import { createControlHandler } from './control.ts'
import { OAuthService } from './oauth.ts'
import { startProxy } from './proxy.ts'
import { createCertificateAuthority } from './tls.ts'
import type { ChatMessage, Handler, RecordedRequest } from './types.ts'

export type { ChatMessage, ChatThread, EmulatorRequest, EmulatorResponse, Handler, RecordedRequest } from './types.ts'
export { createServiceAccountKey, signJwt, type CreatedServiceAccountKey, type ServiceAccountKey } from './keys.ts'
export { ProxyClient, type ProxyRequestOptions, type ProxyResponse } from './proxy-client.ts'

export interface EmulatorOptions {
  port?: number
  /** Spaces the app is a member of and can post to, e.g. `spaces/AAA`. */
  members?: string[]
  /** Spaces that exist but the app is not a member of (403 instead of 404). */
  knownSpaces?: string[]
}

export interface Emulator {
  /** http://127.0.0.1:PORT — use as HTTPS_PROXY. */
  proxyUrl: string
  caCertPem: string
  /** Writes ca.pem into `dir` and returns its path, for NODE_EXTRA_CA_CERTS. */
  writeCaCert(dir: string): string
  addServiceAccount(email: string, publicKeyPem: string, keyId?: string): void
  disableServiceAccount(email: string): void
  addMember(space: string): void
  addKnownSpace(space: string): void
  /** Serve another hostname through the proxy (e.g. api.github.com), replacing any previous handler. */
  addHost(hostname: string, handler: Handler): void
  /** Every request that reached an emulated host, plus refused CONNECTs (status 403). */
  requests: RecordedRequest[]
  /** Stored messages in creation order; all spaces when `space` is omitted. */
  messages(space?: string): ChatMessage[]
  /** Clears recorded requests and stored messages; keeps service accounts, tokens and memberships. */
  reset(): void
  close(): Promise<void>
}

export const OAUTH_HOST = 'oauth2.googleapis.com'
export const CHAT_HOST = 'chat.googleapis.com'

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const ca = createCertificateAuthority()
  const oauth = new OAuthService()
  const chat = new ChatApi(oauth)
  opts.members?.forEach((space) => chat.addMember(space))
  opts.knownSpaces?.forEach((space) => chat.addKnownSpace(space))

  const requests: RecordedRequest[] = []
  const routes = new Map<string, Handler>([
    [OAUTH_HOST, oauth.handle],
    [CHAT_HOST, chat.handle],
  ])
  // The array object stays the same across resets so that references held by tests stay live.
  const reset = () => {
    requests.length = 0
    chat.reset()
  }
  const control = createControlHandler({
    caCertPem: ca.caCertPem,
    requests,
    messages: (space) => chat.messages(space),
    spaces: () => chat.spaces(),
    addMember: (space) => chat.addMember(space),
    addKnownSpace: (space) => chat.addKnownSpace(space),
    addServiceAccount: (email, pem, keyId) => oauth.addServiceAccount(email, pem, keyId),
    disableServiceAccount: (email) => oauth.disableServiceAccount(email),
    reset,
  })
  const proxy = await startProxy({ ca, routes, control, record: (r) => requests.push(r), port: opts.port })

  return {
    proxyUrl: `http://127.0.0.1:${proxy.port}`,
    caCertPem: ca.caCertPem,
    writeCaCert(dir) {
      const path = join(dir, 'ca.pem')
      writeFileSync(path, ca.caCertPem)
      return path
    },
    addServiceAccount: (email, publicKeyPem, keyId) => oauth.addServiceAccount(email, publicKeyPem, keyId),
    disableServiceAccount: (email) => oauth.disableServiceAccount(email),
    addMember: (space) => chat.addMember(space),
    addKnownSpace: (space) => chat.addKnownSpace(space),
    addHost: (hostname, handler) => void routes.set(hostname, handler),
    requests,
    messages: (space) => chat.messages(space),
    reset,
    close: () => proxy.close(),
  }
}
