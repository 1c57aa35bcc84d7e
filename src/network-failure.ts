// Classifying a request that got no answer from Google (refused, unresolved, reset, timed out, TLS refused), or an
// answer from a proxy in between, into the one line every explainer gives for it.
import { oneLine } from './text.ts'

export const NETWORK_ADVICE =
  "Check the runner's network access, HTTPS_PROXY/NO_PROXY, and NODE_EXTRA_CA_CERTS if a proxy re-signs TLS."

// Node's socket and DNS errors (ECONNREFUSED, ENOTFOUND, EAI_AGAIN…), undici's, OpenSSL's certificate checks.
const NETWORK_CODE =
  /^(E[A-Z0-9_]{3,}|UND_ERR_\w+|ERR_TLS_\w+|ERR_SSL_\w+|CERT_\w+|UNABLE_TO_\w+|SELF_SIGNED_\w+|DEPTH_ZERO_\w+|HPE_\w+)$/
const NETWORK_MESSAGE = /socket|network|tunnel|certificate|proxy|ECONN|ENOTFOUND|\bE[A-Z]{4,}\b/i

export interface NetworkFailure {
  /** ECONNREFUSED, ENOTFOUND, UNABLE_TO_VERIFY_LEAF_SIGNATURE…, when the error names one. */
  code?: string
  /** The error's message, in one line. */
  message: string
}

interface ErrorLike {
  code?: unknown
  message?: unknown
  name?: unknown
}

const messageOf = (error: unknown): string => {
  const message = (error as ErrorLike | undefined)?.message
  return typeof message === 'string' ? message : String(error)
}

/** The connection failure `error` is (refused, unresolved, reset, TLS…), or undefined when it is something else. */
export function networkFailure(error: unknown): NetworkFailure | undefined {
  const message = messageOf(error)
  const own = (error as ErrorLike | undefined)?.code
  const code =
    (typeof own === 'string' && NETWORK_CODE.test(own) ? own : undefined) ?? /\b(E[A-Z]{4,})\b/.exec(message)?.[1]
  if (!code && !NETWORK_MESSAGE.test(message)) return undefined
  return { code, message: oneLine(message) }
}

/** The request was aborted, by its time limit or an AbortSignal. */
export function timedOut(error: unknown): boolean {
  const name = (error as ErrorLike | undefined)?.name
  return name === 'TimeoutError' || name === 'AbortError' || /aborted|timed? ?out/i.test(messageOf(error))
}

/** `Could not reach HOST (CODE): what Node said. Check …` */
export function couldNotReach(host: string, failure: NetworkFailure): string {
  return `Could not reach ${host}${failure.code ? ` (${failure.code})` : ''}: ${failure.message}. ${NETWORK_ADVICE}`
}

/**
 * A proxy's answer, not Google's: 407 (the proxy wants credentials), or 401/403 without Google's error JSON
 * (a proxy or firewall refused). `said` is the answer's text, already `: …`.
 */
export function proxyRefusal(status: number, fromGoogleApi: boolean, host: string, said: string): string | undefined {
  if (status === 407) {
    return `The proxy (HTTPS_PROXY) wants credentials (${status}): put them in its URL, http://user:password@proxy:port.`
  }
  if ((status === 401 || status === 403) && !fromGoogleApi) {
    return `Something between the runner and ${host} refused the request (${status}, not an answer from Google${said}): check HTTPS_PROXY/NO_PROXY and the proxy's or firewall's rules.`
  }
  return undefined
}
