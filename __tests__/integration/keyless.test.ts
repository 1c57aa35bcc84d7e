// Keyless sign-in, self-signed JWTs and webhook posts as the action runs them: in a separate Node 24 process whose
// only way out is the emulator (HTTPS_PROXY and HTTP_PROXY, its CA in NODE_EXTRA_CA_CERTS), with the credentials file
// google-github-actions/auth writes. The child also lists every HTTP request it starts (diagnostics_channel), so a
// request that bypassed the proxy (a metadata server probe) would show too.
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ChatApi } from '../../emulator/chat-api.ts'
import { SelfSignedJwtVerifier, setUpKeyless, type KeylessSetup } from '../../emulator/iam-credentials.ts'
import { createServiceAccountKey, startEmulator, type Emulator } from '../../emulator/index.ts'
import { OAuthService, type IssuedToken } from '../../emulator/oauth.ts'
import { chatHostRouter, WebhookService } from '../../emulator/webhook.ts'
import type { ExternalAccountFile } from '../../src/credentials/credentials-file.ts'
import { explainKeylessError } from '../../src/credentials/explain-keyless.ts'
import { signInKeyless } from '../../src/credentials/keyless.ts'
import { InputError } from '../../src/errors.ts'

const ROOT = new URL('../..', import.meta.url).pathname
const METADATA = /169\.254\.169\.254|metadata\.google\.internal|metadata\b|cloudresourcemanager/

const CHILD = `
import diagnostics from 'node:diagnostics_channel'
const started = []
// 'created' fires for every request, also those whose connection (or proxy CONNECT) then fails.
diagnostics.subscribe('http.client.request.created', ({ request }) => {
  started.push(request.method + ' ' + request.host + request.path.split('?')[0])
})
const masked = []
const mask = (secret) => masked.push(secret)
const out = { masked }
try {
  const { chat } = await import('@googleapis/chat')
  const mode = process.env.MODE
  if (mode === 'keyless' || mode === 'self-signed') {
    const auth = mode === 'keyless'
      ? await (await import('./src/credentials/keyless.ts')).signInKeyless({ mask })
      : await (await import('./src/credentials/self-signed-jwt.ts')).signInSelfSignedJwt(JSON.parse(process.env.KEY_JSON), mask)
    const client = chat({ version: 'v1', auth })
    const { data } = await client.spaces.messages.create({ parent: process.env.SPACE, requestBody: { text: mode } })
    out.created = data
  } else if (mode === 'webhook') {
    const { postToWebhook } = await import('./src/delivery/webhook.ts')
    const { parseWebhookUrl, secretsInWebhookUrl } = await import('./src/inputs/webhook-url.ts')
    secretsInWebhookUrl(process.env.WEBHOOK_URL).forEach(mask)
    const url = parseWebhookUrl(process.env.WEBHOOK_URL)
    out.first = await postToWebhook({ url, message: { text: 'one' }, threadKey: 'deploys' })
    out.second = await postToWebhook({ url, message: { text: 'two' }, threadKey: 'deploys' })
  } else if (mode === 'google-auth') {
    // The library's own ADC path, to show what signInKeyless avoids.
    const { GoogleAuth } = await import('google-auth-library')
    const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/chat.bot'] })
    const client = await auth.getClient()
    out.token = Boolean((await client.getAccessToken()).token)
  }
} catch (error) {
  out.error = { message: error.message, name: error.name }
}
out.started = started
console.log(JSON.stringify(out))
`

interface ChildResult {
  masked: string[]
  started: string[]
  created?: Record<string, unknown> & { name: string; thread: { name: string } }
  first?: { messageName: string; threadName: string; space: string }
  second?: { messageName: string; threadName: string; space: string }
  token?: boolean
  error?: { message: string; name: string }
}

/** What emulator/oauth.ts needs: lookup() falls back to other token registries (IAM Credentials, self-signed JWTs). */
class OAuthWithVerifiers extends OAuthService {
  verifiers: ((token: string) => IssuedToken | undefined)[] = []
  override lookup(accessToken: string): IssuedToken | undefined {
    return super.lookup(accessToken) ?? this.verifiers.map((verify) => verify(accessToken)).find(Boolean)
  }
}

let emulator: Emulator
let dir: string
let caPath: string
let keyless: KeylessSetup
let credentialsPath: string
let chat: ChatApi
let webhooks: WebhookService
const selfSigned = new SelfSignedJwtVerifier()
const sa = createServiceAccountKey({ projectId: 'keyless-test' })

beforeAll(async () => {
  emulator = await startEmulator()
  dir = mkdtempSync(join(tmpdir(), 'keyless-test-'))
  caPath = emulator.writeCaCert(dir)
  keyless = setUpKeyless(emulator)
  credentialsPath = keyless.writeCredentials(dir)
  const oauth = new OAuthWithVerifiers()
  oauth.verifiers.push(
    (token) => keyless.iam.lookup(token),
    (token) => selfSigned.verify(token),
  )
  oauth.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id)
  selfSigned.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id)
  chat = new ChatApi(oauth)
  chat.addMember('spaces/KEYLESS')
  webhooks = new WebhookService({ oauth, chat })
  emulator.addHost('chat.googleapis.com', chatHostRouter(webhooks, chat.handle))
})

afterAll(async () => {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(() => emulator.reset())

// Each test starts a Node process that loads the Google libraries unbundled from node_modules: seconds when idle,
// tens of seconds on a new machine's cold disk or under load (a 30 s limit failed that way). The child is killed
// well before the test's own limit, so a slow child fails its own test and cannot post into the next one.
const CHILD_TIMEOUT_MS = 60_000
jest.setTimeout(CHILD_TIMEOUT_MS + 30_000)

async function runChild(mode: string, extraEnv: Record<string, string> = {}): Promise<ChildResult> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, MODE: mode, ...extraEnv }
  // The only way out is the emulator: plain HTTP too, so a metadata probe would be recorded and refused.
  env.HTTPS_PROXY = emulator.proxyUrl
  env.HTTP_PROXY = emulator.proxyUrl
  env.NODE_EXTRA_CA_CERTS = caPath
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: ROOT,
    env,
    timeout: CHILD_TIMEOUT_MS,
  })
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}')
}

function seen(): string[] {
  return emulator.requests.map((r) => `${r.method} ${r.host}${r.method === 'CONNECT' ? '' : r.path} ${r.status}`)
}

describe('signInKeyless with the credentials file of google-github-actions/auth', () => {
  test('the file is the one auth writes', () => {
    const file = JSON.parse(readFileSync(credentialsPath, 'utf8'))
    expect(file).toEqual({
      type: 'external_account',
      audience: `//iam.googleapis.com/${keyless.provider.name}`,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: 'https://sts.googleapis.com/v1/token',
      credential_source: {
        url: expect.stringMatching(
          /^https:\/\/pipelines\.actions\.githubusercontent\.example\/.*\/idtoken\?api-version=2\.0&audience=https%3A%2F%2Fiam\.googleapis\.com%2Fprojects%2F/,
        ),
        headers: { Authorization: `Bearer ${keyless.oidc.requestToken}` },
        format: { type: 'json', subject_token_field_name: 'value' },
      },
      service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${keyless.serviceAccount}:generateAccessToken`,
    })
  })

  test('OIDC → STS → IAM Credentials → a chat.bot token that posts; nothing else is asked, no metadata server', async () => {
    // Worst case for project-id lookups: none of the project variables auth exports.
    const env = keyless.env(credentialsPath)
    for (const name of Object.keys(env)) if (/PROJECT/.test(name)) delete env[name]
    const result = await runChild('keyless', { ...env, SPACE: 'spaces/KEYLESS' })

    expect(result.error).toBeUndefined()
    expect(result.created).toMatchObject({ text: 'keyless', space: { name: 'spaces/KEYLESS' } })
    const [issued] = keyless.iam.issued
    expect(issued).toMatchObject({
      email: keyless.serviceAccount,
      scopes: ['https://www.googleapis.com/auth/chat.bot'],
    })
    // The token Chat accepted is the one minted by IAM Credentials, and it was masked first; so was the OIDC request token.
    expect(result.masked).toEqual([keyless.oidc.requestToken, issued?.accessToken])
    expect(emulator.requests.find((r) => r.host === 'chat.googleapis.com')?.headers.authorization).toBe(
      `Bearer ${issued?.accessToken}`,
    )

    expect(seen()).toEqual([
      expect.stringMatching(/^GET pipelines\.actions\.githubusercontent\.example\/.*\/idtoken 200$/),
      'POST sts.googleapis.com/v1/token 200',
      `POST iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${keyless.serviceAccount}:generateAccessToken 200`,
      'POST chat.googleapis.com/v1/spaces/KEYLESS/messages 200',
    ])
    expect(emulator.requests.every((r) => r.tunneled)).toBe(true)
    expect(result.started).toHaveLength(4)
    expect(result.started.join('\n')).not.toMatch(METADATA)
  })

  test('why the client is built from the file: GoogleAuth.getClient() would look up a project id first', async () => {
    const env = keyless.env(credentialsPath)
    for (const name of Object.keys(env)) if (/PROJECT/.test(name)) delete env[name]
    const result = await runChild('google-auth', env)
    // It asks the GCE metadata server, then Cloud Resource Manager, and fails when that is not reachable.
    expect(result.started[0]).toBe('GET 169.254.169.254/computeMetadata/v1/project/project-id')
    expect(seen()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^CONNECT cloudresourcemanager\.googleapis\.com.* 403$/)]),
    )
    expect(result.error?.message).toMatch(/cloudresourcemanager\.googleapis\.com/)
  })

  test('a refused exchange is one line naming the step and the fix', async () => {
    const env = keyless.env(credentialsPath)
    keyless.iam.revoke(
      keyless.serviceAccount,
      `principalSet://iam.googleapis.com/${keyless.provider.pool}/attribute.repository/octo-org/octo-repo`,
    )
    try {
      const result = await runChild('keyless', { ...env, SPACE: 'spaces/KEYLESS' })
      expect(result.error?.message).toBe(
        `The workload identity pool may not act as ${keyless.serviceAccount} (403 PERMISSION_DENIED): Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist). Grant roles/iam.workloadIdentityUser on the service account to principalSet://iam.googleapis.com/${keyless.provider.pool}/attribute.repository/octo-org/octo-repo.`,
      )
    } finally {
      keyless.iam.grant(
        keyless.serviceAccount,
        `principalSet://iam.googleapis.com/${keyless.provider.pool}/attribute.repository/octo-org/octo-repo`,
      )
    }

    const condition = keyless.provider.attributeCondition
    keyless.provider.attributeCondition = () => false
    try {
      const result = await runChild('keyless', { ...env, SPACE: 'spaces/KEYLESS' })
      expect(result.error?.message).toMatch(
        /^Google STS refused this workflow's OIDC token: the provider's attribute condition rejects it \(400 unauthorized_client\): .*assertion\.repository == 'octo-org\/octo-repo'\.$/,
      )
    } finally {
      keyless.provider.attributeCondition = condition
    }

    keyless.oidc.permitted = false
    try {
      const result = await runChild('keyless', { ...env, SPACE: 'spaces/KEYLESS' })
      expect(result.error?.message).toMatch(
        /^GitHub refused to issue an OIDC token .*\(403\): give the job permissions: id-token: write/,
      )
      expect(result.error?.name).toBe('DeliveryError')
    } finally {
      keyless.oidc.permitted = true
    }
  })

  test('without GOOGLE_APPLICATION_CREDENTIALS: says to add google-github-actions/auth or set credentials', async () => {
    const result = await runChild('keyless', { SPACE: 'spaces/KEYLESS' })
    expect(result.error).toEqual({
      name: 'InputError',
      message: expect.stringMatching(
        /^Input 'credentials' is empty and no Application Default Credentials were found \(this job cannot request an OIDC token either: it has no permissions: id-token: write\): add google-github-actions\/auth/,
      ),
    })
    expect(emulator.requests).toEqual([])
  })
})

describe('signInSelfSignedJwt', () => {
  test('posts with a JWT it signed itself: no token round trip to oauth2.googleapis.com', async () => {
    const result = await runChild('self-signed', { KEY_JSON: sa.json, SPACE: 'spaces/KEYLESS' })
    expect(result.error).toBeUndefined()
    expect(result.created).toMatchObject({ text: 'self-signed' })
    expect(seen()).toEqual(['POST chat.googleapis.com/v1/spaces/KEYLESS/messages 200'])
    expect(emulator.requests[0]?.headers.authorization).toBe(`Bearer ${result.masked[0]}`)
  })
})

describe('postToWebhook through the proxy', () => {
  test('gaxios honours HTTPS_PROXY and NODE_EXTRA_CA_CERTS; the thread key threads the second message', async () => {
    const webhook = webhooks.register('spaces/WEBHOOK')
    const result = await runChild('webhook', { WEBHOOK_URL: webhook.url })
    expect(result.error).toBeUndefined()
    expect(result.first).toEqual({
      messageName: expect.stringMatching(/^spaces\/WEBHOOK\/messages\//),
      threadName: expect.stringMatching(/^spaces\/WEBHOOK\/threads\//),
      space: 'spaces/WEBHOOK',
    })
    expect(result.second?.threadName).toBe(result.first?.threadName)
    expect(chat.messages('spaces/WEBHOOK').map((m) => [m.text, m.threadReply ?? false])).toEqual([
      ['one', false],
      ['two', true],
    ])
    expect(seen()).toEqual([
      'POST chat.googleapis.com/v1/spaces/WEBHOOK/messages 200',
      'POST chat.googleapis.com/v1/spaces/WEBHOOK/messages 200',
    ])
    const [request] = emulator.requests
    expect(request?.query).toEqual({
      key: webhook.key,
      token: webhook.token,
      messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
    })
    expect(request?.json).toEqual({ text: 'one', thread: { threadKey: 'deploys' } })
    expect(result.masked).toEqual(expect.arrayContaining([webhook.url, webhook.key, webhook.token]))
  })
})

describe('signInKeyless: unusable credentials files are input errors, before any request', () => {
  async function refusal(file: unknown, env: Record<string, string> = {}): Promise<InputError> {
    const path = join(dir, `creds-${Math.random().toString(36).slice(2)}.json`)
    writeFileSync(path, typeof file === 'string' ? file : JSON.stringify(file))
    const error = await signInKeyless({
      mask: () => undefined,
      env: { GOOGLE_APPLICATION_CREDENTIALS: path, ...env },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('credentials')
    return error as InputError
  }

  test.each([
    ['not JSON', 'oops', /is not a JSON credentials file/],
    ['a user login', { type: 'authorized_user' }, /holds "authorized_user" credentials, not a service account/],
    [
      'direct Workload Identity Federation (no service account)',
      {
        type: 'external_account',
        audience: '//iam.googleapis.com/x',
        token_url: 'https://sts.googleapis.com/v1/token',
        credential_source: { url: 'https://x' },
      },
      /has no service account to impersonate: .*give google-github-actions\/auth a service_account/,
    ],
    [
      'a token URL outside Google',
      {
        type: 'external_account',
        audience: '//iam.googleapis.com/x',
        token_url: 'https://evil.example/token',
        credential_source: { url: 'https://x' },
        service_account_impersonation_url:
          'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a@b:generateAccessToken',
      },
      /token_url that is not a Google STS endpoint/,
    ],
    [
      'a universe of its own, with its own STS and IAM Credentials',
      {
        type: 'external_account',
        audience: '//iam.googleapis.com/x',
        universe_domain: 'evil.example',
        token_url: 'https://sts.evil.example/v1/token',
        credential_source: { url: 'https://x' },
        service_account_impersonation_url:
          'https://iamcredentials.evil.example/v1/projects/-/serviceAccounts/a@b:generateAccessToken',
      },
      /names a universe_domain other than googleapis\.com: this action signs in to Google's own endpoints only/,
    ],
    [
      "a token URL under Google's domain but not STS",
      {
        type: 'external_account',
        audience: '//iam.googleapis.com/x',
        token_url: 'https://storage.googleapis.com/bucket/token',
        credential_source: { url: 'https://x' },
        service_account_impersonation_url:
          'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a@b:generateAccessToken',
      },
      /token_url that is not a Google STS endpoint \(https:\/\/sts\.googleapis\.com\/…\)/,
    ],
    [
      'an impersonation URL on a look-alike host',
      {
        type: 'external_account',
        audience: '//iam.googleapis.com/x',
        token_url: 'https://sts.googleapis.com/v1/token',
        credential_source: { url: 'https://x' },
        service_account_impersonation_url:
          'https://iamcredentials.googleapis.com.evil.example/v1/projects/-/serviceAccounts/a@b:generateAccessToken',
      },
      /service_account_impersonation_url that is not a Google IAM Credentials endpoint/,
    ],
  ])('%s', async (_, file, message) => {
    expect((await refusal(file)).message).toMatch(message)
  })

  test('a file that is not there', async () => {
    const error = await signInKeyless({
      mask: () => undefined,
      env: { GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'gone.json'), ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x' },
    }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/names a file that cannot be read \(.*gone\.json: ENOENT\)/)
  })
})

describe('explainKeylessError', () => {
  const file = {
    type: 'external_account',
    audience: '//iam.googleapis.com/projects/42/locations/global/workloadIdentityPools/gh/providers/p',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: 'https://sts.googleapis.com/v1/token',
    service_account_impersonation_url:
      'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/bot@p.iam.gserviceaccount.com:generateAccessToken',
    credential_source: { url: 'https://pipelines.actions.githubusercontent.com/abc/idtoken?api-version=2.0' },
  } as ExternalAccountFile
  const env = { GITHUB_REPOSITORY: 'o/r' }
  const httpError = (url: string, status: number, data: unknown, message = 'Request failed') =>
    Object.assign(new Error(message), { config: { url }, response: { status, data } })

  test.each([
    [
      httpError(
        file.token_url,
        400,
        { error: 'invalid_target', error_description: 'The target service is invalid.' },
        'Error code invalid_target: The target service is invalid.',
      ),
      /^Google STS does not know the workload identity provider projects\/42\/.*providers\/p \(400 invalid_target\).*project number/,
    ],
    [
      httpError(
        file.token_url,
        400,
        { error: 'invalid_grant', error_description: 'The audience in ID Token [x] does not match.' },
        'Error code invalid_grant: x',
      ),
      /^Google STS refused the runner's OIDC token \(400 invalid_grant\).*allowed audiences/,
    ],
    [
      httpError(file.service_account_impersonation_url as string, 404, {
        error: {
          code: 404,
          message: 'Not found; Gaia id not found for email bot@p.iam.gserviceaccount.com',
          status: 'NOT_FOUND',
        },
      }),
      /^IAM Credentials found no service account bot@p\.iam\.gserviceaccount\.com \(404 NOT_FOUND\).*auth's service_account/,
    ],
    [
      httpError(file.service_account_impersonation_url as string, 403, {
        error: {
          code: 403,
          message: 'IAM Service Account Credentials API has not been used in project 42 before or it is disabled.',
          status: 'PERMISSION_DENIED',
        },
      }),
      /Enable iamcredentials\.googleapis\.com/,
    ],
    [
      httpError(file.service_account_impersonation_url as string, 403, {
        error: { code: 403, message: 'Permission denied.', status: 'PERMISSION_DENIED' },
      }),
      /Grant roles\/iam\.workloadIdentityUser on the service account to principalSet:\/\/iam\.googleapis\.com\/projects\/42\/locations\/global\/workloadIdentityPools\/gh\/attribute\.repository\/o\/r\.$/,
    ],
    [
      httpError(file.credential_source.url as string, 403, {}),
      /^GitHub refused to issue an OIDC token .*permissions: id-token: write/,
    ],
    [
      Object.assign(new Error('request to https://sts.googleapis.com/v1/token failed, reason: connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
        config: { url: file.token_url },
      }),
      /^Keyless sign-in could not reach sts\.googleapis\.com \(ECONNREFUSED\).*HTTPS_PROXY\/NO_PROXY/,
    ],
  ])('%#: explained', (error, explained) => {
    const line = explainKeylessError(error, file, env)
    expect(line).toMatch(explained)
    expect(line).not.toContain('\n')
  })
})

describe('signInKeyless with a service-account key in GOOGLE_APPLICATION_CREDENTIALS (auth with credentials_json)', () => {
  test('signs in with the key at the token endpoint', async () => {
    emulator.addServiceAccount(sa.key.client_email, sa.publicKeyPem, sa.key.private_key_id)
    const path = join(dir, 'sa.json')
    writeFileSync(path, sa.json)
    const result = await runChild('keyless', { GOOGLE_APPLICATION_CREDENTIALS: path, SPACE: 'spaces/NOWHERE' })
    // The token is what this test checks (the Chat host above serves another OAuth registry, so the post is a 401).
    expect(seen()[0]).toBe('POST oauth2.googleapis.com/token 200')
    expect(result.masked).toHaveLength(1)
    expect(result.masked[0]).toMatch(/^ya29\.emu-/)
  })
})
