// Public API: a local stand-in for the Google endpoints the action calls, reached through HTTPS_PROXY.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ChatApi, type ChatBehaviour, type ChatWarning } from './chat-api.ts'
import { seedCaller, type SeedAs } from './chat-apps.ts'
import { createControlHandler } from './control.ts'
import { FaultInjector, type FaultRule } from './faults.ts'
import { createGitHubApi, GITHUB_API_HOST, type GitHubApi } from './github-api.ts'
import { OAuthService } from './oauth.ts'
import { SelfSignedJwtVerifier, setUpKeyless, type KeylessSetup } from './iam-credentials.ts'
import { WebhookService, chatHostRouter, type RegisteredWebhook } from './webhook.ts'
import { startProxy } from './proxy.ts'
import { DEFAULT_WRITE_QUOTA, WriteQuota, type WriteQuotaOptions } from './quota.ts'
import type { ChatNotification, NotificationFilter } from './notifications.ts'
import { createCertificateAuthority } from './tls.ts'
import type { ChatMessage, Handler, RecordedRequest } from './types.ts'

export type { ChatMessage, ChatThread, EmulatorRequest, EmulatorResponse, Handler, RecordedRequest } from './types.ts'
export { createServiceAccountKey, signJwt, type CreatedServiceAccountKey, type ServiceAccountKey } from './keys.ts'
export { ProxyClient, type ProxyRequestOptions, type ProxyResponse } from './proxy-client.ts'
export type { Fault, FaultKind, FaultRule, FaultRuleJson } from './faults.ts'
export type { RetryAfterMode, WriteQuotaOptions } from './quota.ts'
export type { ChatNotification, NotificationFilter, NotificationType } from './notifications.ts'
export type { ChatBehaviour, ChatWarning } from './chat-api.ts'
export type { SeedAs } from './chat-apps.ts'
export { CHAT_APP_NOT_FOUND } from './chat-apps.ts'

/** A message posted by another Chat app or webhook (see Emulator.postAs). */
export interface SeedMessage {
  space: string
  /** The message body (`text`, `cardsV2`, `thread`…), as a create request carries it. */
  message: Record<string, unknown>
  messageId?: string
  messageReplyOption?: string
  notificationType?: string
}
export type { GitHubApi, JobSpec, RunSpec, StepSpec } from './github-api.ts'

export interface EmulatorOptions {
  port?: number
  /** Spaces the app is a member of and can post to, e.g. `spaces/AAA`. */
  members?: string[]
  /** Spaces that exist but the app is not a member of (403 instead of 404). */
  knownSpaces?: string[]
  /** Accept self-signed JWTs as access tokens (auth: self-signed-jwt), as Google does for some APIs. */
  selfSignedJwt?: boolean
  /** The per-space write quota; on by default as in production (DEFAULT_WRITE_QUOTA). `false` turns it off. */
  writeQuota?: WriteQuotaOptions | false
  /** Projects (or service-account emails, for their project) with no configured Chat app: 404 "app not found". */
  projectsWithoutChatApp?: string[]
}

export interface Emulator {
  /** The runner's OIDC endpoint, STS and IAM Credentials for keyless runs (google-github-actions/auth's file). */
  keyless: KeylessSetup
  /** An incoming webhook for `space` (the app does not become a member): its URL is what Chat shows to copy. */
  registerWebhook(space: string): RegisteredWebhook
  deleteWebhook(webhook: RegisteredWebhook): void
  /** http://127.0.0.1:PORT — use as HTTPS_PROXY. */
  proxyUrl: string
  caCertPem: string
  /** Writes ca.pem into `dir` and returns its path, for NODE_EXTRA_CA_CERTS. */
  writeCaCert(dir: string): string
  addServiceAccount(email: string, publicKeyPem: string, keyId?: string): void
  disableServiceAccount(email: string): void
  addMember(space: string): void
  addKnownSpace(space: string): void
  /**
   * GitHub's jobs API, served at api.github.com (until addHost replaces it); seeded here or through the control API
   * (POST /_emulator/github/runs, /deny-actions-read, /failures). reset() forgets its runs.
   */
  github: GitHubApi
  /** Serve another hostname through the proxy (e.g. api.github.com), replacing any previous handler. */
  addHost(hostname: string, handler: Handler): void
  /** Every request that reached an emulated host, plus refused CONNECTs (status 403). */
  requests: RecordedRequest[]
  /** Stored messages in creation order; all spaces when `space` is omitted. */
  messages(space?: string): ChatMessage[]
  /** Stored messages (all spaces) grouped by `key(message)`, e.g. to find duplicates after a soak run. */
  messagesByKey(key: (message: ChatMessage) => string): Map<string, ChatMessage[]>
  /**
   * Fails the next matching request(s) to an emulated host (see FaultRule). Rules are tried in the order they
   * were added; the first that fires wins. Throws on an invalid rule.
   */
  injectFault(rule: FaultRule): void
  /** Removes all fault rules that have not fired yet. */
  clearFaults(): void
  /** Restarts the PRNG behind `probability` rules (seeded randomly at start). */
  seedFaults(seed: number): void
  /** How many requests have been faulted since start or the last reset(). */
  readonly faultsInjected: number
  /** Chat's per-space write quota (create/patch/delete), e.g. `{ perMinute: 60 }`; undefined removes it. */
  setWriteQuota(options: WriteQuotaOptions | undefined): void
  /** Whether a project (or a service account's project) has a configured Chat app; all have one by default. */
  setChatAppConfigured(emailOrProject: string, configured: boolean): void
  /** Choices where Google's documentation leaves the answer open (e.g. the HTTP status of ALREADY_EXISTS). */
  setChatBehaviour(behaviour: Partial<ChatBehaviour>): void
  /**
   * Posts a message as another Chat app (`{ app: 'other-project' }`) or webhook (`{ webhook: 'deploy-bot' }`),
   * through the same rules as the API (quota included; membership is assumed). Throws with Chat's answer when
   * refused. Messages it posts are not the action's to update or delete.
   */
  postAs(as: SeedAs, seed: SeedMessage): ChatMessage
  /** Who created a stored message: `apps/<project>` or `webhooks/<id>`. */
  ownerOf(messageName: string): string | undefined
  /** What new messages notified (edits notify no one), oldest first. */
  notifications(filter?: NotificationFilter): ChatNotification[]
  /** What Chat changed in stored messages without an error (sections over 100 widgets, invalid icon names). */
  warnings(space?: string): ChatWarning[]
  /**
   * Clears recorded requests, stored messages, notifications, warnings, fault rules, the faulted count and the
   * writes counted against the quota; keeps service accounts, tokens, memberships, webhooks, Chat app
   * configuration, behaviour choices, the quota limit and the fault PRNG.
   */
  reset(): void
  close(): Promise<void>
}

export const OAUTH_HOST = 'oauth2.googleapis.com'
export const CHAT_HOST = 'chat.googleapis.com'

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const ca = createCertificateAuthority()
  const oauth = new OAuthService()
  const chat = new ChatApi(oauth)
  const faults = new FaultInjector()
  const quota = new WriteQuota()
  quota.set(opts.writeQuota === false ? undefined : (opts.writeQuota ?? DEFAULT_WRITE_QUOTA))
  chat.writeGate = (space) => quota.take(space)
  opts.projectsWithoutChatApp?.forEach((project) => chat.apps.setConfigured(project, false))
  const setChatBehaviour = (behaviour: Partial<ChatBehaviour>) => {
    const status = behaviour.alreadyExistsHttpStatus
    if (status !== undefined && !(Number.isInteger(status) && status >= 400 && status <= 599)) {
      throw new Error(`alreadyExistsHttpStatus must be an HTTP error status (400-599), got ${status}`)
    }
    Object.assign(chat.behaviour, behaviour)
  }
  const postAs = (as: SeedAs, seed: SeedMessage): ChatMessage => {
    const query = new URLSearchParams()
    if (seed.messageId) query.set('messageId', seed.messageId)
    if (seed.messageReplyOption) query.set('messageReplyOption', seed.messageReplyOption)
    if (seed.notificationType) query.set('createMessageNotificationOptions.notificationType', seed.notificationType)
    const response = chat.handleAs(seedCaller(as), {
      host: CHAT_HOST,
      method: 'POST',
      path: `/v1/${seed.space}/messages`,
      query,
      headers: { 'content-type': 'application/json' },
      rawBody: JSON.stringify(seed.message),
    })
    if (response.status !== 200) throw new Error(`Chat refused the seeded message: ${JSON.stringify(response.body)}`)
    return response.body as ChatMessage
  }
  opts.members?.forEach((space) => chat.addMember(space))
  opts.knownSpaces?.forEach((space) => chat.addKnownSpace(space))

  const requests: RecordedRequest[] = []
  const routes = new Map<string, Handler>([[OAUTH_HOST, oauth.handle]])
  // Keyless runs: the runner's OIDC endpoint, STS and IAM Credentials, whose tokens Chat accepts.
  const keyless = setUpKeyless({ addHost: (hostname, handler) => void routes.set(hostname, handler) })
  oauth.addTokenVerifier((token) => keyless.iam.lookup(token))
  const selfSigned = new SelfSignedJwtVerifier()
  oauth.addTokenVerifier((token) => (opts.selfSignedJwt ? selfSigned.verify(token) : undefined))
  // Incoming webhooks share Chat's host and message store.
  const webhooks = new WebhookService({ oauth, chat })
  routes.set(CHAT_HOST, chatHostRouter(webhooks, chat.handle))
  const github = createGitHubApi()
  routes.set(GITHUB_API_HOST, github.handle)
  // The array object stays the same across resets so that references held by tests stay live.
  const reset = () => {
    requests.length = 0
    chat.reset()
    faults.clear()
    faults.injected = 0
    quota.reset()
    webhooks.reset()
    github.reset()
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
    injectFault: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    seedFaults: (seed) => faults.seed(seed),
    faults: () => ({ injected: faults.injected, pending: faults.pending }),
    setWriteQuota: (options) => quota.set(options),
    setChatAppConfigured: (who, configured) => chat.apps.setConfigured(who, configured),
    setChatBehaviour,
    postAs,
    notifications: (filter) => chat.notifications.list(filter),
    warnings: (space) => chat.warnings(space),
    github,
    reset,
  })
  const proxy = await startProxy({
    ca,
    routes,
    control,
    record: (r) => requests.push(r),
    fault: (target) => faults.match(target),
    port: opts.port,
  })

  return {
    proxyUrl: `http://127.0.0.1:${proxy.port}`,
    caCertPem: ca.caCertPem,
    writeCaCert(dir) {
      const path = join(dir, 'ca.pem')
      writeFileSync(path, ca.caCertPem)
      return path
    },
    addServiceAccount(email, publicKeyPem, keyId) {
      oauth.addServiceAccount(email, publicKeyPem, keyId)
      selfSigned.addServiceAccount(email, publicKeyPem, keyId)
    },
    disableServiceAccount: (email) => oauth.disableServiceAccount(email),
    keyless,
    registerWebhook: (space) => webhooks.register(space),
    deleteWebhook: (webhook) => webhooks.delete(webhook),
    addMember: (space) => chat.addMember(space),
    addKnownSpace: (space) => chat.addKnownSpace(space),
    github,
    addHost: (hostname, handler) => void routes.set(hostname, handler),
    requests,
    messages: (space) => chat.messages(space),
    messagesByKey(key) {
      const groups = new Map<string, ChatMessage[]>()
      for (const message of chat.messages()) {
        const k = key(message)
        const group = groups.get(k)
        if (group) group.push(message)
        else groups.set(k, [message])
      }
      return groups
    },
    injectFault: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    seedFaults: (seed) => faults.seed(seed),
    get faultsInjected() {
      return faults.injected
    },
    setWriteQuota: (options) => quota.set(options),
    setChatAppConfigured: (who, configured) => chat.apps.setConfigured(who, configured),
    setChatBehaviour,
    postAs,
    ownerOf: (name) => chat.ownerOf(name),
    notifications: (filter) => chat.notifications.list(filter),
    warnings: (space) => chat.warnings(space),
    reset,
    close: () => proxy.close(),
  }
}
