// Emulates IAM Service Account Credentials (https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/
// EMAIL:generateAccessToken): a federated token from STS whose principal (or one of its principal sets) holds
// roles/iam.workloadIdentityUser on the service account gets that service account's own access token. Tokens minted
// here are kept in a registry (`lookup`) that the Chat API consults to accept them, as Google accepts them.
//
// Also: a verifier for self-signed JWT access tokens (a service account's JWT with `scope`, signed with its key), and
// `setUpKeyless`, which wires the runner's OIDC endpoint, STS and IAM Credentials into an emulator and writes the
// credentials file google-github-actions/auth would write.
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { GITHUB_ISSUER_HOST, GitHubOidc, type GitHubOidcOptions } from './github-oidc.ts'
import { googleError } from './http-util.ts'
import { decodeJwt, signedByOneOf } from './jwt.ts'
import type { IssuedToken } from './oauth.ts'
import {
  CLOUD_PLATFORM_SCOPE,
  STS_HOST,
  StsService,
  repositoryCondition,
  type WorkloadIdentityProvider,
} from './sts.ts'
import type { EmulatorRequest, EmulatorResponse, Handler } from './types.ts'

export const IAM_CREDENTIALS_HOST = 'iamcredentials.googleapis.com'
export const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser'
export const TOKEN_CREATOR = 'roles/iam.serviceAccountTokenCreator'
const IAM_SCOPE = 'https://www.googleapis.com/auth/iam'
const MAX_LIFETIME_SECONDS = 3600

/** Who a bearer token stands for, as IAM sees it: a federated identity from STS. */
export interface FederatedIdentity {
  principal: string
  principalSets: string[]
  scopes: string[]
}

interface ServiceAccountPolicy {
  /** role → members (principal://…, principalSet://…) */
  bindings: Map<string, Set<string>>
  disabled: boolean
}

export interface IamCredentialsOptions {
  /** Resolves a bearer token to a federated identity (e.g. `(t) => sts.lookup(t)`). */
  federated(accessToken: string): FederatedIdentity | undefined
  /** Roles that allow generateAccessToken; default workloadIdentityUser and serviceAccountTokenCreator. */
  roles?: string[]
}

function errorInfo(reason: string, domain: string, metadata: Record<string, string>): unknown {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain, metadata }
}

export class IamCredentialsService {
  #accounts = new Map<string, ServiceAccountPolicy>()
  #tokens = new Map<string, IssuedToken>()
  #federated: IamCredentialsOptions['federated']
  /** Roles that grant iam.serviceAccounts.getAccessToken. */
  roles: string[]
  /** False: the IAM Service Account Credentials API is disabled in the project (403 SERVICE_DISABLED). */
  apiEnabled = true
  /** Every token minted, in order. */
  readonly issued: IssuedToken[] = []
  /** Overridable clock (seconds). */
  now: () => number = () => Math.floor(Date.now() / 1000)

  constructor(options: IamCredentialsOptions) {
    this.#federated = options.federated
    this.roles = options.roles ?? [WORKLOAD_IDENTITY_USER, TOKEN_CREATOR]
  }

  /** Creates the service account (no bindings unless given). */
  addServiceAccount(email: string, bindings: { member: string; role?: string }[] = []): void {
    this.#accounts.set(email, this.#accounts.get(email) ?? { bindings: new Map(), disabled: false })
    for (const { member, role } of bindings) this.grant(email, member, role)
  }

  /** Adds an IAM binding on the service account, e.g. a principalSet with roles/iam.workloadIdentityUser. */
  grant(email: string, member: string, role = WORKLOAD_IDENTITY_USER): void {
    const account = this.#accounts.get(email)
    if (!account) throw new Error(`no service account ${email}`)
    const members = account.bindings.get(role) ?? new Set<string>()
    members.add(member)
    account.bindings.set(role, members)
  }

  revoke(email: string, member: string, role = WORKLOAD_IDENTITY_USER): void {
    this.#accounts.get(email)?.bindings.get(role)?.delete(member)
  }

  /** Disabled accounts cannot mint tokens; their tokens stop working. */
  disableServiceAccount(email: string): void {
    const account = this.#accounts.get(email)
    if (account) account.disabled = true
    for (const [token, issued] of this.#tokens) if (issued.email === email) this.#tokens.delete(token)
  }

  /**
   * The token registry the Chat API needs: an access token minted here → who it is and its scopes (chat.bot when it
   * was asked for), while it lives. The shape of OAuthService.lookup, so it can serve as its verifier.
   */
  lookup(accessToken: string): IssuedToken | undefined {
    const issued = this.#tokens.get(accessToken)
    if (issued && issued.expiresAt <= this.now()) {
      this.#tokens.delete(accessToken)
      return undefined
    }
    return issued
  }

  handle: Handler = (req: EmulatorRequest): EmulatorResponse => {
    const match = /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(req.path)
    if (!match) return googleError(404, 'Method not found.')
    if (req.method !== 'POST') return googleError(405, 'Method not allowed.')
    const email = decodeURIComponent(match[2] as string)

    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))?.[1]
    const identity = bearer ? this.#federated(bearer) : undefined
    if (!identity) {
      return googleError(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        { details: [errorInfo('ACCESS_TOKEN_EXPIRED', 'googleapis.com', { service: IAM_CREDENTIALS_HOST })] },
      )
    }
    if (!this.apiEnabled) {
      return googleError(
        403,
        'IAM Service Account Credentials API has not been used in project 123456789012 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/iamcredentials.googleapis.com/overview?project=123456789012 then retry.',
        { details: [errorInfo('SERVICE_DISABLED', 'googleapis.com', { service: IAM_CREDENTIALS_HOST })] },
      )
    }
    if (!identity.scopes.includes(CLOUD_PLATFORM_SCOPE) && !identity.scopes.includes(IAM_SCOPE)) {
      return googleError(403, 'Request had insufficient authentication scopes.', {
        details: [errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'googleapis.com', { service: IAM_CREDENTIALS_HOST })],
      })
    }
    const account = this.#accounts.get(email)
    if (!account || account.disabled) {
      return googleError(404, `Not found; Gaia id not found for email ${email}`)
    }
    const members = new Set([identity.principal, ...identity.principalSets])
    const allowed = this.roles.some((role) => [...(account.bindings.get(role) ?? [])].some((m) => members.has(m)))
    if (!allowed) {
      return googleError(
        403,
        "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
        {
          details: [
            errorInfo('IAM_PERMISSION_DENIED', 'iam.googleapis.com', {
              permission: 'iam.serviceAccounts.getAccessToken',
            }),
          ],
        },
      )
    }

    let body: { scope?: unknown; lifetime?: unknown; delegates?: unknown }
    try {
      body = JSON.parse(req.rawBody || '{}')
    } catch {
      return googleError(400, 'Invalid JSON payload received.')
    }
    const scopes = Array.isArray(body.scope) ? body.scope.map(String) : []
    if (!scopes.length) return googleError(400, 'Scope required.')
    const lifetime = typeof body.lifetime === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(body.lifetime) : undefined
    const seconds = lifetime ? Math.floor(Number(lifetime[1])) : MAX_LIFETIME_SECONDS
    if (body.lifetime !== undefined && (!lifetime || seconds < 1 || seconds > MAX_LIFETIME_SECONDS)) {
      return googleError(400, `The lifetime must be between 1s and ${MAX_LIFETIME_SECONDS}s.`)
    }
    const expiresAt = this.now() + seconds
    const accessToken = `ya29.c.emu-iam-${randomBytes(24).toString('base64url')}`
    const issued: IssuedToken = { accessToken, email, scopes, expiresAt }
    this.#tokens.set(accessToken, issued)
    this.issued.push(issued)
    return { status: 200, body: { accessToken, expireTime: new Date(expiresAt * 1000).toISOString() } }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Self-signed JWT access tokens.

/**
 * Accepts self-signed JWTs as access tokens, as Google does: RS256, signed by a registered key of the service
 * account (`kid` picks it), iss = sub = its email, with a `scope` claim (or an `aud` of the API), at most an hour.
 * `verify` has the shape of OAuthService.lookup, so it can serve as its verifier.
 */
export class SelfSignedJwtVerifier {
  #keys = new Map<string, { keyId?: string; publicKey: KeyObject }[]>()
  /** The API's audience accepted instead of a scope claim. */
  audiences = ['https://chat.googleapis.com/', 'https://chat.googleapis.com']
  now: () => number = () => Math.floor(Date.now() / 1000)

  addServiceAccount(email: string, publicKeyPem: string, keyId?: string): void {
    const keys = this.#keys.get(email) ?? []
    keys.push({ keyId, publicKey: createPublicKey(publicKeyPem) })
    this.#keys.set(email, keys)
  }

  verify(token: string): IssuedToken | undefined {
    const jwt = decodeJwt(token)
    if (!jwt) return undefined
    const { header, claims } = jwt
    const email = typeof claims.iss === 'string' ? claims.iss : ''
    const keys = this.#keys.get(email)
    if (!keys || header.alg !== 'RS256' || claims.sub !== email) return undefined
    const candidates = typeof header.kid === 'string' ? keys.filter((k) => k.keyId === header.kid) : keys
    if (
      !signedByOneOf(
        jwt,
        candidates.map((k) => k.publicKey),
      )
    )
      return undefined
    const { iat, exp } = claims
    const now = this.now()
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp <= now || iat > now + 300 || exp - iat > 3600) {
      return undefined
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : []
    if (!scopes.length && !this.audiences.includes(String(claims.aud))) return undefined
    // An audience-only JWT is good for the whole API it names.
    const granted = scopes.length ? scopes : ['https://www.googleapis.com/auth/chat.bot']
    return { accessToken: token, email, scopes: granted, expiresAt: exp }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The whole keyless path, ready to use.

export interface KeylessSetupOptions {
  /** The Chat app's service account; granted roles/iam.workloadIdentityUser for the repository unless `grant` is false. */
  serviceAccount?: string
  projectNumber?: string
  poolId?: string
  providerId?: string
  /** The repository the provider's attribute condition allows (default: the OIDC job's repository). */
  allowedRepository?: string
  grant?: boolean
  oidc?: GitHubOidcOptions
}

export interface KeylessSetup {
  oidc: GitHubOidc
  sts: StsService
  iam: IamCredentialsService
  provider: WorkloadIdentityProvider
  serviceAccount: string
  /** The credentials file google-github-actions/auth writes (type external_account). */
  credentials: Record<string, unknown>
  /** Writes `credentials` into `dir` as auth does (gha-creds-*.json) and returns the path. */
  writeCredentials(dir: string): string
  /** The environment a step after google-github-actions/auth sees (its exported variables and the OIDC pair). */
  env(credentialsPath: string): Record<string, string>
}

/**
 * Serves the runner's OIDC endpoint, STS and IAM Credentials through `emulator`, with one GitHub provider whose
 * attribute condition allows one repository and a service account that repository may impersonate.
 * Chat accepts the minted tokens once `iam.lookup` is consulted by the OAuth token registry (see the report's hook).
 */
export function setUpKeyless(
  emulator: { addHost(hostname: string, handler: Handler): void },
  options: KeylessSetupOptions = {},
): KeylessSetup {
  const oidc = new GitHubOidc(options.oidc)
  const sts = new StsService()
  const iam = new IamCredentialsService({ federated: (token) => sts.lookup(token) })
  const provider = sts.addProvider({
    projectNumber: options.projectNumber ?? '123456789012',
    poolId: options.poolId ?? 'github',
    providerId: options.providerId ?? 'chat-notify',
    verify: (token) => oidc.verify(token),
    attributeCondition: repositoryCondition(options.allowedRepository ?? oidc.job.repository),
  })
  const serviceAccount = options.serviceAccount ?? 'chat-notify@emulator-project.iam.gserviceaccount.com'
  iam.addServiceAccount(serviceAccount)
  if (options.grant !== false) {
    iam.grant(
      serviceAccount,
      `principalSet://iam.googleapis.com/${provider.pool}/attribute.repository/${oidc.job.repository}`,
    )
  }
  emulator.addHost(oidc.host, oidc.handle)
  emulator.addHost(GITHUB_ISSUER_HOST, oidc.issuerHandle)
  emulator.addHost(STS_HOST, sts.handle)
  emulator.addHost(IAM_CREDENTIALS_HOST, iam.handle)

  const requestUrl = new URL(oidc.requestUrl)
  requestUrl.searchParams.set('audience', `https://iam.googleapis.com/${provider.name}`)
  const credentials = {
    type: 'external_account',
    audience: provider.audience,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `https://${STS_HOST}/v1/token`,
    credential_source: {
      url: requestUrl.toString(),
      headers: { Authorization: `Bearer ${oidc.requestToken}` },
      format: { type: 'json', subject_token_field_name: 'value' },
    },
    service_account_impersonation_url: `https://${IAM_CREDENTIALS_HOST}/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`,
  }
  return {
    oidc,
    sts,
    iam,
    provider,
    serviceAccount,
    credentials,
    writeCredentials(dir) {
      const path = join(dir, `gha-creds-${randomBytes(8).toString('hex')}.json`)
      writeFileSync(path, JSON.stringify(credentials), { mode: 0o640 })
      return path
    },
    env(credentialsPath) {
      // auth exports the project (taken from the service account's email) under every name tools look for.
      const project = /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(serviceAccount)?.[1]
      const projectEnv: Record<string, string> = {}
      if (project) {
        for (const name of [
          'CLOUDSDK_PROJECT',
          'CLOUDSDK_CORE_PROJECT',
          'GCP_PROJECT',
          'GCLOUD_PROJECT',
          'GOOGLE_CLOUD_PROJECT',
        ])
          projectEnv[name] = project
      }
      return {
        ...oidc.env(),
        GOOGLE_APPLICATION_CREDENTIALS: credentialsPath,
        CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: credentialsPath,
        GOOGLE_GHA_CREDS_PATH: credentialsPath,
        ...projectEnv,
        GITHUB_REPOSITORY: oidc.job.repository,
      }
    },
  }
}
