// The small parsers every input shares: yes/no, one of a list, seconds, and the job status.
import { STATUSES, type Status } from '../domain.ts'
import { InputError } from '../errors.ts'
import { nearest, truncate } from '../text.ts'

/** Spellings that can only mean one status: the US spelling, and the past tenses people type. */
const STATUS_SPELLINGS = new Map<string, Status>([
  ['canceled', 'cancelled'],
  ['cancel', 'cancelled'],
  ['succeeded', 'success'],
  ['successful', 'success'],
  ['passed', 'success'],
  ['failed', 'failure'],
  ['fail', 'failure'],
  ['skip', 'skipped'],
  ['start', 'started'],
  ['inprogress', 'in_progress'],
])

export function parseStatus(raw: string): Status {
  // Empty usually means an expression that found nothing (e.g. the outcome of a step that did not run).
  if (!raw.trim())
    throw new InputError('status', `is empty; expected one of ${STATUSES.join(', ')} (default: \${{ job.status }})`)
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  if ((STATUSES as readonly string[]).includes(value)) return value as Status
  const spelling = STATUS_SPELLINGS.get(value)
  if (spelling) return spelling
  throw new InputError(
    'status',
    `has an unknown value ${JSON.stringify(truncate(raw, 40))}${didYouMean(value, STATUSES)}; expected one of ${STATUSES.join(', ')} (default: \${{ job.status }})`,
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
    `has an unknown value ${JSON.stringify(truncate(raw, 40))}${didYouMean(value, choices)}; expected one of ${choices.join(', ')}`,
  )
}

/** `; did you mean X?` when one choice is a likely typo away from the value, else nothing. */
export function didYouMean(value: string, choices: readonly string[]): string {
  const guess = nearest(value, choices)
  return guess ? `; did you mean ${guess}?` : ''
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
