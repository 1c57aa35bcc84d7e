import { createHash, randomUUID } from 'node:crypto'

export interface RequestIdParts {
  runId: string
  runAttempt: number
  job: string
  step: string
  space: string
}

/**
 * Chat's idempotency key for a create: a retry with the same request id returns the message the first
 * attempt created instead of posting again. It names the run, attempt, job, step and space; a per-process
 * nonce keeps matrix legs (same job and step names) from being taken for retries of one another.
 */
export function requestId(parts: RequestIdParts, nonce: string = PROCESS_NONCE): string {
  const digest = createHash('sha256')
    .update([parts.job, parts.step, parts.space, nonce].join('\n'))
    .digest('hex')
    .slice(0, 20)
  return `${parts.runId || 'local'}-${parts.runAttempt}-${digest}`
}

const PROCESS_NONCE = randomUUID()
