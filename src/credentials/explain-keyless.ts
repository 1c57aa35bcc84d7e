// One line for a failed keyless sign-in: which step of the exchange failed and the likely misconfiguration.
import { hostOf, readGoogleError, type HttpishError } from '../google-error.ts'
import { oneLine } from '../text.ts'
import { NETWORK_ADVICE, networkFailure } from '../network-failure.ts'
import type { ExternalAccountFile } from './credentials-file.ts'

/** A step of the keyless exchange, for errors. */
type Step = 'oidc' | 'sts' | 'iam'

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
  const answer = readGoogleError(error)
  const { status } = answer
  // google-auth-library's STS client reads OAuth's answer into its message: `Error code invalid_target: …`.
  const oauthError = answer.oauthError ?? /^Error code (\w+)/.exec(err.message ?? '')?.[1]
  // Without its final period: the explanation goes on after it.
  const said = (answer.message ?? answer.oauthDescription ?? oneLine(err.message ?? String(error))).replace(/\.$/, '')
  const code = [status, answer.googleStatus ?? oauthError].filter(Boolean).join(' ')
  const step = stepOf(err, file)
  const serviceAccount = serviceAccountOf(file)
  const provider = file?.audience.replace(/^\/\/iam\.googleapis\.com\//, '') ?? 'the workload identity provider'

  const network = status ? undefined : networkFailure(error)
  if (network) {
    const host = hostOf(err.config?.url) ?? 'Google'
    return `Keyless sign-in could not reach ${host}${network.code ? ` (${network.code})` : ''}: ${said}. ${NETWORK_ADVICE}`
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
