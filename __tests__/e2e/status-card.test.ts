// End to end, as the runner runs the action: node dist/index.js, INPUT_*/GITHUB_* variables, an event file,
// GITHUB_OUTPUT; Google reached at its production URLs through the emulator acting as an HTTPS proxy.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { createRequire } from 'node:module'
import {
  FOREIGN_SPACE,
  MEMBER_SPACE,
  STACK_TRACE,
  buttons,
  cardOf,
  facts,
  keySecrets,
  linesLeaking,
  startGoogle,
  tokensUsed,
  type GoogleFixture,
} from '../fixtures/google-emulator.ts'

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string
  examples: Record<string, unknown>[]
}[]
const example = (event: string, action?: string): Record<string, unknown> =>
  examples.find((e) => e.name === event)!.examples.find((x) => action === undefined || x.action === action)!

let google: GoogleFixture
beforeAll(async () => {
  google = await startGoogle()
})
afterAll(async () => google.close())
beforeEach(() => google.emulator.reset())

const chatCalls = () => google.emulator.requests.filter((r) => r.host === 'chat.googleapis.com')
const tokenCalls = () => google.emulator.requests.filter((r) => r.host === 'oauth2.googleapis.com')

const push = example('push')
const pushSha = String(push.after)

describe('a status card reaches the space', () => {
  test('success on push: card, links, outputs, one token request, no secret in the log', async () => {
    const result = await google.run({ event: push, eventName: 'push', env: { GITHUB_SHA: pushSha } })
    expect(result.code).toBe(0)
    const [message] = google.emulator.messages(MEMBER_SPACE)
    expect(google.emulator.messages()).toHaveLength(1)
    const card = cardOf(message!)
    expect(card.header!.title).toBe('✅ CI succeeded')
    expect(card.header!.subtitle).toContain('octo-org/hello-world')
    const f = facts(card)
    // Compact: the header carries the status and the repository; the facts do not repeat them.
    expect(Object.keys(f)).toEqual(['Branch', 'Commit', 'Triggered by'])
    expect(f.Branch).toContain('>main</a>')
    expect(f.Commit).toContain(`${pushSha.slice(0, 7)}</a>`)
    expect(f['Triggered by']).toBe('octocat')
    expect(buttons(card)).toEqual({
      'View run': 'https://github.com/octo-org/hello-world/actions/runs/1658821493',
      'View commit': `https://github.com/octo-org/hello-world/commit/${pushSha}`,
    })
    // The request as Chat saw it: explicit markup syntax, through the proxy, with the minted token.
    const [call] = chatCalls()
    expect(call).toMatchObject({ method: 'POST', path: `/v1/${MEMBER_SPACE}/messages`, tunneled: true })
    expect((call!.json as Record<string, unknown>).markupSyntax).toBe('MARKUP_SYNTAX_CHAT')
    expect(tokenCalls()).toHaveLength(1)
    // Outputs name what was created.
    expect(result.outputs['message-name']).toBe(message!.name)
    expect(result.outputs['message-name']).toMatch(/^spaces\/AAAAmember1\/messages\/.+/)
    expect(result.outputs['thread-name']).toBe(message!.thread.name)
    expect(result.outputs.space).toBe(MEMBER_SPACE)
    // Masked before use: the key, its lines and the token appear only in ::add-mask:: commands.
    const tokens = tokensUsed(google.emulator)
    expect(tokens).toHaveLength(1)
    for (const secret of [...keySecrets(google.key), ...tokens])
      expect(result.log).toContain(`::add-mask::${secret.split('\n')[0]}`)
    expect(linesLeaking(result.log, [...keySecrets(google.key), ...tokens])).toEqual([])
  })

  test('failure: red status and the failed headline', async () => {
    const result = await google.run({ jobStatus: 'failure', event: push })
    expect(result.code).toBe(0)
    const card = cardOf(google.emulator.messages(MEMBER_SPACE)[0]!)
    expect(card.header!.title).toBe('❌ CI failed')
    expect(facts(card).Status).toBeUndefined()
  })

  test('a base64-encoded key works like the JSON', async () => {
    const result = await google.run({ inputs: { credentials: Buffer.from(google.key.json).toString('base64') } })
    expect(result.code).toBe(0)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
    expect(linesLeaking(result.log, keySecrets(google.key))).toEqual([])
  })

  test.each([
    ['resource name', 'spaces/AAAAmember1'],
    ['bare id', 'AAAAmember1'],
    ['Gmail URL', 'https://mail.google.com/chat/u/0/#chat/space/AAAAmember1'],
    ['Chat URL', 'https://chat.google.com/room/AAAAmember1?cls=7'],
  ])('space as %s', async (_form, space) => {
    const result = await google.run({ inputs: { space } })
    expect(result.code).toBe(0)
    expect(chatCalls().map((r) => r.path)).toEqual([`/v1/${MEMBER_SPACE}/messages`])
    expect(result.outputs.space).toBe(MEMBER_SPACE)
  })

  test('GitHub Enterprise Server: every link uses GITHUB_SERVER_URL', async () => {
    const pr = example('pull_request', 'opened') as { pull_request: { number: number; head: { sha: string } } }
    const result = await google.run({
      event: pr,
      eventName: 'pull_request',
      env: {
        GITHUB_SERVER_URL: 'https://ghes.example.com',
        GITHUB_HEAD_REF: 'feature/x',
        GITHUB_REF: 'refs/pull/2/merge',
      },
    })
    expect(result.code).toBe(0)
    const message = google.emulator.messages(MEMBER_SPACE)[0]!
    const urls = JSON.stringify(message).match(/https?:\/\/[^"\\]+/g) ?? []
    expect(urls.length).toBeGreaterThan(3)
    for (const url of urls) expect(url.startsWith('https://ghes.example.com/')).toBe(true)
    expect(buttons(cardOf(message))['View pull request']).toBe(
      `https://ghes.example.com/octo-org/hello-world/pull/${pr.pull_request.number}`,
    )
    expect(buttons(cardOf(message))['View commit']).toContain(pr.pull_request.head.sha)
    expect(facts(cardOf(message)).Branch).toContain('feature/x')
  })

  test('card: none sends text only', async () => {
    const result = await google.run({ inputs: { card: 'none' }, event: push })
    expect(result.code).toBe(0)
    const message = google.emulator.messages(MEMBER_SPACE)[0]!
    expect(message.cardsV2 ?? []).toEqual([])
    expect(message.text).toContain('CI succeeded')
    expect(message.text).toContain('<https://github.com/octo-org/hello-world/actions/runs/1658821493|View run>')
  })
})

describe('user-controlled text is data', () => {
  const hostile = 'Fix <users/all> see <https://evil.example|the docs> <b>now</b> & "quote"'

  test('a hostile commit message and branch cannot mention, link or inject HTML; the user text keeps formatting', async () => {
    const event = {
      ...push,
      head_commit: { ...(push.head_commit as object), id: pushSha, message: `${hostile}\n\nbody` },
    }
    const result = await google.run({
      event,
      env: { GITHUB_SHA: pushSha, GITHUB_REF: 'refs/heads/<users/all>' },
      inputs: { text: 'Deployed by <users/all> *now*', title: 'Release <b>1.0</b>' },
    })
    expect(result.code).toBe(0)
    const message = google.emulator.messages(MEMBER_SPACE)[0]!
    const card = cardOf(message)
    expect(facts(card).Commit).toContain(
      'Fix &lt;users/all&gt; see &lt;https://evil.example|the docs&gt; &lt;b&gt;now&lt;/b&gt; &amp; &quot;quote&quot;',
    )
    expect(facts(card).Branch).toContain('&lt;users/all&gt;')
    expect(JSON.stringify(message.cardsV2)).not.toMatch(/<users\/|<https:\/\/evil|<b>now/)
    // The workflow author's own text is trusted and sent as written.
    expect(message.text).toBe('Deployed by <users/all> *now*')
    expect(card.header!.title).toBe('Release <b>1.0</b>')
  })

  test('in text-only messages user data cannot open a mention or link', async () => {
    const event = { ...push, head_commit: { ...(push.head_commit as object), id: pushSha, message: hostile } }
    const result = await google.run({ event, env: { GITHUB_SHA: pushSha }, inputs: { card: 'none' } })
    expect(result.code).toBe(0)
    const text = google.emulator.messages(MEMBER_SPACE)[0]!.text!
    expect(text).toContain('Fix <\u200busers/all>')
    expect(text).not.toMatch(/<users\/all>|<https:\/\/evil/)
  })
})

describe("Chat's limits: long content is truncated visibly, never rejected", () => {
  // Issue 12: Google's "Maximum length of the field is 4096" has no unit, so `text` fits 4,096 characters and 4,096
  // UTF-8 bytes, marker included (src/message/limits.ts); 4,083 "x" plus "… [truncated]" would be 4,098 bytes.
  test('500-line commit message, 10,000-character text, 1,000-character title', async () => {
    const longLine = 'refactor: ' + 'é🚀 שלום مرحبا '.repeat(400)
    const message500 = [longLine, ...Array.from({ length: 499 }, (_, i) => `line ${i} <users/all>`)].join('\n')
    const event = { ...push, head_commit: { ...(push.head_commit as object), id: pushSha, message: message500 } }
    const result = await google.run({
      event,
      env: { GITHUB_SHA: pushSha },
      inputs: { text: 'x'.repeat(10_000), title: 'T'.repeat(1000) },
    })
    expect(result.code).toBe(0)
    const message = google.emulator.messages(MEMBER_SPACE)[0]!
    expect(message.text!.length).toBeLessThanOrEqual(4096)
    expect(Buffer.byteLength(message.text!)).toBeLessThanOrEqual(4096)
    expect(message.text).toMatch(/… \[truncated\]$/)
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(32_000)
    expect(facts(cardOf(message)).Commit).toMatch(/refactor: é🚀.*…$/)
    expect(facts(cardOf(message)).Commit).not.toContain('line 1')
    expect(cardOf(message).header!.title).toMatch(/^T+… \[truncated\]$/)
    expect(JSON.stringify(message)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
  })

  test('20,000-character pull request title of emoji and right-to-left text', async () => {
    const pr = structuredClone(example('pull_request', 'opened')) as { pull_request: { title: string } }
    pr.pull_request.title = '🚀 שלום مرحبا '.repeat(1500)
    const result = await google.run({ event: pr, eventName: 'pull_request', env: { GITHUB_HEAD_REF: 'b'.repeat(300) } })
    expect(result.code).toBe(0)
    const message = google.emulator.messages(MEMBER_SPACE)[0]!
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(32_000)
    expect(facts(cardOf(message))['Pull request']).toMatch(/🚀 שלום.*…$/)
    expect(facts(cardOf(message)).Branch).toMatch(/b+…<\/a>$/)
  })
})

describe('dry run', () => {
  test('prints the message and writes the step summary without credentials or requests', async () => {
    const result = await google.run({ inputs: { credentials: '', 'dry-run': 'true' }, event: push })
    expect(result.code).toBe(0)
    expect(google.emulator.requests).toEqual([])
    expect(result.stdout).toContain('"cardsV2"')
    expect(result.stdout).toContain('Dry run: nothing was sent')
    expect(result.summary).toContain('Google Chat message (dry run)')
    // A readable preview of the card (header, facts, buttons), then the JSON behind it.
    expect(result.summary).toContain('<h3>✅ CI succeeded</h3>')
    expect(result.summary).toMatch(
      /<a href="https:\/\/github\.com\/octo-org\/hello-world\/actions\/runs\/1658821493"[^>]*>View run<\/a>/,
    )
    expect(result.summary).toMatch(/<table>[\s\S]*Triggered by[\s\S]*octocat[\s\S]*<\/table>/)
    expect(result.summary).toContain('"cardsV2"')
    expect(result.outputs).toEqual({
      'message-name': '',
      'message-id': '',
      'thread-name': '',
      space: MEMBER_SPACE,
      action: '',
      'reply-name': '',
      messages: '[]',
    })
  })
})

describe('failures: one line with the remedy, no stack trace', () => {
  const oneErrorLine = (log: string, kind: 'warning' | 'error'): string => {
    const lines = log.split('\n').filter((l) => l.startsWith(`::${kind}::`))
    expect(lines).toHaveLength(1)
    expect(log).not.toMatch(STACK_TRACE)
    return lines[0]!
  }

  test.each([
    [
      'unknown space (404)',
      'spaces/AAAAnowhere',
      /404 NOT_FOUND for spaces\/AAAAnowhere.*space id is wrong.*add the app to the space/,
    ],
    [
      'space without the app (403)',
      FOREIGN_SPACE,
      /403 PERMISSION_DENIED for spaces\/AAAAforeign1.*add the app to the space/,
    ],
  ])('%s: a warning by default, an error with fail-on-error', async (_name, space, expected) => {
    const soft = await google.run({ inputs: { space } })
    expect(soft.code).toBe(0)
    expect(oneErrorLine(soft.log, 'warning')).toMatch(expected)
    expect(soft.outputs).toMatchObject({ 'message-name': '', 'thread-name': '', space, action: '' })
    expect(JSON.parse(soft.outputs.messages!)).toEqual([{ space, error: expect.stringMatching(/add the app/) }])

    const hard = await google.run({ inputs: { space, 'fail-on-error': 'true' } })
    expect(hard.code).toBe(1)
    expect(oneErrorLine(hard.log, 'error')).toMatch(expected)
  })

  test('a deleted or disabled key: invalid_grant with the remedy', async () => {
    const other = await import('../../emulator/index.ts').then((m) =>
      m.createServiceAccountKey({ email: 'gone@octo-project.iam.gserviceaccount.com' }),
    )
    google.emulator.addServiceAccount(other.key.client_email, other.publicKeyPem, other.key.private_key_id)
    google.emulator.disableServiceAccount(other.key.client_email)
    const result = await google.run({ inputs: { credentials: other.json, 'fail-on-error': 'true' } })
    expect(result.code).toBe(1)
    expect(oneErrorLine(result.log, 'error')).toMatch(/invalid_grant.*deleted or disabled.*clock/)
    expect(chatCalls()).toEqual([])
    expect(linesLeaking(result.log, keySecrets(other))).toEqual([])
  })

  test.each([
    ['credentials', { credentials: 'not-a-key-but-a-secret-123' }, /Input 'credentials' is not valid JSON/],
    [
      'credentials',
      { credentials: JSON.stringify({ type: 'authorized_user', client_secret: 'shh-secret-value' }) },
      /Input 'credentials' has "type" "authorized_user"/,
    ],
    ['space', { space: 'https://example.com/room/AAAA' }, /Input 'space' is not a Google Chat space.*spaces\/AAAA/],
    ['status', { status: 'great' }, /Input 'status' has an unknown value "great"; expected one of success, failure/],
    ['fail-on-error', { 'fail-on-error': 'maybe' }, /Input 'fail-on-error' must be true or false/],
  ])('bad %s input fails the step with one line naming it', async (_input, inputs, expected) => {
    const result = await google.run({ inputs })
    expect(result.code).toBe(1)
    expect(oneErrorLine(result.log, 'error')).toMatch(expected)
    expect(google.emulator.requests).toEqual([])
    for (const secret of ['not-a-key-but-a-secret-123', 'shh-secret-value']) {
      expect(linesLeaking(result.log, [secret])).toEqual([])
    }
  })
})
