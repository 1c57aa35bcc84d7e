// GitHub Markdown → Chat card HTML, construct by construct, and the budget: balanced tags, whole entities, no raw HTML.
import { describe, expect, test } from '@jest/globals'
import { CODE_COLOR, decodeEntities, markdownToCardHtml } from '../../src/message/markdown.ts'
import { LONE_SURROGATE } from '../fixtures/samples.ts'

const html = (markdown: string) => markdownToCardHtml(markdown).html
const CODE = `<font color="${CODE_COLOR}">`
const ALLOWED = new Set(['b', 'i', 's', 'font', 'a', 'br'])

/** Every problem with a piece of card HTML: unknown or unbalanced tags, stray '<' or '>', broken entities. */
function htmlProblems(value: string): string[] {
  const problems: string[] = []
  const stack: string[] = []
  for (const match of value.matchAll(/<(\/?)([a-z]+)((?:\s[^<>]*)?)>/g)) {
    const [, closing, name, attributes] = match as unknown as [string, string, string, string]
    if (!ALLOWED.has(name)) problems.push(`tag <${name}>`)
    if (name === 'br') continue
    if (name === 'a' && !closing && !/^ href="[^"<>]*"$/.test(attributes)) problems.push(`attributes ${attributes}`)
    if (name === 'font' && !closing && attributes !== ` color="${CODE_COLOR}"`) problems.push(`font ${attributes}`)
    if (closing) {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`)
    } else stack.push(name)
  }
  if (stack.length) problems.push(`unclosed ${stack.join(',')}`)
  const text = value.replace(/<\/?[a-z]+(?:\s[^<>]*)?>/g, '')
  if (/[<>]/.test(text)) problems.push(`stray < or > in ${JSON.stringify(text.slice(0, 80))}`)
  for (const amp of text.matchAll(/&[^;&\s]*;?/g)) {
    if (!/^&(?:amp|lt|gt|quot|#39);$/.test(amp[0])) problems.push(`entity ${amp[0]}`)
  }
  if (LONE_SURROGATE.test(value)) problems.push('lone surrogate')
  return problems
}

/** The hrefs of the links, entity-decoded. */
function hrefs(value: string): string[] {
  return [...value.matchAll(/<a href="([^"]*)">/g)].map((m) => decodeEntities(m[1] as string))
}

describe('blocks', () => {
  test('headings of every level and setext headings are bold lines, their content on the next line', () => {
    expect(html('# One\ntext')).toBe('<b>One</b><br>text')
    expect(html('###### Six *em*\n\nafter')).toBe('<b>Six <i>em</i></b><br>after')
    expect(html('Setext\n===\n\nbody')).toBe('<b>Setext</b><br>body')
  })

  test('paragraphs are separated by a blank line; single new lines are line breaks, as on GitHub', () => {
    expect(html('one\ntwo\n\nthree')).toBe('one<br>two<br><br>three')
    expect(html('one\r\ntwo')).toBe('one<br>two')
  })

  test('unordered lists: "• " lines; nested lists indented with em spaces', () => {
    expect(html('- a\n- b\n  - c\n    - d\n- e')).toBe('• a<br>• b<br>\u2003• c<br>\u2003\u2003• d<br>• e')
  })

  test('ordered lists keep their numbers, starting where the Markdown starts', () => {
    expect(html('1. one\n2. two')).toBe('1. one<br>2. two')
    expect(html('3. three\n4. four')).toBe('3. three<br>4. four')
  })

  test('task lists show their boxes; loose items keep later paragraphs under the bullet', () => {
    expect(html('- [x] done\n- [ ] todo')).toBe('• ☑ done<br>• ☐ todo')
    expect(html('- first\n\n  second\n- next')).toBe('• first<br>\u2003second<br>• next')
  })

  test('code blocks: grey, line by line, indentation kept, HTML inert', () => {
    expect(html('```js\nif (a < b) {\n  run("<x>")\n}\n```')).toBe(
      `${CODE}if (a &lt; b) {<br>\u00a0\u00a0run(&quot;&lt;x&gt;&quot;)<br>}</font>`,
    )
    expect(html('    indented &amp; code')).toBe(`${CODE}indented &amp;amp; code</font>`)
  })

  test('block quotes are grey', () => {
    expect(html('> quoted **bold**')).toBe(`${CODE}quoted <b>bold</b></font>`)
  })

  test('tables: a bold header row, then one line per row, cells separated by " | "', () => {
    expect(html('| a | b |\n|---|---|\n| 1 | *2* |\n| 3 | 4 |')).toBe('<b>a | b</b><br>1 | <i>2</i><br>3 | 4')
  })

  test('a thematic break is a line', () => {
    expect(html('a\n\n---\n\nb')).toBe('a<br><br>───<br><br>b')
  })

  test('link reference definitions are not shown, their links work', () => {
    expect(html('see [docs]\n\n[docs]: https://example.com/docs')).toBe(
      'see <a href="https://example.com/docs">docs</a>',
    )
  })
})

describe('inline', () => {
  test('bold, italic and strikethrough become <b>, <i>, <s>, nested as written', () => {
    expect(html('**b** *i* _i_ ~~s~~ ***bi*** **b _bi_**')).toBe(
      '<b>b</b> <i>i</i> <i>i</i> <s>s</s> <i><b>bi</b></i> <b>b <i>bi</i></b>',
    )
  })

  test('inline code is grey; its text is shown exactly (entities not decoded, HTML escaped)', () => {
    expect(html('run `npm <ci> &amp;` now')).toBe(`run ${CODE}npm &lt;ci&gt; &amp;amp;</font> now`)
  })

  test('http, https and mailto links are links; the link title is dropped', () => {
    const out = html('[a](https://example.com/x?y=1&z=2 "title") [b](http://example.com) [c](mailto:me@example.com)')
    expect(out).toBe(
      '<a href="https://example.com/x?y=1&amp;z=2">a</a> <a href="http://example.com/">b</a> <a href="mailto:me@example.com">c</a>',
    )
  })

  test('autolinks: bare URLs, <angle> links and email addresses', () => {
    expect(hrefs(html('see https://github.com/o/r/pull/1 and <https://x.example/a> or me@example.com'))).toEqual([
      'https://github.com/o/r/pull/1',
      'https://x.example/a',
      'mailto:me@example.com',
    ])
  })

  test.each([
    '[x](javascript:alert(1))',
    '[x](JavaScript:alert(1))',
    '[x]( javascript:alert(1))',
    '[x](javascript&#58;alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](vbscript:msgbox)',
    '[x](file:///etc/passwd)',
    '[x](CHANGELOG.md)',
    '[x](//evil.example/x)',
    '[x](<javascript:alert(1)>)',
  ])('%s: only the text, no link', (markdown) => {
    const out = html(markdown)
    expect(out).toBe('x')
  })

  test('a quote in a URL cannot leave the attribute', () => {
    const out = html('[x](https://example.com/"onmouseover="alert(1))')
    expect(htmlProblems(out)).toEqual([])
    expect(out).not.toContain('" onmouseover')
    expect(hrefs(out)[0]).toMatch(/^https:\/\/example\.com\//)
  })

  test('images become their alt text, linked when the image is http(s)', () => {
    expect(html('![logo](https://example.com/logo.png)')).toBe('<a href="https://example.com/logo.png">logo</a>')
    expect(html('![](https://example.com/x.png)')).toBe('<a href="https://example.com/x.png">image</a>')
    expect(html('![pwn](javascript:alert(1))')).toBe('pwn')
  })

  test('hard line breaks (two spaces, backslash) are <br>', () => {
    expect(html('a  \nb\\\nc')).toBe('a<br>b<br>c')
  })

  test('backslash escapes show the character', () => {
    expect(html('\\*not em\\* \\<b\\>')).toBe('*not em* &lt;b&gt;')
  })

  test('entities read as their characters, then are escaped again; unknown ones stay as typed', () => {
    expect(html('&amp; &copy; &#169; &#x1F680; &lt;b&gt; &amp;lt; &bogus; &#0; &#xD800;')).toBe(
      '&amp; © © 🚀 &lt;b&gt; &amp;lt; &amp;bogus; \ufffd \ufffd',
    )
  })
})

describe('raw HTML and Chat markup in the Markdown are inert', () => {
  test('inline and block HTML show as text', () => {
    expect(html('a <b>bold</b> <img src=x onerror=alert(1)>')).toBe(
      'a &lt;b&gt;bold&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;',
    )
    expect(html('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html('<details><summary>More</summary>\n\nhidden\n</details>')).toBe(
      '&lt;details&gt;&lt;summary&gt;More&lt;/summary&gt;<br><br>hidden<br><br>&lt;/details&gt;',
    )
  })

  test('HTML comments (GitHub’s generated release notes have them) disappear', () => {
    expect(html('<!-- Release notes generated using configuration in .github/release.yml -->\n\n## Changes')).toBe(
      '<b>Changes</b>',
    )
    expect(html('a <!-- hidden --> b')).toBe('a  b')
  })

  test('Chat mentions and Chat links stay text', () => {
    const out = html('<users/all> <users/123> <https://evil.example|click> @all')
    expect(out).not.toMatch(/<users\//)
    expect(out).toContain('&lt;users/all&gt;')
    expect(out).toContain('&lt;users/123&gt;')
    expect(htmlProblems(out)).toEqual([])
  })

  test('a hostile document produces only the tags the converter writes', () => {
    const hostile = [
      '# <script>x</script>',
      '<iframe src="https://evil.example"></iframe>',
      '[<img src=x>](javascript:alert(1))',
      '**<a href="javascript:alert(1)">x</a>**',
      '<users/all> `<users/all>` ~~<users/all>~~',
      '<font color="red">red</font> <b onclick="x">b</b>',
      '- <style>body{}</style>',
      '> <svg onload=alert(1)>',
      '| <b> | x |\n|---|---|\n| <i> | y |',
      '[x](https://ok.example/" onclick="alert(1))',
    ].join('\n\n')
    const out = html(hostile)
    expect(htmlProblems(out)).toEqual([])
    expect(hrefs(out).every((href) => /^(https?:|mailto:)/.test(href))).toBe(true)
    expect(out).not.toMatch(/<(?:script|iframe|img|svg|style|users)/i)
  })
})

describe('the budget', () => {
  const releaseNotes = (chars: number): string => {
    const lines = ['## What’s Changed']
    for (let i = 1; lines.join('\n').length < chars; i++) {
      lines.push(
        `* **Fix #${i}** — _rewrite_ the \`parser<${i}>\` &amp; [docs](https://github.com/o/r/pull/${i}) by @dev${i} 🚀 مرحبا`,
      )
    }
    return lines.join('\n').slice(0, chars)
  }

  test('release notes of 20,000 characters fit in 3,000, end with "Read more" to the release, and stay valid', () => {
    const page = 'https://github.com/o/r/releases/tag/v1.0.0'
    const result = markdownToCardHtml(releaseNotes(20_000), { maxChars: 3000, readMoreUrl: page })
    expect(result.truncated).toBe(true)
    expect(result.html.length).toBeLessThanOrEqual(3000)
    expect(result.html.length).toBeGreaterThan(2500)
    expect(
      result.html.endsWith(`…<br><a href="${page}">Read more</a>`) || /…(<\/[a-z]+>)+<br><a href/.test(result.html),
    ).toBe(true)
    expect(result.html).toContain(`<a href="${page}">Read more</a>`)
    expect(htmlProblems(result.html)).toEqual([])
  })

  test('text that fits is not marked as cut and has no Read more', () => {
    const result = markdownToCardHtml('short **notes**', { maxChars: 100, readMoreUrl: 'https://example.com' })
    expect(result).toEqual({ html: 'short <b>notes</b>', truncated: false })
  })

  test('every budget from 0 to 600: within the budget, balanced, entities and emoji whole', () => {
    const markdown = releaseNotes(2000)
    for (let budget = 0; budget <= 600; budget++) {
      const { html: out, truncated } = markdownToCardHtml(markdown, {
        maxChars: budget,
        readMoreUrl: 'https://example.com/r',
      })
      expect(truncated).toBe(true)
      expect(out.length).toBeLessThanOrEqual(budget)
      const problems = htmlProblems(out)
      if (problems.length) throw new Error(`budget ${budget}: ${problems.join('; ')}\n${out}`)
    }
  })

  test('the cut never ends inside a surrogate pair or an entity', () => {
    for (let budget = 40; budget < 120; budget++) {
      const out = markdownToCardHtml('🚀'.repeat(40) + ' &amp;&amp;&amp;&amp;'.repeat(10), { maxChars: budget }).html
      expect(htmlProblems(out)).toEqual([])
      expect(out.length).toBeLessThanOrEqual(budget)
    }
  })

  test('an unsafe Read more URL is not linked; the ellipsis still says the text was cut', () => {
    const out = markdownToCardHtml('word '.repeat(100), { maxChars: 50, readMoreUrl: 'javascript:alert(1)' }).html
    expect(out).not.toContain('<a')
    expect(out.endsWith('…')).toBe(true)
  })

  test('Markdown far longer than the budget is cut before lexing, and says so', () => {
    const result = markdownToCardHtml('x'.repeat(200_000), { maxChars: 3000, readMoreUrl: 'https://example.com/r' })
    expect(result.truncated).toBe(true)
    expect(result.html.length).toBeLessThanOrEqual(3000)
  })

  test('a small source cut at the limit but rendering short still ends with Read more', () => {
    // 30,000 characters of comment render as nothing; the cut source is still reported.
    const result = markdownToCardHtml(`<!--${'c'.repeat(30_000)}-->\n\nvisible`, {
      maxChars: 3000,
      readMoreUrl: 'https://example.com/r',
    })
    expect(result.truncated).toBe(true)
    expect(result.html).toContain('Read more')
  })

  test('empty and blank Markdown is empty HTML', () => {
    expect(markdownToCardHtml('')).toEqual({ html: '', truncated: false })
    expect(markdownToCardHtml('  \n\n  ')).toEqual({ html: '', truncated: false })
  })

  test('pathological nesting finishes quickly and stays valid', () => {
    const started = Date.now()
    const nested = `${'> '.repeat(200)}${'*'.repeat(500)}x${'_'.repeat(500)} ${'['.repeat(2000)}`
    const out = markdownToCardHtml(nested, { maxChars: 3000 }).html
    expect(htmlProblems(out)).toEqual([])
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

test('the checker itself catches each problem it looks for', () => {
  expect(htmlProblems('<b>x')).toEqual(['unclosed b'])
  expect(htmlProblems('<img src=x>')).toContain('tag <img>')
  expect(htmlProblems('a < b')).toEqual([expect.stringMatching(/^stray/)])
  expect(htmlProblems('&am')).toEqual(['entity &am'])
  expect(htmlProblems('<a href="x" onclick="y">z</a>')).toEqual([expect.stringMatching(/^attributes/)])
  expect(htmlProblems('\ud83d')).toEqual(['lone surrogate'])
})
