// Parsing placeholders in custom messages: `{{ github.sha }}`, `{{ env.DEPLOY_URL }}`, `{{ inputs.status }}`.
//
// The runner evaluates `${{ … }}` in inputs before the action runs and leaves `{{ … }}` (no `$`) alone, so these
// placeholders reach the action as written.
//
// Syntax inside `{{ }}`: a path (`github.event.commits[0].message`, `github.event.commits.0.message`) or a quoted
// literal (`'…'` or `"…"`, doubling the quote to include it), then optional filters: `| raw` (no escaping: for
// trusted values that carry markup) and `| default('…')` (the value when the path has none). A literal `{{` is
// written `{{ '{{' }}`; a lone `}}` needs no escaping.

export type PathKey = string | number

interface Filter {
  name: string
  arg?: string
}

interface Placeholder {
  /** The placeholder as written, `{{ … }}`. */
  source: string
  /** Offset of `{{` in the string. */
  start: number
  literal?: string
  path?: PathKey[]
  /** The path as written (for messages), e.g. `github.event.commits[0].message`. */
  pathText?: string
  filters: Filter[]
}

export type Part = string | Placeholder

const MAX_PROBLEMS = 100

const FILTERS = ['raw', 'default'] as const

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y
const INDEX = /\d+/y

/**
 * Where a quoted text that starts at a position closes, for one quote character: the first quote not followed by
 * another (a doubled quote is one quote of the text). Remembered along each scan, so a string full of unclosed
 * quotes (`{{ '{{ '{{ '…`) costs one pass, not one pass per `{{`.
 */
class QuoteEnds {
  private readonly known = new Map<number, number>()
  private readonly text: string
  private readonly quote: string
  constructor(text: string, quote: string) {
    this.text = text
    this.quote = quote
  }
  /** Index of the closing quote for a text starting at `from`, or -1. */
  closing(from: number): number {
    const visited: number[] = []
    let at = from
    let end: number
    for (;;) {
      const known = this.known.get(at)
      if (known !== undefined) {
        end = known
        break
      }
      visited.push(at)
      const next = this.text.indexOf(this.quote, at)
      if (next < 0 || this.text[next + 1] !== this.quote) {
        end = next
        break
      }
      at = next + 2
    }
    for (const position of visited) this.known.set(position, end)
    return end
  }
}

/** One parse of one string: the quote tables are shared by all its placeholders. */
class Source {
  private readonly ends = new Map<string, QuoteEnds>()
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
  quoteEnds(quote: string): QuoteEnds {
    let ends = this.ends.get(quote)
    if (!ends) this.ends.set(quote, (ends = new QuoteEnds(this.text, quote)))
    return ends
  }
}

class Scanner {
  readonly text: string
  pos: number
  private readonly source: Source
  constructor(source: Source, start: number) {
    this.source = source
    this.text = source.text
    this.pos = start
  }
  spaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++
  }
  eat(token: string): boolean {
    if (!this.text.startsWith(token, this.pos)) return false
    this.pos += token.length
    return true
  }
  quoted(): string | undefined {
    const quote = this.text[this.pos]
    if (quote !== "'" && quote !== '"') return undefined
    const end = this.source.quoteEnds(quote).closing(this.pos + 1)
    if (end < 0) return undefined
    const body = this.text.slice(this.pos + 1, end)
    this.pos = end + 1
    return body.replaceAll(quote + quote, quote)
  }
  private sticky(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos
    const match = pattern.exec(this.text)
    if (!match) return undefined
    this.pos += match[0].length
    return match[0]
  }
  identifier(): string | undefined {
    return this.sticky(IDENTIFIER)
  }
  index(): number | undefined {
    const digits = this.sticky(INDEX)
    return digits === undefined ? undefined : Number(digits)
  }
  /** `a.b[0].c`, `a.b.0.c`, `env['MY-VAR']` */
  path(): PathKey[] | undefined {
    const first = this.identifier()
    if (!first) return undefined
    const keys: PathKey[] = [first]
    for (;;) {
      if (this.eat('.')) {
        const index = this.index()
        if (index !== undefined) {
          keys.push(index)
          continue
        }
        const name = this.identifier()
        if (name === undefined) return undefined
        keys.push(name)
      } else if (this.eat('[')) {
        const key: PathKey | undefined = this.index() ?? this.quoted()
        if (key === undefined || !this.eat(']')) return undefined
        keys.push(key)
      } else {
        return keys
      }
    }
  }
}

/** Splits a string into literal text and placeholders; `problems` gets one line per malformed `{{`. */
export function parseTemplate(text: string, problems: string[]): Part[] {
  const parts: Part[] = []
  const source = new Source(text)
  let malformed = 0
  let literal = ''
  let i = 0
  while (i < text.length) {
    const open = text.indexOf('{{', i)
    if (open < 0) break
    literal += text.slice(i, open)
    const placeholder = parsePlaceholder(source, open)
    if (typeof placeholder === 'string') {
      problems.push(placeholder)
      // The text is refused anyway: past a hundred problems, the rest are not worth the time (or the memory).
      if (++malformed >= MAX_PROBLEMS) {
        problems.push('and more malformed placeholders after these')
        return parts
      }
      literal += '{{'
      i = open + 2
      continue
    }
    if (literal) parts.push(literal)
    literal = ''
    parts.push(placeholder)
    i = open + placeholder.source.length
  }
  literal += text.slice(i)
  if (literal) parts.push(literal)
  return parts
}

function snippet(text: string, start: number): string {
  // Looked for in the next 80 characters only: a string of many `{{` must not cost a scan to its end for each.
  const end = text.slice(start, start + 81).indexOf('}}')
  const cut = end >= 0 ? text.slice(start, start + end + 2) : `${text.slice(start, start + 40)}…`
  return JSON.stringify(cut)
}

function parsePlaceholder(source: Source, start: number): Placeholder | string {
  const { text } = source
  const s = new Scanner(source, start + 2)
  const bad = (why: string) =>
    `${snippet(text, start)} is not a valid placeholder: ${why} (write {{ '{{' }} for a literal "{{")`
  s.spaces()
  const placeholder: Placeholder = { source: '', start, filters: [] }
  const literal = s.quoted()
  if (literal !== undefined) {
    placeholder.literal = literal
  } else {
    const from = s.pos
    const path = s.path()
    if (!path) return bad('expected a name such as github.sha, env.NAME or inputs.status, or a quoted text')
    placeholder.path = path
    placeholder.pathText = text.slice(from, s.pos)
  }
  for (;;) {
    s.spaces()
    if (s.eat('}}')) break
    if (!s.eat('|')) return bad('expected "}}" or a filter after "|"')
    s.spaces()
    const name = s.identifier()
    if (!name) return bad('expected a filter name after "|"')
    if (!(FILTERS as readonly string[]).includes(name)) {
      return bad(`unknown filter "${name}"; filters are ${FILTERS.join(', ')}`)
    }
    const filter: Filter = { name }
    s.spaces()
    if (s.eat('(')) {
      s.spaces()
      const arg = s.quoted()
      s.spaces()
      if (arg === undefined || !s.eat(')')) return bad(`${name}(…) takes one quoted text, e.g. ${name}('none')`)
      filter.arg = arg
    }
    if (name === 'default' && filter.arg === undefined) return bad("default needs a value, e.g. default('none')")
    if (name === 'raw' && filter.arg !== undefined) return bad('raw takes no argument')
    placeholder.filters.push(filter)
  }
  placeholder.source = text.slice(start, s.pos)
  return placeholder
}
