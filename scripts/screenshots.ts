// `npm run screenshots`: PNGs of every card the README shows (docs/images/), drawn by the action's preview
// renderer from what the bundled action really posted to the emulator, in Debian's Chromium (never downloaded).
// The fonts the preview draws with are checked first (scripts/fonts.ts), and every picture is checked for
// characters no font has and icons the icon font does not draw: with any of them, no picture is written.
// `npm run screenshots -- --install-fonts` installs the missing font packages with apt-get (as root) first.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { chat_v1 } from '@googleapis/chat'
import { startEmulator } from '../emulator/index.ts'
import { renderPageHtml } from '../emulator/preview-page.ts'
import { launchChromium } from './chromium.ts'
import { installCommand, missingFamilies, missingGlyphs } from './fonts.ts'
import { SCENARIO_SPACE, runScenarios } from './scenarios.ts'
import { ROOT } from './simulate-runner.ts'

let missing = missingFamilies()
if (missing.length && process.argv.includes('--install-fonts')) {
  execFileSync(
    'apt-get',
    ['install', '-y', '--no-install-recommends', ...installCommand(missing).split(' ').slice(3)],
    {
      stdio: 'inherit',
    },
  )
  missing = missingFamilies()
}
if (missing.length) {
  console.error(`Not drawing: fonts missing (${missing.join(', ')}). Install them: ${installCommand(missing)}`)
  console.error('(or run `npm run screenshots -- --install-fonts` as root)')
  process.exit(1)
}

const emulator = await startEmulator({ members: [SCENARIO_SPACE] })
const dir = mkdtempSync(join(tmpdir(), 'gcn-shots-'))
const browser = await launchChromium()
const problems: string[] = []
const pictures: { path: string; png: Buffer }[] = []
try {
  const runs = await runScenarios(emulator, emulator.writeCaCert(dir))
  const messages = emulator.messages(SCENARIO_SPACE)
  const page = await browser.newPage({ viewport: { width: 680, height: 400 }, deviceScaleFactor: 2 })
  for (const [i, { scenario }] of runs.entries()) {
    const message = messages[i] as chat_v1.Schema$Message
    await page.setContent(renderPageHtml('', [message], { sender: 'Build Bot', time: '10:07 AM' }))
    await page.evaluate('document.fonts.ready')
    // A ligature the icon font knows is one glyph about 1 em wide; an unknown name is spelt out in letters.
    // (A string: the page's code runs in the browser, not under Node's types.)
    const drawn = (await page.evaluate(`(() => {
      const icons = [...document.querySelectorAll('.gc-mi')]
      const unknown = icons
        .filter((icon) => icon.scrollWidth > 1.5 * parseFloat(getComputedStyle(icon).fontSize))
        .map((icon) => icon.title)
      for (const icon of icons) icon.remove()
      return { unknown, text: document.querySelector('.gc-msg').innerText }
    })()`)) as { unknown: string[]; text: string }
    for (const name of drawn.unknown) problems.push(`${scenario.file}: the icon font has no "${name}"`)
    for (const ch of missingGlyphs(drawn.text)) {
      problems.push(
        `${scenario.file}: no installed font has ${ch} (U+${ch.codePointAt(0)!.toString(16).toUpperCase()})`,
      )
    }
    // Drawn again: the check above took the icons out of the page.
    await page.setContent(renderPageHtml('', [message], { sender: 'Build Bot', time: '10:07 AM' }))
    await page.evaluate('document.fonts.ready')
    const png = await page.locator('.gc-msg').first().screenshot()
    pictures.push({ path: join(ROOT, 'docs/images', scenario.file), png })
  }
} finally {
  await browser.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}
if (problems.length) {
  console.error(`Not writing pictures with missing glyphs:\n${problems.join('\n')}`)
  process.exit(1)
}
for (const { path, png } of pictures) {
  writeFileSync(path, png)
  console.log(path.slice(ROOT.length + 1))
}
