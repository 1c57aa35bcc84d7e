// The emulated keyless path (runner OIDC → STS → IAM Credentials), self-signed JWTs and incoming webhooks, driven
// through the proxy in this process. The Chat API here is a ChatApi whose token registry also consults IAM
// Credentials and the self-signed JWT verifier: the hook emulator/oauth.ts needs (see OAuthWithVerifiers).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { ChatApi } from '../../emulator/chat-api.ts'
import { GITHUB_ISSUER_HOST, GitHubOidc } from '../../emulator/github-oidc.ts'
import {
  IAM_CREDENTIALS_HOST,
  SelfSignedJwtVerifier,
  setUpKeyless,
  type KeylessSetup,
} from '../../emulator/iam-credentials.ts'
import { createServiceAccountKey, ProxyClient, signJwt, startEmulator, type Emulator } from '../../emulator/index.ts'
import { OAuthService, type IssuedToken } from '../../emulator/oauth.ts'
import { STS_HOST } from '../../emulator/sts.ts'
import { chatHostRouter, WebhookService, type RegisteredWebhook } from '../../emulator/webhook.ts'
import { signInSelfSignedJwt } from '../../src/credentials/self-signed-jwt.ts'
import type { ServiceAccountKey } from '../../src/credentials/service-account-key.ts'

const CHAT_BOT = 'https://www.googleapis.com/auth/chat.bot'
const TOKEN_EXCHANGE = {
  grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
  requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
  subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
  scope: 'https://www.googleapis.com/auth/cloud-platform',
}

/** What emulator/oauth.ts needs: lookup() falls back to other token registries (IAM Credentials, self-signed JWTs). */
class OAuthWithVerifiers extends OAuthService {
  verifiers: ((token: string) => IssuedToken | undefined)[] = []
  override lookup(accessToken: string): IssuedToken | undefined {
    return super.lookup(accessToken) ?? this.verifiers.map((verify) => verify(accessToken)).find(Boolean)
  }
}

let emulator: Emulator
let client: ProxyClient
let keyless: KeylessSetup
let oauth: OAuthWithVerifiers
let chat: ChatApi
let webhooks: WebhookService
const selfSigned = new SelfSignedJwtVerifier()

beforeAll(async () => {
  emulator = await startEmulator()
  client = new ProxyClient(emulator.proxyUrl, emulator.caCertPem)
  keyless = setUpKeyless(emulator)
  oauth = new OAuthWithVerifiers()
  oauth.verifiers.push(
    (token) => keyless.iam.lookup(token),
    (token) => selfSigned.verify(token),
  )
  chat = new ChatApi(oauth)
  chat.addMember('spaces/KEYLESS')
  webhooks = new WebhookService({ oauth, chat })
  emulator.addHost('chat.googleapis.com', chatHostRouter(webhooks, chat.handle))
})

afterAll(async () => {
  client.close()
  await emulator.close()
})

beforeEach(() => {
  emulator.reset()
  keyless.oidc.permitted = true
  keyless.iam.apiEnabled = true
})

async function oidcToken(audience = `https://iam.googleapis.com/${keyless.provider.name}`): Promise<string> {
  const url = new URL(keyless.oidc.requestUrl)
  url.searchParams.set('audience', audience)
  const res = await client.request('GET', url.toString(), {
    headers: { authorization: `Bearer ${keyless.oidc.requestToken}` },
  })
  expect(res.status).toBe(200)
  return res.json.value
}

async function exchange(subjectToken: string, audience = keyless.provider.audience) {
  return client.request('POST', `https://${STS_HOST}/v1/token`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...TOKEN_EXCHANGE, audience, subject_token: subjectToken }).toString(),
  })
}

async function generateAccessToken(federated: string, email = keyless.serviceAccount, scope = [CHAT_BOT]) {
  return client.request(
    'POST',
    `https://${IAM_CREDENTIALS_HOST}/v1/projects/-/serviceAccounts/${email}:generateAccessToken`,
    {
      headers: { authorization: `Bearer ${federated}` },
      body: { scope, lifetime: '3600s' },
    },
  )
}

function decode(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8'))
}

describe('the runner’s OIDC endpoint', () => {
  test('issues a GitHub-shaped RS256 token for the requested audience, to the bearer of the request token', async () => {
    const token = await oidcToken('https://iam.googleapis.com/some/provider')
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8'))
    expect(header).toMatchObject({ alg: 'RS256', kid: keyless.oidc.keyId })
    expect(decode(token)).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'https://iam.googleapis.com/some/provider',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      ref: 'refs/heads/main',
      event_name: 'push',
    })
    expect(keyless.oidc.verify(token)).toEqual({ claims: decode(token) })
  })

  test('refuses a missing or wrong request token, and a job without id-token: write', async () => {
    const url = keyless.oidc.requestUrl
    expect((await client.request('GET', url)).status).toBe(401)
    expect((await client.request('GET', url, { headers: { authorization: 'Bearer nope' } })).status).toBe(401)
    keyless.oidc.permitted = false
    const refused = await client.request('GET', url, {
      headers: { authorization: `Bearer ${keyless.oidc.requestToken}` },
    })
    expect(refused.status).toBe(403)
  })

  test('the issuer publishes its discovery document and JWKS', async () => {
    const config = await client.request('GET', `https://${GITHUB_ISSUER_HOST}/.well-known/openid-configuration`)
    expect(config.json).toMatchObject({ issuer: 'https://token.actions.githubusercontent.com' })
    const jwks = await client.request('GET', `https://${GITHUB_ISSUER_HOST}/.well-known/jwks`)
    expect(jwks.json.keys).toEqual([expect.objectContaining({ kty: 'RSA', kid: keyless.oidc.keyId, alg: 'RS256' })])
  })
})

describe('STS', () => {
  test('exchanges the OIDC token for a federated token that names the principal and its principal sets', async () => {
    const res = await exchange(await oidcToken())
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      access_token: expect.stringMatching(/^ya29\.d\.emu-sts-/),
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 3599,
    })
    const federated = keyless.sts.lookup(res.json.access_token)
    const pool = keyless.provider.pool
    expect(federated).toMatchObject({
      principal: `principal://iam.googleapis.com/${pool}/subject/repo:octo-org/octo-repo:ref:refs/heads/main`,
      principalSets: expect.arrayContaining([
        `principalSet://iam.googleapis.com/${pool}/attribute.repository/octo-org/octo-repo`,
        `principalSet://iam.googleapis.com/${pool}/*`,
      ]),
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    })
  })

  test('accepts google-github-actions/auth’s own JSON request', async () => {
    const res = await client.request('POST', `https://${STS_HOST}/v1/token`, {
      body: {
        audience: keyless.provider.audience,
        grantType: TOKEN_EXCHANGE.grant_type,
        requestedTokenType: TOKEN_EXCHANGE.requested_token_type,
        scope: TOKEN_EXCHANGE.scope,
        subjectTokenType: TOKEN_EXCHANGE.subject_token_type,
        subjectToken: await oidcToken(),
      },
    })
    expect(res.status).toBe(200)
  })

  test.each([
    ['an unknown provider', 'unknown-provider', 'invalid_target'],
    ['a token for another audience', 'wrong-audience', 'invalid_grant'],
    ['a token signed by another issuer key', 'forged', 'invalid_grant'],
    ['another repository (attribute condition)', 'other-repository', 'unauthorized_client'],
  ])('refuses %s', async (_, kind, error) => {
    let subject = await oidcToken()
    let audience = keyless.provider.audience
    if (kind === 'unknown-provider') audience = audience.replace('/providers/chat-notify', '/providers/nope')
    if (kind === 'wrong-audience') subject = await oidcToken('https://example.com')
    if (kind === 'forged') subject = new GitHubOidc().mint(`https://iam.googleapis.com/${keyless.provider.name}`)
    if (kind === 'other-repository') {
      const other = new GitHubOidc({ job: { repository: 'evil/fork' } })
      const provider = keyless.sts.addProvider({
        projectNumber: '123456789012',
        poolId: 'github',
        providerId: 'other',
        verify: (t) => other.verify(t),
        attributeCondition: (assertion) => assertion.repository === 'octo-org/octo-repo',
      })
      subject = other.mint(`https://iam.googleapis.com/${provider.name}`)
      audience = provider.audience
    }
    const res = await exchange(subject, audience)
    expect(res.status).toBe(400)
    expect(res.json.error).toBe(error)
  })
})

describe('IAM Credentials', () => {
  async function federatedToken(): Promise<string> {
    return (await exchange(await oidcToken())).json.access_token
  }

  test('mints the service account’s chat.bot token for a principal with roles/iam.workloadIdentityUser', async () => {
    const res = await generateAccessToken(await federatedToken())
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      accessToken: expect.stringMatching(/^ya29\.c\.emu-iam-/),
      expireTime: expect.any(String),
    })
    expect(Date.parse(res.json.expireTime) - Date.now()).toBeGreaterThan(3500_000)
    expect(keyless.iam.lookup(res.json.accessToken)).toMatchObject({
      email: keyless.serviceAccount,
      scopes: [CHAT_BOT],
    })
  })

  test('Chat accepts the minted token once the token registry consults IAM Credentials', async () => {
    const token = (await generateAccessToken(await federatedToken())).json.accessToken
    const created = await client.request('POST', 'https://chat.googleapis.com/v1/spaces/KEYLESS/messages', {
      headers: { authorization: `Bearer ${token}` },
      body: { text: 'keyless' },
    })
    expect(created.status).toBe(200)
    expect(chat.messages('spaces/KEYLESS').at(-1)).toMatchObject({ text: 'keyless' })
  })

  test('refuses: no token, the federated token of a principal without the role, an unknown account, a disabled API', async () => {
    const federated = await federatedToken()
    expect((await generateAccessToken('nope')).status).toBe(401)
    const unknown = await generateAccessToken(federated, 'nobody@emulator-project.iam.gserviceaccount.com')
    expect(unknown).toMatchObject({ status: 404, json: { error: { status: 'NOT_FOUND' } } })

    const other = 'other@emulator-project.iam.gserviceaccount.com'
    keyless.iam.addServiceAccount(other)
    const denied = await generateAccessToken(federated, other)
    expect(denied.status).toBe(403)
    expect(denied.json.error.message).toBe(
      "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
    )
    keyless.iam.grant(
      other,
      `principalSet://iam.googleapis.com/${keyless.provider.pool}/attribute.repository/octo-org/octo-repo`,
    )
    expect((await generateAccessToken(federated, other)).status).toBe(200)

    keyless.iam.apiEnabled = false
    expect((await generateAccessToken(federated)).json.error.details[0].reason).toBe('SERVICE_DISABLED')
  })

  test('requires the federated token to carry cloud-platform', async () => {
    const subject = await oidcToken()
    const res = await client.request('POST', `https://${STS_HOST}/v1/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...TOKEN_EXCHANGE,
        scope: CHAT_BOT,
        audience: keyless.provider.audience,
        subject_token: subject,
      }).toString(),
    })
    const denied = await generateAccessToken(res.json.access_token)
    expect(denied).toMatchObject({
      status: 403,
      json: { error: { message: 'Request had insufficient authentication scopes.' } },
    })
  })
})

describe('self-signed JWT access tokens', () => {
  const sa = createServiceAccountKey({ projectId: 'self-signed' })
  beforeAll(() => selfSigned.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id))

  test('signInSelfSignedJwt signs one JWT, masks it, and every Chat request reuses it', async () => {
    const masked: string[] = []
    const jwt = await signInSelfSignedJwt(sa.key as ServiceAccountKey, (s) => masked.push(s))
    expect(masked).toHaveLength(1)
    const token = masked[0] as string
    expect(decode(token)).toMatchObject({ iss: sa.key.client_email, sub: sa.key.client_email, scope: CHAT_BOT })
    expect(decode(token).exp as number).toBe((decode(token).iat as number) + 3600)
    const later = await jwt.getRequestHeaders('https://chat.googleapis.com/v1/spaces/KEYLESS/messages')
    expect(later.get('authorization')).toBe(`Bearer ${token}`)

    const created = await client.request('POST', 'https://chat.googleapis.com/v1/spaces/KEYLESS/messages', {
      headers: { authorization: `Bearer ${token}` },
      body: { text: 'self-signed' },
    })
    expect(created.status).toBe(200)
    expect(emulator.requests.map((r) => r.host)).toEqual(['chat.googleapis.com'])
  })

  test('the verifier refuses other keys, other subjects, long lives and JWTs without scope or audience', () => {
    const now = Math.floor(Date.now() / 1000)
    const base = { iss: sa.key.client_email, sub: sa.key.client_email, scope: CHAT_BOT, iat: now, exp: now + 3600 }
    const header = { alg: 'RS256', typ: 'JWT', kid: sa.key.private_key_id }
    expect(selfSigned.verify(signJwt(sa.key.private_key, base, header))).toMatchObject({ scopes: [CHAT_BOT] })
    const other = createServiceAccountKey()
    expect(selfSigned.verify(signJwt(other.key.private_key, base, header))).toBeUndefined()
    expect(selfSigned.verify(signJwt(sa.key.private_key, { ...base, sub: 'x@y' }, header))).toBeUndefined()
    expect(selfSigned.verify(signJwt(sa.key.private_key, { ...base, exp: now + 7200 }, header))).toBeUndefined()
    expect(selfSigned.verify(signJwt(sa.key.private_key, { ...base, exp: now - 1 }, header))).toBeUndefined()
    const unscoped: Record<string, unknown> = { ...base }
    delete unscoped.scope
    expect(selfSigned.verify(signJwt(sa.key.private_key, unscoped, header))).toBeUndefined()
    expect(
      selfSigned.verify(signJwt(sa.key.private_key, { ...unscoped, aud: 'https://chat.googleapis.com/' }, header)),
    ).toMatchObject({
      scopes: [CHAT_BOT],
    })
  })
})

describe('incoming webhooks', () => {
  let webhook: RegisteredWebhook
  beforeAll(() => {
    webhook = webhooks.register('spaces/HOOKED')
  })

  const post = (url: string, body: unknown = { text: 'from a webhook' }) => client.request('POST', url, { body })

  test('a POST to the webhook URL creates the message in the Chat store', async () => {
    const res = await post(webhook.url)
    expect(res.status).toBe(200)
    // Discovery doc, `create`: a webhook's answer is the request plus `name` and `thread.name`, not the message.
    expect(res.json).toEqual({ text: 'from a webhook', name: expect.any(String), thread: { name: expect.any(String) } })
    expect(chat.messages('spaces/HOOKED').at(-1)).toMatchObject({
      name: res.json.name,
      text: 'from a webhook',
      space: { name: 'spaces/HOOKED' },
    })
    expect(webhooks.created.at(-1)).toEqual({ space: 'spaces/HOOKED', message: res.json.name })
  })

  test('threadKey with messageReplyOption: replies land in the keyed thread', async () => {
    const url = `${webhook.url}&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`
    const first = await post(url, { text: 'one', thread: { threadKey: 'deploys' } })
    const second = await post(url, { text: 'two', thread: { threadKey: 'deploys' } })
    expect(second.json.thread).toEqual(first.json.thread)
    expect(chat.messages('spaces/HOOKED').find((m) => m.name === second.json.name)?.threadReply).toBe(true)
  })

  test('the same validation as the Chat API', async () => {
    const res = await post(webhook.url, { text: 'x', cardz: [] })
    expect(res.status).toBe(400)
    expect(res.json.error.message).toMatch(/Unknown name "cardz"/)
  })

  test('a wrong key is 400 API_KEY_INVALID, a wrong token 401, a deleted webhook 404', async () => {
    const wrongKey = webhook.url.replace(`key=${webhook.key}`, 'key=AIzaSyWRONG')
    expect(await post(wrongKey)).toMatchObject({
      status: 400,
      json: { error: { details: [{ reason: 'API_KEY_INVALID' }] } },
    })
    const wrongToken = webhook.url.replace(/token=[^&]+/, 'token=nope')
    expect((await post(wrongToken)).status).toBe(401)
    const elsewhere = webhook.url.replace('spaces/HOOKED', 'spaces/OTHER')
    expect((await post(elsewhere)).status).toBe(401)
    const doomed = webhooks.register('spaces/DOOMED')
    webhooks.delete(doomed)
    expect(await post(doomed.url)).toMatchObject({ status: 404, json: { error: { status: 'NOT_FOUND' } } })
  })

  test('update, delete and get are refused: a webhook can only post', async () => {
    const name = (await post(webhook.url)).json.name as string
    const query = new URL(webhook.url).search
    for (const method of ['PATCH', 'PUT', 'DELETE', 'GET']) {
      const res = await client.request(method, `https://chat.googleapis.com/v1/${name}${query}&updateMask=text`, {
        body: method === 'PATCH' || method === 'PUT' ? { text: 'edited' } : undefined,
      })
      expect(res.status).toBe(401)
      expect(res.json.error.message).toMatch(/API keys are not supported by this API/)
    }
    expect(chat.messages('spaces/HOOKED').find((m) => m.name === name)).toMatchObject({ text: 'from a webhook' })
  })

  test('the app’s own requests still reach the Chat API', async () => {
    const res = await client.request('POST', 'https://chat.googleapis.com/v1/spaces/HOOKED/messages', {
      body: { text: 'x' },
    })
    expect(res.status).toBe(401)
    expect(res.json.error.details[0].reason).toBe('CREDENTIALS_MISSING')
  })
})
