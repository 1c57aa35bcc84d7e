import { describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { renderCardHtml } from '../../emulator/preview-page.ts'

// Every Material Symbols name a card of ours uses has a glyph in the preview (else it shows a neutral dot).
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
  test.each([...used])('%s has a glyph', (name) => {
    const html = renderCardHtml({
      sections: [{ widgets: [{ decoratedText: { text: 'x', startIcon: { materialIcon: { name } } } }] }],
    })
    expect(html).not.toMatch(/>•</)
  })
})
