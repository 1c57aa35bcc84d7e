// Google's canonical status (`ALREADY_EXISTS`, `PERMISSION_DENIED`, …) of a failed call, read the same way by the
// delivery code and the retry policy. The body's status is what Google promises; the HTTP code that carries it is
// not always documented (the Chat reference names none for a duplicate custom id), so decisions read the status.
import { readGoogleError } from '../google-error.ts'

/** Google's status name in the error's answer, or in the answer of an error it wraps (`cause`). */
export function googleStatus(error: unknown): string | undefined {
  let err: unknown = error
  for (let depth = 0; err && depth < 4; depth++) {
    const status = readGoogleError(err).googleStatus
    if (status) return status
    err = (err as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * The custom id (or resource) is taken: status ALREADY_EXISTS whatever the HTTP code, or a bare 409 without a
 * status (AIP-133's code for it; a 409 that says ABORTED is a conflict, not a taken id).
 */
export function isAlreadyExists(error: unknown): boolean {
  const status = googleStatus(error)
  if (status) return status === 'ALREADY_EXISTS'
  return readGoogleError(error).status === 409
}
