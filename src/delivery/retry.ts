// One retry policy for every Google call (token and Chat): exponential backoff with full jitter, Retry-After
// honoured, a total time budget and a per-attempt time-out. Client errors (400/401/403/404/409) are never retried,
// nor is ALREADY_EXISTS however it arrives: asking again cannot free a taken id.
import { isAlreadyExists } from './google-status.ts'

export interface RetryPolicy {
  /** The whole operation, all attempts and waits included. */
  budgetMs: number
  /** Each attempt; the last one gets what is left of the budget if that is less. */
  attemptTimeoutMs: number
  baseDelayMs: number
  maxDelayMs: number
}

export interface RetryClock {
  now(): number
  sleep(ms: number): Promise<void>
  random(): number
}

export const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
}

/** The per-attempt time-out a budget implies: a quarter of it, between 1 s and 15 s. */
export function policyFor(budgetMs: number): RetryPolicy {
  return {
    budgetMs,
    attemptTimeoutMs: Math.min(15_000, Math.max(1_000, Math.floor(budgetMs / 4))),
    baseDelayMs: 500,
    maxDelayMs: 16_000,
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504])
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
])

interface ErrorLike {
  code?: unknown
  name?: unknown
  message?: unknown
  status?: unknown
  type?: unknown
  response?: { status?: number; headers?: unknown }
  cause?: unknown
}

export function httpStatus(error: unknown): number | undefined {
  const err = error as ErrorLike | undefined
  const status = err?.response?.status ?? err?.status
  return typeof status === 'number' ? status : undefined
}

/** 429 and 5xx gateway/unavailable answers, dropped connections and time-outs. */
export function isRetryable(error: unknown): boolean {
  if (isAlreadyExists(error)) return false
  // The first HTTP status on the way down decides: explained errors keep the library's error as their cause.
  for (let err = error as ErrorLike | undefined, depth = 0; err && depth < 4; err = err.cause as ErrorLike, depth++) {
    const status = httpStatus(err)
    if (status !== undefined) return RETRYABLE_STATUS.has(status)
  }
  for (let err = error as ErrorLike | undefined, depth = 0; err && depth < 4; err = err.cause as ErrorLike, depth++) {
    if (typeof err.code === 'string' && RETRYABLE_CODES.has(err.code)) return true
    if (err.name === 'AbortError' || err.name === 'TimeoutError' || err.type === 'request-timeout') return true
    if (typeof err.message === 'string' && /socket hang up|network timeout|timed? ?out|ECONNRESET/i.test(err.message)) {
      return true
    }
  }
  return false
}

/** Retry-After as seconds (fractions accepted) or an HTTP date, in milliseconds. */
export function retryAfterMs(error: unknown, now: number): number | undefined {
  const headers = (error as ErrorLike | undefined)?.response?.headers
  let value: unknown
  if (headers && typeof (headers as Headers).get === 'function') value = (headers as Headers).get('retry-after')
  else if (headers && typeof headers === 'object') value = (headers as Record<string, unknown>)['retry-after']
  if (typeof value !== 'string' || !value.trim()) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export class RetriesExhausted extends Error {
  readonly attempts: number
  constructor(lastError: unknown, attempts: number) {
    super(lastError instanceof Error ? lastError.message : String(lastError), { cause: lastError })
    this.name = 'RetriesExhausted'
    this.attempts = attempts
  }
}

/**
 * Runs `attempt(timeoutMs)` until it succeeds, fails for good, or the budget would be exceeded.
 * The final error is the last attempt's own (so callers explain it as usual); `onRetry` hears each retry.
 */
export async function withRetries<T>(
  attempt: (timeoutMs: number) => Promise<T>,
  policy: RetryPolicy,
  clock: RetryClock = realClock,
  onRetry: (error: unknown, attemptNumber: number, delayMs: number) => void = () => undefined,
): Promise<T> {
  const deadline = clock.now() + policy.budgetMs
  for (let attemptNumber = 1; ; attemptNumber++) {
    const remaining = deadline - clock.now()
    try {
      return await attempt(Math.max(1, Math.min(policy.attemptTimeoutMs, remaining)))
    } catch (error) {
      if (!isRetryable(error)) throw error
      const backoff = clock.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1))
      const asked = retryAfterMs(error, clock.now())
      // Honour the server's wait, with a little jitter so many waiting clients do not return in lockstep.
      const delay = asked === undefined ? backoff : asked + clock.random() * Math.min(asked * 0.1, 1000)
      if (clock.now() + delay >= deadline) throw new RetriesExhausted(error, attemptNumber)
      onRetry(error, attemptNumber, delay)
      await clock.sleep(delay)
    }
  }
}

/** The error an attempt threw, without the RetriesExhausted wrapper. */
export function lastError(error: unknown): unknown {
  return error instanceof RetriesExhausted ? error.cause : error
}

/** " (gave up after N attempts in S s; …)" when the budget ran out, else nothing. */
export function gaveUp(error: unknown, elapsedMs: number): string {
  return error instanceof RetriesExhausted
    ? ` (gave up after ${error.attempts} attempts in ${(elapsedMs / 1000).toFixed(1)} s; raise 'timeout' to wait longer)`
    : ''
}

/** A short name for a failed attempt, for the retry log line. */
export function describeFailure(error: unknown): string {
  const status = httpStatus(error)
  if (status) return `HTTP ${status}`
  const err = error as { code?: unknown; message?: unknown }
  return typeof err.code === 'string' ? err.code : String(err.message ?? error).slice(0, 80)
}
