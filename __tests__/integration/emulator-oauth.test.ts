import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createPublicKey } from 'node:crypto'
import { createServiceAccountKey, ProxyClient, signJwt, startEmulator, type Emulator } from '../../emulator/index.ts'

const TOKEN_URL = 'https://oauth2.googleapis.com/token'
const CHAT_BOT = 'https://www.googleapis.com/auth/chat.bot'
const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

let emulator: Emulator
let client: ProxyClient
const sa = createServiceAccountKey({ projectId: 'oauth-test' })
const other = createServiceAccountKey({ projectId: 'oauth-test', email: 'other@oauth-test.iam.gserviceaccount.com' })

beforeAll(async () => {
  emulator = await startEmulator({ members: ['spaces/AAA'] })
  emulator.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id)
  client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
})

afterAll(async () => {
  client.close()
  await emulator.close()
})

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(Date.now() / 1000)
  return { iss: sa.key.client_email, scope: CHAT_BOT, aud: TOKEN_URL, iat, exp: iat + 3600, ...overrides }
}

function exchange(assertion: string, grantType = GRANT) {
  return client.request('POST', TOKEN_URL, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grantType, assertion }).toString(),
  })
}

describe('createServiceAccountKey', () => {
  test('has the shape of a key file downloaded from Google', () => {
    const parsed = JSON.parse(sa.json)
    expect(Object.keys(parsed)).toEqual([
      'type',
      'project_id',
      'private_key_id',
      'private_key',
      'client_email',
      'client_id',
      'auth_uri',
      'token_uri',
      'auth_provider_x509_cert_url',
      'client_x509_cert_url',
      'universe_domain',
    ])
    expect(parsed).toMatchObject({
      type: 'service_account',
      project_id: 'oauth-test',
      client_email: 'chat-notify@oauth-test.iam.gserviceaccount.com',
      token_uri: 'https://oauth2.googleapis.com/token',
      universe_domain: 'googleapis.com',
    })
    expect(parsed.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/)
    expect(parsed.private_key_id).toMatch(/^[0-9a-f]{40}$/)
    expect(parsed.client_id).toMatch(/^[1-9]\d{20}$/)
    expect(sa.json).toContain('\\n')
    expect(createPublicKey(parsed.private_key).export({ type: 'spki', format: 'pem' })).toBe(sa.publicKeyPem)
  })
})

describe('token endpoint', () => {
  test('exchanges a valid assertion for a bearer token', async () => {
    const res = await exchange(
      signJwt(sa.key.private_key, claims(), { alg: 'RS256', typ: 'JWT', kid: sa.key.private_key_id }),
    )
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      access_token: expect.stringMatching(/^ya29\.emu-/),
      expires_in: 3599,
      token_type: 'Bearer',
    })
    const chat = await client.request('POST', 'https://chat.googleapis.com/v1/spaces/AAA/messages', {
      headers: { authorization: `Bearer ${res.json.access_token}` },
      body: { text: 'hello' },
    })
    expect(chat.status).toBe(200)
  })

  test('accepts an assertion without kid', async () => {
    expect((await exchange(signJwt(sa.key.private_key, claims()))).status).toBe(200)
  })

  test.each([
    ['a signature from another key', () => signJwt(other.key.private_key, claims()), 'Invalid JWT Signature.'],
    [
      'a kid that is not the account key',
      () => signJwt(sa.key.private_key, claims(), { alg: 'RS256', kid: 'f'.repeat(40) }),
      'Invalid JWT Signature.',
    ],
    ['alg none', () => signJwt(sa.key.private_key, claims(), { alg: 'none' }), 'Invalid JWT Signature.'],
    [
      'an unknown issuer',
      () => signJwt(other.key.private_key, claims({ iss: other.key.client_email })),
      'Invalid grant: account not found',
    ],
    [
      'the wrong audience',
      () => signJwt(sa.key.private_key, claims({ aud: 'https://www.googleapis.com/oauth2/v4/token' })),
      'Invalid JWT: Failed audience check.',
    ],
    ['an expired token', () => signJwt(sa.key.private_key, claims({ iat: 1_000_000, exp: 1_003_600 })), 'short-lived'],
    [
      'an iat in the future',
      () => signJwt(sa.key.private_key, claims({ iat: Math.floor(Date.now() / 1000) + 900 })),
      'short-lived',
    ],
    [
      'a lifetime over an hour',
      () => signJwt(sa.key.private_key, claims({ exp: Math.floor(Date.now() / 1000) + 7200 })),
      'Token must be a short-lived token (60 minutes)',
    ],
    ['a missing exp', () => signJwt(sa.key.private_key, claims({ exp: undefined })), 'Check your iat and exp values'],
    ['a malformed JWT', () => 'not-a-jwt', 'Invalid JWT'],
  ])('rejects %s with invalid_grant', async (_name, assertion, description) => {
    const res = await exchange(assertion())
    expect(res.status).toBe(400)
    expect(res.json.error).toBe('invalid_grant')
    expect(res.json.error_description).toContain(description)
  })

  test('tolerates five minutes of clock skew', async () => {
    const iat = Math.floor(Date.now() / 1000) + 240
    expect((await exchange(signJwt(sa.key.private_key, claims({ iat, exp: iat + 3600 })))).status).toBe(200)
  })

  test.each([
    ['missing', undefined],
    ['without chat.bot', 'https://www.googleapis.com/auth/cloud-platform'],
  ])('rejects a scope %s with invalid_scope', async (_name, scope) => {
    const res = await exchange(signJwt(sa.key.private_key, claims({ scope })))
    expect(res.status).toBe(400)
    expect(res.json).toEqual({ error: 'invalid_scope', error_description: expect.any(String) })
  })

  test('accepts chat.bot among several scopes', async () => {
    const scope = `https://www.googleapis.com/auth/cloud-platform ${CHAT_BOT}`
    expect((await exchange(signJwt(sa.key.private_key, claims({ scope })))).status).toBe(200)
  })

  test('rejects other grant types with unsupported_grant_type', async () => {
    const res = await exchange('x', 'client_credentials')
    expect(res.status).toBe(400)
    expect(res.json.error).toBe('unsupported_grant_type')
  })

  test('a disabled account (deleted key) gets invalid_grant and its tokens stop working', async () => {
    const victim = createServiceAccountKey({
      projectId: 'oauth-test',
      email: 'victim@oauth-test.iam.gserviceaccount.com',
    })
    emulator.addServiceAccount(victim.key.client_email, victim.publicKeyPem, victim.key.private_key_id)
    const ok = await exchange(signJwt(victim.key.private_key, claims({ iss: victim.key.client_email })))
    expect(ok.status).toBe(200)

    emulator.disableServiceAccount(victim.key.client_email)
    const res = await exchange(signJwt(victim.key.private_key, claims({ iss: victim.key.client_email })))
    expect(res.status).toBe(400)
    expect(res.json).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant: account not found' })
    const chat = await client.request('POST', 'https://chat.googleapis.com/v1/spaces/AAA/messages', {
      headers: { authorization: `Bearer ${ok.json.access_token}` },
      body: { text: 'hello' },
    })
    expect(chat.status).toBe(401)
  })

  test('records the token request, form body included', async () => {
    emulator.reset()
    await exchange(signJwt(sa.key.private_key, claims()))
    expect(emulator.requests).toHaveLength(1)
    const [recorded] = emulator.requests
    expect(recorded).toMatchObject({
      host: 'oauth2.googleapis.com',
      method: 'POST',
      path: '/token',
      status: 200,
      tunneled: true,
    })
    expect(new URLSearchParams(recorded.rawBody).get('grant_type')).toBe(GRANT)
  })
})
