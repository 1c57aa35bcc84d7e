// Google's canonical status (`ALREADY_EXISTS`, `PERMISSION_DENIED`, …) in an error body, read the same way by the
// delivery code and the retry policy. The body's status is what Google promises; the HTTP code that carries it is
// not always documented (the Chat reference names none for a duplicate custom id), so decisions read the status.

interface WithBody {
  status?: unknown
  response?: { status?: unknown; data?: unknown }
  cause?: unknown
}

/** `error.status` of Google's JSON error body (`{"error": {"code", "message", "status"}}`), walking causes. */
export function googleStatus(error: unknown): string | undefined {
  for (let err = error as WithBody | undefined, depth = 0; err && depth < 4; err = err.cause as WithBody, depth++) {
    let data = err.response?.data
    if (typeof data === 'string' && data.trimStart().startsWith('{')) {
      try {
        data = JSON.parse(data)
      } catch {
        data = undefined
      }
    }
    const status = (data as { error?: { status?: unknown } } | undefined)?.error?.status
    if (typeof status === 'string' && status) return status
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
  const err = error as WithBody | undefined
  return (err?.response?.status ?? err?.status) === 409
}
