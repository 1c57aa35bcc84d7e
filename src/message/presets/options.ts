// The presets' names and options, and parsers for the inputs that carry them (`card`, `fields`, `matrix`).
import { InputError } from '../../errors.ts'
import { truncate } from '../../text.ts'
import type { WorkflowJob } from '../../github/workflow-jobs.ts'
import type { Status } from '../../inputs.ts'

export const PRESETS = ['status', 'deploy', 'release', 'pull-request', 'workflow'] as const
export type Preset = (typeof PRESETS)[number]

/** Facts a card can show, in the vocabulary of the `fields` input. */
export const FACT_NAMES = [
  'status',
  'repository',
  'branch',
  'commit',
  'author',
  'actor',
  'event',
  'workflow',
  'job',
  'matrix',
  'duration',
  'pull-request',
  'state',
  'branches',
  'labels',
  'environment',
  'url',
  'version',
  'deployment-state',
  'tag',
] as const
export type FactName = (typeof FACT_NAMES)[number]

/** Everything a preset can be told; all but `status` optional, each with a default from the event (see README). */
export interface CardOptions {
  /** The `status` input: what happened to this job. The workflow preset works out the run's own from its jobs. */
  status: Status
  /** Replaces the generated headline (the user's own text, kept as written). */
  title?: string
  /** Which facts to show, in this order (parseFields); default: each preset's own list. */
  fields?: readonly FactName[]
  /** A matrix job's values, e.g. { os: 'ubuntu-latest', node: '24' } (parseMatrix of `${{ toJSON(matrix) }}`). */
  matrix?: Readonly<Record<string, string>>

  // deploy
  /** Default: deployment_status.environment, deployment.environment. */
  environment?: string
  /** Default: deployment_status.environment_url, .target_url, deployment.payload.web_url. Linked only if http(s). */
  environmentUrl?: string
  /** Default: deployment.ref, else the run's tag or branch. */
  version?: string

  // release
  /** Default: release.tag_name, else the run's tag (refs/tags/…). */
  tag?: string
  /** The tag before this one, for the Compare button; no event carries it. */
  previousTag?: string

  // workflow
  /** The run's jobs (fetchWorkflowJobs); without them the card shows what the context knows. */
  jobs?: readonly WorkflowJob[]
  /** Why the jobs could not be listed (fetchWorkflowJobs' `unavailable`), shown briefly on the card. */
  jobsUnavailable?: string
  /** When the run started (ISO 8601); default: the earliest job's creation. Used for `duration`. */
  runStartedAt?: string
  /** "Now" in epoch milliseconds, for jobs still running; default Date.now(). Tests pin it. */
  now?: number
}

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
  if (PRESET_ALIASES[value]) return PRESET_ALIASES[value]
  throw new InputError(
    input,
    `has an unknown value ${JSON.stringify(truncate(raw, 40))}; expected one of ${PRESETS.join(', ')}`,
  )
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
        `has an unknown field ${JSON.stringify(truncate(name, 40))}; expected a comma-separated list of: ${FACT_NAMES.join(', ')}`,
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

/**
 * The `matrix` input, meant as `${{ toJSON(matrix) }}`: a JSON object. `null` or empty (a job without a matrix):
 * undefined. Scalars become strings; nested objects and arrays are shown as compact JSON.
 */
export function parseMatrix(raw: string, input = 'matrix'): Record<string, string> | undefined {
  const value = raw.trim()
  if (!value || value === 'null' || value === '{}') return undefined
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
