import { describe, expect, test } from '@jest/globals'
import {
  RetriesExhausted,
  isRetryable,
  policyFor,
  retryAfterMs,
  withRetries,
  type RetryClock,
} from '../../src/delivery/retry.ts'
import { googleStatus, isAlreadyExists } from '../../src/delivery/google-status.ts'

/** A clock that advances only when the code under test sleeps; random fixed at 0.5. */
function fakeClock(random = 0.5): RetryClock & { slept: number[] } {
  let now = 1_000_000
  const slept: number[] = []
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms)
      now += ms
    },
    random: () => random,
  }
}

const httpError = (status: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP ${status}`), { response: { status, headers } })

describe('isRetryable', () => {
  test.each([429, 500, 502, 503, 504])('%i is retried', (status) => expect(isRetryable(httpError(status))).toBe(true))
  test.each([400, 401, 403, 404, 409])('%i is not', (status) => expect(isRetryable(httpError(status))).toBe(false))
  test('connection resets and time-outs are retried, also when wrapped', () => {
    expect(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true)
    expect(isRetryable(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toBe(true)
    expect(isRetryable(new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ETIMEDOUT' }) }))).toBe(
      true,
    )
    expect(isRetryable(new Error('Invalid JWT Signature'))).toBe(false)
  })
})

describe('ALREADY_EXISTS, however it arrives', () => {
  const googleError = (status: number, canonical?: string, asText = false) => {
    const body = {
      error: { code: status, message: 'Message with custom ID client-x already exists', status: canonical },
    }
    return Object.assign(new Error(`HTTP ${status}`), {
      response: { status, headers: {}, data: asText ? JSON.stringify(body) : body },
    })
  }

  test.each([409, 400, 500, 503])('status ALREADY_EXISTS with HTTP %i is recognised and never retried', (code) => {
    const error = googleError(code, 'ALREADY_EXISTS')
    expect(isAlreadyExists(error)).toBe(true)
    expect(isRetryable(error)).toBe(false)
    expect(isAlreadyExists(new Error('wrapped', { cause: error }))).toBe(true)
    expect(isAlreadyExists(googleError(code, 'ALREADY_EXISTS', true))).toBe(true)
  })

  test('a bare 409 is a taken id; a 409 that says ABORTED or another status is not', () => {
    expect(isAlreadyExists(httpError(409))).toBe(true)
    expect(isAlreadyExists(googleError(409, 'ABORTED'))).toBe(false)
    expect(isAlreadyExists(googleError(400, 'INVALID_ARGUMENT'))).toBe(false)
    expect(isAlreadyExists(httpError(400))).toBe(false)
    expect(isRetryable(googleError(503, 'UNAVAILABLE'))).toBe(true)
    expect(googleStatus(googleError(403, 'PERMISSION_DENIED'))).toBe('PERMISSION_DENIED')
    expect(googleStatus(new Error('no body'))).toBeUndefined()
  })
})

describe('retryAfterMs', () => {
  test('seconds, fractional seconds, HTTP dates, and headers objects', () => {
    expect(retryAfterMs(httpError(429, { 'retry-after': '7' }), 0)).toBe(7000)
    expect(retryAfterMs(httpError(429, { 'retry-after': '0.25' }), 0)).toBe(250)
    const now = Date.parse('2026-11-26T12:00:00Z')
    expect(retryAfterMs(httpError(503, { 'retry-after': 'Thu, 26 Nov 2026 12:00:03 GMT' }), now)).toBe(3000)
    const headers = new Headers({ 'Retry-After': '2' })
    expect(retryAfterMs(Object.assign(new Error(), { response: { status: 429, headers } }), 0)).toBe(2000)
    expect(retryAfterMs(httpError(429), 0)).toBeUndefined()
  })
})

describe('withRetries', () => {
  test('exponential backoff with full jitter until success', async () => {
    const clock = fakeClock(0.5)
    let calls = 0
    const value = await withRetries(
      async () => {
        if (++calls < 4) throw httpError(503)
        return 'ok'
      },
      policyFor(60_000),
      clock,
    )
    expect(value).toBe('ok')
    expect(clock.slept).toEqual([250, 500, 1000]) // random 0.5 × 500·2^n
  })

  test('Retry-After is honoured (plus at most 10% jitter)', async () => {
    const clock = fakeClock(0)
    let calls = 0
    await withRetries(
      async () => {
        if (++calls === 1) throw httpError(429, { 'retry-after': '3' })
        return 'ok'
      },
      policyFor(60_000),
      clock,
    )
    expect(clock.slept).toEqual([3000])
  })

  test('client errors are thrown at once', async () => {
    const clock = fakeClock()
    await expect(withRetries(async () => Promise.reject(httpError(404)), policyFor(60_000), clock)).rejects.toThrow(
      'HTTP 404',
    )
    expect(clock.slept).toEqual([])
  })

  test('a persistent 503 ends within the budget with the last error', async () => {
    const clock = fakeClock(1)
    const start = clock.now()
    const error = await withRetries(async () => Promise.reject(httpError(503)), policyFor(10_000), clock).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RetriesExhausted)
    expect((error as RetriesExhausted).cause).toMatchObject({ response: { status: 503 } })
    expect((error as RetriesExhausted).attempts).toBeGreaterThan(3)
    expect(clock.now() - start).toBeLessThan(10_000)
  })

  test('each attempt gets at most the per-attempt time-out, and never more than the budget left', async () => {
    const clock = fakeClock(1)
    const timeouts: number[] = []
    await withRetries(
      async (timeout) => {
        timeouts.push(timeout)
        throw httpError(503)
      },
      { budgetMs: 4000, attemptTimeoutMs: 1500, baseDelayMs: 1000, maxDelayMs: 16_000 },
      clock,
    ).catch(() => undefined)
    expect(timeouts[0]).toBe(1500)
    expect(timeouts.at(-1)).toBeLessThanOrEqual(1500)
    expect(timeouts.every((t) => t > 0)).toBe(true)
  })
})
