// The Application Default Credentials file google-github-actions/auth writes (GOOGLE_APPLICATION_CREDENTIALS): read,
// parsed and checked before any request, so a missing or unsafe file is an input error naming the fix.
import { readFileSync } from 'node:fs'
import { InputError } from '../errors.ts'

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

export const AUTH_STEP = `add google-github-actions/auth (with workload_identity_provider and service_account) before this step and give the job permissions: id-token: write, or set credentials to the Chat app's service-account key`

/** The file's path and JSON object, or an InputError saying what is missing. */
export function readCredentialsFile(env: Record<string, string | undefined>): {
  path: string
  json: Record<string, unknown>
} {
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
export function checkExternalAccount(file: ExternalAccountFile, path: string): ExternalAccountFile {
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
