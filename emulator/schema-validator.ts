// Validates request bodies against Google's discovery document the way Chat's JSON front end does:
// unknown fields, wrong JSON types and bad enum values are 400s whose wording and snake_case paths
// follow Google's (`Unknown name "foo" at 'message.cards_v2[0].card': Cannot find field.`).
import { readFileSync } from 'node:fs'
import { camelToSnake, snakeToCamel, type FieldViolation } from './http-util.ts'

export interface SchemaNode {
  id?: string
  $ref?: string
  type?: string
  format?: string
  enum?: string[]
  items?: SchemaNode
  properties?: Record<string, SchemaNode>
  additionalProperties?: SchemaNode
  readOnly?: boolean
}

export interface MethodParameter {
  type?: string
  format?: string
  enum?: string[]
  location?: string
  required?: boolean
}

export interface DiscoveryMethod {
  httpMethod: string
  path: string
  parameters?: Record<string, MethodParameter>
}

interface DiscoveryDocument {
  parameters: Record<string, MethodParameter>
  schemas: Record<string, SchemaNode>
  resources: { spaces: { resources: { messages: { methods: Record<string, DiscoveryMethod> } } } }
}

export const discovery: DiscoveryDocument = JSON.parse(
  readFileSync(new URL('../schema/chat-v1-discovery.json', import.meta.url), 'utf8'),
)

export const messageMethods = discovery.resources.spaces.resources.messages.methods

export interface ValidationResult {
  /** The input with camelCase field names and JSON nulls dropped (proto3 JSON treats null as unset). */
  value: unknown
  violations: FieldViolation[]
}

/** Proto full name for a discovery schema id, as Google prints it in type errors. */
function protoName(schemaId: string): string {
  const card = 'GoogleAppsCardV1'
  return schemaId.startsWith(card) ? `google.apps.card.v1.${schemaId.slice(card.length)}` : `google.chat.v1.${schemaId}`
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1)
}

function scalarTypeName(node: SchemaNode): string {
  switch (node.type) {
    case 'integer':
      return node.format === 'uint32' ? 'TYPE_UINT32' : 'TYPE_INT32'
    case 'number':
      return node.format === 'float' ? 'TYPE_FLOAT' : 'TYPE_DOUBLE'
    case 'boolean':
      return 'TYPE_BOOL'
    default:
      if (node.format === 'int64') return 'TYPE_INT64'
      if (node.format === 'uint64') return 'TYPE_UINT64'
      if (node.format === 'byte') return 'TYPE_BYTES'
      return 'TYPE_STRING'
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const NUMERIC = /^-?\d+$/
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

function scalarOk(node: SchemaNode, value: unknown): boolean {
  switch (node.type) {
    case 'integer':
      return (
        (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && NUMERIC.test(value))
      )
    case 'number':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && (DECIMAL.test(value) || ['NaN', 'Infinity', '-Infinity'].includes(value)))
      )
    case 'boolean':
      return typeof value === 'boolean'
    default:
      if (node.format === 'int64' || node.format === 'uint64') {
        return (
          (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && NUMERIC.test(value))
        )
      }
      return typeof value === 'string'
  }
}

class Walker {
  violations: FieldViolation[] = []

  resolve(node: SchemaNode): SchemaNode {
    if (!node.$ref) return node
    const target = discovery.schemas[node.$ref]
    if (!target) throw new Error(`discovery document has no schema ${node.$ref}`)
    return target
  }

  fail(field: string, description: string): undefined {
    this.violations.push({ field, description })
    return undefined
  }

  /** `owner` is the message schema holding this field, used to name enum types. */
  walk(raw: SchemaNode, value: unknown, path: string, owner?: { schemaId: string; field: string }): unknown {
    if (value === null || value === undefined) return undefined
    const node = this.resolve(raw)
    if (node.type === 'any') return value
    if (node.type === 'array') {
      if (!Array.isArray(value)) {
        const items = this.resolve(node.items ?? {})
        const itemType = items.id ? `type.googleapis.com/${protoName(items.id)}` : scalarTypeName(items)
        const got = isPlainObject(value) ? 'Starting an object on a repeated field' : show(value)
        return this.fail(path, `Invalid value at '${path}' (${itemType}), ${got}`)
      }
      const items: unknown[] = []
      value.forEach((item, i) => {
        const out = this.walk(node.items ?? {}, item, `${path}[${i}]`, owner)
        if (out !== undefined) items.push(out)
      })
      return items
    }
    if (node.type === 'object' || node.properties || node.additionalProperties) {
      return this.walkObject(node, value, path)
    }
    return this.walkScalar(node, value, path, owner)
  }

  walkObject(node: SchemaNode, value: unknown, path: string): unknown {
    const typeName = node.id ? `type.googleapis.com/${protoName(node.id)}` : 'TYPE_MESSAGE'
    if (!isPlainObject(value)) {
      return this.fail(path, `Invalid value at '${path}' (${typeName}), ${show(value)}`)
    }
    const out: Record<string, unknown> = {}
    if (node.additionalProperties && !node.properties) {
      // A map<string, V> field: any key, each value checked against V.
      for (const [key, item] of Object.entries(value)) {
        const v = this.walk(node.additionalProperties, item, `${path}[${JSON.stringify(key)}]`)
        if (v !== undefined) out[key] = v
      }
      return out
    }
    const properties = node.properties ?? {}
    for (const [key, item] of Object.entries(value)) {
      // Proto3 JSON parsers accept both the lowerCamel JSON name and the original snake_case name.
      const name = key in properties ? key : snakeToCamel(key)
      const property = properties[name]
      if (!property) {
        this.fail(
          path,
          `Invalid JSON payload received. Unknown name ${JSON.stringify(key)} at '${path}': Cannot find field.`,
        )
        continue
      }
      const propertyNode = this.resolve(property)
      if (Array.isArray(item) && propertyNode.type !== 'array' && propertyNode.type !== 'any') {
        this.fail(
          path,
          `Invalid JSON payload received. Unknown name ${JSON.stringify(key)} at '${path}': Proto field is not repeating, cannot start list.`,
        )
        continue
      }
      const childPath = `${path}.${camelToSnake(name)}`
      const v = this.walk(property, item, childPath, { schemaId: node.id ?? '', field: name })
      if (v !== undefined) out[name] = v
    }
    return out
  }

  walkScalar(node: SchemaNode, value: unknown, path: string, owner?: { schemaId: string; field: string }): unknown {
    if (isPlainObject(value)) {
      return this.fail(
        path,
        `Invalid value at '${path}' (${scalarTypeName(node)}), Starting an object on a scalar field`,
      )
    }
    if (node.enum) {
      // Enums may be sent by name or by number.
      const known =
        (typeof value === 'string' && node.enum.includes(value)) ||
        (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < node.enum.length)
      if (known) return typeof value === 'number' ? node.enum[value] : value
      const enumType = owner ? `type.googleapis.com/${protoName(owner.schemaId)}.${pascal(owner.field)}` : 'TYPE_ENUM'
      return this.fail(path, `Invalid value at '${path}' (${enumType}), ${show(value)}`)
    }
    if (!scalarOk(node, value))
      return this.fail(path, `Invalid value at '${path}' (${scalarTypeName(node)}), ${show(value)}`)
    return value
  }
}

/** Walks `value` with the discovery schema `schemaId`; `rootPath` is the request field name (e.g. `message`). */
export function validateResource(schemaId: string, value: unknown, rootPath: string): ValidationResult {
  const walker = new Walker()
  const out = walker.walk({ $ref: schemaId }, value, rootPath)
  return { value: out ?? {}, violations: walker.violations }
}

/**
 * Checks query parameters against a method's discovery parameters plus the global ones
 * (`alt`, `fields`, `prettyPrint`…). Returns the camelCase parameter values.
 */
export function validateQuery(
  method: DiscoveryMethod,
  requestType: string,
  query: URLSearchParams,
): { params: Map<string, string>; violations: FieldViolation[] } {
  const params = new Map<string, string>()
  const violations: FieldViolation[] = []
  const declared = { ...discovery.parameters, ...method.parameters }
  for (const [key, value] of query) {
    const name = key in declared ? key : snakeToCamel(key)
    const parameter = declared[name]
    if (!parameter || parameter.location === 'path') {
      violations.push({
        field: key,
        description: `Invalid JSON payload received. Unknown name ${JSON.stringify(key)}: Cannot bind query parameter. Field '${key}' could not be found in request message.`,
      })
      continue
    }
    const field = camelToSnake(name)
    if (parameter.enum && !parameter.enum.includes(value)) {
      const enumName = name.split('.').pop() ?? name
      violations.push({
        field,
        description: `Invalid value at '${field}' (type.googleapis.com/google.chat.v1.${requestType}.${pascal(enumName)}), ${JSON.stringify(value)}`,
      })
      continue
    }
    if (parameter.type === 'boolean' && value !== 'true' && value !== 'false') {
      violations.push({ field, description: `Invalid value at '${field}' (TYPE_BOOL), ${JSON.stringify(value)}` })
      continue
    }
    params.set(name, value)
  }
  return { params, violations }
}
