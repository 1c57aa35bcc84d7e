// Event text written to attack (issue 11 §2): Markdown links and mentions in custom messages of every syntax, URL
// placeholders that would move the host or climb the path, and HTML that would break out of the dry run's summary.
import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/errors.ts'
import { buildCustomMessage } from '../../src/message/custom-message.ts'
import { escapeChatOrMarkdownText, escapeChatText, escapeMarkdownText } from '../../src/message/escape.ts'
import { templateContext } from '../../src/message/template/context.ts'
import { fillString, type FillReport } from '../../src/message/template/fill.ts'
import { runInProcess } from '../fixtures/in-process-run.ts'
import { liveChatMarkup, liveHtml, liveMarkdown } from '../fixtures/syntax-checkers.ts'
import { githubContext, SHA } from '../fixtures/samples.ts'

const ZWSP = '\u200b'
/** Every construct of every syntax Chat reads, in one commit message. */
const ATTACK = [
  'Fix [the docs](https://evil.example/phish) and ![pixel](https://evil.example/p.png)',
  '<users/all> <https://evil.example|Click here> <https://evil.example> [ref][1] **bold** _it_ ~~s~~ `code`',
  '# Heading',
  '- item',
  '1. item',
  '    indented code',
  '> quote',
  '| a | b |',
  '<b>html</b> &lt;users/all&gt;',
  '[1]: https://evil.example/ref',
].join('\n')

function contextWith(values: { message?: string; branch?: string; env?: Record<string, string> }) {
  return templateContext({
    github: githubContext({
      payload: { head_commit: { id: SHA, message: values.message ?? ATTACK } },
      ref: `refs/heads/${values.branch ?? 'main'}`,
    }),
    env: { GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_REF_NAME: values.branch ?? 'main', ...values.env },
  })
}

function build(message: Record<string, unknown>, context = contextWith({})) {
  return buildCustomMessage({ input: 'message', text: JSON.stringify(message), format: 'json' }, context).message
}

const COMMIT = '{{ github.event.head_commit.message }}'

describe('custom messages: event text is inert in the syntax of its field', () => {
  test('text without markupSyntax is sent as Chat markup, and escaped for it', () => {
    const message = build({ text: `Pushed: ${COMMIT}` })
    expect(message.markupSyntax).toBe('MARKUP_SYNTAX_CHAT')
    expect(liveChatMarkup(message.text!.slice('Pushed: '.length))).toEqual([])
    expect(message.text!.replaceAll(ZWSP, '')).toBe(`Pushed: ${ATTACK}`)
  })

  test('text with MARKUP_SYNTAX_MARKDOWN: no link, image, mention, emphasis, heading, list or HTML survives', () => {
    for (const markupSyntax of ['MARKUP_SYNTAX_MARKDOWN', 2]) {
      const message = build({ text: COMMIT, markupSyntax })
      expect(liveMarkdown(message.text!)).toEqual([])
      expect(liveMarkdown(ATTACK).length).toBeGreaterThan(10)
    }
  })

  test('a text paragraph with textSyntax: MARKDOWN is escaped as Markdown; other card text as HTML', () => {
    const message = build({
      cardsV2: [
        {
          cardId: 'c',
          card: {
            sections: [
              {
                header: COMMIT,
                widgets: [
                  { textParagraph: { text: COMMIT, textSyntax: 'MARKDOWN' } },
                  { textParagraph: { text: COMMIT } },
                  { decoratedText: { text: COMMIT, topLabel: COMMIT } },
                ],
              },
            ],
          },
        },
      ],
    })
    const section = message.cardsV2![0]!.card!.sections![0]!
    expect(message.markupSyntax).toBeUndefined()
    expect(liveMarkdown(section.widgets![0]!.textParagraph!.text!)).toEqual([])
    expect(liveHtml(section.widgets![1]!.textParagraph!.text!)).toEqual([])
    expect(liveHtml(section.widgets![2]!.decoratedText!.text!)).toEqual([])
    expect(liveHtml(section.header!)).toEqual([])
  })

  test('MARKUP_SYNTAX_UNSPECIFIED (the app setting decides): inert as Chat markup and as Markdown', () => {
    const message = build({ text: COMMIT, markupSyntax: 'MARKUP_SYNTAX_UNSPECIFIED' })
    expect(liveMarkdown(message.text!)).toEqual([])
    expect(liveChatMarkup(message.text!)).toEqual([])
  })

  test('the escapers keep the text: only zero-width spaces and backslashes are added', () => {
    expect(escapeChatText(ATTACK).replaceAll(ZWSP, '')).toBe(ATTACK)
    const unescape = (text: string) => text.replaceAll(ZWSP, '').replace(/\\(.)/g, '$1')
    expect(unescape(escapeMarkdownText(ATTACK))).toBe(ATTACK)
    expect(unescape(escapeChatOrMarkdownText(ATTACK))).toBe(ATTACK)
  })

  test('the checkers do catch what they look for', () => {
    expect(liveChatMarkup('<users/all>')).not.toEqual([])
    expect(liveMarkdown('[a](https://evil.example)')).not.toEqual([])
    expect(liveMarkdown(`[a]${ZWSP}(https://evil.example) *x*`)).not.toEqual([])
    expect(liveHtml('<b>x</b>')).not.toEqual([])
  })
})

describe('URL placeholders', () => {
  function url(template: string, values: { branch?: string; env?: Record<string, string> }) {
    const report: FillReport = { missing: [], problems: [] }
    const value = fillString(template, contextWith(values), 'url', 'message.url', report)
    return { value, problems: report.problems }
  }

  test('a value in the host can only fill in one label before the template’s domain', () => {
    const template = 'https://{{ github.ref_name }}.example.com/x'
    expect(url(template, { branch: 'preview-7' })).toEqual({ value: 'https://preview-7.example.com/x', problems: [] })
    for (const branch of ['evil.example/x', 'evil.example#', 'evil.example?', 'a@evil.example', 'a.b', 'a:1']) {
      expect(url(template, { branch }).problems).toEqual([expect.stringMatching(/is in the URL’s host/)])
    }
    expect(url('https://example.com{{ github.ref_name }}/x', { branch: 'evil' }).problems).toEqual([
      expect.stringMatching(/at the end of the host/),
    ])
    expect(url('http{{ github.ref_name }}://example.com', { branch: 's' }).problems).toEqual([
      expect.stringMatching(/inside the URL’s scheme/),
    ])
  })

  test('a value in the path is path data: encoded, and never a . or .. segment', () => {
    const template = 'https://example.com/tree/{{ github.ref_name }}/README.md'
    expect(url(template, { branch: 'feat/a b#c?d' }).value).toBe(
      'https://example.com/tree/feat/a%20b%23c%3Fd/README.md',
    )
    for (const branch of ['../../admin', '..', 'a/./b', '..\\x']) {
      const { value, problems } = url(template, { branch })
      if (branch === '..\\x') expect(value).toBe('https://example.com/tree/..%5Cx/README.md')
      else expect(problems).toEqual([expect.stringMatching(/climb the path/)])
    }
    expect(url('https://example.com/{{ github.ref_name }}', { branch: '//evil.example/x' }).value).toBe(
      'https://example.com///evil.example/x',
    )
    expect(url('https://example.com/{{ github.ref_name }}', { branch: '\ud800' }).value).toBe(
      'https://example.com/%EF%BF%BD',
    )
  })

  test('a value in the query or fragment is encoded whole', () => {
    expect(url('https://example.com/s?q={{ github.ref_name }}&x=1', { branch: 'a&b=c#d/e' }).value).toBe(
      'https://example.com/s?q=a%26b%3Dc%23d%2Fe&x=1',
    )
    expect(url('https://example.com/#{{ github.ref_name }}', { branch: 'a b' }).value).toBe(
      'https://example.com/#a%20b',
    )
  })

  test('with | raw the value is not encoded, and the origin is still the template’s', () => {
    expect(url('https://example.com/{{ github.ref_name | raw }}', { branch: 'a?b=1' }).value).toBe(
      'https://example.com/a?b=1',
    )
    expect(url('https://example.com/{{ github.ref_name | raw }}', { branch: '../x' }).problems).toEqual([
      expect.stringMatching(/climb the path/),
    ])
  })

  test('a placeholder that is the whole URL must make an http(s) URL', () => {
    expect(url('{{ env.U }}', { env: { U: 'https://ok.example/a' } })).toEqual({
      value: 'https://ok.example/a',
      problems: [],
    })
    expect(url('{{ env.U }}', { env: { U: 'javascript:alert(1)' } }).problems).toEqual([
      expect.stringMatching(/must make an http\(s\) URL/),
    ])
  })

  test('a whole custom message with a hostile branch: one InputError naming the input', () => {
    const message = {
      cardsV2: [
        {
          cardId: 'c',
          card: {
            sections: [
              {
                widgets: [
                  {
                    buttonList: {
                      buttons: [
                        { text: 'Open', onClick: { openLink: { url: 'https://{{ github.ref_name }}.example.com' } } },
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
    expect(() => build(message, contextWith({ branch: 'evil.example/x' }))).toThrow(InputError)
    expect(() => build(message, contextWith({ branch: 'evil.example/x' }))).toThrow(/^Input 'message' has placeholder/)
  })
})

describe('the dry run’s step summary', () => {
  const BREAKOUT = '</code></pre><img src=x onerror=alert(1)><script>alert(2)</script>'

  function github(branch: string, commit: string) {
    return githubContext({
      ref: `refs/heads/${branch}`,
      payload: { head_commit: { id: SHA, message: commit }, ref: `refs/heads/${branch}` },
    })
  }

  function expectInert(summary: string): void {
    expect(summary).not.toMatch(/<img|<script|<[^>]*\sonerror\s*=/i)
    expect(summary.match(/<pre\b/g)?.length).toBe(summary.match(/<\/pre>/g)?.length)
    expect(summary.match(/<code\b/g)?.length).toBe(summary.match(/<\/code>/g)?.length)
  }

  test('HTML in a branch name and a commit message (preset card) stays text', async () => {
    const record = await runInProcess(
      { 'dry-run': 'true', status: 'success' },
      github(`feat/${BREAKOUT}`, `Commit ${BREAKOUT}`),
      { GITHUB_REF_NAME: `feat/${BREAKOUT}`, GITHUB_REPOSITORY: 'octo-org/octo-repo' },
    )
    expect(record.failed).toBeUndefined()
    expect(record.summary).toContain('Google Chat message (dry run)')
    expect(record.summary).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;img')
    expectInert(record.summary)
  })

  test('HTML in a custom message and in the values it reads stays text', async () => {
    const record = await runInProcess(
      {
        'dry-run': 'true',
        status: 'success',
        message: JSON.stringify({ text: `${BREAKOUT} {{ github.ref_name }} {{ github.event.head_commit.message }}` }),
      },
      github(BREAKOUT, BREAKOUT),
      { GITHUB_REF_NAME: BREAKOUT, GITHUB_REPOSITORY: 'octo-org/octo-repo' },
    )
    expect(record.failed).toBeUndefined()
    expect(record.summary).toContain('&lt;/code&gt;')
    expectInert(record.summary)
  })
})
