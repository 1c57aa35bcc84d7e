// Durations as people say them: "45s", "3m 12s", "1h 4m", "2d 3h".

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * A duration in milliseconds, read naturally: the two largest units, the smaller one left out when zero
 * ("3m", "1h"). Under a second reads "0s"; a negative or non-finite value reads "" (unknown).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return ''
  const seconds = Math.round(ms / SECOND)
  if (seconds < 60) return `${seconds}s`
  const rounded = seconds * SECOND
  const units: [number, string][] =
    rounded < HOUR
      ? [
          [MINUTE, 'm'],
          [SECOND, 's'],
        ]
      : rounded < DAY
        ? [
            [HOUR, 'h'],
            [MINUTE, 'm'],
          ]
        : [
            [DAY, 'd'],
            [HOUR, 'h'],
          ]
  const [[bigUnit, bigName], [smallUnit, smallName]] = units as [[number, string], [number, string]]
  const big = Math.floor(rounded / bigUnit)
  const small = Math.floor((rounded - big * bigUnit) / smallUnit)
  return small ? `${big}${bigName} ${small}${smallName}` : `${big}${bigName}`
}

/** Milliseconds from `start` to `end` (ISO 8601 strings or epoch ms); undefined when either is missing or invalid. */
export function durationBetween(
  start: string | number | null | undefined,
  end: string | number | null | undefined,
): number | undefined {
  const from = toMillis(start)
  const to = toMillis(end)
  if (from === undefined || to === undefined || to < from) return undefined
  return to - from
}

/** Epoch milliseconds of an ISO 8601 string or a number; undefined when missing or invalid. */
export function toMillis(value: string | number | null | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || !value) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}
