// Checks a custom message against Chat's v1 Message schema before it is sent, so that a typo is reported with the
// path of the field and what it should be, instead of Chat's 400. The schema is a compact extract of Google's
// discovery document (scripts/gen-message-schema.ts): only what is reachable from Message through writable fields.
// Loaded only for custom messages: the status card is built by code and needs no check.
import type { chat_v1 } from '@googleapis/chat'
import { InputError } from '../errors.ts'
import { findCardRuleViolations } from './card-rules.ts'
import schemaFile from './chat-message-schema.json' with { type: 'json' }

interface SchemaNode {
  type?: string
  format?: string
  enum?: string[]
  items?: SchemaNode
  $ref?: string
  properties?: Record<string, SchemaNode>
  additionalProperties?: SchemaNode
}

const schemas = (schemaFile as { schemas: Record<string, SchemaNode> }).schemas

export interface MessageViolation {
  /** Where, as written in the message: `message.cardsV2[0].card.sections[1].widgets[0].decoratedText.text`. */
  path: string
  /** What is wrong: `expected a string, got 42`. */
  problem: string
}

const MAX_REPORTED = 5
const MAX_ENUM_SHOWN = 8
const MAX_FIELDS_SHOWN = 12

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** What a value is, for "got …": strings quoted (and cut), lists and objects by kind. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  if (Array.isArray(value)) return 'a list'
  if (isPlainObject(value)) return 'an object'
  return String(value)
}

/** Google's schema names, shortened for people: GoogleAppsCardV1DecoratedText → DecoratedText. */
function friendly(schemaId: string | undefined): string {
  return (schemaId ?? '').replace(/^GoogleAppsCardV1/, '')
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length] as number
}

function closest(candidates: readonly string[], value: string): string[] {
  const key = value.toLowerCase()
  return [...candidates]
    .map((candidate, index) => ({ candidate, index, d: distance(candidate.toLowerCase(), key) }))
    .sort((x, y) => x.d - y.d || x.index - y.index)
    .map((x) => x.candidate)
}

function enumProblem(values: readonly string[], value: unknown): string {
  if (values.length <= MAX_ENUM_SHOWN + 2) return `expected one of ${values.join(', ')}; got ${describe(value)}`
  // Long lists: the likeliest values first.
  const ordered = typeof value === 'string' ? closest(values, value) : [...values]
  return `expected one of ${ordered.slice(0, MAX_ENUM_SHOWN).join(', ')}, … (${values.length} values); got ${describe(value)}`
}

function unknownFieldProblem(
  name: string,
  properties: Record<string, SchemaNode>,
  owner: string | undefined,
  listFields: boolean,
): string {
  const fields = Object.keys(properties)
  const wanted = snakeToCamel(name).toLowerCase()
  const [best] = closest(fields, wanted)
  const near = best && distance(best.toLowerCase(), wanted) <= Math.max(2, Math.floor(name.length / 4))
  const suggestion = near ? ` (did you mean "${best}"?)` : ''
  if (!listFields) return `unknown field "${name}"${suggestion}`
  const shown =
    fields.length > MAX_FIELDS_SHOWN ? `${fields.slice(0, MAX_FIELDS_SHOWN).join(', ')}, …` : fields.join(', ')
  return `unknown field "${name}"${suggestion}; ${owner ? `a ${friendly(owner)} has` : 'the fields here are'} ${shown}`
}

const NUMERIC = /^-?\d+$/
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

function scalarProblem(node: SchemaNode, value: unknown): string | undefined {
  if (isPlainObject(value) || Array.isArray(value)) {
    return `expected ${node.type === 'boolean' ? 'true or false' : `a ${node.type === 'string' ? 'string' : 'number'}`}, got ${describe(value)}`
  }
  switch (node.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${describe(value)}`
    case 'integer':
      return (typeof value === 'number' && Number.isInteger(value)) ||
        (typeof value === 'string' && NUMERIC.test(value))
        ? undefined
        : `expected a whole number, got ${describe(value)}`
    case 'number':
      return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && DECIMAL.test(value))
        ? undefined
        : `expected a number, got ${describe(value)}`
    case 'string':
      if (node.format === 'int64' || node.format === 'uint64') {
        return (typeof value === 'number' && Number.isInteger(value)) ||
          (typeof value === 'string' && NUMERIC.test(value))
          ? undefined
          : `expected a whole number, got ${describe(value)}`
      }
      return typeof value === 'string' ? undefined : `expected a string, got ${describe(value)}`
    default:
      return undefined
  }
}

class Walker {
  readonly violations: MessageViolation[] = []
  readonly listed = new Set<string>()

  fail(path: string, problem: string): void {
    this.violations.push({ path, problem })
  }

  walk(raw: SchemaNode, value: unknown, path: string): void {
    // Proto3 JSON reads null as "not set".
    if (value === null || value === undefined) return
    const schemaId = raw.$ref
    const node = schemaId ? (schemas[schemaId] as SchemaNode) : raw
    if (node.type === 'any') return
    if (node.type === 'array') {
      if (!Array.isArray(value)) {
        const hint = isPlainObject(value) ? ' (in YAML, start each item with "- ")' : ''
        return this.fail(path, `expected a list, got ${describe(value)}${hint}`)
      }
      value.forEach((item, i) => this.walk(node.items ?? {}, item, `${path}[${i}]`))
      return
    }
    if (node.properties || node.additionalProperties || node.type === 'object') {
      if (!isPlainObject(value)) {
        return this.fail(
          path,
          `expected ${schemaId ? `a ${friendly(schemaId)} object` : 'an object'}, got ${describe(value)}`,
        )
      }
      if (node.additionalProperties && !node.properties) {
        for (const [key, item] of Object.entries(value)) this.walk(node.additionalProperties, item, `${path}.${key}`)
        return
      }
      const properties = node.properties ?? {}
      for (const [key, item] of Object.entries(value)) {
        // Chat reads both the JSON (lowerCamel) and the proto (snake_case) spelling of a field.
        const name = Object.hasOwn(properties, key) ? key : snakeToCamel(key)
        const property = Object.hasOwn(properties, name) ? properties[name] : undefined
        if (!property) {
          // The fields an object may have are listed once per object, however many unknown names it has.
          const listed = this.listed.has(path)
          this.listed.add(path)
          this.fail(`${path}.${key}`, unknownFieldProblem(key, properties, schemaId, !listed))
          continue
        }
        this.walk(property, item, `${path}.${key}`)
      }
      return
    }
    if (node.enum) {
      const known =
        (typeof value === 'string' && node.enum.includes(value)) ||
        (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < node.enum.length)
      if (!known) this.fail(path, enumProblem(node.enum, value))
      return
    }
    const problem = scalarProblem(node, value)
    if (problem) this.fail(path, problem)
  }
}

const CONTENT_FIELDS = ['text', 'cardsV2', 'cards_v2', 'cards', 'attachment']

/** Every way `message` departs from Chat's Message schema (empty when it is a valid message to send). */
export function findMessageViolations(message: unknown, root = 'message'): MessageViolation[] {
  const walker = new Walker()
  walker.walk({ $ref: 'Message' }, message, root)
  if (isPlainObject(message)) {
    const hasContent = CONTENT_FIELDS.some((field) => {
      const value = message[field]
      return Array.isArray(value) ? value.length > 0 : typeof value === 'string' ? value.trim() !== '' : false
    })
    if (!hasContent) walker.fail(root, 'has nothing to show: set text, cardsV2 (or both)')
  }
  return walker.violations
}

/** One line per violation, the first few of them: `message.text: expected a string, got 42; …`. */
function formatViolations(violations: readonly MessageViolation[]): string {
  const shown = violations.slice(0, MAX_REPORTED).map((v) => `${v.path}: ${v.problem}`)
  const more = violations.length - shown.length
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`
}

/**
 * Returns `message` as a Chat message when it is one; otherwise throws an InputError naming `input` (message or
 * message-file) with the path and the expected type or values of each bad field. Then Chat's rules beyond the
 * schema (card-rules.ts): what Chat refuses or silently drops, and for a webhook the fields only an app may send.
 */
export function assertValidMessage(
  message: unknown,
  input: string,
  options: { webhook?: boolean } = {},
): chat_v1.Schema$Message {
  const violations = findMessageViolations(message)
  if (violations.length) throw new InputError(input, `is not a valid Chat message: ${formatViolations(violations)}`)
  const broken = findCardRuleViolations(message as Record<string, unknown>, 'message', options)
  if (broken.length) throw new InputError(input, `breaks Google Chat's rules: ${formatViolations(broken)}`)
  return message as chat_v1.Schema$Message
}
