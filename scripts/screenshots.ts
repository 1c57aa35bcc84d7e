// `npm run screenshots`: PNGs of every card the README shows (docs/images/), drawn by the action's preview
// renderer from what the bundled action really posted to the emulator, in Debian's Chromium (never downloaded).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { chat_v1 } from '@googleapis/chat'
import { startEmulator } from '../emulator/index.ts'
import { renderPageHtml } from '../src/message/preview.ts'
import { SCENARIO_SPACE, runScenarios } from './scenarios.ts'
import { ROOT } from './simulate-runner.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

const emulator = await startEmulator({ members: [SCENARIO_SPACE] })
const dir = mkdtempSync(join(tmpdir(), 'gcn-shots-'))
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
try {
  const runs = await runScenarios(emulator, emulator.writeCaCert(dir))
  const messages = emulator.messages(SCENARIO_SPACE)
  const page = await browser.newPage({ viewport: { width: 680, height: 400 }, deviceScaleFactor: 2 })
  for (const [i, { scenario }] of runs.entries()) {
    const message = messages[i] as chat_v1.Schema$Message
    await page.setContent(renderPageHtml('', [message], { sender: 'Build Bot', time: '10:07 AM' }))
    const path = join(ROOT, 'docs/images', scenario.file)
    await page.locator('.gc-msg').first().screenshot({ path })
    console.log(`docs/images/${scenario.file}`)
  }
} finally {
  await browser.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}
