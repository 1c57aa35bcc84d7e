import type { JWT } from 'google-auth-library/build/src/auth/jwtclient.js'
import { jwtClient, type ClientOptions } from './google-clients.ts'
import type { ServiceAccountKey } from './service-account-key.ts'

/**
 * Signs in as the service account and mints the run's one access token up front, so it is masked
 * before any request can log it and a bad key is told apart from a Chat API error.
 * The client caches the token: every later call of this run reuses it.
 */
export async function signIn(
  key: ServiceAccountKey,
  mask: (secret: string) => void,
  options: ClientOptions = {},
): Promise<JWT> {
  const client = jwtClient(key, options)
  const { token } = await client.getAccessToken()
  if (token) mask(token)
  return client
}
