// Filling placeholders after the message was parsed, in string values only, so a value can never change the
// structure of the JSON or YAML; each value is escaped for the field it lands in (see parse.ts for the syntax).
import { InputError } from '../../errors.ts'
import { truncate } from '../../text.ts'
import { escapeCardHtml, escapeChatOrMarkdownText, escapeChatText, escapeMarkdownText } from '../escape.ts'
import { lookup, type TemplateContext } from './context.ts'
import { fieldKind, formatPath, type FieldKind } from './fields.ts'
import { parseTemplate, type PathKey } from './parse.ts'
import { urlValue, UrlTemplate } from './url.ts'

export interface FillReport {
  /** Placeholders whose path has no value, as written, with where they are: `{{ env.X }} (at message.text)`. */
  missing: string[]
  /** Everything else that is wrong: malformed placeholders, objects where text is expected, bad URLs. */
  problems: string[]
}

/** `value` escaped for a text field of `kind` (URL fields are handled by url.ts). */
function escapeFor(kind: FieldKind, value: string): string {
  switch (kind) {
    case 'chat-text':
      return escapeChatText(value)
    case 'markdown':
      return escapeMarkdownText(value)
    case 'chat-or-markdown':
      return escapeChatOrMarkdownText(value)
    case 'card-html':
      return escapeCardHtml(value)
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
  const url = kind === 'url' ? new UrlTemplate() : undefined
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part
      continue
    }
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
    if (!url) {
      out += raw ? string : escapeFor(kind, string)
      continue
    }
    const urlPartHere = url.partAt(out)
    const placed = urlValue(urlPartHere, string, raw)
    if (placed.problem) {
      report.problems.push(`${where}: ${part.source} ${placed.problem}`)
      continue
    }
    url.add(out.length, placed.value, urlPartHere)
    out += placed.value
  }
  if (url?.placeholders) {
    const problem = url.check(out)
    if (problem) report.problems.push(`${where}: ${JSON.stringify(truncate(text, 120))} ${problem}`)
  }
  return out
}

/**
 * Fills every placeholder in the string values of `value` (a parsed message), escaping each for its field. Keys are
 * never templated. Throws one InputError naming `input` that lists every placeholder without a value and every
 * other problem, so that one run shows all there is to fix.
 */
export function fillTemplates<T>(value: T, context: TemplateContext, options: { input: string; root?: string }): T {
  const report: FillReport = { missing: [], problems: [] }
  const root = options.root ?? 'message'
  const message = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  const walk = (node: unknown, path: PathKey[], holder?: Record<string, unknown>): unknown => {
    if (typeof node === 'string')
      return fillString(node, context, fieldKind(path, holder, message), formatPath(root, path), report)
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
function throwIfReported(report: FillReport, input: string): void {
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
