import type { AppCredentials } from '../delivery/deliver.ts'
import { InputError } from '../errors.ts'
import type { Settings } from '../domain.ts'
import { parseServiceAccountKey } from './service-account-key.ts'

/** The app's credentials: the key given, else keyless (Application Default Credentials), else none. */
export function appCredentials(
  settings: Settings,
  env: Record<string, string | undefined>,
): AppCredentials | undefined {
  if (settings.credentials.trim()) {
    const key = parseServiceAccountKey(settings.credentials)
    return { kind: 'key', key, selfSignedJwt: settings.auth === 'self-signed-jwt' }
  }
  if (!keylessSignInConfigured(env)) return undefined
  if (settings.auth === 'self-signed-jwt') {
    throw new InputError(
      'auth',
      'self-signed-jwt signs with a service-account key: set credentials, or leave auth at token for keyless sign-in',
    )
  }
  return { kind: 'keyless', env }
}

/** google-github-actions/auth ran before this step: it names the credentials file it wrote in these variables. */
export function keylessSignInConfigured(env: Record<string, string | undefined>): boolean {
  return Boolean(env.GOOGLE_APPLICATION_CREDENTIALS?.trim() || env.GOOGLE_GHA_CREDS_PATH?.trim())
}
