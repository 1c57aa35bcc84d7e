// A whole Chat message written by the user: the `message` input (JSON or YAML) or `message-file` (a .json, .yaml or
// .yml file in the workspace, read by src/inputs/custom-message.ts). Parsed first, then placeholders are filled in
// string values only (see template/fill.ts), so a value from the run can never change the message's structure.
import { isCollection, isScalar, LineCounter, parseDocument, visit } from 'yaml'
import type { chat_v1 } from '@googleapis/chat'
import { MAX_NESTING, type CustomMessageInput, type CustomMessageSource } from '../domain.ts'
import { InputError } from '../errors.ts'
import { oneLine } from '../text.ts'
import type { TemplateContext } from './template/context.ts'
import { fillTemplates } from './template/fill.ts'

const SHAPE_HINT =
  'expected a Chat message object, e.g. {"text": "Deployed {{ github.sha }}"} or, in YAML, text: Deployed {{ github.sha }}'

/** Parses the text as a Chat message object (before placeholders are filled). */
export function parseCustomMessage(
  source: Pick<CustomMessageSource, 'input' | 'text' | 'format'>,
): Record<string, unknown> {
  const { input, text } = source
  if (!text.trim()) throw new InputError(input, `is empty; ${SHAPE_HINT}`)
  const value = source.format === 'json' ? parseJson(input, text) : parseYaml(input, text)
  if (value === null || value === undefined) throw new InputError(input, `is empty; ${SHAPE_HINT}`)
  if (Array.isArray(value)) throw new InputError(input, `is a list; ${SHAPE_HINT}`)
  if (typeof value !== 'object') {
    throw new InputError(input, `is ${typeof value === 'string' ? 'plain text' : `a ${typeof value}`}; ${SHAPE_HINT}`)
  }
  return value as Record<string, unknown>
}

function parseJson(input: CustomMessageInput, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputError(input, `is not valid JSON: ${reason((error as Error).message)}${expressionHint(input)}`)
  }
}

/**
 * For `message` only: the runner pastes a `${{ … }}` expression's value into the text before the action reads it,
 * so event text (a commit message with a colon or a quote) can break the YAML or JSON; placeholders cannot.
 */
function expressionHint(input: CustomMessageInput): string {
  return input === 'message'
    ? '. If a ${{ … }} expression put event text into the message, use a {{ … }} placeholder instead (e.g. {{ github.event.head_commit.message }}): placeholders are filled after parsing and escaped'
    : ''
}

function parseYaml(input: CustomMessageInput, text: string): unknown {
  // JSON first when it looks like JSON: its errors are the clearer ones for JSON text.
  const trimmed = text.trim()
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      return JSON.parse(trimmed)
    } catch {
      // Not JSON: a YAML flow mapping, or a mistake the YAML parser will describe.
    }
  }
  const lines = new LineCounter()
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, logLevel: 'error', lineCounter: lines })
  const [error] = doc.errors
  if (error) {
    const { line, col } = lines.linePos(error.pos[0])
    throw new InputError(
      input,
      `is not valid YAML or JSON: ${reason(error.message)} at line ${line}, column ${col}${expressionHint(input)}`,
    )
  }
  // `text: {{ github.sha }}` unquoted is a YAML mapping whose key is a mapping, not a placeholder.
  let collectionKey: string | undefined
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key) || (pair.key && !isScalar(pair.key))) {
        collectionKey ??= String(pair.key)
        return visit.BREAK
      }
      return undefined
    },
  })
  if (collectionKey !== undefined) {
    throw new InputError(
      input,
      `has a YAML mapping where a value was meant (${JSON.stringify(reason(collectionKey))}): quote values that start with {{, e.g. text: '{{ github.sha }}'`,
    )
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    // yaml refuses an alias chain that expands too far (a "billion laughs"), or an alias before its anchor.
    const why = /alias count/i.test((error as Error).message)
      ? `has YAML aliases (*name) that expand past ${MAX_ALIAS_COUNT} nodes: write the values out instead`
      : `is not valid YAML: ${reason((error as Error).message)}`
    throw new InputError(input, why)
  }
  // Aliases can nest what the text alone does not: the same limit as for the text (src/inputs/structured-text.ts).
  if (nestedDeeperThan(value, MAX_NESTING)) {
    throw new InputError(input, `is nested more than ${MAX_NESTING} levels deep once its YAML aliases are expanded`)
  }
  return value
}

/** yaml's guard against exponential alias expansion (its default is the same). */
const MAX_ALIAS_COUNT = 100

/** Whether any path into `value` is longer than `limit`; iterative, so the check itself cannot overflow the stack. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]]
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next
    if (item === null || typeof item !== 'object') continue
    if (depth >= limit) return true
    for (const child of Object.values(item)) pending.push([child, depth + 1])
  }
  return false
}

/** A parser's reason on one line, without the trailing colon some of them end with. */
function reason(value: string): string {
  return oneLine(value.replace(/:\s*$/, ''), 200)
}

/**
 * Chat reads a message's `text` without `markupSyntax` in the syntax the Chat app's console settings pick (Chat
 * markup for older apps, Markdown for new ones), so the action says which: Chat markup, the syntax of the API's own
 * examples, unless the message names another. Placeholders in `text` are then escaped for the syntax Chat will read.
 */
function withTextSyntax(message: Record<string, unknown>): Record<string, unknown> {
  if (message.text === undefined || 'markupSyntax' in message || 'markup_syntax' in message) return message
  return { ...message, markupSyntax: 'MARKUP_SYNTAX_CHAT' }
}

/**
 * The custom message from `message` or `message-file`, parsed and with its placeholders filled. Throws InputError
 * naming the input for every user mistake. The result is not yet checked against Chat's schema: pass it to
 * validate-message.ts's assertValidMessage before sending.
 */
export function buildCustomMessage(
  source: CustomMessageSource,
  context: TemplateContext,
): { message: chat_v1.Schema$Message; input: CustomMessageInput } {
  if (source.input === 'message-file' && /\$\{\{/.test(source.text)) {
    throw new InputError(
      'message-file',
      'uses ${{ … }}, which the runner does not evaluate inside files: write placeholders without the $, e.g. {{ github.sha }} or {{ env.NAME }}',
    )
  }
  const parsed = withTextSyntax(parseCustomMessage(source))
  const message = fillTemplates(parsed, context, { input: source.input }) as chat_v1.Schema$Message
  return { message, input: source.input }
}
