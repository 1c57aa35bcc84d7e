// Who is calling the Chat API, and whether Google knows a Chat app for them.
//
// A Chat app belongs to a Google Cloud project: every service account of the project speaks as the same app
// (Chat API reference, "Authenticate as a Chat app"). Incoming webhooks are callers of their own: what a webhook
// posts is not the app's, and a thread key it sets is not the app's (discovery doc, `Thread.threadKey`: "unique
// to the Chat app that sets it"; webhooks likewise).
import { createHash } from 'node:crypto'
import { googleError } from './http-util.ts'
import type { EmulatorResponse } from './types.ts'

export interface Caller {
  /** What the caller's messages and thread keys belong to: `apps/<project>` or `webhooks/<id>`. */
  id: string
  kind: 'app' | 'webhook'
  /** Callers seeded through the control API post without the membership check (they are in the space). */
  seeded?: boolean
}

/**
 * The text users report for a service account whose project has no Chat app configured (HTTP 404 NOT_FOUND):
 * taylorwilsdon/google_workspace_mcp#493 ("Google Chat app not found. To create a Chat app, you must turn on the
 * Chat API and configure the app in the Google Cloud console.").
 */
export const CHAT_APP_NOT_FOUND =
  'Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console.'

/** `name@project.iam.gserviceaccount.com` → `project`; any other email is its own project. */
export function projectOf(emailOrProject: string): string {
  const match = /^[^@]+@([^.]+)\.iam\.gserviceaccount\.com$/.exec(emailOrProject)
  return match ? match[1]! : emailOrProject
}

export function appCaller(email: string): Caller {
  return { id: `apps/${projectOf(email)}`, kind: 'app' }
}

export function webhookCaller(id: string): Caller {
  return { id: `webhooks/${id}`, kind: 'webhook' }
}

/** Who a seeded message comes from: another Chat app (by project) or an incoming webhook (by any id). */
export type SeedAs = { app: string } | { webhook: string }

export function seedCaller(as: SeedAs): Caller {
  if ('app' in as && typeof as.app === 'string' && as.app) return { ...appCaller(as.app), seeded: true }
  if ('webhook' in as && typeof as.webhook === 'string' && as.webhook)
    return { ...webhookCaller(as.webhook), seeded: true }
  throw new Error('as must be { "app": "<project>" } or { "webhook": "<id>" }')
}

/** A stable, numeric-looking `users/…` id for a caller, as Chat names a bot sender. */
export function senderOf(caller: Caller): { name: string; type: 'BOT' } {
  const digits = BigInt('0x' + createHash('sha256').update(caller.id).digest('hex').slice(0, 15)).toString()
  return { name: `users/${digits}`, type: 'BOT' }
}

/** Projects that have no Chat app configured (every project has one unless told otherwise). */
export class ChatAppRegistry {
  #unconfigured = new Set<string>()

  /** `emailOrProject`: a service-account email (its project is used) or a project id. */
  setConfigured(emailOrProject: string, configured: boolean): void {
    const project = projectOf(emailOrProject)
    if (configured) this.#unconfigured.delete(project)
    else this.#unconfigured.add(project)
  }

  /** The 404 Chat answers when the caller's project has no Chat app, else undefined. */
  check(caller: Caller): EmulatorResponse | undefined {
    if (caller.kind !== 'app') return undefined
    return this.#unconfigured.has(caller.id.slice('apps/'.length)) ? googleError(404, CHAT_APP_NOT_FOUND) : undefined
  }

  unconfigured(): string[] {
    return [...this.#unconfigured]
  }
}
