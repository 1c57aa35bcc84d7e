import { createPrivateKey } from 'node:crypto'
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

/**
 * Detects JSON or base64-encoded JSON and validates it, never echoing the value. The private key is decoded here
 * (locally, no network), and a key whose line breaks were mangled on the way into the secret is repaired.
 */
export function parseServiceAccountKey(raw: string): ServiceAccountKey {
  const json = decodeKeyText(raw)
  let parsed: unknown
  try {
    parsed = parseKeyJson(json)
    // The whole file JSON-encoded once more (a string holding the JSON): unambiguous, so read what it holds.
    if (typeof parsed === 'string' && parsed.trim().startsWith('{')) parsed = JSON.parse(parsed)
  } catch {
    if (looksLikePath(raw)) {
      throw new InputError(
        'credentials',
        "holds a file path, not a key: the secret must hold the key file's content (the JSON itself, or its base64 encoding), because the runner has no copy of your file; or leave credentials empty and sign in keyless with google-github-actions/auth",
      )
    }
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
  return { ...key, private_key: usablePrivateKey(key.private_key as string) } as unknown as ServiceAccountKey
}

/**
 * JSON.parse, and once more with real line breaks inside the PEM escaped again: a form or a shell that unescaped
 * the file's `\\n` leaves a string JSON refuses, and only the key's own lines are touched.
 */
function parseKeyJson(json: string): unknown {
  try {
    return JSON.parse(json)
  } catch (error) {
    const start = json.indexOf('-----BEGIN ')
    // To the string's closing quote: the PEM's last line break is inside it too.
    const end = json.indexOf('"', json.indexOf('-----END ', start))
    if (start < 0 || end < start) throw error
    const pem = json.slice(start, end).replace(/\r?\n/g, '\\n')
    return JSON.parse(json.slice(0, start) + pem + json.slice(end))
  }
}

/** `./key.json`, `/home/me/key.json`, `~/key.json`, `C:\\keys\\key.json`, `key.json`: one line, no JSON in it. */
function looksLikePath(raw: string): boolean {
  const value = raw.trim()
  return (
    !/[{}\n]/.test(value) && (/^(?:~|\.{1,2})?[\\/]|^[A-Za-z]:[\\/]/.test(value) || /\.(?:json|pem|p12)$/i.test(value))
  )
}

const PEM = /-----BEGIN ((?:RSA )?PRIVATE KEY)-----([\s\S]*?)-----END \1-----/

/**
 * The key as given when it decodes; else the same key with its line breaks restored when only they were mangled
 * (escaped twice, `\\n`, or turned into spaces by a shell or a form): the body between the PEM markers is base64,
 * which has no backslash or space, so removing those is unambiguous. Anything else is an InputError that never
 * quotes the key or OpenSSL.
 */
function usablePrivateKey(privateKey: string): string {
  if (decodes(privateKey)) return privateKey
  const repaired = repairedPem(privateKey)
  if (repaired === undefined) {
    throw new InputError(
      'credentials',
      'has a "private_key" whose PEM text is damaged (no -----END PRIVATE KEY----- line, or characters that are not base64 between the markers): store the key file exactly as downloaded, or its base64 encoding (base64 -w0 key.json)',
    )
  }
  if (!decodes(repaired)) {
    throw new InputError(
      'credentials',
      'has a "private_key" that does not decode as a private key (cut short or altered): create a new JSON key for the service account and store the whole file, or its base64 encoding (base64 -w0 key.json)',
    )
  }
  return repaired
}

/** The PEM rebuilt from its label and its base64 body, with literal `\\n`, `\\r` and whitespace taken out. */
export function repairedPem(privateKey: string): string | undefined {
  const match = PEM.exec(privateKey)
  if (!match) return undefined
  const [, label, rawBody = ''] = match
  const body = rawBody.replace(/\\+[nr]/g, '').replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined
  const lines = body.match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

function decodes(pem: string): boolean {
  try {
    createPrivateKey({ key: pem, format: 'pem' })
    return true
  } catch {
    return false
  }
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
    const parsed: unknown = JSON.parse(decoded)
    key = (typeof parsed === 'string' ? JSON.parse(parsed) : parsed) as Record<string, unknown>
  } catch {
    // Not JSON: the whole input above is all there is to mask.
  }
  if (key && typeof key === 'object') {
    if (typeof key.private_key === 'string') {
      add(key.private_key)
      add(JSON.stringify(key.private_key).slice(1, -1))
      // Line by line, and the pieces of a key whose line breaks were escaped twice or turned into spaces.
      for (const line of key.private_key.split(/\r?\n/)) add(line)
      for (const piece of key.private_key.split(/\\+[nr]|\s+/)) if (piece.length >= 16) add(piece)
      const repaired = repairedPem(key.private_key)
      if (repaired) for (const line of repaired.split('\n')) if (!line.startsWith('-----')) add(line)
    }
    if (typeof key.private_key_id === 'string') add(key.private_key_id)
  }
  return [...secrets]
}
