import { describe, expect, test } from '@jest/globals'
import type { chat_v1 } from '@googleapis/chat'
import { describeRun } from '../../src/github/run-context.ts'
import { buildMessage } from '../../src/message/build.ts'
import { fitToChatLimits, MAX_CARD_WIDGETS, MAX_MESSAGE_BYTES, TRUNCATION_MARKER } from '../../src/message/limits.ts'
import {
  byteLength,
  cardHtml,
  cardTexts,
  githubContext,
  LONE_SURROGATE,
  runContext,
  settings,
  widgetCount,
} from '../fixtures/samples.ts'

type Message = chat_v1.Schema$Message

/** Chat's documented limit for a message's text. */
const MAX_TEXT_CHARS = 4096
type Widget = chat_v1.Schema$GoogleAppsCardV1Widget

const ARABIC = 'مرحبا بالعالم، تم النشر بنجاح'
const HEBREW = 'שלום עולם, הפריסה הצליחה'
const ROCKETS = '🚀'.repeat(3000)

/** Card HTML cut well: no '<' without its '>' and no '&' without its ';' right before the marker. */
function cutCleanly(html: string, marker: string): boolean {
  const body = html.endsWith(marker) ? html.slice(0, -marker.length) : html
  return !/<[^>]*$/.test(body) && !/&[#a-zA-Z0-9]*$/.test(body)
}

function withinLimits(message: Message): void {
  expect(byteLength(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES)
  expect((message.text ?? '').length).toBeLessThanOrEqual(MAX_TEXT_CHARS)
  expect(JSON.stringify(message)).not.toMatch(LONE_SURROGATE)
  for (const text of [message.text ?? '', message.fallbackText ?? '', ...cardTexts(message)]) {
    expect(text).not.toMatch(LONE_SURROGATE)
  }
  for (const html of cardHtml(message)) expect(cutCleanly(html, TRUNCATION_MARKER)).toBe(true)
}

function paragraphs(count: number, text: (i: number) => string): Widget[] {
  return Array.from({ length: count }, (_, i) => ({ textParagraph: { text: text(i) } }))
}

function card(...sections: Widget[][]): Message {
  return {
    cardsV2: [{ cardId: 'c', card: { header: { title: 'T' }, sections: sections.map((widgets) => ({ widgets })) } }],
  }
}

describe('fitToChatLimits', () => {
  test('a card of 150 widgets keeps at most 100 and says how many were left out', () => {
    const fitted = fitToChatLimits(card(paragraphs(150, (i) => `item ${i}`)))
    expect(widgetCount(fitted)).toBeLessThanOrEqual(MAX_CARD_WIDGETS)
    const texts = cardHtml(fitted)
    expect(texts).toContain('item 0')
    const note = texts.at(-1)
    const kept = texts.filter((t) => t.startsWith('item ')).length
    expect(note).toMatch(new RegExp(`\\b${150 - kept} more not shown`))
  })

  test.each([[[100, 50]], [[99, 51]], [[60, 60, 30]], [[10, 95, 1]], [[1, 1, 1, 200]]])(
    'widgets spread over sections %j: at most 100 in all, with an honest count',
    (sizes) => {
      const total = sizes.reduce((a, b) => a + b, 0)
      const message = card(...sizes.map((size, s) => paragraphs(size, (i) => `s${s} item ${i}`)))
      const fitted = fitToChatLimits(message)
      expect(widgetCount(fitted)).toBeLessThanOrEqual(MAX_CARD_WIDGETS)
      const texts = cardHtml(fitted)
      const kept = texts.filter((t) => / item /.test(t)).length
      const notes = texts.filter((t) => /more not shown/.test(t))
      expect(notes).toHaveLength(1)
      expect(notes[0]).toContain(`${total - kept} more not shown`)
      // The widgets kept are the first ones, in order.
      expect(texts.slice(0, 2)).toEqual(['s0 item 0', sizes[0]! > 1 ? 's0 item 1' : 's1 item 0'])
    },
  )

  test('a card within 100 widgets is untouched', () => {
    const message = card(
      paragraphs(60, (i) => `a${i}`),
      paragraphs(40, (i) => `b${i}`),
    )
    expect(fitToChatLimits(message)).toEqual(message)
  })

  test('40 kB of card text shrinks to 32,000 bytes, visibly truncated', () => {
    const message = card(paragraphs(1, () => `<b>Log</b> ${'&lt;x&gt; 🚀 é '.repeat(3000)}`))
    expect(byteLength(message)).toBeGreaterThan(40_000)
    const fitted = fitToChatLimits(message)
    withinLimits(fitted)
    const text = cardHtml(fitted)[0] ?? ''
    expect(text.endsWith(TRUNCATION_MARKER)).toBe(true)
    expect(text.startsWith('<b>Log</b> &lt;x&gt;')).toBe(true)
    // Not cut further than needed: most of the budget is still used.
    expect(byteLength(fitted)).toBeGreaterThan(MAX_MESSAGE_BYTES / 4)
  })

  test('40 kB spread over many widgets also fits', () => {
    const fitted = fitToChatLimits(card(paragraphs(80, (i) => `${i}: ${'é'.repeat(500)}`)))
    withinLimits(fitted)
    expect(widgetCount(fitted)).toBe(80)
  })

  test('a long text is cut to 4096 characters', () => {
    const fitted = fitToChatLimits({ text: 'ab🚀'.repeat(5000) })
    expect(fitted.text?.length).toBeLessThanOrEqual(MAX_TEXT_CHARS)
    expect(fitted.text?.endsWith(TRUNCATION_MARKER)).toBe(true)
    expect(fitted.text).not.toMatch(LONE_SURROGATE)
  })

  test('text fits 4,096 UTF-8 bytes too, whatever the script, marker included', () => {
    for (const text of ['ab🚀'.repeat(5000), '界'.repeat(3000), 'x'.repeat(4097), 'é'.repeat(2049)]) {
      const fitted = fitToChatLimits({ text })
      expect(Buffer.byteLength(fitted.text!)).toBeLessThanOrEqual(4096)
      expect(fitted.text?.endsWith(TRUNCATION_MARKER)).toBe(true)
    }
    expect(fitToChatLimits({ text: '界'.repeat(1365) }).text).toBe('界'.repeat(1365))
  })

  test('does not modify its argument', () => {
    const message = card(paragraphs(150, (i) => `item ${i}`))
    const copy = structuredClone(message)
    fitToChatLimits(message)
    expect(message).toEqual(copy)
  })
})

describe('buildMessage keeps long content within limits, visibly truncated', () => {
  const both = [['status'], ['none']] as const

  test.each(both)('a 500-line commit message (card: %s): first line only, clipped', (cardStyle) => {
    const message500 = Array.from({ length: 500 }, (_, i) => `line ${i} ${'é🚀'.repeat(100)}`).join('\n')
    const run = describeRun(githubContext({ payload: { head_commit: { id: 'c'.repeat(40), message: message500 } } }), {
      GITHUB_REPOSITORY: 'o/r',
    })
    const message = buildMessage(settings({ card: cardStyle }), run)
    withinLimits(message)
    const shown = cardStyle === 'status' ? cardHtml(message).join('\n') : (message.text ?? '')
    expect(shown).toContain('line 0 é🚀')
    expect(shown).not.toContain('line 1 ')
    expect(shown).toMatch(/é🚀…|é…|🚀…/)
  })

  test.each(both)('a 20,000-character PR title (card: %s)', (cardStyle) => {
    const run = runContext({
      pullRequest: {
        number: 5,
        title: `Refactor ${'word '.repeat(4000)}`,
        url: 'https://github.com/octo-org/octo-repo/pull/5',
      },
    })
    const message = buildMessage(settings({ card: cardStyle }), run)
    withinLimits(message)
    const shown = cardStyle === 'status' ? cardHtml(message).join('\n') : (message.text ?? '')
    expect(shown).toMatch(/Refactor (word )+(word)?…/)
    expect(shown.length).toBeLessThan(3000)
  })

  test.each(both)('a title of emoji and right-to-left text (card: %s)', (cardStyle) => {
    const title = `${ROCKETS} ${ARABIC} ${HEBREW}`
    const message = buildMessage(settings({ card: cardStyle, title }), runContext())
    withinLimits(message)
    const header = cardStyle === 'status' ? (message.cardsV2?.[0]?.card?.header?.title ?? '') : (message.text ?? '')
    expect(header).toMatch(/^\*?🚀+… \[truncated\]/u)
    expect(header).not.toMatch(LONE_SURROGATE)
    if (cardStyle === 'status') expect(message.fallbackText).toBe(header)
  })

  test('right-to-left text that fits is kept whole', () => {
    const message = buildMessage(settings({ title: `${ARABIC} ${HEBREW}` }), runContext())
    expect(message.cardsV2?.[0]?.card?.header?.title).toBe(`${ARABIC} ${HEBREW}`)
  })

  test.each(both)('a 10,000-character text input (card: %s)', (cardStyle) => {
    const text = `Release notes\n${'- fixed a bug 🐛 in <b>module</b>\n'.repeat(400)}`.slice(0, 10_000)
    expect(text.length).toBe(10_000)
    const message = buildMessage(settings({ card: cardStyle, text }), runContext())
    withinLimits(message)
    expect(message.text?.length).toBeLessThanOrEqual(MAX_TEXT_CHARS)
    expect(message.text?.endsWith(TRUNCATION_MARKER)).toBe(true)
    expect(message.text?.startsWith('Release notes\n- fixed a bug 🐛')).toBe(true)
  })

  test('every long field at once still fits', () => {
    const long = `${ROCKETS}${ARABIC}`
    const run = runContext({
      repository: 'o/r',
      workflow: long,
      job: long,
      actor: long,
      eventName: long,
      ref: { name: long, kind: 'branch', url: 'https://github.com/o/r/tree/x' },
      commit: { sha: 'd'.repeat(40), shortSha: 'ddddddd', url: 'https://github.com/o/r/commit/d', title: long },
      pullRequest: { number: 1, title: long, url: 'https://github.com/o/r/pull/1' },
    })
    for (const cardStyle of ['status', 'none'] as const) {
      withinLimits(buildMessage(settings({ card: cardStyle, text: long.repeat(3) }), run))
      withinLimits(buildMessage(settings({ card: cardStyle, title: long }), run))
    }
  })
})
