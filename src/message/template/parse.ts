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

const FILTERS = ['raw', 'default'] as const

class Scanner {
  readonly text: string
  pos: number
  constructor(text: string, start: number) {
    this.text = text
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
    let out = ''
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const ch = this.text[i] as string
      if (ch !== quote) {
        out += ch
        continue
      }
      if (this.text[i + 1] === quote) {
        out += quote
        i++
        continue
      }
      this.pos = i + 1
      return out
    }
    return undefined
  }
  identifier(): string | undefined {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.pos))
    if (!match) return undefined
    this.pos += match[0].length
    return match[0]
  }
  /** `a.b[0].c`, `a.b.0.c`, `env['MY-VAR']` */
  path(): PathKey[] | undefined {
    const first = this.identifier()
    if (!first) return undefined
    const keys: PathKey[] = [first]
    for (;;) {
      if (this.eat('.')) {
        const index = /^\d+/.exec(this.text.slice(this.pos))
        if (index) {
          this.pos += index[0].length
          keys.push(Number(index[0]))
          continue
        }
        const name = this.identifier()
        if (name === undefined) return undefined
        keys.push(name)
      } else if (this.eat('[')) {
        const index = /^\d+/.exec(this.text.slice(this.pos))
        let key: PathKey | undefined
        if (index) {
          this.pos += index[0].length
          key = Number(index[0])
        } else {
          key = this.quoted()
        }
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
  let literal = ''
  let i = 0
  while (i < text.length) {
    const open = text.indexOf('{{', i)
    if (open < 0) break
    literal += text.slice(i, open)
    const placeholder = parsePlaceholder(text, open)
    if (typeof placeholder === 'string') {
      problems.push(placeholder)
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
  const end = text.indexOf('}}', start)
  const cut = end >= 0 && end - start < 80 ? text.slice(start, end + 2) : `${text.slice(start, start + 40)}…`
  return JSON.stringify(cut)
}

function parsePlaceholder(text: string, start: number): Placeholder | string {
  const s = new Scanner(text, start + 2)
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
