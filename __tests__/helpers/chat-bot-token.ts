import { signJwt, type CreatedServiceAccountKey, type ProxyClient } from '../../emulator/index.ts'

/** A chat.bot access token from the emulator's token endpoint, for tests that call the Chat API by hand. */
export async function chatBotToken(
  client: ProxyClient,
  account: CreatedServiceAccountKey,
  lifetimeSeconds = 3600,
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000)
  const assertion = signJwt(account.key.private_key, {
    iss: account.key.client_email,
    scope: 'https://www.googleapis.com/auth/chat.bot',
    aud: 'https://oauth2.googleapis.com/token',
    iat,
    exp: iat + lifetimeSeconds,
  })
  const res = await client.request('POST', 'https://oauth2.googleapis.com/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
  })
  return res.json.access_token as string
}
