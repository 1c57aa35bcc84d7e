// Reading what Google answered when a request failed, for every explainer (Chat API, sign-in, keyless, webhook):
// the Google API error JSON ({error: {code, status, message, details}}), OAuth's ({error, error_description}, as
// oauth2.googleapis.com and STS answer), or a plain text body (a webhook's or a proxy's).
import { oneLine } from './text.ts'

/** A client library's error (gaxios's GaxiosError, or anything shaped like it). */
export interface HttpishError {
  code?: string | number
  message?: string
  status?: number
  config?: { url?: string | URL }
  response?: { status?: number; data?: unknown; config?: { url?: string | URL } }
}

interface GoogleErrorJson {
  error?:
    | {
        code?: number
        message?: string
        status?: string
        details?: { reason?: string; fieldViolations?: { field?: string; description?: string }[] }[]
      }
    | string
  error_description?: string
}

/** What a failed answer says, whichever form Google (or something in between) wrote it in. */
export interface GoogleAnswer {
  /** The HTTP status, when an answer came at all. */
  status?: number
  /** True when the body is Google's API error JSON (a proxy or firewall answers otherwise). */
  fromGoogleApi: boolean
  /** Google's status name: PERMISSION_DENIED, NOT_FOUND… */
  googleStatus?: string
  /** Google's message, in one line. */
  message?: string
  /** OAuth's error code (invalid_grant, invalid_target…) and its description, in one line. */
  oauthError?: string
  oauthDescription?: string
  /** A plain text body, in one line. */
  text?: string
  /** The fields named by a 400's field violations, and the details' reasons (API_KEY_INVALID…). */
  fields: string[]
  reasons: string[]
}

/** Reads an answer's status and body (a webhook's, parsed as JSON when it is JSON). */
export function readGoogleBody(status: number | undefined, raw: unknown): GoogleAnswer {
  const body = typeof raw === 'string' && raw.trimStart().startsWith('{') ? parseJson(raw) : raw
  const json = typeof body === 'object' && body !== null ? (body as GoogleErrorJson) : undefined
  const google = typeof json?.error === 'object' ? json.error : undefined
  const details = google?.details ?? []
  return {
    status,
    fromGoogleApi: google !== undefined,
    googleStatus: google?.status,
    message: google?.message ? oneLine(google.message) : undefined,
    oauthError: typeof json?.error === 'string' ? json.error : undefined,
    oauthDescription: json?.error_description ? oneLine(json.error_description) : undefined,
    text: typeof body === 'string' && body ? oneLine(body) : undefined,
    fields: details.flatMap((d) => d.fieldViolations ?? []).flatMap((v) => (v.field ? [v.field] : [])),
    reasons: details.flatMap((d) => (d.reason ? [d.reason] : [])),
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Reads a client library's error: the answer's status and body, if one came. */
export function readGoogleError(error: unknown): GoogleAnswer {
  const err = (error ?? {}) as HttpishError
  const status = err.response?.status ?? (typeof err.status === 'number' ? err.status : undefined)
  return readGoogleBody(status, err.response?.data)
}

/** `404 NOT_FOUND`, `400 invalid_grant`, `403`: the status and Google's name for it, as far as known. */
export function statusLine(answer: GoogleAnswer): string {
  return [answer.status, answer.googleStatus ?? answer.oauthError].filter(Boolean).join(' ')
}

/** The host a failed request went to. */
export function hostOf(url: unknown): string | undefined {
  try {
    return new URL(String(url)).host
  } catch {
    return undefined
  }
}
