// Keyless sign-in: Application Default Credentials from google-github-actions/auth (Workload Identity Federation).
// Loaded lazily with the Google libraries. The file is read in credentials-file.ts, failures explained in
// explain-keyless.ts.
//
// google-github-actions/auth writes an `external_account` file and names it in GOOGLE_APPLICATION_CREDENTIALS: the
// runner's OIDC token (credential_source.url, bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN) is exchanged at STS for a
// federated token, which IAM Credentials (service_account_impersonation_url) turns into the service account's own
// access token with the chat.bot scope. google-auth-library does all three steps.
//
// The client is built from the file directly (IdentityPoolClient), not through GoogleAuth.getClient(): that path
// looks up a project id first (gcloud's config, the GCE metadata server, Cloud Resource Manager), which costs
// requests and time and needs nothing from us.
import type { AuthClient } from 'google-auth-library'
// The client's own module: the package's index loads every client google-auth-library has (see scripts/build.ts).
import { IdentityPoolClient } from 'google-auth-library/build/src/auth/identitypoolclient.js'
import { DeliveryError, InputError } from '../errors.ts'
import { AUTH_STEP, checkExternalAccount, readCredentialsFile, type ExternalAccountFile } from './credentials-file.ts'
import { explainKeylessError } from './explain-keyless.ts'
import { CHAT_BOT_SCOPE, jwtClient, transporterOptions, type ClientOptions } from './google-clients.ts'
import { parseServiceAccountKey } from './service-account-key.ts'

export interface KeylessOptions extends ClientOptions {
  mask: (secret: string) => void
  /** Where GOOGLE_APPLICATION_CREDENTIALS and GITHUB_REPOSITORY are read; process.env by default. */
  env?: Record<string, string | undefined>
}

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
    const client = jwtClient(key, options)
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
    transporterOptions: transporterOptions(options),
  } as ConstructorParameters<typeof IdentityPoolClient>[0])
  mintOrExplain(await tokenOrError(client), file, env, options.mask)
  return client
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
