// The small parsers every input shares: yes/no, one of a list, seconds, and the job status.
import { STATUSES, type Status } from '../domain.ts'
import { InputError } from '../errors.ts'
import { truncate } from '../text.ts'

export function parseStatus(raw: string): Status {
  // Empty usually means an expression that found nothing (e.g. the outcome of a step that did not run).
  if (!raw.trim())
    throw new InputError('status', `is empty; expected one of ${STATUSES.join(', ')} (default: \${{ job.status }})`)
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  if ((STATUSES as readonly string[]).includes(value)) return value as Status
  throw new InputError(
    'status',
    `has an unknown value ${JSON.stringify(truncate(raw, 40))}; expected one of ${STATUSES.join(', ')} (default: \${{ job.status }})`,
  )
}

export function parseBoolean(name: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim().toLowerCase()
  if (value === '') return fallback
  if (['true', 'yes', 'on', '1'].includes(value)) return true
  if (['false', 'no', 'off', '0'].includes(value)) return false
  throw new InputError(name, `must be true or false, got ${JSON.stringify(truncate(raw, 40))}`)
}

export function parseChoice<T extends string>(name: string, raw: string, choices: readonly T[], fallback: T): T {
  const value = raw.trim().toLowerCase()
  if (value === '') return fallback
  if ((choices as readonly string[]).includes(value)) return value as T
  throw new InputError(
    name,
    `has an unknown value ${JSON.stringify(truncate(raw, 40))}; expected one of ${choices.join(', ')}`,
  )
}

export function parseSeconds(name: string, raw: string, fallback: number): number {
  const value = raw.trim()
  if (!value) return fallback
  const seconds = Number(value.replace(/s$/, ''))
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new InputError(
      name,
      `must be a number of seconds between 1 and 3600, got ${JSON.stringify(truncate(raw, 40))}`,
    )
  }
  return seconds
}
