import { describe, expect, test } from '@jest/globals'
import { oneLine, truncate, truncateHtml, truncateToFit } from '../../src/text.ts'
import { LONE_SURROGATE } from '../fixtures/samples.ts'
import { cpuMs } from '../fixtures/cpu-time.ts'

const MARKER = '… [truncated]'
const ELLIPSIS = '…'
const ARABIC = 'مرحبا بالعالم، تم النشر بنجاح'

/** Card HTML cut well: no '<' without its '>' and no '&' without its ';' right before the marker. */
function cutCleanly(html: string, marker: string): boolean {
  const body = html.endsWith(marker) ? html.slice(0, -marker.length) : html
  return !/<[^>]*$/.test(body) && !/&[#a-zA-Z0-9]*$/.test(body)
}

/** What the cut HTML must be: the regex form of the rule (quadratic on long runs of '<', fine on short input). */
function referenceHtmlCut(value: string, maxChars: number, marker: string): string {
  if (value.length <= maxChars) return value
  let cut = value.slice(0, Math.max(0, maxChars - marker.length))
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1)
  return cut.replace(/<[^>]*$/, '').replace(/&[#a-zA-Z0-9]*$/, '') + marker
}

describe('truncate', () => {
  test('leaves short values alone', () => {
    expect(truncate('short', 10, MARKER)).toBe('short')
    expect(truncate('x'.repeat(10), 10, MARKER)).toBe('x'.repeat(10))
  })

  test('cuts to the limit with a visible marker', () => {
    const cut = truncate('x'.repeat(100), 50, MARKER)
    expect(cut).toHaveLength(50)
    expect(cut.endsWith(MARKER)).toBe(true)
    expect(truncate('x'.repeat(100), 20, '…')).toBe(`${'x'.repeat(19)}…`)
  })

  test('never splits a surrogate pair, at any cut', () => {
    const value = `${'🚀é'.repeat(40)}${ARABIC}${'👩‍👩‍👧'.repeat(10)}`
    for (let max = 0; max < value.length; max++) {
      for (const marker of [MARKER, '…', '']) {
        const cut = truncate(value, max, marker)
        expect(cut).not.toMatch(LONE_SURROGATE)
        expect(cut.length).toBeLessThanOrEqual(Math.max(max, marker.length))
        expect(cut.endsWith(marker)).toBe(true)
      }
    }
  })
})

describe('truncateToFit: characters and UTF-8 bytes', () => {
  const bytes = (value: string) => Buffer.byteLength(value)

  test('leaves values within both limits alone', () => {
    expect(truncateToFit('界'.repeat(1365), 4096, 4096, MARKER)).toBe('界'.repeat(1365))
    expect(truncateToFit('x'.repeat(4096), 4096, 4096, MARKER)).toBe('x'.repeat(4096))
  })

  test('3,000 CJK characters are cut to 4,096 bytes, marker included', () => {
    const cut = truncateToFit('界'.repeat(3000), 4096, 4096, MARKER)
    expect(bytes(cut)).toBeLessThanOrEqual(4096)
    expect(bytes(cut)).toBeGreaterThan(4096 - 3)
    expect(cut).toMatch(/^界+… \[truncated\]$/)
  })

  test('ASCII over the limit: 4,096 characters and bytes with the marker (not 4,098 bytes)', () => {
    const cut = truncateToFit('x'.repeat(5000), 4096, 4096, MARKER)
    expect(bytes(cut)).toBe(4096)
    expect(cut.length).toBeLessThanOrEqual(4096)
  })

  test('at every limit: within both, marker shown, never half a surrogate pair', () => {
    const value = `${'🚀é界'.repeat(30)}${ARABIC}${'👩‍👩‍👧'.repeat(5)}`
    for (let max = MARKER.length + 4; max < bytes(value); max += 3) {
      const byChars = truncateToFit(value, max, 1e9, MARKER)
      const byBytes = truncateToFit(value, 1e9, max, MARKER)
      for (const cut of [byChars, byBytes]) {
        expect(cut).not.toMatch(LONE_SURROGATE)
        expect(cut.endsWith(MARKER) || cut === value).toBe(true)
      }
      expect(byChars.length).toBeLessThanOrEqual(max)
      expect(bytes(byBytes)).toBeLessThanOrEqual(max)
      // The cut keeps as much as fits: one more code point would not.
      const kept = byBytes.slice(0, -MARKER.length)
      const next = String.fromCodePoint(value.codePointAt(kept.length)!)
      if (byBytes !== value) expect(bytes(kept + next + MARKER)).toBeGreaterThan(max)
    }
  })

  test('linear: a megabyte of emoji is cut in well under a second', () => {
    const started = performance.now()
    const cut = truncateToFit('🚀'.repeat(500_000), 4096, 4096, MARKER)
    expect(performance.now() - started).toBeLessThan(500)
    expect(bytes(cut)).toBeLessThanOrEqual(4096)
  })
})

describe('truncateHtml', () => {
  const html =
    '<font color="#188038"><b>Ok</b></font> <a href="https://github.com/o/r/tree/a%20b?x=1&amp;y=2">br&amp;nch</a> ' +
    '&lt;users/all&gt; &#39;q&#39; 🚀🚀 مرحبا <i>done</i> &quot;end&quot;'

  test('leaves short HTML alone', () => {
    expect(truncateHtml(html, html.length, MARKER)).toBe(html)
  })

  test('at every cut: within the limit, marker shown, no half tag, half entity or half surrogate pair', () => {
    for (let max = MARKER.length; max < html.length; max++) {
      const cut = truncateHtml(html, max, MARKER)
      expect(cut.length).toBeLessThanOrEqual(max)
      expect(cut.endsWith(MARKER)).toBe(true)
      expect(cutCleanly(cut, MARKER)).toBe(true)
      expect(cut).not.toMatch(LONE_SURROGATE)
      expect(html.startsWith(cut.slice(0, -MARKER.length))).toBe(true)
    }
  })

  test('with a short marker too', () => {
    for (let max = 1; max < html.length; max++) {
      const cut = truncateHtml(html, max, '…')
      expect(cut.length).toBeLessThanOrEqual(max)
      expect(cutCleanly(cut, '…')).toBe(true)
    }
  })
})

describe('truncateHtml matches the rule on random input', () => {
  test('2,000 random strings of tag, entity and surrogate characters, at every cut', () => {
    const alphabet = ['<', '>', '&', '#', 'a', '1', ';', ' ', '🚀', 'é']
    let seed = 7
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let round = 0; round < 2000; round++) {
      const value = Array.from({ length: 1 + random(24) }, () => alphabet[random(alphabet.length)]).join('')
      for (let max = 0; max <= value.length; max++) {
        expect(truncateHtml(value, max, '…')).toBe(referenceHtmlCut(value, max, '…'))
      }
    }
  })
})

describe('oneLine', () => {
  test('collapses whitespace and newlines, trims', () => {
    expect(oneLine('  a\n\n b\t c  ')).toBe('a b c')
  })

  test('cuts to 300 characters by default, the ellipsis included, or to the limit given', () => {
    expect(oneLine('x'.repeat(1000))).toBe(`${'x'.repeat(299)}${ELLIPSIS}`)
    expect(oneLine('x'.repeat(300))).toBe('x'.repeat(300))
    expect(oneLine(`${'🚀'.repeat(150)}`, 200)).toBe(`${'🚀'.repeat(99)}${ELLIPSIS}`)
  })
})

describe('linear time on adversarial input', () => {
  // The regex form /<[^>]*$/ retries from every '<' of a run that a '>' ends: 8.3 s for 100,000 of them, and
  // four times as long for each doubling. A backward scan reads each character once.
  const MEGABYTE = 1_000_000
  const inputs: [string, string, number][] = [
    ['a run of < ended by >', `${'<'.repeat(MEGABYTE)}>${'x'.repeat(100)}`, MEGABYTE + 1 + MARKER.length],
    ['a run of <', '<'.repeat(MEGABYTE), MEGABYTE - 10],
    ['a run of & ended by ;', `${'&'.repeat(MEGABYTE)};${'x'.repeat(100)}`, MEGABYTE + 1 + MARKER.length],
    ['a run of &', '&'.repeat(MEGABYTE), MEGABYTE - 10],
    ['< then entity characters', `<${'&#a1'.repeat(MEGABYTE / 4)}`, MEGABYTE - 10],
    ['surrogate pairs', '🚀'.repeat(MEGABYTE / 2), MEGABYTE - 10],
    ['whitespace', ' \n'.repeat(MEGABYTE / 2), MEGABYTE - 10],
  ]

  test.each(inputs)('%s (1 MB): every cutter within 500 ms of CPU', (_name, input, max) => {
    let html = ''
    let text = ''
    let line = ''
    const elapsed = cpuMs(() => {
      html = truncateHtml(input, max, MARKER)
      text = truncate(input, max, MARKER)
      line = oneLine(input, max)
    })
    expect(html.length).toBeLessThanOrEqual(max)
    expect(html.endsWith(MARKER)).toBe(true)
    // The last character before the marker is never the first half of a pair.
    expect(html.charCodeAt(html.length - MARKER.length - 1) & 0xfc00).not.toBe(0xd800)
    expect(text.length).toBeLessThanOrEqual(max)
    expect(line.length).toBeLessThanOrEqual(max)
    expect(elapsed).toBeLessThan(500)
  })

  test('the cut after a closed run of < keeps the run (it is text, not an open tag)', () => {
    const input = `${'<'.repeat(1000)}>${'x'.repeat(100)}`
    expect(truncateHtml(input, 1001 + MARKER.length, MARKER)).toBe(`${'<'.repeat(1000)}>${MARKER}`)
  })
})
