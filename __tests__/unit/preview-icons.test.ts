import { describe, expect, test } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { renderCardHtml } from '../../emulator/preview-page.ts'
import { iconGlyph } from '../../src/message/chat-html.ts'

// Every Material Symbols name a card of ours uses is drawn: by the icon font in the preview, and as a stand-in
// glyph in GitHub's step summary (else it shows a neutral dot).
const sources = readdirSync('src/message/presets')
  .map((f) => `src/message/presets/${f}`)
  .concat('src/message/status-card.ts', 'src/message/status.ts')
const used = new Set(
  sources.flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/icon: '([a-z_]+)'|, '([a-z_]+)'\)/g)].map((m) => (m[1] ?? m[2]) as string),
  ),
)

describe('preview icons', () => {
  test('the sources name icons at all (the scan works)', () => {
    expect(used.size).toBeGreaterThan(10)
  })
  test.each([...used])('%s: drawn by the icon font in the preview, a stand-in glyph in the summary', (name) => {
    const html = renderCardHtml({
      sections: [{ widgets: [{ decoratedText: { text: 'x', startIcon: { materialIcon: { name } } } }] }],
    })
    expect(html).toContain(`<span class="gc-icon gc-mi" title="${name}" aria-hidden="true">${name}</span>`)
    expect(iconGlyph(name)).not.toBe('•')
  })

  // Debian's fonts-material-design-icons-iconfont lists the font's names in its CSS (one class per ligature).
  const FONT_CSS = '/usr/share/fonts-material-design-icons-iconfont/css/material-design-icons.css'
  const fontTest = existsSync(FONT_CSS) ? test : test.skip
  fontTest('every one is a ligature of the installed Material Icons font', () => {
    const names = new Set(
      [...readFileSync(FONT_CSS, 'utf8').matchAll(/\.material-icons\._?([a-z0-9_]+):before/g)].map((m) => m[1]),
    )
    expect(names.size).toBeGreaterThan(1000)
    expect([...used].filter((name) => !names.has(name))).toEqual([])
  })
})
