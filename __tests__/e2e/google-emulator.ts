// One emulator per test file, a registered service-account key, and helpers to run the bundled action through it.
import type { chat_v1 } from '@googleapis/chat'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createServiceAccountKey,
  startEmulator,
  type ChatMessage,
  type Emulator,
  type CreatedServiceAccountKey,
} from '../../emulator/index.ts'
import { runAction, type RunOptions, type RunResult } from '../../scripts/simulate-runner.ts'

export const MEMBER_SPACE = 'spaces/AAAAmember1'
export const FOREIGN_SPACE = 'spaces/AAAAforeign1'

export interface GoogleFixture {
  emulator: Emulator
  key: CreatedServiceAccountKey
  caCertPath: string
  /** Runs `node dist/index.js` with the key, the member space and the emulator as HTTPS proxy. */
  run(options?: RunOptions): Promise<RunResult>
  close(): Promise<void>
}

/** The emulator as production behaves: among others, the per-space write quota is on (60 writes a minute). */
export async function startGoogle(options: { selfSignedJwt?: boolean } = {}): Promise<GoogleFixture> {
  const emulator = await startEmulator({ members: [MEMBER_SPACE], knownSpaces: [FOREIGN_SPACE], ...options })
  const key = createServiceAccountKey({ email: 'chat-notify@octo-project.iam.gserviceaccount.com' })
  emulator.addServiceAccount(key.key.client_email, key.publicKeyPem, key.key.private_key_id)
  const dir = mkdtempSync(join(tmpdir(), 'gcn-ca-'))
  const caCertPath = emulator.writeCaCert(dir)
  return {
    emulator,
    key,
    caCertPath,
    run: (options = {}) =>
      runAction({
        ...options,
        inputs: { credentials: key.json, space: MEMBER_SPACE, ...options.inputs },
        proxy: { url: emulator.proxyUrl, caCertPath },
      }),
    close: async () => {
      await emulator.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Every secret may appear in the log only inside the ::add-mask:: command that hides it. */
export function linesLeaking(log: string, secrets: string[]): string[] {
  return log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .filter((line) => secrets.some((secret) => secret.length >= 8 && line.includes(secret)))
}

export function keySecrets(key: CreatedServiceAccountKey): string[] {
  const privateKey = key.key.private_key
  return [
    key.json,
    privateKey,
    ...privateKey.split('\n').filter((line) => line.length >= 8 && !line.startsWith('-----')),
    key.key.private_key_id,
  ]
}

/** The bearer tokens the action used against the Chat API. */
export function tokensUsed(emulator: Emulator): string[] {
  return emulator.requests
    .filter((r) => r.host === 'chat.googleapis.com')
    .map((r) => String(r.headers.authorization ?? '').replace(/^Bearer /, ''))
    .filter(Boolean)
}

export const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m

type Card = chat_v1.Schema$GoogleAppsCardV1Card

/** The first card of a stored message. */
export function cardOf(message: ChatMessage): Card {
  return (message.cardsV2 as chat_v1.Schema$CardWithId[])[0]!.card!
}

/** The card's decorated-text facts, label to HTML. */
export function facts(card: Card): Record<string, string> {
  return Object.fromEntries(
    (card.sections ?? [])
      .flatMap((s) => s.widgets ?? [])
      .flatMap((w) => (w.decoratedText ? [[w.decoratedText.topLabel ?? '', w.decoratedText.text ?? '']] : [])),
  )
}

/** The card's buttons, text to the URL they open. */
export function buttons(card: Card): Record<string, string> {
  return Object.fromEntries(
    (card.sections ?? [])
      .flatMap((s) => s.widgets ?? [])
      .flatMap((w) => w.buttonList?.buttons ?? [])
      .map((b) => [b.text ?? '', b.onClick?.openLink?.url ?? '']),
  )
}
