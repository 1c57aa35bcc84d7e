// GitHub Markdown (release notes) to the small HTML subset Chat cards render: <b>, <i>, <s>, <font color>, <a href>,
// <br>. Built from marked's lexer tokens, never from marked's HTML: every piece of text is escaped here, raw HTML in
// the Markdown shows as text, and only http(s) and mailto links survive.
import { Lexer, type Token, type Tokens } from 'marked'
import { escapeCardHtml } from './escape.ts'

export interface MarkdownOptions {
  /** The most card HTML to produce, in characters (UTF-16 units), "Read more" link included. Default 3,000. */
  maxChars?: number
  /** Where "Read more" points when the text was cut; only an http(s) URL is used. */
  readMoreUrl?: string
}

export interface CardHtml {
  /** Card HTML: balanced tags, whole entities, within maxChars. */
  html: string
  /** True when the Markdown did not fit and was cut (the HTML then ends with "…" and the "Read more" link). */
  truncated: boolean
}

const DEFAULT_MARKDOWN_CHARS = 3000
/** How much Markdown the lexer is given at least and at most (see markdownToCardHtml). */
const MIN_LEXED_CHARS = 6000
const MAX_LEXED_CHARS = 12_000
/** Code and quotes: Chat cards have no monospace, so code is set apart by colour. */
export const CODE_COLOR = '#5f6368'
const READ_MORE = 'Read more'
const BREAK = '<br>'
/** Em spaces survive HTML whitespace collapsing: one per nesting level of a list. */
const INDENT = '\u2003'

type Op =
  | { kind: 'text'; value: string }
  | { kind: 'open'; html: string; close: string }
  | { kind: 'close' }
  | { kind: 'break' }

/** Release notes (or any GitHub Markdown) as card HTML within a budget; see CardHtml. */
export function markdownToCardHtml(markdown: string, options: MarkdownOptions = {}): CardHtml {
  const maxChars = Math.max(0, Math.floor(options.maxChars ?? DEFAULT_MARKDOWN_CHARS))
  // The budget is a few thousand characters, and Markdown seldom renders shorter than half its source (links and
  // entities render longer): lexing more only costs time, and some of marked's rules take time that grows with the
  // square of a paragraph's length (a run of '!' or of trailing spaces). So the lexer sees at most a fixed size,
  // which bounds its time whatever the notes hold. The cut lands on a line boundary; the output then says it is cut.
  const sourceLimit = Math.min(Math.max(MIN_LEXED_CHARS, maxChars * 2), MAX_LEXED_CHARS)
  let source = markdown.replace(/\r\n?/g, '\n')
  let cutSource = false
  if (source.length > sourceLimit) {
    const lastLine = source.lastIndexOf('\n', sourceLimit)
    source = source.slice(0, lastLine > sourceLimit / 2 ? lastLine : sourceLimit)
    cutSource = true
  }
  let ops: Op[]
  try {
    ops = new Renderer().document(new Lexer({ gfm: true, breaks: true }).lex(source))
  } catch {
    // marked does not throw on any input we know of; if it ever does, the notes still show, as plain text.
    ops = [{ kind: 'text', value: source }]
  }
  return serialize(ops, maxChars, cutSource, safeHref(options.readMoreUrl, ['http:', 'https:']))
}

class Renderer {
  private ops: Op[] = []

  document(tokens: Token[]): Op[] {
    this.blocks(tokens, 0)
    return this.ops
  }

  /** Blocks separated by a blank line, except right after a heading (its content follows on the next line). */
  private blocks(tokens: Token[], depth: number): void {
    let previous: Token | undefined
    for (const token of tokens) {
      if (!this.hasContent(token)) continue
      if (previous) {
        this.push({ kind: 'break' })
        if (previous.type !== 'heading') this.push({ kind: 'break' })
      }
      this.block(token, depth)
      previous = token
    }
  }

  private hasContent(token: Token): boolean {
    if (token.type === 'space' || token.type === 'def') return false
    if (token.type === 'html') return withoutComments(token.text).trim() !== ''
    return true
  }

  private block(token: Token, depth: number): void {
    switch (token.type) {
      case 'heading':
        return this.wrap('<b>', '</b>', () => this.inline((token as Tokens.Heading).tokens))
      case 'paragraph':
        return this.inline((token as Tokens.Paragraph).tokens)
      case 'text': {
        const text = token as Tokens.Text
        return text.tokens ? this.inline(text.tokens) : this.text(decodeEntities(text.text))
      }
      case 'list':
        return this.list(token as Tokens.List, depth)
      case 'code':
        return this.code((token as Tokens.Code).text)
      case 'blockquote':
        return this.wrap(`<font color="${CODE_COLOR}">`, '</font>', () =>
          this.blocks((token as Tokens.Blockquote).tokens, depth),
        )
      case 'table':
        return this.table(token as Tokens.Table)
      case 'hr':
        return this.text('───')
      case 'html':
        return this.text(withoutComments((token as Tokens.HTML).text).trim())
      default:
        return this.fallback(token)
    }
  }

  private list(list: Tokens.List, depth: number): void {
    const start = typeof list.start === 'number' ? list.start : 1
    list.items.forEach((item, index) => {
      if (index > 0) this.push({ kind: 'break' })
      const bullet = list.ordered ? `${start + index}. ` : '• '
      this.text(INDENT.repeat(depth) + bullet)
      if (item.task) this.text(item.checked ? '☑ ' : '☐ ')
      // The item's first block follows the bullet; later blocks (a nested list, a second paragraph) go below it.
      let first = true
      for (const child of item.tokens) {
        if (child.type === 'checkbox' || !this.hasContent(child)) continue
        if (!first) {
          this.push({ kind: 'break' })
          if (child.type !== 'list') this.text(INDENT.repeat(depth + 1))
        }
        this.block(child, depth + 1)
        first = false
      }
    })
  }

  private code(text: string): void {
    this.wrap(`<font color="${CODE_COLOR}">`, '</font>', () => {
      text.split('\n').forEach((line, index) => {
        if (index > 0) this.push({ kind: 'break' })
        // Leading spaces would collapse; no-break spaces keep the indentation readable.
        this.text(line.replace(/^ +/, (spaces) => '\u00a0'.repeat(spaces.length)))
      })
    })
  }

  private table(table: Tokens.Table): void {
    const row = (cells: Tokens.TableCell[]) =>
      cells.forEach((cell, index) => {
        if (index > 0) this.text(' | ')
        this.inline(cell.tokens)
      })
    this.wrap('<b>', '</b>', () => row(table.header))
    for (const cells of table.rows) {
      this.push({ kind: 'break' })
      row(cells)
    }
  }

  private inline(tokens: Token[]): void {
    for (const token of tokens) {
      switch (token.type) {
        case 'text': {
          const text = token as Tokens.Text
          if (text.tokens) this.inline(text.tokens)
          else this.text(decodeEntities(text.text))
          break
        }
        case 'escape':
          this.text((token as Tokens.Escape).text)
          break
        case 'strong':
          this.wrap('<b>', '</b>', () => this.inline((token as Tokens.Strong).tokens))
          break
        case 'em':
          this.wrap('<i>', '</i>', () => this.inline((token as Tokens.Em).tokens))
          break
        case 'del':
          this.wrap('<s>', '</s>', () => this.inline((token as Tokens.Del).tokens))
          break
        case 'codespan':
          // Code is shown as written: entities in it are not decoded (GitHub shows them literally too).
          this.wrap(`<font color="${CODE_COLOR}">`, '</font>', () => this.text((token as Tokens.Codespan).text))
          break
        case 'br':
          this.push({ kind: 'break' })
          break
        case 'link': {
          const link = token as Tokens.Link
          const href = safeHref(link.href, ['http:', 'https:', 'mailto:'])
          if (href) this.wrap(`<a href="${escapeCardHtml(href)}">`, '</a>', () => this.inline(link.tokens))
          else this.inline(link.tokens)
          break
        }
        case 'image': {
          // No images in card text: the alt text, linked to the image when its URL is http(s).
          const image = token as Tokens.Image
          const label = image.text.trim() || 'image'
          const href = safeHref(image.href, ['http:', 'https:'])
          if (href) this.wrap(`<a href="${escapeCardHtml(href)}">`, '</a>', () => this.text(label))
          else this.text(label)
          break
        }
        case 'html':
          // Raw HTML is shown as the text it is, never passed through; comments are invisible on GitHub too.
          this.text(withoutComments((token as Tokens.Tag).text))
          break
        case 'checkbox':
          this.text((token as Tokens.Checkbox).checked ? '☑ ' : '☐ ')
          break
        default:
          this.fallback(token)
      }
    }
  }

  /** Tokens from extensions or future marked versions: their children, else their text, always escaped. */
  private fallback(token: Token): void {
    const generic = token as Tokens.Generic
    if (Array.isArray(generic.tokens)) this.inline(generic.tokens as Token[])
    else if (typeof generic.text === 'string') this.text(decodeEntities(generic.text))
  }

  private wrap(open: string, close: string, body: () => void): void {
    this.push({ kind: 'open', html: open, close })
    body()
    this.push({ kind: 'close' })
  }

  private text(value: string): void {
    if (value) this.push({ kind: 'text', value })
  }

  private push(op: Op): void {
    this.ops.push(op)
  }
}

/**
 * Writes the ops as HTML within maxChars. Tags are atomic and every opened tag is closed; text is cut between
 * escaped characters (never inside an entity or a surrogate pair). A cut ends with "…" and the Read more link.
 */
function serialize(ops: Op[], maxChars: number, alreadyCut: boolean, readMoreUrl: string | undefined): CardHtml {
  const readMore = readMoreUrl ? `${BREAK}<a href="${escapeCardHtml(readMoreUrl)}">${READ_MORE}</a>` : ''
  if (!alreadyCut) {
    const full = write(ops, Infinity, '', '')
    if (full.length <= maxChars) return { html: full, truncated: false }
  }
  // Room for the ellipsis and the link; with a budget too small even for those, the link goes first.
  const [ellipsis, link] = 1 + readMore.length <= maxChars ? ['…', readMore] : maxChars >= 1 ? ['…', ''] : ['', '']
  return { html: write(ops, maxChars - ellipsis.length - link.length, ellipsis, link), truncated: true }
}

/**
 * The ops as HTML within `budget` characters (closing tags included). When not everything fits, or when
 * `ellipsis` is given, the text ends with the ellipsis, then the open tags are closed, then `after` follows.
 */
function write(ops: Op[], budget: number, ellipsis: string, after: string): string {
  const pieces: string[] = []
  const closes: string[] = []
  let used = 0
  let closing = 0
  const fits = (extra: number) => used + extra + closing <= budget
  let complete = true
  outer: for (const op of ops) {
    switch (op.kind) {
      case 'open':
        if (!fits(op.html.length + op.close.length)) {
          complete = false
          break outer
        }
        pieces.push(op.html)
        closes.push(op.close)
        used += op.html.length
        closing += op.close.length
        break
      case 'close': {
        const close = closes.pop() as string
        pieces.push(close)
        used += close.length
        closing -= close.length
        break
      }
      case 'break':
        if (!fits(BREAK.length)) {
          complete = false
          break outer
        }
        pieces.push(BREAK)
        used += BREAK.length
        break
      case 'text':
        for (const char of op.value) {
          const escaped = escapeCardHtml(char)
          if (!fits(escaped.length)) {
            complete = false
            break outer
          }
          pieces.push(escaped)
          used += escaped.length
        }
        break
    }
  }
  if (complete && !ellipsis) return pieces.join('')
  // No dangling line breaks or spaces before the ellipsis; an element left empty by the cut is harmless.
  while (pieces.length && (pieces.at(-1) === BREAK || /^\s$/.test(pieces.at(-1) as string))) pieces.pop()
  return pieces.join('') + ellipsis + closes.reverse().join('') + after
}

/** The href when its scheme is one of `schemes` (parsed, not pattern-matched), else undefined. */
function safeHref(href: string | undefined, schemes: string[]): string | undefined {
  if (!href) return undefined
  const trimmed = href.trim()
  // Relative links (e.g. "CHANGELOG.md") would resolve against Chat, not GitHub: they are dropped too.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return undefined
  try {
    const url = new URL(trimmed)
    return schemes.includes(url.protocol) ? url.href : undefined
  } catch {
    return undefined
  }
}

function withoutComments(html: string): string {
  return html.replace(/<!--[\s\S]*?(?:-->|$)/g, '')
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  laquo: '«',
  raquo: '»',
  middot: '·',
  bull: '•',
  rarr: '→',
  larr: '←',
  times: '×',
  deg: '°',
}

/**
 * Entities in Markdown text read as their characters on GitHub; decoded here (in one pass, so "&amp;lt;" stays
 * "&lt;" as text) before everything is escaped again. Unknown names stay as typed.
 */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g,
    (entity, dec, hex, name) => {
      if (name !== undefined) return NAMED_ENTITIES[name] ?? entity
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16)
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
      return valid ? String.fromCodePoint(code) : '\ufffd'
    },
  )
}
