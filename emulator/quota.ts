// Chat's per-space write quota: N message writes (create, patch/update, delete) per minute per space, shared by
// every app and incoming webhook in the space (Chat API "Usage limits" page: per-space quotas are shared among
// all apps and webhooks in the space; the figure has changed over time), enforced over a sliding window.
// `timeScale` compresses time so tests need not wait a real minute: with timeScale 60 the window lasts one real
// second. The limits page promises no `Retry-After` header on the 429, so `retryAfter` decides whether one is
// sent: always, never, or every other 429 per space (the default: clients must cope with both).
import { googleError } from './http-util.ts'
import type { EmulatorResponse } from './types.ts'

export interface WriteQuotaOptions {
  /** Writes allowed per (scaled) minute per space; Chat's real limit is 60. */
  perMinute: number
  /** How many times faster than real time the window runs (default 1). */
  timeScale?: number
  /** Whether a 429 carries Retry-After: `always`, `never`, or `alternate` (every other 429 per space; default). */
  retryAfter?: RetryAfterMode
}

export type RetryAfterMode = 'always' | 'never' | 'alternate'
const RETRY_AFTER_MODES: RetryAfterMode[] = ['always', 'never', 'alternate']

/** Production's per-space write limit as the Chat limits page gave it (60 per minute); on by default. */
export const DEFAULT_WRITE_QUOTA: WriteQuotaOptions = { perMinute: 60 }

export class WriteQuota {
  #options: Required<WriteQuotaOptions> | undefined
  /** space → times (ms, from `now`) of the writes admitted in the current window, oldest first. */
  #writes = new Map<string, number[]>()
  /** space → how many 429s it has been answered, for `retryAfter: 'alternate'`. */
  #refusals = new Map<string, number>()
  /** Overridable monotonic clock in milliseconds. */
  now: () => number = () => performance.now()

  get options(): Required<WriteQuotaOptions> | undefined {
    return this.#options && { ...this.#options }
  }

  /** Sets (or with undefined, removes) the quota and forgets the writes counted so far. */
  set(options: WriteQuotaOptions | undefined | null): void {
    this.reset()
    if (!options) {
      this.#options = undefined
      return
    }
    const { perMinute, timeScale = 1, retryAfter = 'alternate' } = options
    if (!Number.isInteger(perMinute) || perMinute < 1) {
      throw new Error(`perMinute must be a positive integer, got ${perMinute}`)
    }
    if (!(typeof timeScale === 'number' && timeScale > 0 && Number.isFinite(timeScale))) {
      throw new Error(`timeScale must be a positive number, got ${timeScale}`)
    }
    if (!RETRY_AFTER_MODES.includes(retryAfter)) {
      throw new Error(`retryAfter must be one of ${RETRY_AFTER_MODES.join(', ')}, got ${String(retryAfter)}`)
    }
    this.#options = { perMinute, timeScale, retryAfter }
  }

  /** Forgets the writes counted so far; keeps the limit. */
  reset(): void {
    this.#writes.clear()
    this.#refusals.clear()
  }

  /** Counts one write to `space`, or returns the 429 to send when the space is out of quota. */
  take(space: string): EmulatorResponse | undefined {
    if (!this.#options) return undefined
    const { perMinute, timeScale, retryAfter: mode } = this.#options
    const windowMs = 60_000 / timeScale
    const now = this.now()
    const writes = this.#writes.get(space) ?? []
    this.#writes.set(space, writes)
    while (writes.length && writes[0] <= now - windowMs) writes.shift()
    if (writes.length < perMinute) {
      writes.push(now)
      return undefined
    }
    // The oldest write that has to leave the window before one more fits.
    const waitMs = Math.max(0, writes[writes.length - perMinute] + windowMs - now)
    const response = googleError(
      429,
      "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per space' of service 'chat.googleapis.com' for consumer 'project_number:000000000000'.",
      {
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: {
              service: 'chat.googleapis.com',
              quota_metric: 'chat.googleapis.com/write_requests',
              quota_limit: 'WriteRequestsPerMinutePerSpace',
              quota_limit_value: String(perMinute),
              consumer: 'projects/000000000000',
            },
          },
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [
              {
                description: 'Request a higher quota limit.',
                url: 'https://cloud.google.com/docs/quotas/help/request_increase',
              },
            ],
          },
        ],
      },
    )
    // Real time: whole seconds, as HTTP has it. Scaled time: whole seconds would be whole scaled minutes,
    // so the wait is given in fractional seconds (clients that parse Retry-After as a number accept it).
    const retryAfter = timeScale === 1 ? String(Math.max(1, Math.ceil(waitMs / 1000))) : (waitMs / 1000).toFixed(3)
    const refusals = (this.#refusals.get(space) ?? 0) + 1
    this.#refusals.set(space, refusals)
    const withHeader = mode === 'always' || (mode === 'alternate' && refusals % 2 === 1)
    // The emulator's own header always says how long the window still holds, for tests.
    response.headers = { 'x-emulator-retry-after-ms': waitMs.toFixed(3) }
    if (withHeader) response.headers['retry-after'] = retryAfter
    return response
  }
}
