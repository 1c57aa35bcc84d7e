import { InputError } from '../errors.ts'

/** The fields of a Google service-account key file that signing in needs. */
export interface ServiceAccountKey {
  type: 'service_account'
  client_email: string
  private_key: string
  private_key_id?: string
  project_id?: string
  token_uri?: string
  universe_domain?: string
}

const KEY_HELP =
  'paste the service-account key file exactly as Google Cloud downloads it (JSON), or its base64 encoding'

/** Detects JSON or base64-encoded JSON and validates it, never echoing the value. */
export function parseServiceAccountKey(raw: string): ServiceAccountKey {
  const json = decodeKeyText(raw)
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new InputError('credentials', `is not valid JSON (nor base64-encoded JSON): ${KEY_HELP}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError('credentials', `is not a JSON object: ${KEY_HELP}`)
  }
  const key = parsed as Record<string, unknown>
  if (key.type !== 'service_account') {
    const type = typeof key.type === 'string' ? JSON.stringify(key.type.slice(0, 40)) : 'missing'
    throw new InputError(
      'credentials',
      `has "type" ${type}; expected a service-account key ("type": "service_account"): create a JSON key for the Chat app's service account (IAM & Admin > Service accounts > Keys)`,
    )
  }
  for (const field of ['client_email', 'private_key'] as const) {
    if (typeof key[field] !== 'string' || key[field] === '') {
      throw new InputError('credentials', `has no "${field}": ${KEY_HELP}`)
    }
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key.private_key as string)) {
    throw new InputError('credentials', `has a "private_key" that is not a PEM private key: ${KEY_HELP}`)
  }
  return key as unknown as ServiceAccountKey
}

function decodeKeyText(raw: string): string {
  const text = raw.trim()
  if (text.startsWith('{')) return text
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return text
  return Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64').toString('utf8')
}

/**
 * Every string that would give the key away if it reached the log: the input as given, the decoded JSON,
 * the private key (as is, JSON-escaped, and line by line: the runner masks a multi-line secret per line).
 */
export function secretsInKeyInput(raw: string): string[] {
  const secrets = new Set<string>()
  const add = (value: string | undefined): void => {
    const trimmed = value?.trim()
    if (trimmed && trimmed.length >= 4) secrets.add(trimmed)
  }
  add(raw)
  const decoded = decodeKeyText(raw)
  add(decoded)
  // A base64 key wrapped over lines (base64 -w 76) is masked line by line too.
  if (decoded !== raw.trim()) for (const line of raw.split(/\r?\n/)) if (line.trim().length >= 16) add(line)
  let key: Record<string, unknown> | undefined
  try {
    key = JSON.parse(decoded) as Record<string, unknown>
  } catch {
    // Not JSON: the whole input above is all there is to mask.
  }
  if (key && typeof key === 'object') {
    if (typeof key.private_key === 'string') {
      add(key.private_key)
      add(JSON.stringify(key.private_key).slice(1, -1))
      for (const line of key.private_key.split(/\r?\n/)) add(line)
    }
    if (typeof key.private_key_id === 'string') add(key.private_key_id)
  }
  return [...secrets]
}
