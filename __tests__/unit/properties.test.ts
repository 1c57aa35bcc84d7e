// Property-based tests (fast-check) over every input parser and every message builder (issue 11 §3), fed arbitrary
// strings (empty, whitespace, 1 MB, lone surrogates, JSON-, YAML-, `${{ }}`-, HTML- and Markdown-looking) and GitHub
// payloads from @octokit/webhooks-examples, mutated (fields missing, null, of the wrong type, huge arrays, hostile
// text). The seed is fixed (FC_SEED overrides it) so that CI runs the same cases; numRuns keep the file well under a
// minute on a loaded 2-core machine.
import { describe, expect, test } from '@jest/globals'
import fc from 'fast-check'
import { checkMessageLimits } from '../../emulator/message-limits.ts'
import { validateResource } from '../../emulator/schema-validator.ts'
import { InputError } from '../../src/errors.ts'
import { describeRun, type GitHubContextLike } from '../../src/github/run-context.ts'
import { parseCard, parseFields, parseMatrix, parsePreset } from '../../src/inputs/card-options.ts'
import { parseMention, parseMentionOn, parseUserMap, normalizeUserId } from '../../src/inputs/mentions.ts'
import { clientMessageId } from '../../src/inputs/message-id.ts'
import { parseNotifyOnUpdate } from '../../src/inputs/notify-on-update.ts'
import { parseOperation, parseThread } from '../../src/inputs/operation.ts'
import { readSettings } from '../../src/inputs/read-settings.ts'
import { parseSpace, parseSpaces } from '../../src/inputs/spaces.ts'
import { parseBoolean, parseChoice, parseSeconds, parseStatus } from '../../src/inputs/values.ts'
import { parseWebhookUrl, secretsInWebhookUrl } from '../../src/inputs/webhook-url.ts'
import { buildMessage, type ChatMessage } from '../../src/message/build.ts'
import { buildCustomMessage, parseCustomMessage } from '../../src/message/custom-message.ts'
import { PRESETS, renderPreset } from '../../src/message/presets/index.ts'
import { templateContext } from '../../src/message/template/context.ts'
import { runInProcess } from '../fixtures/in-process-run.ts'
import { liveChatMarkup, liveHtml, liveMarkdown } from '../fixtures/syntax-checkers.ts'
import { cardHtml, cardUrls, keyFile, webhookDefinitions } from '../fixtures/samples.ts'

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261130), endOnFailure: true })

const LONG = 64 * 1024
/** What attackers and careless users write; each piece is also a seed for the generators below. */
const PIECES = [
  '',
  ' ',
  '\n',
  '\t',
  '\r\n',
  '\u200b',
  '\ud800',
  '\udc00',
  '😀',
  '${{ secrets.X }}',
  '${{',
  '{{ github.sha }}',
  '{{',
  '}}',
  "{{ '",
  '{"text": "x"}',
  '{',
  '[',
  '- a',
  'a: b',
  '&a',
  '*a',
  '!!js/function',
  '<users/all>',
  '<users/123>',
  '<https://evil.example|Click>',
  '<https://evil.example>',
  '[label](https://evil.example/x)',
  '![img](https://evil.example/i.png)',
  '[ref]: https://evil.example/r',
  '**b**',
  '_i_',
  '~~s~~',
  '`c`',
  '```',
  '# h',
  '> q',
  '<b>x</b>',
  '</code></pre><img src=x onerror=alert(1)>',
  '&lt;users/all&gt;',
  '&#60;',
  'spaces/AAAA',
  'users/1',
  'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=K&token=T',
  '../../etc/passwd',
  '/dev/zero',
  'true',
  'success',
  '30',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
]
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) },
)
/** Long inputs: repeated hostile pieces (the 1 MB ones are timed in linear-time.test.ts). */
const long = fc
  .tuple(fc.constantFrom(...PIECES.filter(Boolean)), fc.constantFrom(LONG / 64, LONG))
  .map(([text, length]) => text.repeat(Math.ceil(length / text.length)))
/** An arbitrary input string: mostly short and hostile, sometimes long. */
const hostile = fc.oneof(
  { weight: 20, arbitrary: fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.json() },
  { weight: 1, arbitrary: long },
)

/** Each call either returns or throws one InputError: one line that names the input. */
function expectOnlyInputErrors(name: string | undefined, call: () => unknown): void {
  try {
    call()
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    expect(error.message).not.toMatch(/[\r\n]/)
    expect(error.message.length).toBeLessThan(2000)
    if (name) expect(error.message).toMatch(new RegExp(`^Input '${name}'`))
  }
}

const PARSERS: [input: string | undefined, parse: (raw: string) => unknown][] = [
  ['status', parseStatus],
  ['dry-run', (raw) => parseBoolean('dry-run', raw, false)],
  ['timeout', (raw) => parseSeconds('timeout', raw, 60)],
  ['notification', (raw) => parseChoice('notification', raw, ['default', 'silent'], 'default')],
  ['space', parseSpace],
  ['space', parseSpaces],
  ['webhook-url', parseWebhookUrl],
  [undefined, secretsInWebhookUrl],
  ['card', parseCard],
  ['card', parsePreset],
  ['fields', parseFields],
  ['matrix', parseMatrix],
  ['mention', parseMention],
  ['mention-on', parseMentionOn],
  ['user-map', (raw) => parseUserMap(raw)],
  [undefined, (raw) => normalizeUserId(raw, true)],
  ['notify-on-update', parseNotifyOnUpdate],
  [undefined, clientMessageId],
  [undefined, (raw) => parseOperation((name) => (name === 'message-id' ? raw : ''))],
  [undefined, (raw) => parseOperation((name) => (name === 'update' ? raw : ''))],
  [undefined, (raw) => parseThread((name) => (name === 'thread-key' ? raw : ''), ['spaces/AAAA'])],
  [undefined, (raw) => parseThread((name) => (name === 'thread-name' ? raw : ''), ['spaces/AAAA'])],
  ['message', (raw) => parseCustomMessage({ input: 'message', text: raw, format: 'yaml' })],
  ['message-file', (raw) => parseCustomMessage({ input: 'message-file', text: raw, format: 'json' })],
]

describe('input parsers', () => {
  test.each(PARSERS.map(([input, parse], i) => [`${i}: ${input ?? parse.name}`, input, parse] as const))(
    '%s: any string gives a value or one InputError naming the input',
    (_label, input, parse) => {
      fc.assert(
        fc.property(hostile, (raw) => expectOnlyInputErrors(input, () => parse(raw))),
        { numRuns: 100 },
      )
    },
  )

  test('readSettings: any set of inputs gives settings or one InputError', () => {
    const names = ['space', 'status', 'card', 'fields', 'matrix', 'mention', 'user-map', 'message', 'timeout']
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), hostile, { maxKeys: 5 }), (inputs) =>
        expectOnlyInputErrors(undefined, () =>
          readSettings((name) => inputs[name] ?? (name === 'space' ? 'spaces/AAAA' : ''), {
            workspace: '/nonexistent',
          }),
        ),
      ),
      { numRuns: 200 },
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------
// GitHub-shaped payloads.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
const EVENTS = ['push', 'pull_request', 'release', 'deployment_status', 'workflow_run', 'workflow_dispatch', 'issues']
const examples = webhookDefinitions().filter((d) => EVENTS.includes(d.name))

/** A mutation of one payload: each string leaf may become hostile text, each field may go missing or turn wrong. */
const mutation = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  texts: fc.array(hostile, { minLength: 1, maxLength: 8 }),
  rate: fc.double({ min: 0, max: 1, noNaN: true }),
  hugeArrays: fc.boolean(),
})

function mutate(payload: Json, how: Mutation): Json {
  let state = how.seed || 1
  const random = () => (state = (state * 48271) % 0x7fffffff) / 0x7fffffff
  const walk = (node: Json, key: string): Json => {
    const r = random()
    if (r < how.rate * 0.1) return null
    if (r < how.rate * 0.15) return [1, 'x', { a: null }] as Json
    if (r < how.rate * 0.2) return 7
    if (typeof node === 'string') {
      // URLs in payloads are GitHub's own; they may go missing or wrong, but are not where event text lands.
      if (/url$/i.test(key)) return random() < how.rate ? 'not a url' : node
      return random() < how.rate ? (how.texts[Math.floor(random() * how.texts.length)] as string) : node
    }
    if (Array.isArray(node)) {
      const items = node.map((item) => walk(item, key))
      return how.hugeArrays && items.length
        ? Array.from({ length: 2000 }, (_, i) => items[i % items.length] as Json)
        : items
    }
    if (node && typeof node === 'object') {
      const out: Record<string, Json> = {}
      for (const [name, value] of Object.entries(node)) if (random() >= how.rate * 0.05) out[name] = walk(value, name)
      return out
    }
    return node
  }
  return walk(payload, '')
}

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never

const payloads = fc.record({ index: fc.nat(), example: fc.nat(), how: mutation }).map(({ index, example, how }) => {
  const definition = examples[index % examples.length]!
  const original = definition.examples[example % definition.examples.length] as Json
  return { event: definition.name, payload: mutate(structuredClone(original), how) as Record<string, unknown> }
})

function github(event: string, payload: Record<string, unknown>): GitHubContextLike {
  return {
    payload,
    eventName: event,
    sha: 'a'.repeat(40),
    ref: 'refs/heads/main',
    workflow: 'CI',
    job: 'build',
    actor: 'octocat',
    runId: 1,
    runNumber: 1,
    runAttempt: 1,
    serverUrl: 'https://github.com',
  }
}

const ENV = { GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SERVER_URL: 'https://github.com' }

/** Valid against Chat's schema and within its limits, as the emulator checks them. */
function expectValidMessage(message: unknown): void {
  expect(validateResource('Message', message, 'message').violations).toEqual([])
  expect(checkMessageLimits(message as never)).toEqual([])
}

/** No event text became a mention or markup in the text, or HTML or a link to the attacker's host in a card. */
function expectNoInjectedMarkup(message: ChatMessage): void {
  const text = message.text ?? ''
  expect(text).not.toMatch(/<users\/(?!\u200b)/)
  expect(text).not.toMatch(/<https?:\/\/[^|>]*evil\.example[^|>]*\|/)
  for (const html of cardHtml(message)) {
    expect(html).not.toMatch(/href="[^"]*evil\.example/)
    expect(html).not.toMatch(/<img|<script|<[^>]*\sonerror\s*=/i)
  }
  for (const url of cardUrls(message)) expect(url).not.toMatch(/evil\.example/)
}

describe('message builders', () => {
  test('presets and the status card: any payload gives a valid message with no injected markup', () => {
    fc.assert(
      fc.property(
        payloads,
        fc.constantFrom(...PRESETS, 'none' as const),
        fc.constantFrom('success', 'failure', 'cancelled', 'started' as const),
        ({ event, payload }, card, status) => {
          const run = describeRun(github(event, payload), ENV)
          const message = buildMessage({ status, title: '', text: '', card }, run, { renderPreset, now: 0 })
          expectValidMessage(message)
          // Release notes are written by the repository's maintainers and keep their http(s) links by design.
          if (event !== 'release' || !payload?.release) expectNoInjectedMarkup(message)
          else expect(message.text ?? '').not.toMatch(/<users\/(?!\u200b)/)
        },
      ),
      { numRuns: 120 },
    )
  })

  test('custom messages: every placeholder value is inert in its field’s syntax', () => {
    const TEMPLATE = {
      text: '{{ github.event.head_commit.message }}',
      cardsV2: [
        {
          cardId: 'c',
          card: {
            header: { title: '{{ github.event.head_commit.message }}' },
            sections: [
              {
                header: '{{ github.event.head_commit.message }}',
                widgets: [
                  { textParagraph: { text: '{{ github.event.head_commit.message }}' } },
                  { textParagraph: { text: '{{ github.event.head_commit.message }}', textSyntax: 'MARKDOWN' } },
                  { decoratedText: { text: '{{ github.event.head_commit.message }}' } },
                  {
                    buttonList: {
                      buttons: [
                        {
                          text: 'Open',
                          onClick: {
                            openLink: { url: 'https://example.com/t/{{ github.event.head_commit.message }}' },
                          },
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        },
      ],
    }
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 16 }).map((parts) => parts.join('')),
        fc.constantFrom(undefined, 'MARKUP_SYNTAX_CHAT', 'MARKUP_SYNTAX_MARKDOWN', 'MARKUP_SYNTAX_UNSPECIFIED'),
        (commit, markupSyntax) => {
          const context = templateContext({
            github: github('push', { head_commit: { id: 'a'.repeat(40), message: commit } }),
            env: ENV,
          })
          const template = markupSyntax ? { ...TEMPLATE, markupSyntax } : TEMPLATE
          let message
          try {
            message = buildCustomMessage(
              { input: 'message', text: JSON.stringify(template), format: 'json' },
              context,
            ).message
          } catch (error) {
            // Only the URL may refuse a value (a . or .. segment); the error names the input.
            expect(error).toBeInstanceOf(InputError)
            expect((error as Error).message).toMatch(/^Input 'message' .*climb the path/)
            return
          }
          const widgets = message.cardsV2![0]!.card!.sections![0]!.widgets!
          const markdownText = markupSyntax === 'MARKUP_SYNTAX_MARKDOWN'
          if (commit) {
            if (markdownText || markupSyntax === 'MARKUP_SYNTAX_UNSPECIFIED')
              expect(liveMarkdown(message.text!)).toEqual([])
            if (!markdownText) expect(liveChatMarkup(message.text!)).toEqual([])
            expect(liveHtml(widgets[0]!.textParagraph!.text!)).toEqual([])
            expect(liveMarkdown(widgets[1]!.textParagraph!.text!)).toEqual([])
            expect(liveHtml(widgets[2]!.decoratedText!.text!)).toEqual([])
            expect(liveHtml(message.cardsV2![0]!.card!.sections![0]!.header!)).toEqual([])
          }
          expect(new URL(widgets[3]!.buttonList!.buttons![0]!.onClick!.openLink!.url!).origin).toBe(
            'https://example.com',
          )
        },
      ),
      { numRuns: 300 },
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------
// The whole run, in process: no secret in any log line, output or the summary.

describe('run()', () => {
  const key = keyFile()
  const KEY_BODY = key.privateKey.replace(/-----[A-Z ]+-----|\s/g, '')
  const WEBHOOK_KEY = 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI'
  const WEBHOOK_TOKEN = 'qL3j9k2T7xYvW0pR5sN8mB4cF6gH1dZ0aE3iO9uY2tQ%3D'
  /** Whole secrets and every 24-character slice of the key's body: the runner masks whole values only. */
  const secrets = [WEBHOOK_KEY, WEBHOOK_TOKEN, decodeURIComponent(WEBHOOK_TOKEN), key.privateKeyId]
  for (let i = 0; i + 24 <= KEY_BODY.length; i += 24) secrets.push(KEY_BODY.slice(i, i + 24))
  const leaks = (text: string) => secrets.filter((secret) => text.includes(secret))

  test('dry runs with secrets in the inputs and hostile text everywhere else leak no secret', async () => {
    const inputNames = ['status', 'title', 'text', 'card', 'fields', 'matrix', 'message', 'mention', 'thread-key']
    await fc.assert(
      fc.asyncProperty(
        payloads,
        fc.dictionary(fc.constantFrom(...inputNames), hostile, { maxKeys: 4 }),
        fc.constantFrom('credentials', 'webhook'),
        async ({ event, payload }, inputs, way) => {
          const record = await runInProcess(
            {
              'dry-run': 'true',
              status: 'success',
              ...inputs,
              ...(way === 'credentials'
                ? { credentials: key.json, space: 'spaces/AAAA' }
                : {
                    'webhook-url': `https://chat.googleapis.com/v1/spaces/AAAA/messages?key=${WEBHOOK_KEY}&token=${WEBHOOK_TOKEN}`,
                  }),
            },
            github(event, payload),
            ENV,
          )
          expect(record.deliveries).toBe(0)
          expect(leaks(record.lines.join('\n'))).toEqual([])
          expect(leaks(JSON.stringify(record.outputs))).toEqual([])
          expect(leaks(record.summary)).toEqual([])
          if (record.failed) expect(record.failed).not.toMatch(/[\r\n]/)
        },
      ),
      { numRuns: 60 },
    )
  })
})
