// Keyless sign-in: Application Default Credentials from google-github-actions/auth (Workload Identity Federation),
// and self-signed JWT access tokens for key-based auth. Loaded lazily with the Google libraries.
//
// google-github-actions/auth writes an `external_account` file and names it in GOOGLE_APPLICATION_CREDENTIALS: the
// runner's OIDC token (credential_source.url, bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN) is exchanged at STS for a
// federated token, which IAM Credentials (service_account_impersonation_url) turns into the service account's own
// access token with the chat.bot scope. google-auth-library does all three steps.
//
// The client is built from the file directly (IdentityPoolClient), not through GoogleAuth.getClient(): that path
// looks up a project id first (gcloud's config, the GCE metadata server, Cloud Resource Manager), which costs
// requests and time and needs nothing from us.
import { readFileSync } from 'node:fs'
import type { AuthClient } from 'google-auth-library'
// The clients' own modules: the package's index loads every client google-auth-library has (see scripts/build.ts).
import { IdentityPoolClient } from 'google-auth-library/build/src/auth/identitypoolclient.js'
import { JWT } from 'google-auth-library/build/src/auth/jwtclient.js'
import { DeliveryError, InputError } from '../errors.ts'
import { parseServiceAccountKey, type ServiceAccountKey } from './service-account-key.ts'
import { CHAT_BOT_SCOPE } from './sign-in.ts'

/** The fields of google-github-actions/auth's credentials file that signing in reads. */
export interface ExternalAccountFile {
  type: 'external_account'
  audience: string
  subject_token_type: string
  token_url: string
  service_account_impersonation_url?: string
  credential_source: {
    url?: string
    file?: string
    headers?: Record<string, string>
    format?: { type: 'json' | 'text'; subject_token_field_name?: string }
  }
  universe_domain?: string
  [other: string]: unknown
}

export interface KeylessOptions {
  mask: (secret: string) => void
  /** Where GOOGLE_APPLICATION_CREDENTIALS and GITHUB_REPOSITORY are read; process.env by default. */
  env?: Record<string, string | undefined>
  /** Each HTTP request's time limit (the OIDC, STS and IAM Credentials calls). */
  timeoutMs?: number
}

const AUTH_STEP = `add google-github-actions/auth (with workload_identity_provider and service_account) before this step and give the job permissions: id-token: write, or set credentials to the Chat app's service-account key`

/** A step of the keyless exchange, for errors. */
type Step = 'oidc' | 'sts' | 'iam'

/**
 * Signs in with Application Default Credentials (the file google-github-actions/auth writes) and mints the run's
 * chat.bot access token up front, so it is masked before anything can log it and sign-in problems are told apart
 * from Chat API errors. Throws InputError for a missing or unusable credentials file, DeliveryError (one explained
 * line, the library's error as `cause`) for a refused exchange.
 */
export async function signInKeyless(options: KeylessOptions): Promise<AuthClient> {
  const env = options.env ?? process.env
  const { path, json } = readCredentialsFile(env)
  if (json.type === 'service_account') {
    // auth's credentials_json mode writes the key itself.
    const key = parseServiceAccountKey(JSON.stringify(json))
    const client = new JWT({
      email: key.client_email,
      key: key.private_key,
      keyId: key.private_key_id,
      scopes: [CHAT_BOT_SCOPE],
      transporterOptions: { timeout: options.timeoutMs },
    })
    mintOrExplain(await tokenOrError(client), undefined, env, options.mask)
    return client
  }
  if (json.type !== 'external_account') {
    throw new InputError(
      'credentials',
      `is empty and GOOGLE_APPLICATION_CREDENTIALS (${path}) holds ${typeof json.type === 'string' ? `"${json.type.slice(0, 40)}"` : 'no'} credentials, not a service account or workload identity: ${AUTH_STEP}`,
    )
  }
  const file = checkExternalAccount(json as ExternalAccountFile, path)
  const bearer = /^Bearer\s+(\S+)$/i.exec(
    Object.entries(file.credential_source.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'authorization',
    )?.[1] ?? '',
  )?.[1]
  if (bearer) options.mask(bearer)
  const client = new IdentityPoolClient({
    ...file,
    scopes: [CHAT_BOT_SCOPE],
    transporterOptions: { timeout: options.timeoutMs },
  } as ConstructorParameters<typeof IdentityPoolClient>[0])
  mintOrExplain(await tokenOrError(client), file, env, options.mask)
  return client
}

function readCredentialsFile(env: Record<string, string | undefined>): { path: string; json: Record<string, unknown> } {
  const path = (env.GOOGLE_APPLICATION_CREDENTIALS || env.GOOGLE_GHA_CREDS_PATH || '').trim()
  if (!path) {
    const oidc = env.ACTIONS_ID_TOKEN_REQUEST_URL
      ? ''
      : ' (this job cannot request an OIDC token either: it has no permissions: id-token: write)'
    throw new InputError(
      'credentials',
      `is empty and no Application Default Credentials were found${oidc}: ${AUTH_STEP}`,
    )
  }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable'
    throw new InputError(
      'credentials',
      `is empty and GOOGLE_APPLICATION_CREDENTIALS names a file that cannot be read (${path}: ${code}); google-github-actions/auth writes it in the same job: ${AUTH_STEP}`,
    )
  }
  try {
    const json: unknown = JSON.parse(text)
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      return { path, json: json as Record<string, unknown> }
    }
  } catch {
    // Reported below.
  }
  throw new InputError(
    'credentials',
    `is empty and GOOGLE_APPLICATION_CREDENTIALS (${path}) is not a JSON credentials file: ${AUTH_STEP}`,
  )
}

/** Refuses files that could send the runner's OIDC token anywhere but Google, or that cannot yield a Chat app token. */
function checkExternalAccount(file: ExternalAccountFile, path: string): ExternalAccountFile {
  const bad = (why: string): never => {
    throw new InputError('credentials', `is empty and the credentials file ${path} ${why}`)
  }
  const googleHttps = (value: unknown) => {
    try {
      const url = new URL(String(value))
      return url.protocol === 'https:' && url.hostname.endsWith(`.${file.universe_domain || 'googleapis.com'}`)
    } catch {
      return false
    }
  }
  if (typeof file.audience !== 'string' || !file.audience) bad('has no audience (the workload identity provider)')
  if (!googleHttps(file.token_url)) bad('has a token_url that is not a Google STS endpoint')
  if (!file.credential_source || typeof file.credential_source !== 'object') bad('has no credential_source')
  if (!file.service_account_impersonation_url) {
    bad(
      'has no service account to impersonate: a Chat app posts as its service account, so give google-github-actions/auth a service_account (direct Workload Identity Federation cannot use the chat.bot scope)',
    )
  }
  if (!googleHttps(file.service_account_impersonation_url)) {
    bad('has a service_account_impersonation_url that is not a Google IAM Credentials endpoint')
  }
  return file
}

async function tokenOrError(client: AuthClient): Promise<{ token?: string | null } | { error: unknown }> {
  try {
    return await client.getAccessToken()
  } catch (error) {
    return { error }
  }
}

function mintOrExplain(
  result: { token?: string | null } | { error: unknown },
  file: ExternalAccountFile | undefined,
  env: Record<string, string | undefined>,
  mask: (secret: string) => void,
): void {
  if ('error' in result) throw new DeliveryError(explainKeylessError(result.error, file, env), { cause: result.error })
  if (!result.token) throw new DeliveryError('Signing in to Google returned no access token.')
  mask(result.token)
}

// ---------------------------------------------------------------------------------------------------------------
// Explaining failures.

interface HttpishError {
  code?: string | number
  message?: string
  status?: number
  config?: { url?: string | URL }
  response?: { status?: number; data?: unknown; config?: { url?: string | URL } }
}

interface GoogleApiError {
  error?: { code?: number; message?: string; status?: string } | string
  error_description?: string
}

function hostOf(url: unknown): string | undefined {
  try {
    return new URL(String(url)).host
  } catch {
    return undefined
  }
}

function stepOf(error: HttpishError, file: ExternalAccountFile | undefined): Step | undefined {
  const host = hostOf(error.config?.url ?? error.response?.config?.url)
  if (file && host) {
    if (host === hostOf(file.credential_source.url)) return 'oidc'
    if (host === hostOf(file.token_url)) return 'sts'
    if (host === hostOf(file.service_account_impersonation_url)) return 'iam'
  }
  if (/subject_token|credential_source/i.test(error.message ?? '')) return 'oidc'
  if (/^Error code \w+/.test(error.message ?? '')) return 'sts'
  return undefined
}

/**
 * One line for a failed keyless sign-in: which step failed (the runner's OIDC token, the STS exchange, the service
 * account's token from IAM Credentials) and the likely misconfiguration.
 */
export function explainKeylessError(
  error: unknown,
  file: ExternalAccountFile | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  const err = (error ?? {}) as HttpishError
  const status = err.response?.status ?? (typeof err.status === 'number' ? err.status : undefined)
  const data = (err.response?.data ?? {}) as GoogleApiError
  const google = typeof data.error === 'object' ? data.error : undefined
  const oauthError = typeof data.error === 'string' ? data.error : /^Error code (\w+)/.exec(err.message ?? '')?.[1]
  // Without its final period: the explanation goes on after it.
  const said = oneLine(google?.message ?? data.error_description ?? err.message ?? String(error)).replace(/\.$/, '')
  const code = [status, google?.status ?? oauthError].filter(Boolean).join(' ')
  const step = stepOf(err, file)
  const serviceAccount = serviceAccountOf(file)
  const provider = file?.audience.replace(/^\/\/iam\.googleapis\.com\//, '') ?? 'the workload identity provider'

  if (!status && isNetworkError(err)) {
    const host = hostOf(err.config?.url) ?? 'Google'
    return `Keyless sign-in could not reach ${host}${typeof err.code === 'string' ? ` (${err.code})` : ''}: ${said}. Check the runner's network access, HTTPS_PROXY/NO_PROXY, and NODE_EXTRA_CA_CERTS if a proxy re-signs TLS.`
  }
  switch (step) {
    case 'oidc':
      if (status === 401 || status === 403) {
        return `GitHub refused to issue an OIDC token for keyless sign-in (${code}): give the job permissions: id-token: write, and run google-github-actions/auth in the same job as this step.`
      }
      return `Getting the runner's OIDC token for keyless sign-in failed${code ? ` (${code})` : ''}: ${said}. Run google-github-actions/auth in the same job, with permissions: id-token: write.`
    case 'sts':
      if (oauthError === 'invalid_target') {
        return `Google STS does not know the workload identity provider ${provider} (${code}): ${said}. Check auth's workload_identity_provider (projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER, with the project number) and that the pool and provider are enabled.`
      }
      if (oauthError === 'unauthorized_client' || /attribute condition/i.test(said)) {
        return `Google STS refused this workflow's OIDC token: the provider's attribute condition rejects it (${code}): ${said}. Allow this repository in the provider's attribute condition, e.g. assertion.repository == '${env.GITHUB_REPOSITORY || 'OWNER/REPO'}'.`
      }
      if (oauthError === 'invalid_grant') {
        return `Google STS refused the runner's OIDC token (${code}): ${said}. Check the provider's issuer (https://token.actions.githubusercontent.com) and allowed audiences (auth's audience input).`
      }
      return `Exchanging the runner's OIDC token at Google STS failed (${code || 'no answer'}): ${said}. Check auth's workload_identity_provider.`
    case 'iam':
      if (status === 404) {
        return `IAM Credentials found no service account ${serviceAccount} (${code}): ${said}. Check auth's service_account: the Chat app's service account email.`
      }
      if (status === 403 && /has not been used|is disabled|SERVICE_DISABLED/i.test(said)) {
        return `The IAM Service Account Credentials API is not enabled (${code}): ${said}. Enable iamcredentials.googleapis.com in the workload identity pool's project.`
      }
      if (status === 403) {
        return `The workload identity pool may not act as ${serviceAccount} (${code}): ${said}. Grant roles/iam.workloadIdentityUser on the service account to ${principalSet(file, env)}.`
      }
      return `Getting ${serviceAccount}'s access token from IAM Credentials failed (${code || 'no answer'}): ${said}`
    default:
      if (/invalid_grant/.test(said)) {
        return `Google refused the service-account key in GOOGLE_APPLICATION_CREDENTIALS: ${said}. The key was deleted or disabled: create a new key, or switch auth to workload_identity_provider.`
      }
      return `Keyless sign-in to Google failed${code ? ` (${code})` : ''}: ${said}`
  }
}

function serviceAccountOf(file: ExternalAccountFile | undefined): string {
  const match = /serviceAccounts\/([^:/]+):generateAccessToken/.exec(file?.service_account_impersonation_url ?? '')
  return match ? decodeURIComponent(match[1] as string) : 'the service account'
}

/** The IAM member for every workflow of this repository, from the provider's pool and GITHUB_REPOSITORY. */
function principalSet(file: ExternalAccountFile | undefined, env: Record<string, string | undefined>): string {
  const pool = /^\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/[^/]+\/workloadIdentityPools\/[^/]+)/.exec(
    file?.audience ?? '',
  )?.[1]
  const repository = env.GITHUB_REPOSITORY || 'OWNER/REPO'
  return pool
    ? `principalSet://iam.googleapis.com/${pool}/attribute.repository/${repository}`
    : `the pool's principalSet for attribute.repository/${repository}`
}

function isNetworkError(err: HttpishError): boolean {
  const code = typeof err.code === 'string' ? err.code : ''
  return (
    /^(E[A-Z]+|UND_ERR_\w+)$/.test(code) ||
    /socket|network|tunnel|certificate|proxy|ECONN|ENOTFOUND/i.test(err.message ?? '')
  )
}

function oneLine(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim()
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}

// ---------------------------------------------------------------------------------------------------------------
// Self-signed JWTs (auth: self-signed-jwt).

/**
 * Key-based sign-in without the token round trip: the client signs its own access JWT (iss = sub = the service
 * account, scope chat.bot, one hour) with the key, and Google accepts it in place of an OAuth access token.
 * The JWT is masked (it is a bearer credential for an hour). Nothing is sent until the first Chat request.
 */
export async function signInSelfSignedJwt(key: ServiceAccountKey, mask: (secret: string) => void): Promise<JWT> {
  const client = new JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    scopes: [CHAT_BOT_SCOPE],
  })
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
