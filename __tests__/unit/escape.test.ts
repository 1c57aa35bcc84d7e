import { describe, expect, test } from '@jest/globals'
import { describeRun } from '../../src/github/run-context.ts'
import { buildMessage } from '../../src/message/build.ts'
import { escapeCardHtml, escapeChatText } from '../../src/message/escape.ts'
import { cardHtml, cardTexts, decodeEntities, githubContext, settings } from '../fixtures/samples.ts'

const ZWSP = '\u200b'
const EVIL = '<users/all> <https://evil.example|Click> <b>x</b> "quotes" &amp;'
const EVIL_HTML =
  '&lt;users/all&gt; &lt;https://evil.example|Click&gt; &lt;b&gt;x&lt;/b&gt; &quot;quotes&quot; &amp;amp;'

/** A pull request whose title, branch, head commit message and actor all carry markup. */
function evilRun(extra: { workflow?: string } = {}) {
  const payload = {
    pull_request: { number: 9, title: `PR ${EVIL}`, head: { ref: `feat/${EVIL}`, sha: 'a'.repeat(40) } },
    head_commit: { id: 'a'.repeat(40), message: `Commit ${EVIL}\n\nbody <users/all>` },
  }
  return describeRun(githubContext({ payload, eventName: 'pull_request', actor: `actor ${EVIL}`, ...extra }), {
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
  })
}

function pushRun() {
  const payload = { head_commit: { id: 'b'.repeat(40), message: `Commit ${EVIL}\nsecond line` } }
  return describeRun(
    githubContext({ payload, sha: 'b'.repeat(40), ref: `refs/heads/${EVIL}`, actor: `actor ${EVIL}` }),
    { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo-org/octo-repo' },
  )
}

describe('escapeCardHtml', () => {
  test('escapes every character HTML treats specially', () => {
    expect(escapeCardHtml(EVIL)).toBe(EVIL_HTML)
    expect(escapeCardHtml("it's")).toBe('it&#39;s')
    expect(decodeEntities(escapeCardHtml(EVIL))).toBe(EVIL)
  })
})

describe('escapeChatText', () => {
  test('every < is followed by a zero-width space; nothing is lost', () => {
    const escaped = escapeChatText(EVIL)
    expect(escaped).not.toMatch(/<(?!\u200b)/)
    expect(escaped.replaceAll(ZWSP, '')).toBe(EVIL)
  })
  test('formatting markers are broken too', () => {
    expect(escapeChatText('*bold* _it_ ~s~ `c`')).not.toMatch(/[*_~`](?!\u200b)/)
  })
})

describe('card mode: user data is text, never markup', () => {
  test.each([
    ['pull request', evilRun],
    ['push', pushRun],
  ])('%s: escaped in every decorated text', (_event, makeRun) => {
    const run = makeRun()
    const message = buildMessage(settings(), run)
    const html = cardHtml(message).join('\n')
    expect(html).toContain('&lt;users/all&gt;')
    expect(html).toContain('&lt;https://evil.example|Click&gt;')
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;')
    expect(html).toContain('&quot;quotes&quot;')
    expect(html).toContain('&amp;amp;')
    expect(html).not.toContain('<users/')
    expect(html).not.toContain('<https://')
    expect(html).not.toContain('<b>x</b>')
    expect(html).not.toContain('"quotes"')
    // The only tags are the builder's own.
    expect(new Set(html.match(/<\/?[a-z]+/g))).toEqual(new Set(['<a', '</a']))
    // Each piece of user data shows up escaped: commit title, branch, actor (and PR title for the PR).
    expect(html).toContain(`Commit ${EVIL_HTML}`)
    expect(html).toContain(`actor ${EVIL_HTML}`)
    if (run.pullRequest) expect(html).toContain(`PR ${EVIL_HTML}`)
    expect(html).not.toContain('second line')
    expect(html).not.toContain('body')
  })

  test('the header (plain text) carries no mention or Chat link either', () => {
    for (const run of [evilRun({ workflow: `Deploy ${EVIL}` }), pushRun()]) {
      const card = buildMessage(settings(), run).cardsV2?.[0]?.card
      for (const text of [card?.header?.title, card?.header?.subtitle]) {
        expect(text).not.toContain('<users/')
        expect(text).not.toContain('<https://')
        expect(text).not.toContain('<b>')
        // Shown as typed: no entities in a field Chat does not parse as HTML.
        expect(text).not.toContain('&lt;')
      }
      expect(card?.header?.title?.replaceAll(ZWSP, '')).toContain(run.workflow)
      expect(card?.header?.subtitle).toBe('octo-org/octo-repo')
    }
  })

  test('links to a branch with markup in its name are percent-encoded', () => {
    const message = buildMessage(settings(), pushRun())
    const hrefs = cardHtml(message).flatMap((html) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]))
    expect(hrefs.some((href) => href?.includes('/tree/%3Cusers/all%3E%20%3Chttps%3A/'))).toBe(true)
    for (const href of hrefs) expect(href).not.toMatch(/[<>" ]/)
  })

  test("the user's own text and title keep their formatting", () => {
    const message = buildMessage(
      settings({ text: 'Ping <users/all>: *deployed* <https://example.com|notes>', title: 'Deploy <b>v2</b>' }),
      evilRun(),
    )
    expect(message.text).toBe('Ping <users/all>: *deployed* <https://example.com|notes>')
    expect(message.cardsV2?.[0]?.card?.header?.title).toBe('Deploy <b>v2</b>')
    expect(message.fallbackText).toBe('Deploy <b>v2</b>')
  })
})

describe('text mode (card: none): Chat sees no mention, link or formatting from user data', () => {
  test.each([
    ['pull request', evilRun],
    ['push', pushRun],
  ])('%s: every < from user data is followed by U+200B', (_event, makeRun) => {
    const run = makeRun()
    const text = buildMessage(settings({ card: 'none' }), run).text ?? ''
    expect(text).not.toContain('<users/')
    expect(text).not.toContain('<https://evil')
    expect(text).not.toContain('<b>')
    // The builder's own links (to the server) are the only markup left.
    const markup = text.match(/<(?!\u200b)[^>]*>/g) ?? []
    expect(markup.length).toBeGreaterThan(0)
    for (const link of markup) expect(link).toMatch(/^<https:\/\/github\.com\/octo-org\/octo-repo\/[^ |>]+\|[^<>]+>$/)
    // Nothing is dropped: with the zero-width spaces removed, each value reads as typed.
    const plain = text.replaceAll(ZWSP, '')
    expect(plain).toContain(`Commit `)
    expect(plain).toContain(`actor ${EVIL}`)
    expect(plain).toContain(run.ref?.name)
    if (run.pullRequest) expect(plain).toContain(`PR ${EVIL}`)
  })

  test('a generated headline (workflow name is user data) is escaped', () => {
    const text = buildMessage(settings({ card: 'none' }), evilRun({ workflow: 'CI <users/all>' })).text ?? ''
    expect(text.split('\n')[0]).toBe(`*✅ CI <${ZWSP}users/all> succeeded*`)
  })

  test("the user's own text stays as is", () => {
    const text = buildMessage(settings({ card: 'none', text: 'Hello <users/all> *bold*' }), evilRun()).text
    expect(text).toBe('Hello <users/all> *bold*')
  })

  test("the user's own title keeps its formatting", () => {
    const text = buildMessage(settings({ card: 'none', title: 'Release <users/all> _now_' }), evilRun()).text ?? ''
    expect(text.split('\n')[0]).toBe('*Release <users/all> _now_*')
  })
})

test('card texts never contain raw markup from user data (checker used by the webhook sweep)', () => {
  const texts = cardTexts(buildMessage(settings(), evilRun({ workflow: `W ${EVIL}` })))
  for (const text of texts) {
    expect(text).not.toContain('<users/')
    expect(text).not.toContain('<https://')
  }
})
