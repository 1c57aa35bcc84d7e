// Every parser, escaper and cutter on 1 MB adversarial inputs (issue 11 §3): each call stays within a fixed budget.
// Budget: 1 s of CPU on an idle machine, scaled once by how slow a known linear pass over 1 MB runs (the machine may
// be loaded), at most 10×. A quadratic pass over 1 MB takes minutes, so the test tells the two apart even when loaded.
import { describe, expect, test } from '@jest/globals'
import { secretsInKeyInput, parseServiceAccountKey } from '../../src/credentials/service-account-key.ts'
import { InputError } from '../../src/errors.ts'
import { parseCard, parseFields, parseMatrix, parsePreset } from '../../src/inputs/card-options.ts'
import { normalizeUserId, parseMention, parseMentionOn, parseUserMap } from '../../src/inputs/mentions.ts'
import { clientMessageId } from '../../src/inputs/message-id.ts'
import { parseNotifyOnUpdate } from '../../src/inputs/notify-on-update.ts'
import { parseOperation, parseThread } from '../../src/inputs/operation.ts'
import { parseSpace, parseSpaces } from '../../src/inputs/spaces.ts'
import { parseBoolean, parseChoice, parseSeconds, parseStatus } from '../../src/inputs/values.ts'
import { parseWebhookUrl, secretsInWebhookUrl } from '../../src/inputs/webhook-url.ts'
import { formatChatText, safeUrl, sanitizeCardHtml } from '../../src/message/chat-html.ts'
import { buildCustomMessage, parseCustomMessage } from '../../src/message/custom-message.ts'
import {
  escapeCardHtml,
  escapeChatOrMarkdownText,
  escapeChatText,
  escapeHtmlKeepingEntities,
  escapeHtmlText,
  escapeMarkdownText,
} from '../../src/message/escape.ts'
import { decodeEntities, markdownToCardHtml } from '../../src/message/markdown.ts'
import { renderSummaryHtml } from '../../src/message/summary-html.ts'
import { templateContext } from '../../src/message/template/context.ts'
import { fillString } from '../../src/message/template/fill.ts'
import { parseTemplate } from '../../src/message/template/parse.ts'
import { oneLine, truncate, truncateHtml } from '../../src/text.ts'
import { cpuMs } from '../fixtures/cpu-time.ts'
import { githubContext } from '../fixtures/samples.ts'

const MB = 1 << 20
/** The pieces that make regular expressions and hand-written scanners backtrack or rescan, each repeated to 1 MB. */
const PIECES = ['\n', '<', '<a ', '&', '*a ', '[', '![', '{{', "{{ '", '{"a":', ':\n', '- ', '> ', '\\', '\ud800']
const INPUTS: [string, string][] = [
  ...PIECES.map((piece): [string, string] => [JSON.stringify(piece), piece.repeat(Math.ceil(MB / piece.length))]),
  ['x, spaces, y', `x${' '.repeat(MB)}y`],
  ['x, controls, y', `x${'\u0001'.repeat(MB)}y`],
]

const context = templateContext({ github: githubContext(), env: {} })
const fill = (text: string, kind: Parameters<typeof fillString>[2]) =>
  fillString(text, context, kind, 'message.x', { missing: [], problems: [] })
const reader = (name: string, value: string) => (asked: string) => (asked === name ? value : '')

/** Each parser, escaper and cutter, called as the action calls it. */
const SUBJECTS: [string, (input: string) => unknown][] = [
  ['text.ts truncate', (s) => truncate(s, 4096)],
  ['text.ts truncateHtml', (s) => truncateHtml(s, MB - 7)],
  ['text.ts oneLine', (s) => oneLine(s)],
  ['escape.ts escapeCardHtml', escapeCardHtml],
  ['escape.ts escapeHtmlText', escapeHtmlText],
  ['escape.ts escapeHtmlKeepingEntities', escapeHtmlKeepingEntities],
  ['escape.ts escapeChatText', escapeChatText],
  ['escape.ts escapeMarkdownText', escapeMarkdownText],
  ['escape.ts escapeChatOrMarkdownText', escapeChatOrMarkdownText],
  ['markdown.ts markdownToCardHtml', (s) => markdownToCardHtml(s, { maxChars: 3000 })],
  ['markdown.ts decodeEntities', decodeEntities],
  ['chat-html.ts sanitizeCardHtml', (s) => sanitizeCardHtml(s)],
  ['chat-html.ts sanitizeCardHtml (summary)', (s) => sanitizeCardHtml(s, true)],
  ['chat-html.ts formatChatText', (s) => formatChatText(s)],
  ['chat-html.ts formatChatText (Markdown)', (s) => formatChatText(s, true)],
  ['chat-html.ts safeUrl', (s) => safeUrl(s, true)],
  [
    'summary-html.ts renderSummaryHtml',
    (s) =>
      renderSummaryHtml({
        text: s,
        cardsV2: [{ card: { sections: [{ header: s, widgets: [{ decoratedText: { text: s } }] }] } }],
      }),
  ],
  ['template/parse.ts parseTemplate', (s) => parseTemplate(s, [])],
  ['template/fill.ts fillString (Chat text)', (s) => fill(`{{ github.sha }}${s}`, 'chat-text')],
  ['template/fill.ts fillString (URL)', (s) => fill(`https://example.com/{{ github.sha }}${s}`, 'url')],
  [
    'custom-message.ts buildCustomMessage',
    (s) => buildCustomMessage({ input: 'message', text: JSON.stringify({ text: s }), format: 'json' }, context),
  ],
  [
    'custom-message.ts parseCustomMessage (YAML)',
    (s) => parseCustomMessage({ input: 'message', text: s, format: 'yaml' }),
  ],
  [
    'custom-message.ts parseCustomMessage (JSON)',
    (s) => parseCustomMessage({ input: 'message', text: s, format: 'json' }),
  ],
  ['inputs/mentions.ts parseMention', (s) => parseMention(s)],
  ['inputs/mentions.ts parseMentionOn', (s) => parseMentionOn(s)],
  ['inputs/mentions.ts parseUserMap', (s) => parseUserMap(s)],
  ['inputs/mentions.ts normalizeUserId', (s) => normalizeUserId(s, true)],
  ['inputs/spaces.ts parseSpace', parseSpace],
  ['inputs/spaces.ts parseSpaces', parseSpaces],
  ['inputs/webhook-url.ts parseWebhookUrl', parseWebhookUrl],
  ['inputs/webhook-url.ts secretsInWebhookUrl', secretsInWebhookUrl],
  [
    'inputs/webhook-url.ts secretsInWebhookUrl (after a real prefix)',
    (s) => secretsInWebhookUrl(`https://chat.googleapis.com/v1/spaces/AAAA/messages?key=${s}`),
  ],
  ['inputs/values.ts parseStatus', parseStatus],
  ['inputs/values.ts parseBoolean', (s) => parseBoolean('dry-run', s, false)],
  ['inputs/values.ts parseSeconds', (s) => parseSeconds('timeout', s, 60)],
  ['inputs/values.ts parseChoice', (s) => parseChoice('notification', s, ['default', 'silent'], 'default')],
  ['inputs/card-options.ts parseCard', parseCard],
  ['inputs/card-options.ts parsePreset', parsePreset],
  ['inputs/card-options.ts parseFields', parseFields],
  ['inputs/card-options.ts parseMatrix', parseMatrix],
  ['inputs/notify-on-update.ts parseNotifyOnUpdate', parseNotifyOnUpdate],
  ['inputs/message-id.ts clientMessageId', clientMessageId],
  ['inputs/operation.ts parseOperation (update)', (s) => parseOperation(reader('update', s))],
  ['inputs/operation.ts parseThread (thread-key)', (s) => parseThread(reader('thread-key', s), ['spaces/AAAA'])],
  ['credentials secretsInKeyInput', secretsInKeyInput],
  ['credentials parseServiceAccountKey', parseServiceAccountKey],
]

/** CPU time of this process, not the wall clock: other processes' turns on a loaded machine do not count. */
const timed = cpuMs

/** How many times slower than idle the machine is right now: a known linear pass, best of three. */
function slowdown(): number {
  const text = '<a&'.repeat(MB / 3)
  const best = Math.min(
    ...[0, 1, 2].map(() => timed(() => void text.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;')))),
  )
  // About 25 ms on an idle 2-core runner.
  return Math.min(10, Math.max(1, best / 25))
}

const IDLE_BUDGET_MS = 1000
/**
 * The yaml library is linear but slow on line-heavy input (about 6 µs a byte for `:\n` repeated: 0.26, 0.52 and
 * 1 MB took 1.5, 3.2 and about 6.5 s of CPU on a loaded machine): its budget is larger, and a test below holds it
 * to linear growth.
 */
const SLOW_BUT_LINEAR: Record<string, number> = { 'custom-message.ts parseCustomMessage (YAML)': 8 }

/** Measured once for the file: measuring before each call cost a minute of the run. */
const BUDGET_MS = IDLE_BUDGET_MS * slowdown()

/** One more try: a pause of the machine is not the code's doing. */
function retry(subject: (input: string) => unknown, input: string): number {
  return timed(() => {
    try {
      subject(input)
    } catch {
      // Errors were looked at on the first try.
    }
  })
}
const figures: string[] = []

describe('every parser, escaper and cutter is linear: 1 MB adversarial inputs within the budget', () => {
  test.each(SUBJECTS)(
    '%s',
    (name, subject) => {
      let worst = { ms: 0, input: '' }
      for (const [label, input] of INPUTS) {
        const budget = BUDGET_MS * (SLOW_BUT_LINEAR[name] ?? 1)
        const ms = timed(() => {
          try {
            subject(input)
          } catch (error) {
            if (!(error instanceof InputError)) throw error
          }
        })
        if (ms > worst.ms) worst = { ms, input: label }
        if (ms > budget && Math.min(ms, retry(subject, input)) > budget) {
          // The message names the subject and the input when it fails.
          expect(`${name} on ${label}: ${Math.round(ms)} ms`).toBe(
            `${name} on ${label}: within ${Math.round(budget)} ms`,
          )
        }
      }
      figures.push(`${name}: worst ${worst.ms.toFixed(0)} ms (${worst.input})`)
    },
    600_000,
  )

  test('the yaml library grows linearly on its slowest input: four times the text, at most eight times the CPU', () => {
    const parse = (text: string) => () => {
      try {
        parseCustomMessage({ input: 'message', text, format: 'yaml' })
      } catch (error) {
        if (!(error instanceof InputError)) throw error
      }
    }
    parse(':\n'.repeat(4096))()
    const small = Math.min(timed(parse(':\n'.repeat(MB / 16))), timed(parse(':\n'.repeat(MB / 16))))
    const large = timed(parse(':\n'.repeat(MB / 4)))
    expect(large / small).toBeLessThan(8)
  }, 120_000)

  test('figures', () => {
    if (process.env.LINEAR_TIME_FIGURES) console.log(figures.join('\n'))
    expect(figures).toHaveLength(SUBJECTS.length)
  })
})
