// Key-based sign-in without the token round trip (auth: self-signed-jwt). Loaded lazily with the Google libraries.
import type { JWT } from 'google-auth-library/build/src/auth/jwtclient.js'
import { jwtClient, type ClientOptions } from './google-clients.ts'
import type { ServiceAccountKey } from './service-account-key.ts'

/**
 * Key-based sign-in without the token round trip: the client signs its own access JWT (iss = sub = the service
 * account, scope chat.bot, one hour) with the key, and Google accepts it in place of an OAuth access token.
 * The JWT is masked (it is a bearer credential for an hour). Nothing is sent until the first Chat request.
 */
export async function signInSelfSignedJwt(
  key: ServiceAccountKey,
  mask: (secret: string) => void,
  options: ClientOptions = {},
): Promise<JWT> {
  // Its transporter sends the Chat requests too.
  const client = jwtClient(key, options)
  // Sign the scope into the JWT instead of exchanging an assertion at oauth2.googleapis.com.
  client.useJWTAccessWithScope = true
  // The JWT is cached per audience URL: pinning the service path makes every Chat request reuse the JWT signed (and
  // masked) here, instead of signing a new one per request URL.
  client.defaultServicePath = 'chat.googleapis.com'
  const headers = await client.getRequestHeaders()
  const jwt = /^Bearer\s+(\S+)$/.exec(headers.get('authorization') ?? '')?.[1]
  if (!jwt) throw new Error('Signing a self-signed JWT for the service account produced no token.')
  mask(jwt)
  return client
}
