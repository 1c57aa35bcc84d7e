// The one place the action's Google auth clients get their options: the scope, each request's time limit, no
// retries of the library's own (src/delivery/retry.ts is the one retry layer: it keeps the run's time budget and
// honours Retry-After), and the transport the caller hands in (gaxios's `fetchImplementation` and `agent`).
// The client's own module: the package's index loads every client google-auth-library has (see scripts/build.ts).
import { JWT } from 'google-auth-library/build/src/auth/jwtclient.js'
import type { ServiceAccountKey } from './service-account-key.ts'

/** A Chat app acts as itself: the `chat.bot` scope, no user impersonation. */
export const CHAT_BOT_SCOPE = 'https://www.googleapis.com/auth/chat.bot'

type TransporterOptions = NonNullable<ConstructorParameters<typeof JWT>[0]>['transporterOptions']

export interface ClientOptions {
  /** Each HTTP request's time limit. */
  timeoutMs?: number
  /** gaxios options that choose how requests are sent (src/delivery/google-fetch.ts's GOOGLE_TRANSPORTER). */
  transporter?: object
}

/** gaxios's options for every client: the caller's transport, the time limit, no retries of its own. */
export function transporterOptions(options: ClientOptions = {}): TransporterOptions {
  return { ...(options.transporter as TransporterOptions), timeout: options.timeoutMs, retry: false }
}

/** The service account's JWT client (a key, or the key file auth's credentials_json mode writes). */
export function jwtClient(key: ServiceAccountKey, options: ClientOptions = {}): JWT {
  return new JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    scopes: [CHAT_BOT_SCOPE],
    transporterOptions: transporterOptions(options),
  })
}
