// Emulates https://oauth2.googleapis.com/token for the service-account JWT bearer grant (RFC 7523),
// checking the assertion as Google does so that key, clock and scope mistakes fail here as they would there.
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto'
import type { EmulatorRequest, EmulatorResponse } from './types.ts'
import { decodeJwt, signedByOneOf } from './jwt.ts'

export const TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token'
export const CHAT_BOT_SCOPE = 'https://www.googleapis.com/auth/chat.bot'
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const SKEW_SECONDS = 300
const MAX_LIFETIME_SECONDS = 3600
const TOKEN_LIFETIME_SECONDS = 3599

export interface IssuedToken {
  accessToken: string
  email: string
  scopes: string[]
  expiresAt: number
}

interface ServiceAccount {
  keys: { keyId?: string; publicKey: KeyObject }[]
  disabled: boolean
}

const BAD_TIME =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.'

function oauthError(error: string, description: string): EmulatorResponse {
  return { status: 400, body: { error, error_description: description } }
}

function formFields(req: EmulatorRequest): URLSearchParams {
  const type = String(req.headers['content-type'] ?? '')
  if (type.includes('application/json')) {
    try {
      return new URLSearchParams(JSON.parse(req.rawBody) as Record<string, string>)
    } catch {
      return new URLSearchParams()
    }
  }
  return new URLSearchParams(req.rawBody)
}

export class OAuthService {
  #accounts = new Map<string, ServiceAccount>()
  #tokens = new Map<string, IssuedToken>()
  /** Overridable clock (seconds) so tests can exercise expiry without waiting. */
  now: () => number = () => Math.floor(Date.now() / 1000)

  /** Registers a public key for `email`; an account may hold several keys, like a real one. */
  addServiceAccount(email: string, publicKeyPem: string, keyId?: string): void {
    const account = this.#accounts.get(email) ?? { keys: [], disabled: false }
    account.keys.push({ keyId, publicKey: createPublicKey(publicKeyPem) })
    account.disabled = false
    this.#accounts.set(email, account)
  }

  /** Simulates a deleted key / disabled account: further grants for it fail with invalid_grant. */
  disableServiceAccount(email: string): void {
    const account = this.#accounts.get(email)
    if (account) account.disabled = true
    for (const [token, issued] of this.#tokens) if (issued.email === email) this.#tokens.delete(token)
  }

  #verifiers: ((accessToken: string) => IssuedToken | undefined)[] = []

  /** Accepts tokens minted elsewhere (IAM Credentials for keyless runs, self-signed JWTs) as Chat does. */
  addTokenVerifier(verify: (accessToken: string) => IssuedToken | undefined): void {
    this.#verifiers.push(verify)
  }

  /** The live token record for a bearer token, if this endpoint (or a verifier) vouches for it and it has not expired. */
  lookup(accessToken: string): IssuedToken | undefined {
    const issued = this.#tokens.get(accessToken)
    if (issued && issued.expiresAt <= this.now()) {
      this.#tokens.delete(accessToken)
      return undefined
    }
    if (issued) return issued
    for (const verify of this.#verifiers) {
      const other = verify(accessToken)
      if (other && other.expiresAt > this.now()) return other
    }
    return undefined
  }

  handle = (req: EmulatorRequest): EmulatorResponse => {
    if (req.path !== '/token') return { status: 404, body: 'Not Found' }
    if (req.method !== 'POST') return { status: 405, body: 'Method Not Allowed' }
    const form = formFields(req)
    const grantType = form.get('grant_type')
    if (grantType !== JWT_BEARER) return oauthError('unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`)
    const assertion = form.get('assertion')
    if (!assertion) return oauthError('invalid_request', 'Missing required parameter: assertion')
    return this.#grant(assertion)
  }

  #grant(assertion: string): EmulatorResponse {
    const jwt = decodeJwt(assertion)
    if (!jwt) return oauthError('invalid_grant', 'Invalid JWT: Malformed JWT.')
    const { header, claims } = jwt

    const account = typeof claims.iss === 'string' ? this.#accounts.get(claims.iss) : undefined
    if (!account || account.disabled) return oauthError('invalid_grant', 'Invalid grant: account not found')

    // The kid, when present, picks the key; otherwise any of the account's keys may have signed it.
    const kid = typeof header.kid === 'string' ? header.kid : undefined
    const candidates = kid ? account.keys.filter((k) => k.keyId === kid) : account.keys
    const valid =
      header.alg === 'RS256' &&
      signedByOneOf(
        jwt,
        candidates.map((k) => k.publicKey),
      )
    if (!valid) return oauthError('invalid_grant', 'Invalid JWT Signature.')

    if (claims.aud !== TOKEN_AUDIENCE) return oauthError('invalid_grant', 'Invalid JWT: Failed audience check.')

    const now = this.now()
    const { iat, exp } = claims
    if (
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      iat > now + SKEW_SECONDS ||
      exp <= now - SKEW_SECONDS ||
      exp <= iat ||
      exp - iat > MAX_LIFETIME_SECONDS
    ) {
      return oauthError('invalid_grant', BAD_TIME)
    }

    const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : []
    if (!scopes.includes(CHAT_BOT_SCOPE)) {
      return oauthError('invalid_scope', 'Invalid OAuth scope or ID token audience provided.')
    }

    const accessToken = `ya29.emu-${randomBytes(24).toString('base64url')}`
    this.#tokens.set(accessToken, {
      accessToken,
      email: claims.iss as string,
      scopes,
      expiresAt: now + TOKEN_LIFETIME_SECONDS,
    })
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' },
    }
  }
}
