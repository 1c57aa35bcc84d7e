// `npm run demo`: the action's main job with no Google account. Starts the local Google emulator, runs the
// bundled action (node dist/index.js, as the runner does) on sample events and prints what landed in the space.
// `npm run demo -- --serve` keeps the emulator running so its viewer page can be opened in a browser.
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServiceAccountKey, startEmulator, type ChatMessage } from '../emulator/index.ts'
import { runAction, type RunOptions } from './simulate-runner.ts'

const SPACE = 'spaces/AAAAdemo'
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string
  examples: Record<string, unknown>[]
}[]
const payload = (event: string, action?: string): Record<string, unknown> =>
  examples.find((e) => e.name === event)!.examples.find((x) => action === undefined || x.action === action)!

const push = payload('push')
const scenarios: { name: string; run: RunOptions }[] = [
  { name: 'A green push', run: { event: push, eventName: 'push', env: { GITHUB_SHA: String(push.after) } } },
  {
    name: 'A failed deploy',
    run: {
      jobStatus: 'failure',
      event: payload('deployment_status'),
      eventName: 'deployment_status',
      env: { GITHUB_WORKFLOW: 'Deploy', GITHUB_JOB: 'production' },
      inputs: { title: '❌ Deploy to production failed', text: 'Rolled back automatically. On call: check the run.' },
    },
  },
  {
    name: 'A pull request',
    run: {
      event: payload('pull_request', 'opened'),
      eventName: 'pull_request',
      env: { GITHUB_HEAD_REF: 'changes', GITHUB_REF: 'refs/pull/2/merge', GITHUB_WORKFLOW: 'PR checks' },
    },
  },
]

const emulator = await startEmulator({ members: [SPACE] })
const dir = mkdtempSync(join(tmpdir(), 'gcn-demo-'))
try {
  const key = createServiceAccountKey({ projectId: 'demo-project' })
  emulator.addServiceAccount(key.key.client_email, key.publicKeyPem, key.key.private_key_id)
  const proxy = { url: emulator.proxyUrl, caCertPath: emulator.writeCaCert(dir) }

  console.log(`Google emulator on ${emulator.proxyUrl}; running node dist/index.js as the runner would.\n`)
  for (const scenario of scenarios) {
    const result = await runAction({
      ...scenario.run,
      proxy,
      inputs: { credentials: key.json, space: SPACE, ...scenario.run.inputs },
    })
    const outcome =
      result.code === 0 ? `exit 0, message-name ${result.outputs['message-name'] || '(none)'}` : `exit ${result.code}`
    console.log(`▶ ${scenario.name}: ${outcome} in ${Math.round(result.durationMs)} ms`)
    for (const line of result.log.split('\n')) if (/^::(warning|error)::/.test(line)) console.log(`  ${line}`)
  }

  console.log(`\nWhat landed in ${SPACE}:\n`)
  for (const message of emulator.messages(SPACE)) console.log(describe(message))
  if (process.argv.includes('--serve')) {
    console.log(`Viewer: ${emulator.proxyUrl}/  (Ctrl-C to stop)`)
    await new Promise(() => undefined)
  }
} finally {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}

/** A terminal rendering of a message: text, then each card's header, facts and buttons. */
function describe(message: ChatMessage): string {
  const lines = [`── ${message.name}`]
  if (message.text) lines.push(...message.text.split('\n').map((line) => `   ${line}`))
  for (const { card } of (message.cardsV2 ?? []) as { card: DemoCard }[]) {
    lines.push(`   ┌ ${card.header?.title ?? ''}${card.header?.subtitle ? `  (${card.header.subtitle})` : ''}`)
    for (const widget of card.sections?.flatMap((s) => s.widgets ?? []) ?? []) {
      if (widget.decoratedText) lines.push(`   │ ${widget.decoratedText.topLabel}: ${plain(widget.decoratedText.text)}`)
      for (const button of widget.buttonList?.buttons ?? [])
        lines.push(`   │ [${button.text}] ${button.onClick.openLink.url}`)
    }
    lines.push('   └')
  }
  return lines.join('\n') + '\n'
}

interface DemoCard {
  header?: { title?: string; subtitle?: string }
  sections?: {
    widgets?: {
      decoratedText?: { topLabel?: string; text: string }
      buttonList?: { buttons: { text: string; onClick: { openLink: { url: string } } }[] }
    }[]
  }[]
}

function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}
