// Control and viewer API served on the emulator's own address (plain HTTP, never through a tunnel), for demos
// and for tests that run the emulator in another process.
import { faultRuleFromJson, type FaultRule } from './faults.ts'
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
  reset(): void
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function viewerPage(target: ControlTarget): string {
  const { members, knownSpaces } = target.spaces()
  const spaces = [...new Set([...members, ...target.messages().map((m) => m.space.name)])]
  const sections = spaces.map((space) => {
    const messages = target.messages(space)
    return `<section><h2>${escapeHtml(space)} (${messages.length} message${messages.length === 1 ? '' : 's'})</h2>
${messages.map((m) => `<pre>${escapeHtml(JSON.stringify(m, null, 2))}</pre>`).join('\n')}</section>`
  })
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Google Chat emulator</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style></head>
<body>
<h1>Google Chat emulator</h1>
<p>Member spaces: ${escapeHtml(members.join(', ') || 'none')}. Known spaces the app is not in: ${escapeHtml(knownSpaces.join(', ') || 'none')}.
${target.requests.length} request(s) recorded.</p>
${sections.join('\n') || '<p>No messages yet.</p>'}
</body>
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
function withJson(req: EmulatorRequest, action: (value: unknown) => void): EmulatorResponse {
  try {
    action(req.rawBody.trim() ? JSON.parse(req.rawBody) : undefined)
    return { status: 200, body: {} }
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
      case 'POST /_emulator/quota':
        return withJson(req, (value) => target.setWriteQuota((value ?? undefined) as WriteQuotaOptions | undefined))
      default:
        return { status: 404, body: { error: `no control route ${route}` } }
    }
  }
}
