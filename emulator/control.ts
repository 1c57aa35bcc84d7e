// Control and viewer API served on the emulator's own address (plain HTTP, never through a tunnel), for demos
// and for tests that run the emulator in another process. Google-behaviour routes (issue 12):
//   GET  /_emulator/notifications?space=&message=&thread=&recipient=   what creates notified (edits: nothing)
//   GET  /_emulator/warnings?space=        what Chat changed silently (sections past 100 widgets, icon names)
//   POST /_emulator/messages   {as: {app: project} | {webhook: id}, space, message, messageId?,
//                               messageReplyOption?, notificationType?}  → the message, owned by that caller
//   POST /_emulator/chat-apps  {project: project or service-account email, configured: boolean}
//   POST /_emulator/chat-behaviour  {alreadyExistsHttpStatus: 400-599}
//   POST /_emulator/quota      {perMinute, timeScale?, retryAfter?: always|never|alternate} or null (off)
import type { chat_v1 } from '@googleapis/chat'
import { embeddedIconFont, iconFontCss, previewCss, renderMessageHtml } from './preview-page.ts'
import { faultRuleFromJson, type FaultRule } from './faults.ts'
import type { ChatBehaviour, ChatWarning } from './chat-api.ts'
import type { SeedAs } from './chat-apps.ts'
import type { ChatNotification, NotificationFilter } from './notifications.ts'
import type { GitHubApi, RunSpec } from './github-api.ts'
import type { WriteQuotaOptions } from './quota.ts'
import type { ChatMessage, EmulatorRequest, EmulatorResponse, Handler, RecordedRequest } from './types.ts'

export interface ControlTarget {
  caCertPem: string
  requests: RecordedRequest[]
  messages(space?: string): ChatMessage[]
  spaces(): { members: string[]; knownSpaces: string[] }
  addMember(space: string): void
  addKnownSpace(space: string): void
  addServiceAccount(email: string, publicKeyPem: string, keyId?: string): void
  disableServiceAccount(email: string): void
  injectFault(rule: FaultRule): void
  clearFaults(): void
  seedFaults(seed: number): void
  faults(): { injected: number; pending: number }
  setWriteQuota(options: WriteQuotaOptions | undefined): void
  setChatAppConfigured(emailOrProject: string, configured: boolean): void
  setChatBehaviour(behaviour: Partial<ChatBehaviour>): void
  postAs(
    as: SeedAs,
    seed: {
      space: string
      message: Record<string, unknown>
      messageId?: string
      messageReplyOption?: string
      notificationType?: string
    },
  ): ChatMessage
  notifications(filter?: NotificationFilter): ChatNotification[]
  warnings(space?: string): ChatWarning[]
  /** The GitHub API stand-in served at api.github.com. */
  github: Pick<GitHubApi, 'setRun' | 'denyActionsRead' | 'failJobListings'>
  reset(): void
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

let iconFont: string | undefined

/** The icon font, embedded so that browsers without it installed still draw Chat's symbols. */
function viewerIconFont(): string {
  iconFont ??= iconFontCss(embeddedIconFont())
  return iconFont
}

/** The space view: every message drawn as Google Chat shows it (the action's own preview renderer). */
function viewerPage(target: ControlTarget): string {
  const { members, knownSpaces } = target.spaces()
  const spaces = [...new Set([...members, ...target.messages().map((m) => m.space.name)])]
  const sections = spaces.map((space) => {
    const messages = target.messages(space)
    const drawn = messages.map(
      (m) =>
        `${renderMessageHtml(m as chat_v1.Schema$Message, { sender: 'Chat app' })}` +
        `<details class="raw"><summary>JSON</summary><pre>${escapeHtml(JSON.stringify(m, null, 2))}</pre></details>`,
    )
    return `<section><h2 class="gc-space-title">${escapeHtml(space)} (${messages.length} message${messages.length === 1 ? '' : 's'})</h2>
${drawn.join('\n')}</section>`
  })
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Google Chat emulator</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; font-src data:">
<style>body{margin:0;background:#fff}${viewerIconFont()}${previewCss}
.raw{margin:4px 0 16px 48px;font:12px monospace;color:#5f6368}.raw pre{background:#f4f4f4;padding:8px;overflow:auto}
.intro{max-width:600px;margin:16px auto;font:14px system-ui,sans-serif;color:#3c4043}</style></head>
<body><main class="gc-space">
<h1 class="gc-space-title">Google Chat emulator</h1>
<p class="intro">Member spaces: ${escapeHtml(members.join(', ') || 'none')}. Known spaces the app is not in: ${escapeHtml(knownSpaces.join(', ') || 'none')}.
${target.requests.length} request(s) recorded.</p>
${sections.join('\n') || '<p class="intro">No messages yet.</p>'}
</main></body>
</html>
`
}

function body(req: EmulatorRequest): Record<string, string> {
  try {
    return JSON.parse(req.rawBody || '{}') as Record<string, string>
  } catch {
    return {}
  }
}

/** Runs a control action that takes a JSON body; a bad body or a thrown validation error is a 400. */
function withJson(req: EmulatorRequest, action: (value: unknown) => unknown): EmulatorResponse {
  try {
    const answer = action(req.rawBody.trim() ? JSON.parse(req.rawBody) : undefined)
    return { status: 200, body: answer ?? {} }
  } catch (error) {
    return { status: 400, body: { error: (error as Error).message } }
  }
}

export function createControlHandler(target: ControlTarget): Handler {
  return (req: EmulatorRequest): EmulatorResponse => {
    const route = `${req.method} ${req.path}`
    switch (route) {
      case 'GET /':
        return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: viewerPage(target) }
      case 'GET /_emulator/messages':
        return { status: 200, body: target.messages(req.query.get('space') ?? undefined) }
      case 'GET /_emulator/requests':
        return { status: 200, body: target.requests }
      case 'GET /_emulator/ca.pem':
        return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: target.caCertPem }
      case 'POST /_emulator/reset':
        target.reset()
        return { status: 200, body: {} }
      case 'POST /_emulator/members': {
        const { space } = body(req)
        if (!space) return { status: 400, body: { error: 'space is required' } }
        target.addMember(space)
        return { status: 200, body: {} }
      }
      case 'POST /_emulator/known-spaces': {
        const { space } = body(req)
        if (!space) return { status: 400, body: { error: 'space is required' } }
        target.addKnownSpace(space)
        return { status: 200, body: {} }
      }
      case 'POST /_emulator/service-accounts': {
        const { email, publicKeyPem, keyId } = body(req)
        if (!email || !publicKeyPem) return { status: 400, body: { error: 'email and publicKeyPem are required' } }
        target.addServiceAccount(email, publicKeyPem, keyId)
        return { status: 200, body: {} }
      }
      case 'POST /_emulator/service-accounts/disable': {
        const { email } = body(req)
        if (!email) return { status: 400, body: { error: 'email is required' } }
        target.disableServiceAccount(email)
        return { status: 200, body: {} }
      }
      case 'POST /_emulator/faults':
        return withJson(req, (value) => target.injectFault(faultRuleFromJson(value)))
      case 'DELETE /_emulator/faults':
        target.clearFaults()
        return { status: 200, body: {} }
      case 'GET /_emulator/faults':
        return { status: 200, body: target.faults() }
      case 'POST /_emulator/faults/seed':
        return withJson(req, (value) => {
          const seed = (value as { seed?: unknown } | undefined)?.seed
          if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error('seed must be a number')
          target.seedFaults(seed)
        })
      // What new messages notified; filters: space, message, thread, recipient (e.g. `space`, `users/123`).
      case 'GET /_emulator/notifications': {
        const filter: NotificationFilter = {}
        for (const key of ['space', 'message', 'thread', 'recipient'] as const) {
          const value = req.query.get(key)
          if (value) filter[key] = value
        }
        return { status: 200, body: target.notifications(filter) }
      }
      case 'GET /_emulator/warnings':
        return { status: 200, body: target.warnings(req.query.get('space') ?? undefined) }
      // {"as": {"app": "<project>"} | {"webhook": "<id>"}, "space", "message", "messageId"?, ...} → the message.
      case 'POST /_emulator/messages':
        return withJson(req, (value) => {
          const seed = (value ?? {}) as { as?: SeedAs; space?: unknown; message?: unknown }
          if (typeof seed.space !== 'string' || typeof seed.message !== 'object' || seed.message === null) {
            throw new Error('space (string) and message (object) are required')
          }
          return target.postAs(seed.as as SeedAs, seed as Parameters<ControlTarget['postAs']>[1])
        })
      // {"project": "<project or service-account email>", "configured": false} → "Google Chat app not found".
      case 'POST /_emulator/chat-apps':
        return withJson(req, (value) => {
          const { project, configured } = (value ?? {}) as { project?: unknown; configured?: unknown }
          if (typeof project !== 'string' || !project || typeof configured !== 'boolean') {
            throw new Error('project (string) and configured (boolean) are required')
          }
          target.setChatAppConfigured(project, configured)
        })
      // {"alreadyExistsHttpStatus": 400}: the HTTP status of a duplicate custom ID (status stays ALREADY_EXISTS).
      case 'POST /_emulator/chat-behaviour':
        return withJson(req, (value) => target.setChatBehaviour((value ?? {}) as Partial<ChatBehaviour>))
      // GitHub's jobs API: a run attempt's jobs (a RunSpec), a token without actions: read, failing listings.
      case 'POST /_emulator/github/runs': {
        try {
          const run = JSON.parse(req.rawBody || '{}') as RunSpec
          if (typeof run.repository !== 'string' || !Number.isSafeInteger(run.runId) || !Array.isArray(run.jobs)) {
            return { status: 400, body: { error: 'repository, runId and jobs are required' } }
          }
          return { status: 200, body: { jobs: target.github.setRun(run) } }
        } catch (error) {
          return { status: 400, body: { error: (error as Error).message } }
        }
      }
      case 'POST /_emulator/github/deny-actions-read': {
        const { token } = body(req)
        if (!token) return { status: 400, body: { error: 'token is required' } }
        target.github.denyActionsRead(token)
        return { status: 200, body: {} }
      }
      case 'POST /_emulator/github/failures':
        return withJson(req, (value) =>
          target.github.failJobListings((value ?? {}) as { status?: number; times?: number }),
        )
      case 'POST /_emulator/quota':
        return withJson(req, (value) => target.setWriteQuota((value ?? undefined) as WriteQuotaOptions | undefined))
      default:
        return { status: 404, body: { error: `no control route ${route}` } }
    }
  }
}
