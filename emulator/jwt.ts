// The compact JWTs the emulated services check (the OAuth assertion, the runner's OIDC token, a self-signed
// access token): split, parsed and checked against RS256 keys in one place.
import { verify, type KeyObject } from 'node:crypto'

export interface DecodedJwt {
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** `header.claims`, the bytes the signature covers. */
  signed: Buffer
  signature: Buffer
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** The token's header and claims, or undefined when it is not a three-part JWT with JSON objects in it. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  const [header, claims] = [decodeSegment(parts[0] as string), decodeSegment(parts[1] as string)]
  if (!header || !claims) return undefined
  return {
    header,
    claims,
    signed: Buffer.from(`${parts[0]}.${parts[1]}`),
    signature: Buffer.from(parts[2] as string, 'base64url'),
  }
}

/** Whether one of `keys` made the token's RS256 signature. */
export function signedByOneOf(jwt: DecodedJwt, keys: readonly KeyObject[]): boolean {
  return keys.some((key) => verify('RSA-SHA256', jwt.signed, key, jwt.signature))
}
