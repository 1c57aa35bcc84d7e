import { describe, expect, test } from '@jest/globals'
import type { chat_v1 } from '@googleapis/chat'
import { STATUSES } from '../../src/domain.ts'
import { buildMessage } from '../../src/message/build.ts'
import { escapeCardHtml, escapeChatText } from '../../src/message/escape.ts'
import { buttonType, renderCardHtml, renderMessageHtml, renderPageHtml } from '../../emulator/preview-page.ts'
import { formatChatText, materialIconName, sanitizeCardHtml } from '../../src/message/chat-html.ts'
import { renderSummaryHtml } from '../../src/message/summary-html.ts'
import { decodeEntities, runContext, settings } from '../fixtures/samples.ts'

type Message = chat_v1.Schema$Message
type Widget = chat_v1.Schema$GoogleAppsCardV1Widget

const PR = { number: 7, title: 'Add a preview', url: 'https://github.com/octo-org/octo-repo/pull/7' }

/** The status card with every fact a push or pull request has (the compact default shows four). */
const EVERY_FACT = [
  'status',
  'repository',
  'branch',
  'commit',
  'pull-request',
  'actor',
  'event',
  'workflow',
  'job',
] as const

function statusMessage(overrides: Parameters<typeof settings>[0] = {}): Message {
  return buildMessage(settings({ fields: [...EVERY_FACT], ...overrides }), runContext({ pullRequest: PR }))
}

function widgets(message: Message): Widget[] {
  return (message.cardsV2 ?? []).flatMap((c) => (c.card?.sections ?? []).flatMap((s) => s.widgets ?? []))
}

/** Payloads that must come out as text: scripts, event handlers, script URLs in every spelling, escapes. */
const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<a href="javascript:window.__pwned=1">js</a>',
  '<a href=" JaVaScRiPt:alert(1)">js2</a>',
  '<a href="java&#115;cript:alert(1)">js3</a>',
  '<a href="&#106;avascript:alert(1)">js4</a>',
  '<a href="java\tscript:alert(1)">js5</a>',
  '<a href="javascript&colon;alert(1)">js6</a>',
  '<a href="data:text/html,<script>alert(1)</script>">data</a>',
  '<a href="vbscript:msgbox(1)">vb</a>',
  '<a href="https://ok.example/" onclick="window.__pwned=1" style="color:red">ok</a>',
  '<a href=https://ok.example/ onmouseover=alert(1)>unquoted</a>',
  '<a href="https://ok.example/"onmouseover=alert(1)">glued</a>',
  '<font color="red" onmouseover="alert(1)">f</font>',
  '<font color="red;background:url(javascript:alert(1))">f2</font>',
  `<font color='"><script>alert(1)</script>'>f3</font>`,
  '<svg onload="window.__pwned=1"></svg>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<style>*{display:none}</style>',
  '<b onclick="alert(1)">b</b>',
  '</div></div><div onclick="alert(1)">out of the card</div>',
  '<!-- comment --><![CDATA[x]]>',
  '<b>unclosed <i>tags',
].join(' ')

const PAGE_TAGS = ['div', 'span', 'a', 'b', 'i', 'u', 's', 'font', 'br', 'code', 'pre', 'ul', 'ol', 'li', 'time']
const ATTRIBUTE_RULES: Record<string, RegExp> = {
  href: /^(https?:|mailto:)/i,
  src: /^https?:/i,
  class: /^[a-z][a-z -]*$/,
  target: /^_blank$/,
  rel: /^noopener noreferrer$/,
  color: /^(#[0-9a-f]{3,8}|[a-z]+)$/i,
  style: /^(-webkit-line-clamp:\d+|--cols:\d+|background:rgb\(\d+,\d+,\d+\);border-color:transparent;color:#fff)$/,
  alt: /^/,
  title: /^/,
  'aria-hidden': /^true$/,
  loading: /^lazy$/,
}

/**
 * Every tag in the output (text never holds a raw '<', so each one is real) is allowed, with allowed,
 * well-formed attributes only; returns the tags for further checks.
 */
function expectOnlySafeTags(html: string, allowed = [...PAGE_TAGS, 'img', 'hr']): { name: string; attrs: string }[] {
  expect(html).not.toMatch(/<(?![a-z/])/i)
  const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((m) => ({
    name: m[1] as string,
    attrs: m[2] as string,
  }))
  for (const { name, attrs } of tags) {
    expect(allowed).toContain(name)
    expect(attrs.replace(/ [a-z-]+="[^"]*"/g, '')).toBe('')
    for (const [, attribute, value] of attrs.matchAll(/ ([a-z-]+)="([^"]*)"/g)) {
      const rule = ATTRIBUTE_RULES[attribute as string]
      expect({ attribute, allowed: Boolean(rule) }).toEqual({ attribute, allowed: true })
      expect(value).not.toMatch(/[<>]/)
      expect(decodeEntities(value as string)).toMatch(rule as RegExp)
    }
  }
  expect(html).not.toMatch(/<script/i)
  // Attribute values are quoted and escaped: with them emptied, no tag holds a handler.
  expect(html.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[^>]*\son[a-z]+\s*=/i)
  expect(html).not.toMatch(/href="\s*(javascript|data|vbscript)/i)
  return tags
}

function expectBalanced(html: string): void {
  const open: string[] = []
  for (const [, slash, name] of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    if (['br', 'img', 'hr'].includes(name as string)) continue
    if (slash) expect(open.pop()).toBe(name)
    else open.push(name as string)
  }
  expect(open).toEqual([])
}

describe('renderMessageHtml: the status card', () => {
  const message = statusMessage({ text: 'Deployed for <users/all>' })
  const html = renderMessageHtml(message, { sender: 'Release bot', time: '10:42 AM' })
  const card = message.cardsV2?.[0]?.card as chat_v1.Schema$GoogleAppsCardV1Card

  test('sender line: app name, App badge and time', () => {
    expect(html).toContain('<span class="gc-sender">Release bot</span><span class="gc-badge">App</span>')
    expect(html).toContain('<span class="gc-time">10:42 AM</span>')
  })

  test('header: title and subtitle as plain text', () => {
    expect(html).toContain(`<div class="gc-title">${escapeCardHtml(card.header?.title as string)}</div>`)
    expect(html).toContain(`<div class="gc-subtitle">${escapeCardHtml(card.header?.subtitle as string)}</div>`)
  })

  test('every fact: icon, top label and card HTML, in order', () => {
    const facts = widgets(message).filter((w) => w.decoratedText)
    expect(facts.length).toBeGreaterThan(5)
    expect(html.match(/class="gc-w gc-dt"/g)).toHaveLength(facts.length)
    let from = 0
    for (const { decoratedText } of facts) {
      const label = `<div class="gc-label">${decoratedText?.topLabel}</div>`
      const at = html.indexOf(label, from)
      expect(at).toBeGreaterThan(from)
      expect(html).toContain(`title="${decoratedText?.startIcon?.materialIcon?.name}"`)
      from = at
    }
    expect(html).toContain('<font color="#188038"><b>Succeeded</b></font>')
    expect(html).toContain(`<a href="https://github.com/octo-org/octo-repo/pull/7" target="_blank"`)
  })

  test('every button is a pill link to its openLink URL, outlined as Chat draws a button without a type', () => {
    const buttons = widgets(message).flatMap((w) => w.buttonList?.buttons ?? [])
    expect(buttons.map((b) => b.text)).toEqual(['View run', 'View commit', 'View pull request'])
    for (const button of buttons) {
      const href = escapeCardHtml(button.onClick?.openLink?.url as string)
      expect(html).toContain(
        `<a class="gc-btn gc-outlined" href="${href}" target="_blank" rel="noopener noreferrer">${button.text}</a>`,
      )
    }
  })

  test('sections are separated, the text above the card has the mention chip', () => {
    expect(html.match(/class="gc-section gc-divided"/g)).toHaveLength(card.sections?.length as number)
    expect(html).toContain('<div class="gc-text">Deployed for <b class="gc-mention">@all</b></div>')
    expect(html.indexOf('gc-text')).toBeLessThan(html.indexOf('gc-card'))
  })

  test('output is well nested and uses only safe tags', () => {
    expectOnlySafeTags(html)
    expectBalanced(html)
  })

  test.each(STATUSES)('every icon of the %s card is a Material symbol, drawn by the icon font', (status) => {
    const page = renderMessageHtml(statusMessage({ status }))
    const icons = [
      ...page.matchAll(/<span class="gc-icon gc-mi" title="([a-z_]+)" aria-hidden="true">([^<]*)<\/span>/g),
    ]
    expect(icons.length).toBeGreaterThan(5)
    // The ligature is the name itself: the font turns it into the symbol.
    for (const [, name, ligature] of icons) expect(ligature).toBe(name)
  })
})

describe('buttons and icons as Chat draws them', () => {
  test('button types (discovery doc, Button.type): unset is OUTLINED; a color forces FILLED', () => {
    expect(buttonType({ text: 'x' })).toBe('outlined')
    expect(buttonType({ text: 'x', type: 'TYPE_UNSPECIFIED' })).toBe('outlined')
    expect(buttonType({ text: 'x', type: 'OUTLINED' })).toBe('outlined')
    expect(buttonType({ text: 'x', type: 'FILLED' })).toBe('filled')
    expect(buttonType({ text: 'x', type: 'FILLED_TONAL' })).toBe('filled-tonal')
    expect(buttonType({ text: 'x', type: 'BORDERLESS' })).toBe('borderless')
    expect(buttonType({ text: 'x', type: 'BORDERLESS', color: { red: 1 } })).toBe('filled')
    const html = renderCardHtml({
      sections: [{ widgets: [{ buttonList: { buttons: [{ text: 'A', type: 'FILLED_TONAL' }, { text: 'B' }] } }] }],
    })
    expect(html).toContain('<span class="gc-btn gc-filled-tonal">A</span><span class="gc-btn gc-outlined">B</span>')
  })

  test('icons: Material names as they are, built-in icons as their symbols, invalid names drawn as nothing', () => {
    expect(materialIconName({ materialIcon: { name: 'rocket_launch' } })).toBe('rocket_launch')
    expect(materialIconName({ knownIcon: 'STAR' })).toBe('star')
    expect(materialIconName({ knownIcon: 'AIRPLANE' })).toBe('flight')
    expect(materialIconName({ materialIcon: { name: 'Check Circle' } })).toBe('')
    expect(materialIconName({ materialIcon: { name: '<b>x</b>' } })).toBe('')
    const html = renderCardHtml({
      sections: [{ widgets: [{ decoratedText: { text: 't', startIcon: { materialIcon: { name: 'bad name' } } } }] }],
    })
    expect(html).not.toContain('gc-mi')
    expect(html).not.toContain('bad name')
  })
})

describe('renderMessageHtml: defaults and other widgets', () => {
  test('sender from the message, time from createTime in UTC, no badge for people', () => {
    const html = renderMessageHtml({
      text: 'hi',
      createTime: '2024-05-01T15:04:00Z',
      sender: { displayName: 'Ada <b>', type: 'HUMAN' },
    })
    expect(html).toContain('<span class="gc-sender">Ada &lt;b&gt;</span><span class="gc-time">3:04 PM UTC</span>')
    expect(renderMessageHtml({ text: 'hi' })).toContain('Chat app</span><span class="gc-badge">App</span>')
  })

  const showcase: Message = {
    cardsV2: [
      {
        cardId: 'showcase',
        card: {
          header: {
            title: 'Release',
            subtitle: 'v1.2.3',
            imageUrl: 'https://example.com/logo.png',
            imageType: 'CIRCLE',
          },
          sections: [
            {
              header: 'Notes <i>new</i>',
              collapsible: true,
              widgets: [
                { textParagraph: { text: 'Line one\nline <b>two</b>', maxLines: 3 } },
                { textParagraph: { text: '**bold** and [docs](https://example.com/docs)', textSyntax: 'MARKDOWN' } },
                { divider: {} },
                {
                  columns: {
                    columnItems: [
                      {
                        widgets: [
                          { decoratedText: { topLabel: 'Left', text: 'one', startIcon: { knownIcon: 'STAR' } } },
                        ],
                      },
                      { widgets: [{ decoratedText: { topLabel: 'Right', text: 'two' } }] },
                    ],
                  },
                },
                { image: { imageUrl: 'https://example.com/chart.png', altText: 'Chart' } },
                {
                  grid: {
                    title: 'Artifacts',
                    columnCount: 3,
                    items: [{ title: 'linux', subtitle: 'x64', image: { imageUri: 'https://example.com/a.png' } }],
                  },
                },
                {
                  chipList: {
                    chips: [
                      { label: 'docs', onClick: { openLink: { url: 'https://example.com/chip' } } },
                      { label: 'bug' },
                    ],
                  },
                },
                {
                  decoratedText: {
                    text: 'with a button',
                    bottomLabel: 'below',
                    button: { text: 'Open', type: 'OUTLINED', onClick: { openLink: { url: 'https://example.com/o' } } },
                  },
                },
                { decoratedText: { text: 'a switch', switchControl: { name: 's', selected: true } } },
                { buttonList: { buttons: [{ text: 'Action', onClick: { action: { function: 'x' } } }] } },
                { textInput: { name: 'who', label: 'Who' } },
                { textParagraph: { text: 'hidden' }, visibility: 'HIDDEN' },
              ],
            },
          ],
        },
      },
    ],
    accessoryWidgets: [
      { buttonList: { buttons: [{ text: 'Ack', onClick: { openLink: { url: 'https://example.com/ack' } } }] } },
    ],
  }
  const html = renderMessageHtml(showcase)

  test('header image, section header, paragraphs (HTML and Markdown), divider', () => {
    expect(html).toContain('<img class="gc-header-img gc-circle" src="https://example.com/logo.png" alt=""')
    expect(html).toContain('<div class="gc-section-header">Notes <i>new</i></div>')
    expect(html).toContain('style="-webkit-line-clamp:3">Line one<br>line <b>two</b></div>')
    expect(html).toContain('<b>bold</b> and <a href="https://example.com/docs"')
    expect(html).toContain('<hr class="gc-divider">')
    expect(html).not.toContain('>hidden<')
  })

  test('columns, image, grid, chips, decorated text with button and switch, unsupported widgets named', () => {
    expect(html).toMatch(/<div class="gc-w gc-columns"><div class="gc-col">.*Left.*<\/div><div class="gc-col">.*Right/)
    expect(html).toContain('<span class="gc-icon gc-mi" title="star" aria-hidden="true">star</span>')
    expect(html).toContain('<img class="gc-img" src="https://example.com/chart.png" alt="Chart"')
    expect(html).toContain(
      'style="--cols:3"><div class="gc-grid-item"><img class="gc-grid-img" src="https://example.com/a.png"',
    )
    expect(html).toContain('<a class="gc-chip" href="https://example.com/chip"')
    expect(html).toContain('<span class="gc-chip">bug</span>')
    expect(html).toContain('<a class="gc-btn gc-outlined" href="https://example.com/o"')
    expect(html).toContain('<div class="gc-label">below</div>')
    expect(html).toContain('<span class="gc-switch gc-on"')
    expect(html).toContain('<span class="gc-btn gc-outlined">Action</span>')
    expect(html).toContain('[textInput: not drawn in the preview]')
    expect(html).toContain(
      '<div class="gc-accessory"><div class="gc-w gc-buttons"><a class="gc-btn gc-outlined" href="https://example.com/ack"',
    )
    expectOnlySafeTags(html)
    expectBalanced(html)
  })
})

describe('sanitizeCardHtml', () => {
  test("keeps Chat's subset with safe attributes", () => {
    expect(
      sanitizeCardHtml(
        '<b>b</b> <I>i</I> <u>u</u> <s>s</s> <font color="#d93025">red</font> <font color=green>g</font><br/>' +
          '<a href="https://example.com/?a=1&amp;b=2">link</a> <a href="mailto:ops@example.com">mail</a> &amp; &copy;',
      ),
    ).toBe(
      '<b>b</b> <i>i</i> <u>u</u> <s>s</s> <font color="#d93025">red</font> <font color="green">g</font><br>' +
        '<a href="https://example.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">link</a> ' +
        '<a href="mailto:ops@example.com" target="_blank" rel="noopener noreferrer">mail</a> &amp; &copy;',
    )
  })

  test('what the action escapes stays text', () => {
    const evil = '<script>alert(1)</script> & "q"'
    expect(sanitizeCardHtml(escapeCardHtml(evil))).toBe(escapeCardHtml(evil))
  })

  test('hostile HTML comes out inert and visible as text', () => {
    const html = sanitizeCardHtml(HOSTILE)
    const tags = expectOnlySafeTags(html, PAGE_TAGS)
    expectBalanced(html)
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;')
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;')
    expect(html).toContain('&lt;/div&gt;&lt;/div&gt;&lt;div onclick=&quot;alert(1)&quot;&gt;')
    // Script URLs leave a link without an address; the safe one keeps its address only.
    expect(html).toContain('<a>js</a> <a>js2</a> <a>js3</a> <a>js4</a> <a>js5</a> <a>js6</a> <a>data</a> <a>vb</a>')
    expect(html).toContain('<a href="https://ok.example/" target="_blank" rel="noopener noreferrer">ok</a>')
    expect(html).toContain('<a href="https://ok.example/" target="_blank" rel="noopener noreferrer">unquoted</a>')
    expect(html).toContain('<font color="red">f</font> <font>f2</font> <font>f3</font>')
    expect(html).toContain('&lt;a href=&quot;https://ok.example/&quot;onmouseover=alert(1)&quot;&gt;glued ')
    expect(tags.filter((t) => t.name === 'a' && t.attrs.includes('href'))).toHaveLength(2)
    expect(html.endsWith('<b>unclosed <i>tags</i></b>')).toBe(true)
  })

  test('misnested and stray tags are repaired; formatting never spans a list', () => {
    expect(sanitizeCardHtml('<b><i>x</b>y</i></u>')).toBe('<b><i>x</i></b>y')
    expect(sanitizeCardHtml('<b>a<ul><li>1<li>2</ul>')).toBe('<b>a</b><ul><li>1</li><li>2</li></ul>')
    expect(sanitizeCardHtml('<a href="https://a.example/">x<a href="https://b.example/">y</a>')).toBe(
      '<a href="https://a.example/" target="_blank" rel="noopener noreferrer">xy</a>',
    )
  })

  test('for the summary: no <font>, <u> as <ins>', () => {
    expect(sanitizeCardHtml('<font color="red"><b>x</b></font> <u>y</u>', true)).toBe('<b>x</b> <ins>y</ins>')
  })
})

describe('formatChatText', () => {
  test('bold, italic, strike, code, blocks, bullets, line breaks', () => {
    expect(formatChatText('*bold* _it_ ~gone~ `x *y*` 2*3*4 snake_case_name')).toBe(
      '<b>bold</b> <i>it</i> <s>gone</s> <code>x *y*</code> 2*3*4 snake_case_name',
    )
    expect(formatChatText('before\n```\nconst a = b * c;\n<x>\n```\n* one\n- two')).toBe(
      'before<br><pre>const a = b * c;<br>&lt;x&gt;</pre>• one<br>• two',
    )
  })

  test('links only for http and https; labels and URLs escaped', () => {
    expect(formatChatText('<https://example.com/a?b=1&c="2"|Docs & more> and https://example.com/x.')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=&quot;2&quot;" target="_blank" rel="noopener noreferrer">Docs &amp; more</a>' +
        ' and <a href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a>.',
    )
    for (const text of [
      '<javascript:alert(1)|x>',
      '<data:text/html,x|y>',
      '<ftp://example.com|z>',
      '[a](javascript:x)',
    ]) {
      const html = formatChatText(text, true)
      expect(html).not.toContain('<a')
      expect(html).toBe(escapeCardHtml(text))
    }
  })

  test('mentions as chips, with display names from annotations', () => {
    const message: Message = {
      text: 'Hey <users/123> and <users/all>, not <users/456>',
      annotations: [{ type: 'USER_MENTION', userMention: { user: { name: 'users/123', displayName: 'Ada <L>' } } }],
    }
    expect(renderMessageHtml(message)).toContain(
      'Hey <b class="gc-mention">@Ada &lt;L&gt;</b> and <b class="gc-mention">@all</b>, not <b class="gc-mention">@user</b>',
    )
  })

  test('hostile text is escaped; text escaped by the action stays literal', () => {
    const hostile = formatChatText('<img src=x onerror=alert(1)> <script>x</script> "q" \'s\' &amp;')
    expect(hostile).toBe(
      '&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;x&lt;/script&gt; &quot;q&quot; &#39;s&#39; &amp;amp;',
    )
    const escaped = formatChatText(escapeChatText('<users/all> *x* _y_ <https://evil.example|Click>'))
    expect(escaped).not.toMatch(/<(b|i)[ >]/)
    expect(escaped).not.toContain('gc-mention')
    // Chat links a bare URL; the link shows its own address, never a label from the text.
    expect(escaped).toContain(
      '<a href="https://evil.example" target="_blank" rel="noopener noreferrer">https://evil.example</a>',
    )
    expect(escaped).not.toContain('>Click</a>')
  })

  test('Markdown syntax when the message says so', () => {
    const html = renderMessageHtml({
      text: '**b** *i* _i2_ ~~s~~ [docs](https://example.com)',
      markupSyntax: 'MARKUP_SYNTAX_MARKDOWN',
    })
    expect(html).toContain('<b>b</b> <i>i</i> <i>i2</i> <s>s</s> <a href="https://example.com"')
  })
})

describe('hostile messages', () => {
  const hostile: Message = {
    text: HOSTILE,
    sender: { displayName: HOSTILE },
    createTime: HOSTILE,
    annotations: [{ userMention: { user: { name: 'users/1', displayName: HOSTILE } } }],
    cardsV2: [
      {
        card: {
          header: { title: HOSTILE, subtitle: HOSTILE, imageUrl: 'javascript:alert(1)', imageAltText: HOSTILE },
          sections: [
            {
              header: HOSTILE,
              widgets: [
                {
                  decoratedText: {
                    topLabel: HOSTILE,
                    text: HOSTILE,
                    bottomLabel: HOSTILE,
                    startIcon: { iconUrl: 'javascript:x', altText: HOSTILE },
                  },
                },
                { decoratedText: { text: 'x', startIcon: { materialIcon: { name: HOSTILE } } } },
                { textParagraph: { text: HOSTILE } },
                { textParagraph: { text: `${HOSTILE} <users/1>`, textSyntax: 'MARKDOWN' } },
                {
                  buttonList: {
                    buttons: [
                      { text: HOSTILE, onClick: { openLink: { url: 'javascript:window.__pwned=1' } } },
                      {
                        text: 'ok',
                        onClick: { openLink: { url: 'https://example.com/"><script>alert(1)</script>' } },
                        color: { red: 2 },
                      },
                    ],
                  },
                },
                { image: { imageUrl: 'data:image/svg+xml,<svg onload=alert(1)>', altText: HOSTILE } },
                {
                  grid: {
                    title: HOSTILE,
                    items: [{ title: HOSTILE, subtitle: HOSTILE, image: { imageUri: 'javascript:x' } }],
                  },
                },
                { chipList: { chips: [{ label: HOSTILE, onClick: { openLink: { url: ' javascript:x' } } }] } },
                { columns: { columnItems: [{ widgets: [{ textParagraph: { text: HOSTILE } }] }] } },
              ],
            },
          ],
        },
      },
    ],
  }

  test('the preview has no script, no handler, no script URL, and stays well nested', () => {
    const html = renderMessageHtml(hostile, { time: HOSTILE })
    const tags = expectOnlySafeTags(html)
    expectBalanced(html)
    expect(tags.filter((t) => t.name === 'img')).toEqual([])
    expect(html).toContain('href="https://example.com/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
    expect(html).toContain('style="background:rgb(255,0,0);border-color:transparent;color:#fff"')
  })

  test('the page: escaped title, CSP, no script', () => {
    const page = renderPageHtml(`${HOSTILE}</title>`, [hostile, statusMessage()])
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true)
    expect(page).toContain(`content="default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'"`)
    expect(page).toMatch(/<title>&lt;script&gt;.*&lt;\/title&gt;<\/title>/)
    expect(page).not.toMatch(/<script/i)
    expect(page.match(/<style>/g)).toHaveLength(1)
    expect(page.slice(page.indexOf('<style>'), page.indexOf('</style>'))).not.toMatch(/@import|url\(|@font-face/)
    expectOnlySafeTags(page.slice(page.indexOf('<main'), page.indexOf('</main>')), [
      ...PAGE_TAGS,
      'img',
      'hr',
      'main',
      'h1',
    ])
  })

  test('the summary: only tags GitHub keeps, no styles', () => {
    const summary = renderSummaryHtml(hostile)
    const githubTags = [
      'div',
      'h3',
      'p',
      'table',
      'tr',
      'td',
      'a',
      'b',
      'i',
      'ins',
      's',
      'br',
      'code',
      'pre',
      'ul',
      'ol',
      'li',
      'time',
      'sub',
      'hr',
      'img',
    ]
    const tags = expectOnlySafeTags(summary, githubTags)
    expect(tags.filter((t) => / (style|class|target|rel|color)=/.test(t.attrs))).toEqual([])
    expect(summary).not.toContain('<p></p>')
    expect(summary).not.toMatch(/\n\s*\n/)
  })
})

describe('renderSummaryHtml', () => {
  const message = statusMessage({ text: 'Shipped for <users/all>\n\nsecond paragraph' })
  const summary = renderSummaryHtml(message)

  test('header as <h3>, facts as a table, buttons as links', () => {
    const card = message.cardsV2?.[0]?.card
    expect(summary).toContain(`<h3>${escapeCardHtml(card?.header?.title as string)}</h3>`)
    expect(summary).toContain(`<p><i>${escapeCardHtml(card?.header?.subtitle as string)}</i></p>`)
    expect(summary).toContain('<tr><td>✅ <b>Status</b></td><td><b>Succeeded</b></td></tr>')
    const facts = widgets(message).filter((w) => w.decoratedText)
    expect(summary.match(/<table>/g)).toHaveLength(1)
    expect(summary.match(/<tr>/g)).toHaveLength(facts.length)
    const links = widgets(message)
      .flatMap((w) => w.buttonList?.buttons ?? [])
      .map((b) => `<a href="${escapeCardHtml(b.onClick?.openLink?.url as string)}">${b.text}</a>`)
    expect(summary).toContain(`<p>${links.join(' · ')}</p>`)
  })

  test('one Markdown HTML block: no blank lines, ends with a newline, message text first', () => {
    expect(summary).not.toMatch(/\n\s*\n/)
    expect(summary.endsWith('</p>\n')).toBe(true)
    expect(summary.startsWith('<div>Shipped for <b>@all</b><br><br>second paragraph</div>\n<h3>')).toBe(true)
    expect(summary).not.toMatch(/ (style|class|target|rel)=|<style|<font/)
  })

  test('columns flatten into one table', () => {
    const column = (label: string): chat_v1.Schema$GoogleAppsCardV1Column => ({
      widgets: [{ decoratedText: { topLabel: label, text: label.toLowerCase() } }],
    })
    const html = renderSummaryHtml({
      cardsV2: [{ card: { sections: [{ widgets: [{ columns: { columnItems: [column('A'), column('B')] } }] }] } }],
    })
    expect(html).toBe('<table><tr><td><b>A</b></td><td>a</td></tr><tr><td><b>B</b></td><td>b</td></tr></table>\n')
  })
})
