// Emulates Google's Security Token Service (https://sts.googleapis.com/v1/token) for Workload Identity Federation:
// the RFC 8693 token exchange of an OIDC token (here GitHub's) for a federated access token. It checks what Google
// checks: the provider named by `audience` exists and is enabled, the subject token is signed by the provider's issuer
// and meant for one of its allowed audiences, and the provider's attribute condition accepts the mapped attributes.
// The federated token it returns identifies a principal (and principal sets) that IAM Credentials authorises.
import { randomBytes } from 'node:crypto'
import type { OidcVerification } from './github-oidc.ts'
import type { EmulatorRequest, EmulatorResponse, Handler } from './types.ts'

export const STS_HOST = 'sts.googleapis.com'
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform'
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'
const SUBJECT_TOKEN_TYPES = ['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token']
const TOKEN_LIFETIME_SECONDS = 3599

export interface WorkloadIdentityProviderOptions {
  projectNumber: string
  poolId: string
  providerId: string
  /** Verifies the subject token's signature, issuer and time (e.g. `(t) => oidc.verify(t)`). */
  verify(token: string): OidcVerification
  /** The token's `aud` must be one of these; default: https://iam.googleapis.com/ + the provider's resource name. */
  allowedAudiences?: string[]
  /** Assertion (token claims) → attributes; default: GitHub's recommended mapping. */
  attributeMapping?(assertion: Record<string, unknown>): Record<string, string>
  /** The provider's attribute condition: true lets the token in. Default: none (Google now requires one for GitHub). */
  attributeCondition?(assertion: Record<string, unknown>, attributes: Record<string, string>): boolean
}

export interface WorkloadIdentityProvider extends WorkloadIdentityProviderOptions {
  /** projects/N/locations/global/workloadIdentityPools/P/providers/V */
  name: string
  /** projects/N/locations/global/workloadIdentityPools/P */
  pool: string
  /** The STS audience naming this provider: //iam.googleapis.com/projects/N/…/providers/V */
  audience: string
  disabled: boolean
}

/** A federated token and who it stands for, as IAM Credentials sees it. */
export interface FederatedToken {
  accessToken: string
  provider: string
  /** principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/subject/SUBJECT */
  principal: string
  /** principalSet://…/attribute.NAME/VALUE for every mapped attribute, and …/workloadIdentityPools/P/* */
  principalSets: string[]
  attributes: Record<string, string>
  scopes: string[]
  expiresAt: number
}

/** google.subject = sub, and the GitHub claims people write conditions and bindings on. */
export function githubAttributeMapping(assertion: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = { 'google.subject': String(assertion.sub ?? '') }
  for (const claim of ['actor', 'repository', 'repository_owner', 'repository_id', 'ref', 'workflow', 'event_name']) {
    if (assertion[claim] !== undefined) attributes[`attribute.${claim}`] = String(assertion[claim])
  }
  return attributes
}

/** The condition Google's GitHub guide recommends: `assertion.repository == 'OWNER/REPO'`. */
export function repositoryCondition(repository: string): (assertion: Record<string, unknown>) => boolean {
  return (assertion) => assertion.repository === repository
}

function oauthError(error: string, description: string): EmulatorResponse {
  return { status: 400, body: { error, error_description: description } }
}

/** Form fields (google-auth-library) or JSON with camelCase names (google-github-actions/auth). */
function requestFields(req: EmulatorRequest): Map<string, string> {
  const fields = new Map<string, string>()
  const type = String(req.headers['content-type'] ?? '')
  if (type.includes('application/json')) {
    try {
      for (const [key, value] of Object.entries(JSON.parse(req.rawBody) as Record<string, unknown>)) {
        fields.set(
          key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
          String(value),
        )
      }
    } catch {
      // An empty map: reported as a missing grant_type.
    }
    return fields
  }
  for (const [key, value] of new URLSearchParams(req.rawBody)) fields.set(key, value)
  return fields
}

export class StsService {
  #providers = new Map<string, WorkloadIdentityProvider>()
  #tokens = new Map<string, FederatedToken>()
  /** Overridable clock (seconds). */
  now: () => number = () => Math.floor(Date.now() / 1000)
  /** Successful exchanges since start. */
  exchanges = 0

  /** Registers a provider; returns it (its `audience` is what the credentials file names). */
  addProvider(options: WorkloadIdentityProviderOptions): WorkloadIdentityProvider {
    const pool = `projects/${options.projectNumber}/locations/global/workloadIdentityPools/${options.poolId}`
    const name = `${pool}/providers/${options.providerId}`
    const provider: WorkloadIdentityProvider = {
      ...options,
      name,
      pool,
      audience: `//iam.googleapis.com/${name}`,
      disabled: false,
    }
    this.#providers.set(name, provider)
    return provider
  }

  /** The provider registered under `name` (projects/…/providers/V), to change its condition or disable it. */
  provider(name: string): WorkloadIdentityProvider | undefined {
    return this.#providers.get(name)
  }

  /** The federated token's record, if STS issued it and it has not expired. */
  lookup(accessToken: string): FederatedToken | undefined {
    const token = this.#tokens.get(accessToken)
    if (token && token.expiresAt <= this.now()) {
      this.#tokens.delete(accessToken)
      return undefined
    }
    return token
  }

  handle: Handler = (req: EmulatorRequest): EmulatorResponse => {
    if (req.path !== '/v1/token' && req.path !== '/v1beta/token') return { status: 404, body: 'Not Found' }
    if (req.method !== 'POST') return { status: 405, body: 'Method Not Allowed' }
    const fields = requestFields(req)
    const grantType = fields.get('grant_type')
    if (grantType !== TOKEN_EXCHANGE) {
      return oauthError('unsupported_grant_type', `Invalid value for "grant_type": ${grantType ?? '(missing)'}`)
    }
    if (fields.get('requested_token_type') !== ACCESS_TOKEN_TYPE) {
      return oauthError('invalid_request', `Invalid value for "requested_token_type".`)
    }
    if (!SUBJECT_TOKEN_TYPES.includes(fields.get('subject_token_type') ?? '')) {
      return oauthError('invalid_request', `Invalid value for "subject_token_type".`)
    }
    const subjectToken = fields.get('subject_token')
    if (!subjectToken) return oauthError('invalid_request', 'Missing required parameter: subject_token.')
    const audience = fields.get('audience') ?? ''
    const name =
      /^\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/[^/]+\/workloadIdentityPools\/[^/]+\/providers\/[^/]+)$/.exec(
        audience,
      )?.[1]
    const provider = name ? this.#providers.get(name) : undefined
    if (!provider || provider.disabled) {
      return oauthError(
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
      )
    }
    const verified = provider.verify(subjectToken)
    if ('error' in verified) return oauthError('invalid_grant', verified.error)
    const assertion = verified.claims
    const allowed = provider.allowedAudiences ?? [`https://iam.googleapis.com/${provider.name}`]
    const tokenAudiences = Array.isArray(assertion.aud) ? assertion.aud.map(String) : [String(assertion.aud)]
    if (!tokenAudiences.some((aud) => allowed.includes(aud))) {
      return oauthError(
        'invalid_grant',
        `The audience in ID Token [${tokenAudiences.join(', ')}] does not match the expected audience ${allowed.join(', ')}.`,
      )
    }
    const attributes = (provider.attributeMapping ?? githubAttributeMapping)(assertion)
    const subject = attributes['google.subject']
    if (!subject) return oauthError('invalid_grant', 'The mapped attribute google.subject is empty.')
    if (provider.attributeCondition && !provider.attributeCondition(assertion, attributes)) {
      return oauthError('unauthorized_client', 'The given credential is rejected by the attribute condition.')
    }
    const accessToken = `ya29.d.emu-sts-${randomBytes(24).toString('base64url')}`
    const principalSets = [`principalSet://iam.googleapis.com/${provider.pool}/*`]
    for (const [key, value] of Object.entries(attributes)) {
      if (key.startsWith('attribute.'))
        principalSets.push(`principalSet://iam.googleapis.com/${provider.pool}/${key}/${value}`)
    }
    this.#tokens.set(accessToken, {
      accessToken,
      provider: provider.name,
      principal: `principal://iam.googleapis.com/${provider.pool}/subject/${subject}`,
      principalSets,
      attributes,
      scopes: (fields.get('scope') ?? '').split(/\s+/).filter(Boolean),
      expiresAt: this.now() + TOKEN_LIFETIME_SECONDS,
    })
    this.exchanges++
    return {
      status: 200,
      body: {
        access_token: accessToken,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
      },
    }
  }
}

/** An STS with no providers yet. */
export function createSts(): StsService {
  return new StsService()
}
