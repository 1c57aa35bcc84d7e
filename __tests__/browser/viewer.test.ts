// The emulator's space view in a real browser: the bundled action posts every card the README shows, and each
// renders with its header and its buttons linking where the card says. Debian's Chromium, never downloaded.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { CHROMIUM, chromiumAvailable, launchChromium } from '../../scripts/chromium.ts'
import { startEmulator, type Emulator } from '../../emulator/index.ts'
import { SCENARIO_SPACE, runScenarios, type Scenario } from '../../scripts/scenarios.ts'

const available = chromiumAvailable
if (!available)
  console.warn(`__tests__/browser/viewer.test.ts: skipped: ${CHROMIUM} not found (install Debian's chromium)`)
const browserTest = available ? test : test.skip

let emulator: Emulator
let browser: Browser | undefined
let dir: string
let scenarios: Scenario[] = []
beforeAll(async () => {
  emulator = await startEmulator({ members: [SCENARIO_SPACE] })
  dir = mkdtempSync(join(tmpdir(), 'gcn-viewer-'))
  if (!available) return
  scenarios = (await runScenarios(emulator, emulator.writeCaCert(dir))).map((r) => r.scenario)
  browser = await launchChromium()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the emulator viewer', () => {
  browserTest('shows every preset the action posted: header and buttons with their links', async () => {
    const page = await browser!.newPage()
    await page.goto(`${emulator.proxyUrl}/`)
    const messages = page.locator('.gc-msg')
    expect(await messages.count()).toBe(scenarios.length)
    for (const [i, scenario] of scenarios.entries()) {
      const message = messages.nth(i)
      expect(await message.locator('.gc-card').first().innerText()).toMatch(scenario.header)
      for (const [text, href] of Object.entries(scenario.buttons)) {
        const link = message.locator('a', { hasText: text }).last()
        expect(await link.getAttribute('href')).toMatch(new RegExp(`^${href.replace(/[.?*+^$()[\]{}|\\]/g, '\\$&')}`))
      }
    }
    await page.close()
  })

  browserTest('draws icons with the icon font it embeds, also where the browser has no such font', async () => {
    const page = await browser!.newPage()
    await page.goto(`${emulator.proxyUrl}/`)
    await page.evaluate('document.fonts.ready')
    // The embedded face alone (the installed family taken away): the page carries the font itself.
    const widths = await page.evaluate<number[]>(
      `[...document.querySelectorAll('.gc-mi')].map((i) => { i.style.fontFamily = '"GC Material Icons"';
        return i.getBoundingClientRect().width / parseFloat(getComputedStyle(i).fontSize) })`,
    )
    expect(widths.length).toBeGreaterThan(10)
    expect(Math.max(...widths)).toBeLessThan(1.5)
    await page.close()
  })
})
