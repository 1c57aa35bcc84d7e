// For the repository's own workflow: starts the Google emulator in the background of a job, with an incoming webhook
// for a demo space, and hands the job what `uses: ./` needs to post through it. Writes HTTPS_PROXY,
// NODE_EXTRA_CA_CERTS and EMULATOR_URL to $GITHUB_ENV and the webhook URL to $GITHUB_OUTPUT (masked), then keeps
// serving until the job ends. `node scripts/ci-emulator.ts --check N` asks the running emulator how many webhook
// messages landed and fails unless it is N.
import { appendFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startEmulator } from '../emulator/index.ts'

const SPACE = 'spaces/AAAAci'
const { values } = parseArgs({ options: { check: { type: 'string' }, port: { type: 'string', default: '8787' } } })

if (values.check !== undefined) {
  const response = await fetch(`${process.env.EMULATOR_URL}/_emulator/messages?space=${SPACE}`)
  const messages = (await response.json()) as { name: string; cardsV2?: unknown[]; text?: string }[]
  console.log(`${messages.length} message(s) in ${SPACE}: ${messages.map((m) => m.name).join(', ')}`)
  if (messages.length !== Number(values.check)) {
    console.error(`expected ${values.check} message(s) from the action through the webhook`)
    process.exit(1)
  }
  if (messages.some((message) => !message.cardsV2?.length)) {
    console.error('a message arrived without its card')
    process.exit(1)
  }
} else {
  const emulator = await startEmulator({ port: Number(values.port) })
  const webhook = emulator.registerWebhook(SPACE)
  const caPath = emulator.writeCaCert(mkdtempSync(join(tmpdir(), 'chat-emulator-')))
  const env = process.env.GITHUB_ENV
  const output = process.env.GITHUB_OUTPUT
  if (!env || !output) throw new Error('GITHUB_ENV and GITHUB_OUTPUT are set by the runner: run this in a workflow job')
  console.log(`::add-mask::${webhook.url}`)
  appendFileSync(
    env,
    `HTTPS_PROXY=${emulator.proxyUrl}\nNODE_EXTRA_CA_CERTS=${caPath}\nEMULATOR_URL=${emulator.proxyUrl}\n`,
  )
  appendFileSync(output, `webhook-url=${webhook.url}\n`)
  console.log(`emulator on ${emulator.proxyUrl}, webhook for ${SPACE} ready`)
}
