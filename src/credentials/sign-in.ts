// The client's own module: the package's index loads every client google-auth-library has (see scripts/build.ts).
import { JWT } from 'google-auth-library/build/src/auth/jwtclient.js'
import type { ServiceAccountKey } from './service-account-key.ts'

/** A Chat app acts as itself: the `chat.bot` scope, no user impersonation. */
export const CHAT_BOT_SCOPE = 'https://www.googleapis.com/auth/chat.bot'

/**
 * Signs in as the service account and mints the run's one access token up front, so it is masked
 * before any request can log it and a bad key is told apart from a Chat API error.
 * The client caches the token: every later call of this run reuses it.
 */
export async function signIn(key: ServiceAccountKey, mask: (secret: string) => void, timeoutMs?: number): Promise<JWT> {
  const client = new JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    scopes: [CHAT_BOT_SCOPE],
    // One retry layer (the caller's); each attempt bounded in time.
    transporterOptions: { timeout: timeoutMs, retry: false },
  })
  const { token } = await client.getAccessToken()
  if (token) mask(token)
  return client
}
