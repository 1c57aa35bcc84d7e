import { createPrivateKey } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import { parseServiceAccountKey, secretsInKeyInput } from '../../src/credentials/service-account-key.ts'
import { InputError } from '../../src/errors.ts'
import { base64Wrapped, keyFile } from '../fixtures/samples.ts'

const file = keyFile()
const keyLines = file.privateKey.split('\n').filter((line) => line.length > 0)

function withFields(changes: Record<string, unknown>): string {
  const fields: Record<string, unknown> = { ...file.fields, ...changes }
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete fields[name]
  return JSON.stringify(fields, null, 2)
}

function keyError(raw: string): InputError {
  try {
    parseServiceAccountKey(raw)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError, nothing was thrown')
}

describe('parseServiceAccountKey', () => {
  test('the fixture is what Google downloads: a usable PKCS#8 key, pretty-printed with 2 spaces', () => {
    expect(file.json.startsWith('{\n  "type": "service_account",\n  "project_id": ')).toBe(true)
    expect(file.json).toContain('"private_key": "-----BEGIN PRIVATE KEY-----\\nMII')
    expect(Object.keys(JSON.parse(file.json))).toHaveLength(11)
    expect(createPrivateKey(file.privateKey).asymmetricKeyDetails?.modulusLength).toBe(2048)
  })

  test.each([
    ['JSON as downloaded', file.json],
    ['JSON on one line', JSON.stringify(file.fields)],
    ['JSON with surrounding whitespace', `\n\n  ${file.json}  \n`],
    ['base64 on one line (base64 -w 0)', base64Wrapped(file.json, 0)],
    ['base64 wrapped at 76 (base64 -w 76)', base64Wrapped(file.json, 76)],
    ['base64 wrapped with CRLF', base64Wrapped(file.json, 76).replace(/\n/g, '\r\n')],
    ['base64url', Buffer.from(file.json).toString('base64url')],
  ])('parses %s', (_form, raw) => {
    const key = parseServiceAccountKey(raw)
    expect(key.type).toBe('service_account')
    expect(key.client_email).toBe(file.fields.client_email)
    expect(key.private_key).toBe(file.privateKey)
    expect(key.private_key_id).toBe(file.privateKeyId)
    expect(key.project_id).toBe('my-project-123456')
    expect(key.token_uri).toBe('https://oauth2.googleapis.com/token')
    // The parsed key still signs: nothing was mangled by decoding.
    expect(() => createPrivateKey(key.private_key)).not.toThrow()
  })

  test('the base64 fixture really is wrapped at 76 columns', () => {
    const lines = base64Wrapped(file.json, 76).trimEnd().split('\n')
    expect(lines.length).toBeGreaterThan(20)
    expect(lines.slice(0, -1).every((line) => line.length === 76)).toBe(true)
  })

  test('accepts a traditional RSA PEM key', () => {
    const rsa = createPrivateKey(file.privateKey).export({ type: 'pkcs1', format: 'pem' }).toString()
    expect(parseServiceAccountKey(withFields({ private_key: rsa })).private_key).toBe(rsa)
  })

  const broken: [string, string, RegExp][] = [
    ['not JSON', 'this is not a key at all!', /not valid JSON/],
    ['truncated JSON', file.json.slice(0, file.json.length / 2), /not valid JSON/],
    ['base64 of garbage', Buffer.from('\u0000\u00ff garbage \u0001 not json').toString('base64'), /not valid JSON/],
    ['base64 of a truncated key', base64Wrapped(file.json.slice(0, 900), 76), /not valid JSON/],
    ['a JSON array', JSON.stringify([file.fields]), /not a JSON object/],
    ['a JSON string', JSON.stringify('not a key'), /not a JSON object/],
    ['type authorized_user', withFields({ type: 'authorized_user' }), /"type" "authorized_user".*service_account/],
    ['type external_account', withFields({ type: 'external_account' }), /"type" "external_account"/],
    ['no type', withFields({ type: undefined }), /"type" missing/],
    ['missing client_email', withFields({ client_email: undefined }), /no "client_email"/],
    ['empty client_email', withFields({ client_email: '' }), /no "client_email"/],
    ['missing private_key', withFields({ private_key: undefined }), /no "private_key"/],
    ['numeric private_key', withFields({ private_key: 12345 }), /no "private_key"/],
    [
      'private_key not PEM',
      withFields({ private_key: file.privateKey.replace(/-----[A-Z ]+-----/g, '') }),
      /not a PEM/,
    ],
    [
      'private_key a public key',
      withFields({ private_key: file.privateKey.replace(/PRIVATE/g, 'PUBLIC') }),
      /not a PEM/,
    ],
  ]

  test.each(broken)('rejects %s, naming credentials without echoing the key', (_what, raw, reason) => {
    const error = keyError(raw)
    expect(error.input).toBe('credentials')
    expect(error.message).toContain("'credentials'")
    expect(error.message).toMatch(reason)
    expect(error.message).not.toContain('\n')
    expect(error.message).not.toContain(raw.trim())
    expect(error.message).not.toContain(file.privateKey)
    for (const line of keyLines) expect(error.message).not.toContain(line)
    // Nothing long from the input: no 24-character run of the raw text appears in the message.
    const compact = raw.replace(/\s+/g, '')
    for (let at = 0; at + 24 <= compact.length; at += 12)
      expect(error.message).not.toContain(compact.slice(at, at + 24))
  })

  test('a long bogus type is shortened, not echoed whole', () => {
    const error = keyError(withFields({ type: 'x'.repeat(500) }))
    expect(error.message).not.toContain('x'.repeat(41))
  })
})

describe('secretsInKeyInput', () => {
  const escaped = JSON.stringify(file.privateKey).slice(1, -1)

  test.each([
    ['JSON', file.json],
    ['base64 -w 0', base64Wrapped(file.json, 0)],
    ['base64 -w 76', base64Wrapped(file.json, 76)],
  ])('%s: the raw input, the private key, its JSON-escaped form and each of its lines', (_form, raw) => {
    const secrets = secretsInKeyInput(raw)
    expect(secrets).toContain(raw.trim())
    expect(secrets).toContain(file.privateKey.trim())
    expect(secrets).toContain(escaped)
    for (const line of keyLines) expect(secrets).toContain(line)
    expect(secrets).toContain(file.privateKeyId)
  })

  test('every secret is non-trivial: nothing shorter than 4 characters, no braces or bare punctuation', () => {
    for (const raw of [file.json, base64Wrapped(file.json, 76), '{}', ' { } ', '[]', 'abc']) {
      for (const secret of secretsInKeyInput(raw)) {
        expect(secret.length).toBeGreaterThanOrEqual(4)
        expect(secret.trim()).toBe(secret)
        expect(['{', '}', '[', ']', '"', ',', ':']).not.toContain(secret)
      }
    }
  })

  test('masks exactly what identifies the key: no public fields on their own', () => {
    const secrets = secretsInKeyInput(file.json)
    expect(secrets).not.toContain(file.fields.client_email)
    expect(secrets).not.toContain('service_account')
    expect(secrets).not.toContain('googleapis.com')
  })

  test('the escaped form is what a log of the JSON would show', () => {
    const secrets = secretsInKeyInput(file.json)
    const logged = JSON.stringify({ private_key: file.privateKey })
    expect(secrets.some((secret) => secret.includes('\\n') && logged.includes(secret))).toBe(true)
  })

  test('garbage input is still masked as given', () => {
    expect(secretsInKeyInput('  not-a-key-but-secret  ')).toContain('not-a-key-but-secret')
  })

  test('empty input yields nothing to mask', () => {
    expect(secretsInKeyInput('')).toEqual([])
    expect(secretsInKeyInput('   ')).toEqual([])
  })
})

describe('secretsInKeyInput with a wrapped base64 key', () => {
  test('each wrapped line is masked, so a key passed between steps cannot leak line by line', () => {
    const wrapped = base64Wrapped(file.json, 76)
    const secrets = secretsInKeyInput(wrapped)
    const lines = wrapped.split('\n').filter((line) => line.length >= 16)
    expect(lines.length).toBeGreaterThan(20)
    for (const line of lines) expect(secrets).toContain(line)
  })
})
