// Placeholders in custom messages: `{{ github.sha }}`, `{{ env.DEPLOY_URL }}`, `{{ inputs.status }}`.
//
// The runner evaluates `${{ … }}` in inputs before the action runs and leaves `{{ … }}` (no `$`) alone, so these
// placeholders reach the action as written. They are filled after the message was parsed, in string values only, so
// a value can never change the structure of the JSON or YAML, and each value is escaped for the field it lands in.
//
// Syntax inside `{{ }}`: a path (`github.event.commits[0].message`, `github.event.commits.0.message`) or a quoted
// literal (`'…'` or `"…"`, doubling the quote to include it), then optional filters: `| raw` (no escaping: for
// trusted values that carry markup) and `| default('…')` (the value when the path has none). A literal `{{` is
// written `{{ '{{' }}`; a lone `}}` needs no escaping.
import { describeRun, type GitHubContextLike } from '../context.ts'
import { InputError } from '../errors.ts'
import { truncate } from '../text.ts'
import { escapeCardHtml, escapeChatText } from './escape.ts'

/** How a field renders text, and so how a value placed in it is escaped. */
export type FieldKind = 'chat-text' | 'card-html' | 'plain' | 'url'

/** What placeholders can read. Values are strings, numbers, booleans, or (under github.event) JSON. */
export interface TemplateContext {
  github: Record<string, unknown>
  env: Record<string, string | undefined>
  inputs: Record<string, string>
}

export interface TemplateContextSource {
  github: GitHubContextLike
  env: Record<string, string | undefined>
  /** Action inputs by name (e.g. status, title, text); secrets such as credentials and webhook-url are left out. */
  inputs?: Record<string, string>
}

export const TEMPLATE_ROOTS = ['github', 'env', 'inputs'] as const

/** Inputs that hold secrets: never readable from a template, whatever the caller passes in. */
const SECRET_INPUTS = new Set(['credentials', 'webhook-url'])

/**
 * Environment variables that hold the runner's or the action's secrets (the runtime and OIDC request tokens, every
 * input as INPUT_*, including the service-account key). A message file from a pull request could otherwise post them
 * to the space.
 */
export function isHiddenEnvName(name: string): boolean {
  const upper = name.toUpperCase()
  return upper.startsWith('INPUT_') || upper.startsWith('ACTIONS_') || upper === 'GITHUB_TOKEN'
}

/** The values placeholders read, with GitHub's own names for the run context (`github.run_id`, `github.ref_name`…). */
export function templateContext(source: TemplateContextSource): TemplateContext {
  const { github, env } = source
  const run = describeRun(github, env)
  const ref = github.ref || env.GITHUB_REF || ''
  const refName = env.GITHUB_REF_NAME || ref.replace(/^refs\/(heads|tags)\//, '')
  const inputs: Record<string, string> = {}
  for (const [name, value] of Object.entries(source.inputs ?? {})) if (!SECRET_INPUTS.has(name)) inputs[name] = value
  return {
    github: {
      repository: run.repository,
      repository_owner: env.GITHUB_REPOSITORY_OWNER || run.repository.split('/')[0] || '',
      sha: github.sha || env.GITHUB_SHA || '',
      ref,
      ref_name: refName,
      ref_type: env.GITHUB_REF_TYPE || (ref.startsWith('refs/tags/') ? 'tag' : ref ? 'branch' : ''),
      head_ref: env.GITHUB_HEAD_REF ?? '',
      base_ref: env.GITHUB_BASE_REF ?? '',
      actor: github.actor || env.GITHUB_ACTOR || '',
      triggering_actor: env.GITHUB_TRIGGERING_ACTOR || github.actor || env.GITHUB_ACTOR || '',
      workflow: run.workflow,
      job: run.job,
      run_id: run.runId,
      run_number: run.runNumber,
      run_attempt: String(run.runAttempt),
      event_name: run.eventName,
      server_url: run.serverUrl,
      repository_url: run.repositoryUrl,
      run_url: run.runUrl,
      event: github.payload ?? {},
    },
    env: Object.fromEntries(Object.entries(env).filter(([name]) => !isHiddenEnvName(name))),
    inputs,
  }
}

type PathKey = string | number

/** `message.cardsV2[0].card.header.title`: where a value sits, as error messages print it. */
export function formatPath(root: string, path: readonly PathKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${key}`), root)
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

const HTML_FIELDS: Record<string, readonly string[]> = {
  // Cards v2 (GoogleAppsCardV1…): "supports simple formatting" / "simple HTML formatted text".
  textParagraph: ['text'],
  decoratedText: ['text', 'topLabel', 'bottomLabel'],
  // DecoratedText's newer TextParagraph-shaped labels.
  topLabelText: ['text'],
  contentText: ['text'],
  bottomLabelText: ['text'],
  sections: ['header'],
  // Cards v1 (deprecated, still accepted): "formatted text supported".
  keyValue: ['content', 'topLabel', 'bottomLabel'],
}

/**
 * The kind of a string field, from its path in the message (snake_case or camelCase): the message's own `text` is
 * Chat markup; card text that Chat renders as HTML is card-html; fields ending in Url/Uri are links; the rest (card
 * and section titles, button labels, alt text, ids) are shown as they are. `holder` is the object holding the field:
 * a TextParagraph with `textSyntax: MARKDOWN` is Markdown, escaped like Chat text.
 */
export function fieldKind(path: readonly PathKey[], holder?: Record<string, unknown>): FieldKind {
  const keys = path.map((key) => (typeof key === 'string' ? camel(key) : key))
  const last = keys.at(-1)
  if (typeof last !== 'string') return 'plain'
  if (keys.length === 1 && last === 'text') return 'chat-text'
  if (/(Url|Uri|^url|^uri)$/.test(last)) return 'url'
  const parent = [...keys.slice(0, -1)].reverse().find((key): key is string => typeof key === 'string')
  if (parent && HTML_FIELDS[parent]?.includes(last)) {
    const syntax = holder?.textSyntax ?? holder?.text_syntax
    return syntax === 'MARKDOWN' ? 'chat-text' : 'card-html'
  }
  return 'plain'
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing one string into literal text and placeholders.

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

type Part = string | Placeholder

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
function parseTemplate(text: string, problems: string[]): Part[] {
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

// ---------------------------------------------------------------------------------------------------------------
// Filling.

export interface FillReport {
  /** Placeholders whose path has no value, as written, with where they are: `{{ env.X }} (at message.text)`. */
  missing: string[]
  /** Everything else that is wrong: malformed placeholders, objects where text is expected, bad URLs. */
  problems: string[]
}

function lookup(context: TemplateContext, path: PathKey[]): { value?: unknown; problem?: string } {
  const [root, ...rest] = path
  if (!(TEMPLATE_ROOTS as readonly PathKey[]).includes(root as PathKey)) {
    return { problem: `unknown name "${String(root)}"; placeholders start with ${TEMPLATE_ROOTS.join('., ')}.` }
  }
  if (root === 'env' && typeof rest[0] === 'string' && isHiddenEnvName(rest[0])) {
    return { problem: `env.${rest[0]} is not available to messages (runner and input variables hold secrets)` }
  }
  let value: unknown = context[root as keyof TemplateContext]
  for (const key of rest) {
    if (value === null || typeof value !== 'object') return { value: undefined }
    // Own properties only: no prototype lookups (`__proto__`, `constructor`); a list's `length` is its own.
    value = Object.hasOwn(value, key) ? (value as Record<PathKey, unknown>)[key] : undefined
  }
  return { value }
}

function escapeFor(kind: FieldKind, value: string, embeddedInUrl: boolean): string {
  switch (kind) {
    case 'chat-text':
      return escapeChatText(value)
    case 'card-html':
      return escapeCardHtml(value)
    case 'url':
      // A placeholder that starts the URL gives its scheme and host; later ones are path or query data.
      return embeddedInUrl ? value.split('/').map(encodeURIComponent).join('/') : value
    default:
      return value
  }
}

/**
 * Fills the placeholders of one string value. `where` names the field in messages (`message.cardsV2[0]…`).
 * Returns the string unchanged when it has no `{{`.
 */
export function fillString(
  text: string,
  context: TemplateContext,
  kind: FieldKind,
  where: string,
  report: FillReport,
): string {
  if (!text.includes('{{')) return text
  const problems: string[] = []
  const parts = parseTemplate(text, problems)
  for (const problem of problems) report.problems.push(`${where}: ${problem}`)
  let out = ''
  let hadPlaceholder = false
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part
      continue
    }
    hadPlaceholder = true
    if (part.literal !== undefined) {
      // Literal text in a placeholder is the author's own: it is not escaped.
      out += part.literal
      continue
    }
    const found = lookup(context, part.path as PathKey[])
    if (found.problem) {
      report.problems.push(`${where}: ${part.source}: ${found.problem}`)
      continue
    }
    let value = found.value
    const fallback = part.filters.find((f) => f.name === 'default')
    if ((value === undefined || value === null) && fallback) value = fallback.arg
    if (value === undefined || value === null) {
      report.missing.push(`${part.source} (at ${where})`)
      continue
    }
    if (typeof value === 'object') {
      report.problems.push(
        `${where}: ${part.source} is ${Array.isArray(value) ? 'a list' : 'an object'}, not text: pick one of its fields, e.g. {{ ${part.pathText}${Array.isArray(value) ? '[0]' : '.name'} }}`,
      )
      continue
    }
    const string = String(value)
    const raw = part.filters.some((f) => f.name === 'raw')
    out += raw ? string : escapeFor(kind, string, part.start > 0)
  }
  if (kind === 'url' && hadPlaceholder) {
    const problem = urlProblem(out)
    if (problem) report.problems.push(`${where}: ${JSON.stringify(truncate(text, 120))} ${problem}`)
  }
  return out
}

function urlProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `does not make a valid URL (got ${JSON.stringify(truncate(value, 120))})`
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `must make an http(s) URL, got a ${url.protocol.replace(/:$/, '')}: URL`
  }
  return undefined
}

/**
 * Fills every placeholder in the string values of `value` (a parsed message), escaping each for its field. Keys are
 * never templated. Throws one InputError naming `input` that lists every placeholder without a value and every
 * other problem, so that one run shows all there is to fix.
 */
export function fillTemplates<T>(value: T, context: TemplateContext, options: { input: string; root?: string }): T {
  const report: FillReport = { missing: [], problems: [] }
  const root = options.root ?? 'message'
  const walk = (node: unknown, path: PathKey[], holder?: Record<string, unknown>): unknown => {
    if (typeof node === 'string')
      return fillString(node, context, fieldKind(path, holder), formatPath(root, path), report)
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]))
    if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>
      return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, walk(item, [...path, key], record)]))
    }
    return node
  }
  const filled = walk(value, []) as T
  throwIfReported(report, options.input)
  return filled
}

const MAX_LISTED = 10

/** Throws the InputError for a report with anything in it. */
export function throwIfReported(report: FillReport, input: string): void {
  const sentences: string[] = []
  if (report.missing.length) {
    sentences.push(
      `has placeholders with no value: ${list(report.missing)}. Set them (e.g. in the step's env), or give a fallback: {{ env.NAME | default('none') }}`,
    )
  }
  if (report.problems.length) {
    sentences.push(`${report.missing.length ? 'It also has' : 'has'} placeholder problems: ${list(report.problems)}`)
  }
  if (sentences.length) throw new InputError(input, sentences.join('. '))
}

function list(items: string[]): string {
  const shown = items.slice(0, MAX_LISTED).join('; ')
  return items.length > MAX_LISTED ? `${shown}; and ${items.length - MAX_LISTED} more` : shown
}
