// Issue 11 §1 and §2: the mistakes real users make, and the inputs that used to only warn, each one clear line.
import { createPrivateKey } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import { parseServiceAccountKey, secretsInKeyInput } from '../../src/credentials/service-account-key.ts'
import { MAX_NESTING } from '../../src/domain.ts'
import { readSettings } from '../../src/inputs/read-settings.ts'
import { parseSpace } from '../../src/inputs/spaces.ts'
import { assertStructuredTextWithin } from '../../src/inputs/structured-text.ts'
import { parseChoice, parseStatus } from '../../src/inputs/values.ts'
import { parseWebhookUrl, secretsInWebhookUrl, secretsPastedIntoSpace } from '../../src/inputs/webhook-url.ts'
import { parseMatrix } from '../../src/inputs/card-options.ts'
import { parseCustomMessage } from '../../src/message/custom-message.ts'
import { nearest } from '../../src/text.ts'
import { inputError, keyFile } from '../fixtures/samples.ts'

const ID = 'AAAAbCdEf12'
const KEY = 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI'
const TOKEN = 'q1W2e3R4t5Y6u7I8o9P0aSdFgHjKl_zXcVbNm-AbCdE%3D'
const HOOK_IN_SPACE = `https://chat.googleapis.com/v1/spaces/${ID}/messages?key=${KEY}&token=${TOKEN}`
const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    ({ status: 'success', card: 'status', ...values })[name] ?? ''

describe('status spellings', () => {
  test.each([
    ['canceled', 'cancelled'],
    ['Canceled', 'cancelled'],
    ['succeeded', 'success'],
    ['failed', 'failure'],
    ['skip', 'skipped'],
    ['inprogress', 'in_progress'],
  ])('%j is unambiguous: %s', (raw, status) => expect(parseStatus(raw)).toBe(status))

  test.each([
    ['sucess', 'success'],
    ['failre', 'failure'],
    ['skiped', 'skipped'],
    ['in_progres', 'in_progress'],
  ])('%j: did you mean %s?', (raw, guess) => {
    expect(inputError(() => parseStatus(raw)).message).toContain(`; did you mean ${guess}?`)
  })

  test('nothing near: no guess, the list', () => {
    const error = inputError(() => parseStatus('banana'))
    expect(error.message).not.toContain('did you mean')
    expect(error.message).toContain('expected one of success, failure, cancelled')
  })

  test('__proto__ and friends are unknown values, not lookups', () => {
    for (const raw of ['__proto__', 'constructor', 'toString']) expect(() => parseStatus(raw)).toThrow(/unknown value/)
  })

  test('other choices guess too', () => {
    expect(
      inputError(() => parseChoice('notification', 'silnet', ['default', 'silent', 'force'], 'default')).message,
    ).toBe(
      `Input 'notification' has an unknown value "silnet"; did you mean silent?; expected one of default, silent, force`,
    )
  })

  test('nearest compares at most 40 characters, whatever the input', () => {
    const started = performance.now()
    expect(nearest('x'.repeat(1_000_000), ['success'])).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(200)
  })
})

describe('space', () => {
  test.each([`spaces/${ID}/`, ` spaces/${ID} `, `${ID}/`, `https://chat.google.com/room/${ID}/`, `spaces/${ID}//\n`])(
    '%j is accepted',
    (raw) => expect(parseSpace(raw)).toBe(`spaces/${ID}`),
  )

  test.each([
    `https://chat.googleapis.com/v1/spaces/${ID}/messages?key=${KEY}&token=${TOKEN}`,
    `chat.googleapis.com/v1/spaces/${ID}/messages?key=${KEY}`,
    `spaces/${ID}?key=${KEY}&token=${TOKEN}`,
  ])('a webhook URL: pass it as webhook-url, nothing of it echoed', (raw) => {
    const error = inputError(() => parseSpace(raw))
    expect(error.message).toBe(
      "Input 'space' is an incoming-webhook URL: pass it as webhook-url (stored as a secret) and leave space empty; space takes a space name like spaces/AAAA…",
    )
    expect(error.message).not.toContain(ID)
  })

  test("a webhook URL in space is masked like webhook-url's; a real space is not", () => {
    const secrets = secretsPastedIntoSpace(`spaces/${ID}\n${HOOK_IN_SPACE}`)
    expect(secrets).toEqual(expect.arrayContaining([HOOK_IN_SPACE, KEY, TOKEN]))
    expect(secrets).not.toContain(`spaces/${ID}`)
    expect(secretsPastedIntoSpace(`spaces/${ID}, ${ID}`)).toEqual([])
  })
})

describe('no way to deliver', () => {
  test('no credentials, no webhook-url, no keyless: an empty space is not an error (main.ts gives the notice)', () => {
    expect(readSettings(reader({})).spaces).toEqual([])
  })

  test('with credentials or keyless sign-in, the space is still required', () => {
    expect(() => readSettings(reader({ credentials: '{}' }))).toThrow(/^Input 'space' is empty/)
    expect(() => readSettings(reader({}), { workspace: '/tmp', keylessSignIn: true })).toThrow(
      /^Input 'space' is empty/,
    )
  })
})

describe('message beside the card inputs', () => {
  const warnings = (values: Record<string, string>): string[] => {
    const lines: string[] = []
    readSettings(reader({ space: ID, ...values }), { workspace: '/tmp', warn: (line) => lines.push(line) })
    return lines
  }

  test('card, title and fields with message: one warning naming them', () => {
    expect(warnings({ message: 'text: hi', card: 'deploy', title: 'T', fields: 'status' })).toEqual([
      "Inputs 'card', 'title' and 'fields' are ignored: 'message' replaces the whole card (write what you need into the message; {{ inputs.title }} gives the title)",
    ])
    expect(warnings({ message: 'text: hi', title: 'T' })).toEqual([
      "Input 'title' is ignored: 'message' replaces the whole card (write what you need into the message; {{ inputs.title }} gives the title)",
    ])
  })

  test('no warning without message, nor for the default card', () => {
    expect(warnings({ title: 'T', card: 'deploy' })).toEqual([])
    expect(warnings({ message: 'text: hi' })).toEqual([])
  })
})

describe('service-account key mangled on the way into the secret', () => {
  const file = keyFile()
  const withKey = (privateKey: string) => JSON.stringify({ ...file.fields, private_key: privateKey })

  test.each([
    ['newlines escaped twice (\\\\n)', file.privateKey.replace(/\n/g, '\\n')],
    ['newlines turned into spaces', file.privateKey.replace(/\n/g, ' ')],
    ['CRLF line breaks', file.privateKey.replace(/\n/g, '\r\n')],
    ['CRLF escaped twice', file.privateKey.replace(/\n/g, '\\r\\n')],
  ])('%s: repaired', (_what, mangled) => {
    const key = parseServiceAccountKey(withKey(mangled))
    expect(key.private_key.replace(/\s/g, '')).toBe(file.privateKey.replace(/\s/g, ''))
    expect(() => createPrivateKey(key.private_key)).not.toThrow()
  })

  test('the whole file JSON-encoded once more: read', () => {
    expect(parseServiceAccountKey(JSON.stringify(file.json)).client_email).toBe(file.fields.client_email)
  })

  test("the file's \\n unescaped into real line breaks: repaired", () => {
    const unescaped = file.json.replace(/\\n/g, '\n')
    expect(parseServiceAccountKey(unescaped).private_key).toBe(file.privateKey)
  })

  test.each([
    ['a body that is not base64', file.privateKey.replace(/M/, '!'), /PEM text is damaged/],
    ['no END marker', file.privateKey.replace(/-----END PRIVATE KEY-----/, ''), /PEM text is damaged/],
    ['a body cut short', file.privateKey.slice(0, 400) + '\n-----END PRIVATE KEY-----\n', /does not decode/],
    ['a body altered', file.privateKey.replace(/\n(.)(.)/, '\n$2$1'), /does not decode/],
  ])('%s: an input error, never OpenSSL, never the key', (_what, mangled, why) => {
    const error = inputError(() => parseServiceAccountKey(withKey(mangled)))
    expect(error.input).toBe('credentials')
    expect(error.message).toMatch(why)
    expect(error.message).not.toMatch(/DECODER|routines|OpenSSL|error:/)
    for (const line of file.privateKey.split('\n'))
      if (line.length > 8 && !line.startsWith('-----')) expect(error.message).not.toContain(line)
  })

  test.each(['./key.json', '/home/runner/work/key.json', '~/keys/sa.json', 'C:\\keys\\sa.json', 'sa-key.json'])(
    'a file path %j: the secret must hold the content',
    (raw) => {
      expect(inputError(() => parseServiceAccountKey(raw)).message).toBe(
        "Input 'credentials' holds a file path, not a key: the secret must hold the key file's content (the JSON itself, or its base64 encoding), because the runner has no copy of your file; or leave credentials empty and sign in keyless with google-github-actions/auth",
      )
    },
  )

  test('every piece of a mangled key is masked', () => {
    const spaced = withKey(file.privateKey.replace(/\n/g, ' '))
    const secrets = secretsInKeyInput(spaced)
    for (const line of file.privateKey.split('\n'))
      if (line.length > 8 && !line.startsWith('-----')) expect(secrets).toContain(line)
    const escaped = secretsInKeyInput(withKey(file.privateKey.replace(/\n/g, '\\n')))
    for (const line of file.privateKey.split('\n'))
      if (line.length > 8 && !line.startsWith('-----')) expect(escaped).toContain(line)
  })
})

describe('webhook-url: errors never quote it, every plausible secret masked first', () => {
  const space = `spaces/${ID}`
  const typos: [string, string, RegExp][] = [
    ['& for ?', `https://chat.googleapis.com/v1/${space}/messages&key=${KEY}&token=${TOKEN}`, /'&' where '\?' belongs/],
    [
      '%3F for ?',
      `https://chat.googleapis.com/v1/${space}/messages%3Fkey=${KEY}%26token=${TOKEN}`,
      /percent-encoded \(%3F\)/,
    ],
    ['key in the path', `https://chat.googleapis.com/v1/${space}/messages/key=${KEY}?token=${TOKEN}`, /in the path/],
    [
      'a parameter misspelt',
      `https://chat.googleapis.com/v1/${space}/messages?kye=${KEY}&token=${TOKEN}`,
      /other than key/,
    ],
    ['token before ?', `https://chat.googleapis.com/v1/${space}/messages;token=${TOKEN}?key=${KEY}`, /in the path/],
    ['another host', `https://chat.example.com/v1/${space}/messages?key=${KEY}&token=${TOKEN}`, /host is not/],
    [
      'a space in it',
      `https://chat.googleapis.com/v1/${space}/messages?key=${KEY} &token=${TOKEN}`,
      /a space or line break/,
    ],
  ]

  test.each(typos)('%s', (_what, raw, why) => {
    const error = inputError(() => parseWebhookUrl(raw))
    expect(error.message).toMatch(why)
    const secrets = secretsInWebhookUrl(raw)
    for (const secret of [KEY, TOKEN, decodeURIComponent(TOKEN)]) {
      expect(error.message).not.toContain(secret.slice(0, 12))
      expect(secrets).toContain(secret)
    }
    // Nothing of the input longer than its fixed words reaches the message.
    for (const piece of raw.split(/[?&/=;%\s]/)) {
      if (piece.length >= 8 && !['chat.googleapis.com', 'messages'].includes(piece)) {
        expect(error.message).not.toContain(piece)
      }
    }
  })

  test('the space id and fixed words are not masked (they appear in outputs and every log line)', () => {
    const secrets = secretsInWebhookUrl(`https://chat.googleapis.com/v1/${space}/messages&key=${KEY}&token=${TOKEN}`)
    for (const word of [ID, 'chat.googleapis.com', 'messages', 'spaces']) expect(secrets).not.toContain(word)
  })
})

describe('depth and size limits', () => {
  test.each([
    ['message', 'json', '['.repeat(5000) + ']'.repeat(5000)],
    ['message', 'yaml', 'text: ' + '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1)],
    ['message', 'yaml', '- '.repeat(20_000) + 'x'],
    ['message', 'yaml', '? '.repeat(20_000) + 'x'],
    ['message', 'yaml', Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}a${i}:`).join('\n')],
    ['matrix', 'json', '{"a":' + '['.repeat(3000) + ']'.repeat(3000) + '}'],
  ] as const)('%s (%s) nested too deep: one input error, fast', (input, format, text) => {
    const started = performance.now()
    const error = inputError(() => assertStructuredTextWithin(input, text, { maxBytes: 1024 * 1024, format }))
    expect(error.message).toBe(
      `Input '${input}' is nested more than ${MAX_NESTING} levels deep (objects and lists within each other), more than any Chat message needs: check what generated it`,
    )
    expect(performance.now() - started).toBeLessThan(100)
  })

  test('a deep Chat card is well within the limit', () => {
    const yaml = `cardsV2:
  - cardId: c
    card:
      sections:
        - widgets:
            - columns:
                columnItems:
                  - widgets:
                      - decoratedText:
                          text: '{{ github.sha }} [x] {y}'
                          button:
                            onClick:
                              action:
                                parameters:
                                  - key: a
                                    value: b
`
    expect(() => assertStructuredTextWithin('message', yaml, { maxBytes: 1024 * 1024, format: 'yaml' })).not.toThrow()
    expect(() =>
      assertStructuredTextWithin(
        'message',
        JSON.stringify(parseCustomMessage({ input: 'message', text: yaml, format: 'yaml' }), null, 2),
        {
          maxBytes: 1024 * 1024,
          format: 'json',
        },
      ),
    ).not.toThrow()
  })

  test('the matrix is refused past 64 kB, and nested past the limit', () => {
    expect(inputError(() => parseMatrix(JSON.stringify({ a: 'x'.repeat(70_000) }))).message).toBe(
      "Input 'matrix' is 69 kB, more than the 64 kB it may hold",
    )
    expect(() => parseMatrix('{"a":' + '['.repeat(3000) + ']'.repeat(3000) + '}')).toThrow(/^Input 'matrix' is nested/)
  })

  test('a 1 MB adversarial text is scanned in linear time', () => {
    for (const text of [
      '- '.repeat(500_000),
      ' \n'.repeat(500_000),
      '['.repeat(60) + '{}'.repeat(500_000),
      'a:\n  '.repeat(200_000),
    ]) {
      const started = performance.now()
      try {
        assertStructuredTextWithin('message', text, { maxBytes: 2 * 1024 * 1024, format: 'yaml' })
      } catch {
        // Refused or not: the time is what is measured.
      }
      // About 50 ms on a loaded 2-core machine; a quadratic scan would take minutes.
      expect(performance.now() - started).toBeLessThan(500)
    }
  })

  test('a YAML alias bomb: an input error naming the input', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'text: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n')
    expect(inputError(() => parseCustomMessage({ input: 'message', text: bomb, format: 'yaml' })).message).toBe(
      "Input 'message' has YAML aliases (*name) that expand past 100 nodes: write the values out instead",
    )
  })

  test('aliases that nest past the limit once expanded', () => {
    const lines = ['a0: &a0 [x]']
    for (let i = 1; i < 40; i++) lines.push(`a${i}: &a${i} [[*a${i - 1}]]`)
    lines.push('text: hi')
    expect(
      inputError(() => parseCustomMessage({ input: 'message', text: lines.join('\n'), format: 'yaml' })).message,
    ).toMatch(
      /^Input 'message' (is nested more than 64 levels deep once its YAML aliases are expanded|has YAML aliases)/,
    )
  })
})
