// The inputs that choose and shape the card: `card` (a preset or none), `fields` and `matrix`.
import { FACT_NAMES, PRESETS, type CardStyle, type FactName, type Preset } from '../domain.ts'
import { InputError } from '../errors.ts'
import { truncate } from '../text.ts'
import { assertStructuredTextWithin } from './structured-text.ts'
import { didYouMean } from './values.ts'

const PRESET_ALIASES: Record<string, Preset> = {
  pr: 'pull-request',
  pull_request: 'pull-request',
  deployment: 'deploy',
}

/** The `card` input's preset names (case-insensitive; `pr` and `pull_request` mean pull-request). */
export function parsePreset(raw: string, input = 'card'): Preset | undefined {
  const value = raw.trim().toLowerCase()
  if (!value) return undefined
  if ((PRESETS as readonly string[]).includes(value)) return value as Preset
  if (Object.hasOwn(PRESET_ALIASES, value)) return PRESET_ALIASES[value]
  throw new InputError(
    input,
    `has an unknown value ${JSON.stringify(truncate(raw, 40))}${didYouMean(value, PRESETS)}; expected one of ${PRESETS.join(', ')}`,
  )
}

/** The `card` input: a preset (default: status) or none. */
export function parseCard(raw: string): CardStyle {
  if (raw.trim().toLowerCase() === 'none') return 'none'
  try {
    return parsePreset(raw) ?? 'status'
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError('card', `${error.message.replace(/^Input 'card' /, '')} or none`)
    throw error
  }
}

/**
 * The `fields` input: fact names separated by commas, spaces or new lines, case-insensitive (`pull_request` and
 * `pull request` mean pull-request). Empty: undefined (each preset's default). Unknown or repeated names are errors.
 */
export function parseFields(raw: string, input = 'fields'): FactName[] | undefined {
  const names = raw
    .split(/[,\n]/)
    .map((name) =>
      name
        .trim()
        .toLowerCase()
        .replace(/[\s_]+/g, '-'),
    )
    .filter(Boolean)
  if (names.length === 0) return undefined
  const fields: FactName[] = []
  for (const name of names) {
    if (!(FACT_NAMES as readonly string[]).includes(name)) {
      throw new InputError(
        input,
        `has an unknown field ${JSON.stringify(truncate(name, 40))}${didYouMean(name, FACT_NAMES)}; expected a comma-separated list of: ${FACT_NAMES.join(', ')}`,
      )
    }
    if (fields.includes(name as FactName)) {
      throw new InputError(input, `lists ${JSON.stringify(name)} twice; each field is shown once`)
    }
    fields.push(name as FactName)
  }
  return fields
}

const MAX_MATRIX_ENTRIES = 20
const MAX_MATRIX_BYTES = 64 * 1024

/**
 * The `matrix` input, meant as `${{ toJSON(matrix) }}`: a JSON object. `null` or empty (a job without a matrix):
 * undefined. Scalars become strings; nested objects and arrays are shown as compact JSON.
 */
export function parseMatrix(raw: string, input = 'matrix'): Record<string, string> | undefined {
  const value = raw.trim()
  if (!value || value === 'null' || value === '{}') return undefined
  assertStructuredTextWithin(input, value, { maxBytes: MAX_MATRIX_BYTES, format: 'json' })
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    throw new InputError(
      input,
      `is not JSON; expected \${{ toJSON(matrix) }}, e.g. {"os": "ubuntu-latest", "node": 24}`,
    )
  }
  if (parsed === null) return undefined
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(input, `must be a JSON object; expected \${{ toJSON(matrix) }}, e.g. {"os": "ubuntu-latest"}`)
  }
  const entries = Object.entries(parsed as Record<string, unknown>).slice(0, MAX_MATRIX_ENTRIES)
  if (entries.length === 0) return undefined
  return Object.fromEntries(
    entries.map(([key, item]) => [key, typeof item === 'string' ? item : (JSON.stringify(item) ?? String(item))]),
  )
}
