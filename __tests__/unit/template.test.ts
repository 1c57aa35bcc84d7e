import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/errors.ts'
import { templateContext, type TemplateContext } from '../../src/message/template/context.ts'
import { fieldKind, formatPath } from '../../src/message/template/fields.ts'
import { fillString, fillTemplates, type FillReport } from '../../src/message/template/fill.ts'
import { decodeEntities, githubContext, SHA } from '../fixtures/samples.ts'

const ZWSP = '\u200b'
/** A commit message written to break things: quotes, newlines, a mention, markup and a closing `}}`. */
const NASTY = `Fix "quotes" & 'apostrophes'\n\nPing <users/all> *now* <b>bold</b> }} {{ env.SECRET }}`

function context(overrides: { env?: Record<string, string>; payload?: Record<string, unknown> } = {}): TemplateContext {
  return templateContext({
    github: githubContext({ payload: overrides.payload ?? { head_commit: { id: SHA, message: NASTY } } }),
    env: {
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REF_NAME: 'main',
      DEPLOY_URL: 'https://app.example.com/deploys/7',
      NOTES: '<b>Release</b> notes',
      INPUT_CREDENTIALS: '{"private_key":"secret"}',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-secret',
      ...overrides.env,
    },
    inputs: { status: 'success', title: 'Deploy', credentials: 'never', 'webhook-url': 'never' },
  })
}

function fill(text: string, kind: Parameters<typeof fillString>[2] = 'plain', ctx = context()) {
  const report: FillReport = { missing: [], problems: [] }
  const value = fillString(text, ctx, kind, 'message.x', report)
  return { value, ...report }
}

describe('templateContext', () => {
  test('uses GitHub’s own names for the run', () => {
    const { github } = context()
    expect(github).toMatchObject({
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      sha: SHA,
      ref: 'refs/heads/main',
      ref_name: 'main',
      ref_type: 'branch',
      actor: 'octocat',
      workflow: 'CI',
      job: 'build',
      run_id: '1234567890',
      run_number: '42',
      run_attempt: '1',
      event_name: 'push',
      server_url: 'https://github.com',
      run_url: 'https://github.com/octo-org/octo-repo/actions/runs/1234567890',
    })
  })

  test('hides secrets: runner and input variables, the credentials and webhook-url inputs', () => {
    const ctx = context()
    expect(ctx.env.INPUT_CREDENTIALS).toBeUndefined()
    expect(ctx.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBeUndefined()
    expect(ctx.env.DEPLOY_URL).toBe('https://app.example.com/deploys/7')
    expect(ctx.inputs).toEqual({ status: 'success', title: 'Deploy' })
    const { value, problems } = fill('{{ env.INPUT_CREDENTIALS }}')
    expect(value).toBe('')
    expect(problems).toEqual([expect.stringMatching(/env\.INPUT_CREDENTIALS is not available/)])
  })
})

describe('fillString', () => {
  test('fills paths into the event payload, by dot or bracket index', () => {
    const ctx = context({ payload: { commits: [{ message: 'one' }, { message: 'two' }] } })
    expect(fill('{{ github.event.commits[1].message }}/{{github.event.commits.0.message}}', 'plain', ctx).value).toBe(
      'two/one',
    )
    expect(fill('{{ github.event.commits.length }} commits', 'plain', ctx).value).toBe('2 commits')
    expect(fill("{{ env['DEPLOY_URL'] }}").value).toBe('https://app.example.com/deploys/7')
  })

  test('Chat text: a hostile commit message cannot mention, link or format', () => {
    const { value, missing, problems } = fill('Commit: {{ github.event.head_commit.message }}', 'chat-text')
    expect(missing).toEqual([])
    expect(problems).toEqual([])
    expect(value).not.toMatch(/<users\/all>/)
    expect(value).toContain(`<${ZWSP}users/all>`)
    expect(value).toContain(`*${ZWSP}now*${ZWSP}`)
    // The value is inserted once and never read as a template again.
    expect(value).toContain('}} {{ env.SECRET }}')
    expect(value.replaceAll(ZWSP, '')).toBe(`Commit: ${NASTY}`)
  })

  test('card HTML: the value is HTML-escaped and reads back as written', () => {
    const { value } = fill('<b>Commit</b> {{ github.event.head_commit.message }}', 'card-html')
    expect(value.startsWith('<b>Commit</b> ')).toBe(true)
    expect(value).not.toMatch(/<users|<b>bold/)
    expect(decodeEntities(value)).toBe(`<b>Commit</b> ${NASTY}`)
  })

  test('plain fields get the value as it is', () => {
    expect(fill('{{ github.event.head_commit.message }}').value).toBe(NASTY)
  })

  test('raw opts out of escaping for a trusted value', () => {
    expect(fill('{{ env.NOTES | raw }}', 'card-html').value).toBe('<b>Release</b> notes')
    expect(fill('{{ env.NOTES }}', 'card-html').value).toBe('&lt;b&gt;Release&lt;/b&gt; notes')
  })

  test('default fills a missing value; the literal form writes {{', () => {
    expect(fill("{{ env.NOPE | default('n/a') }}", 'card-html').value).toBe('n/a')
    expect(fill("{{ env.NOPE | default('<none>') }}", 'card-html').value).toBe('&lt;none&gt;')
    expect(fill("{{ '{{' }} env.X }} and it''s {{ \"it's\" }}").value).toBe("{{ env.X }} and it''s it's")
    expect(fill("{{ 'a''b' }}").value).toBe("a'b")
    expect(fill('a lone }} is text').value).toBe('a lone }} is text')
  })

  test('lists every missing placeholder, where it is', () => {
    const { missing } = fill('{{ env.A }} {{ github.event.pull_request.title }} {{ inputs.nope }}')
    expect(missing).toEqual([
      '{{ env.A }} (at message.x)',
      '{{ github.event.pull_request.title }} (at message.x)',
      '{{ inputs.nope }} (at message.x)',
    ])
  })

  test('malformed placeholders, unknown names and objects are problems', () => {
    expect(fill('{{ github.sha }').problems).toEqual([expect.stringMatching(/not a valid placeholder.*'\{\{'/)])
    expect(fill('{{ }}').problems).toEqual([expect.stringMatching(/expected a name/)])
    expect(fill('{{ env.A | upper }}').problems).toEqual([expect.stringMatching(/unknown filter "upper"/)])
    expect(fill('{{ env.A | default }}').problems).toEqual([expect.stringMatching(/default needs a value/)])
    expect(fill('{{ gihub.sha }}').problems).toEqual([expect.stringMatching(/unknown name "gihub"/)])
    expect(fill('{{ github.event.head_commit }}').problems).toEqual([
      expect.stringMatching(/is an object, not text: pick one of its fields/),
    ])
    expect(fill('{{ github.event.constructor }}').missing).toHaveLength(1)
  })

  test('URL fields: a leading placeholder gives the URL, later ones are encoded, only http(s) passes', () => {
    const ctx = context({ env: { BRANCH: 'feat/a b#c', JS: 'javascript:alert(1)', HOST: 'not a url' } })
    expect(fill('{{ env.DEPLOY_URL }}', 'url', ctx)).toMatchObject({ value: 'https://app.example.com/deploys/7' })
    expect(fill('{{ github.server_url }}/{{ github.repository }}/tree/{{ env.BRANCH }}', 'url', ctx).value).toBe(
      'https://github.com/octo-org/octo-repo/tree/feat/a%20b%23c',
    )
    expect(fill('{{ env.JS }}', 'url', ctx).problems).toEqual([expect.stringMatching(/must make an http\(s\) URL/)])
    expect(fill('{{ env.HOST }}', 'url', ctx).problems).toEqual([expect.stringMatching(/does not make a valid URL/)])
    expect(fill('{{ env.JS | raw }}', 'url', ctx).problems).toHaveLength(1)
  })

  test('strings without {{ are returned as they are', () => {
    expect(fill('no placeholders <b>', 'card-html').value).toBe('no placeholders <b>')
  })
})

describe('fieldKind', () => {
  test.each([
    [['text'], 'chat-text'],
    [['fallbackText'], 'plain'],
    [['cardsV2', 0, 'card', 'header', 'title'], 'plain'],
    [['cardsV2', 0, 'card', 'sections', 1, 'header'], 'card-html'],
    [['cards_v2', 0, 'card', 'sections', 0, 'widgets', 0, 'decorated_text', 'top_label'], 'card-html'],
    [['cardsV2', 0, 'card', 'sections', 0, 'widgets', 2, 'textParagraph', 'text'], 'card-html'],
    [['cardsV2', 0, 'card', 'sections', 0, 'widgets', 0, 'decoratedText', 'contentText', 'text'], 'card-html'],
    [['cardsV2', 0, 'card', 'sections', 0, 'widgets', 0, 'buttonList', 'buttons', 0, 'text'], 'plain'],
    [
      ['cardsV2', 0, 'card', 'sections', 0, 'widgets', 0, 'buttonList', 'buttons', 0, 'onClick', 'openLink', 'url'],
      'url',
    ],
    [['cardsV2', 0, 'card', 'header', 'imageUrl'], 'url'],
    [['cardsV2', 0, 'card', 'sections', 0, 'widgets', 0, 'image', 'image_url'], 'url'],
    [['cards', 0, 'sections', 0, 'widgets', 0, 'keyValue', 'content'], 'card-html'],
    [['accessoryWidgets', 0, 'buttonList', 'buttons', 0, 'text'], 'plain'],
  ] as const)('%j is %s', (path, kind) => {
    expect(fieldKind(path)).toBe(kind)
  })

  test('a Markdown text paragraph is escaped as Markdown', () => {
    expect(fieldKind(['cardsV2', 0, 'textParagraph', 'text'], { text: '', textSyntax: 'MARKDOWN' })).toBe('markdown')
  })

  test('formatPath prints paths as error messages do', () => {
    expect(formatPath('message', ['cardsV2', 0, 'card', 'sections', 1, 'header'])).toBe(
      'message.cardsV2[0].card.sections[1].header',
    )
  })
})

describe('fillTemplates', () => {
  test('fills string values only, escaping each for its field, and keeps the structure', () => {
    const message = {
      text: 'Pushed: {{ github.event.head_commit.message }}',
      cardsV2: [
        {
          cardId: '{{ github.sha }}',
          card: {
            header: { title: '{{ inputs.title }}: {{ github.event.head_commit.message }}' },
            sections: [
              {
                header: '{{ github.repository }}',
                widgets: [
                  { decoratedText: { text: '{{ github.event.head_commit.message }}', wrapText: true } },
                  {
                    buttonList: { buttons: [{ text: 'Run', onClick: { openLink: { url: '{{ github.run_url }}' } } }] },
                  },
                ],
              },
            ],
          },
        },
      ],
      '{{ keys }}': 1,
    }
    const filled = fillTemplates(message, context(), { input: 'message' })
    const json = JSON.parse(JSON.stringify(filled))
    expect(Object.keys(json)).toEqual(['text', 'cardsV2', '{{ keys }}'])
    expect(json.text).toContain(`<${ZWSP}users/all>`)
    const card = json.cardsV2[0].card
    expect(json.cardsV2[0].cardId).toBe(SHA)
    expect(card.header.title).toBe(`Deploy: ${NASTY}`)
    expect(card.sections[0].header).toBe('octo-org/octo-repo')
    expect(decodeEntities(card.sections[0].widgets[0].decoratedText.text)).toBe(NASTY)
    expect(card.sections[0].widgets[0].decoratedText.wrapText).toBe(true)
    expect(card.sections[0].widgets[1].buttonList.buttons[0].onClick.openLink.url).toBe(
      'https://github.com/octo-org/octo-repo/actions/runs/1234567890',
    )
  })

  test('one InputError names the input and every missing placeholder', () => {
    const message = { text: '{{ env.ONE }}', cardsV2: [{ card: { header: { title: '{{ env.TWO }}' } } }] }
    let error: unknown
    try {
      fillTemplates(message, context(), { input: 'message-file' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('message-file')
    expect((error as Error).message).toBe(
      "Input 'message-file' has placeholders with no value: {{ env.ONE }} (at message.text); {{ env.TWO }} (at message.cardsV2[0].card.header.title). Set them (e.g. in the step's env), or give a fallback: {{ env.NAME | default('none') }}",
    )
  })

  test('missing values and problems are reported together', () => {
    expect(() => fillTemplates({ text: '{{ env.ONE }} {{ nope }}' }, context(), { input: 'message' })).toThrow(
      /no value: \{\{ env\.ONE \}\}.*It also has placeholder problems: message\.text: \{\{ nope \}\}/,
    )
  })
})
