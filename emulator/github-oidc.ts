// Emulates the GitHub Actions runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): a GET with
// `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` and `&audience=…` returns `{ "value": "<JWT>" }`, an RS256
// token from https://token.actions.githubusercontent.com whose claims describe the job (sub repo:OWNER/REPO:ref:…).
// Served through the proxy on an https URL of an emulated host, as the runner's own endpoint is.
import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto'
import { decodeJwt, signedByOneOf } from './jwt.ts'
import { signJwt } from './keys.ts'
import type { EmulatorRequest, EmulatorResponse, Handler } from './types.ts'

export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com'
/** The host the request URL points at (the runner's is pipelines…actions.githubusercontent.com). */
export const GITHUB_OIDC_HOST = 'pipelines.actions.githubusercontent.example'
/** The issuer's own host, serving its discovery document and JWKS. */
export const GITHUB_ISSUER_HOST = 'token.actions.githubusercontent.com'

const TOKEN_LIFETIME_SECONDS = 300

/** The job the tokens describe; `sub` is derived from repository and ref unless set. */
export interface GitHubJob {
  repository: string
  ref: string
  sha: string
  actor: string
  workflow: string
  eventName: string
  runId: string
  runNumber: string
  runAttempt: string
  environment?: string
}

export interface GitHubOidcOptions {
  host?: string
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN; random unless given. */
  requestToken?: string
  job?: Partial<GitHubJob>
  /** Extra or replaced claims in every token. */
  claims?: Record<string, unknown>
}

export type OidcVerification = { claims: Record<string, unknown> } | { error: string }

export class GitHubOidc {
  readonly issuer = GITHUB_OIDC_ISSUER
  readonly host: string
  readonly requestToken: string
  readonly keyId = randomBytes(16).toString('hex')
  readonly publicKeyPem: string
  readonly #privateKeyPem: string
  readonly #publicKey: KeyObject
  readonly #path = `/${randomBytes(8).toString('hex')}/_apis/distributedtask/hubs/Actions/plans/${randomUUID()}/jobs/${randomUUID()}/idtoken`
  job: GitHubJob
  claims: Record<string, unknown>
  /** False: behaves like a job without `permissions: id-token: write` (every request is refused). */
  permitted = true
  /** Every token issued, in order. */
  readonly issued: { audience: string; token: string; claims: Record<string, unknown> }[] = []
  /** Overridable clock (seconds). */
  now: () => number = () => Math.floor(Date.now() / 1000)

  constructor(options: GitHubOidcOptions = {}) {
    this.host = options.host ?? GITHUB_OIDC_HOST
    this.requestToken = options.requestToken ?? randomBytes(24).toString('base64url')
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    })
    this.#privateKeyPem = privateKey
    this.publicKeyPem = publicKey
    this.#publicKey = createPublicKey(publicKey)
    this.job = {
      repository: 'octo-org/octo-repo',
      ref: 'refs/heads/main',
      sha: '0123456789abcdef0123456789abcdef01234567',
      actor: 'octocat',
      workflow: 'CI',
      eventName: 'push',
      runId: '1234567890',
      runNumber: '42',
      runAttempt: '1',
      ...options.job,
    }
    this.claims = { ...options.claims }
  }

  /** ACTIONS_ID_TOKEN_REQUEST_URL: the runner's URL already carries `api-version`; clients append `&audience=`. */
  get requestUrl(): string {
    return `https://${this.host}${this.#path}?api-version=2.0`
  }

  /** The two variables a job with `id-token: write` gets. */
  env(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string } {
    return { ACTIONS_ID_TOKEN_REQUEST_URL: this.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken }
  }

  /** The claims GitHub puts in a token for this job. */
  claimsFor(audience: string): Record<string, unknown> {
    const { repository, ref, sha, actor, workflow, eventName, runId, runNumber, runAttempt, environment } = this.job
    const owner = repository.split('/')[0] ?? ''
    const now = this.now()
    return {
      jti: randomUUID(),
      sub: environment ? `repo:${repository}:environment:${environment}` : `repo:${repository}:ref:${ref}`,
      aud: audience,
      ref,
      sha,
      repository,
      repository_owner: owner,
      repository_owner_id: '1234',
      repository_id: '5678',
      repository_visibility: 'private',
      run_id: runId,
      run_number: runNumber,
      run_attempt: runAttempt,
      actor,
      actor_id: '4321',
      workflow,
      workflow_ref: `${repository}/.github/workflows/ci.yml@${ref}`,
      job_workflow_ref: `${repository}/.github/workflows/ci.yml@${ref}`,
      event_name: eventName,
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      runner_environment: 'github-hosted',
      ...(environment ? { environment } : {}),
      iss: this.issuer,
      nbf: now - 5,
      iat: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
      ...this.claims,
    }
  }

  /** Mints a token as the endpoint would, for tests that need one without a request. */
  mint(audience = `https://github.com/${this.job.repository.split('/')[0]}`): string {
    const claims = this.claimsFor(audience)
    const token = signJwt(this.#privateKeyPem, claims, { alg: 'RS256', typ: 'JWT', kid: this.keyId, x5t: this.keyId })
    this.issued.push({ audience, token, claims })
    return token
  }

  /** Checks a token as a relying party does: RS256 signature by this issuer's key, issuer, time window. */
  verify(token: string): OidcVerification {
    const jwt = decodeJwt(token)
    if (!jwt) return { error: 'the subject token is not a JWT' }
    const { header, claims } = jwt
    if (header.alg !== 'RS256') return { error: `unsupported JWT algorithm ${String(header.alg)}` }
    if (!signedByOneOf(jwt, [this.#publicKey])) return { error: 'Invalid JWT signature.' }
    if (claims.iss !== this.issuer) return { error: `The issuer ${String(claims.iss)} is not ${this.issuer}.` }
    const now = this.now()
    if (typeof claims.exp !== 'number' || claims.exp <= now) {
      return { error: `ID Token expired at ${String(claims.exp)} (now ${now}).` }
    }
    if (typeof claims.nbf === 'number' && claims.nbf > now + 60) return { error: 'ID Token is not valid yet.' }
    return { claims }
  }

  /** The issuer's JWKS, as https://token.actions.githubusercontent.com/.well-known/jwks serves it. */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.#publicKey.export({ format: 'jwk' }) as Record<string, unknown>
    return { keys: [{ ...jwk, kid: this.keyId, x5t: this.keyId, alg: 'RS256', use: 'sig' }] }
  }

  /** The runner's token endpoint (use with addHost(oidc.host, oidc.handle)). */
  handle: Handler = (req: EmulatorRequest): EmulatorResponse => {
    if (req.path !== this.#path) return { status: 404, body: { message: 'Not Found' } }
    if (req.method !== 'GET') return { status: 405, body: { message: 'Method Not Allowed' } }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))?.[1]
    if (bearer !== this.requestToken) {
      return { status: 401, body: { message: 'TF400813: The user is not authorized to access this resource.' } }
    }
    if (!this.permitted) {
      return { status: 403, body: { message: 'The job does not have permission to request an OIDC token.' } }
    }
    const audience = req.query.get('audience') ?? `https://github.com/${this.job.repository.split('/')[0]}`
    return { status: 200, body: { count: 1, value: this.mint(audience) } }
  }

  /** The issuer's discovery document and JWKS (use with addHost(GITHUB_ISSUER_HOST, oidc.issuerHandle)). */
  issuerHandle: Handler = (req: EmulatorRequest): EmulatorResponse => {
    if (req.method === 'GET' && req.path === '/.well-known/openid-configuration') {
      return {
        status: 200,
        body: {
          issuer: this.issuer,
          jwks_uri: `${this.issuer}/.well-known/jwks`,
          subject_types_supported: ['public', 'pairwise'],
          response_types_supported: ['id_token'],
          id_token_signing_alg_values_supported: ['RS256'],
          claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'repository_owner'],
        },
      }
    }
    if (req.method === 'GET' && req.path === '/.well-known/jwks') return { status: 200, body: this.jwks() }
    return { status: 404, body: 'Not Found' }
  }
}

/** A GitHub OIDC endpoint with its own signing key. */
export function createGitHubOidc(options: GitHubOidcOptions = {}): GitHubOidc {
  return new GitHubOidc(options)
}
