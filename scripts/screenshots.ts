// `npm run screenshots`: PNGs of every card the README shows (docs/images/), drawn by the action's preview
// renderer from what the bundled action really posted to the emulator, in Debian's Chromium (never downloaded).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { chat_v1 } from '@googleapis/chat'
import { startEmulator } from '../emulator/index.ts'
import { renderPageHtml } from '../emulator/preview-page.ts'
import { launchChromium } from './chromium.ts'
import { SCENARIO_SPACE, runScenarios } from './scenarios.ts'
import { ROOT } from './simulate-runner.ts'

const emulator = await startEmulator({ members: [SCENARIO_SPACE] })
const dir = mkdtempSync(join(tmpdir(), 'gcn-shots-'))
const browser = await launchChromium()
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
