// Service account keys in exactly the JSON shape the Google Cloud console downloads, for tests and demos.
import { createSign, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto'

export interface ServiceAccountKey {
  type: 'service_account'
  project_id: string
  private_key_id: string
  private_key: string
  client_email: string
  client_id: string
  auth_uri: string
  token_uri: string
  auth_provider_x509_cert_url: string
  client_x509_cert_url: string
  universe_domain: string
}

export interface CreatedServiceAccountKey {
  /** The key file's text, as downloaded (2-space indented JSON). */
  json: string
  key: ServiceAccountKey
  publicKeyPem: string
}

export function createServiceAccountKey(opts: { email?: string; projectId?: string } = {}): CreatedServiceAccountKey {
  const projectId = opts.projectId ?? 'emulator-project'
  const email = opts.email ?? `chat-notify@${projectId}.iam.gserviceaccount.com`
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  // Google's client IDs are 21 decimal digits.
  const clientId = String(randomInt(1, 10)) + Array.from({ length: 20 }, () => randomInt(0, 10)).join('')
  const key: ServiceAccountKey = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey,
    client_email: email,
    client_id: clientId,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
    universe_domain: 'googleapis.com',
  }
  return { json: JSON.stringify(key, null, 2) + '\n', key, publicKeyPem: publicKey }
}

/** Signs an RS256 JWT, e.g. a hand-made (possibly broken) service-account assertion for the token endpoint. */
export function signJwt(
  privateKeyPem: string,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' },
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const signingInput = `${encode(header)}.${encode(claims)}`
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKeyPem).toString('base64url')
  return `${signingInput}.${signature}`
}
