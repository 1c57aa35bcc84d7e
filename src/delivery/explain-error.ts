// Turns whatever the Google client libraries threw into one line a user can act on. Reading Google's answer is
// src/google-error.ts's job, telling network failures apart src/network-failure.ts's.
import { readGoogleError, statusLine, type HttpishError } from '../google-error.ts'
import { oneLine } from '../text.ts'
import { couldNotReach, networkFailure, proxyRefusal } from '../network-failure.ts'

/** An error while minting the access token. */
export function explainSignInError(error: unknown): string {
  const err = (error ?? {}) as HttpishError
  const answer = readGoogleError(error)
  const oauthError = answer.oauthError ?? (/invalid_grant/.test(err.message ?? '') ? 'invalid_grant' : undefined)
  const description = answer.oauthDescription ? ` (${answer.oauthDescription})` : ''
  if (oauthError === 'invalid_grant') {
    return `Google refused the service-account key: invalid_grant${description}. The key was deleted or disabled, or the runner's clock is off: create a new JSON key for the Chat app's service account and update the 'credentials' secret.`
  }
  if (oauthError) {
    return `Google refused to sign in the service account: ${oauthError}${description}. Check the 'credentials' key and that the Google Chat API is enabled in its project.`
  }
  const network = networkFailure(error)
  if (network) return couldNotReach('oauth2.googleapis.com', network)
  return `Signing in to Google failed: ${oneLine(err.message ?? String(error))}`
}

/** What the failing Chat call did: posting a new message, or editing (updating or deleting) an existing one. */
export type ChatCallKind = 'post' | 'edit'

/** An error from the Chat API call for `space`. */
export function explainChatError(error: unknown, space: string, kind: ChatCallKind = 'post'): string {
  const err = (error ?? {}) as HttpishError
  const answer = readGoogleError(error)
  const { status } = answer
  const said = answer.message ? `: ${answer.message}` : ''
  const code = statusLine(answer)
  switch (status) {
    case 400: {
      const field = answer.fields.length ? ` (field ${answer.fields.join(', ')})` : ''
      return `Google Chat rejected the message (${code})${field}${said}`
    }
    case 401:
      return `Google Chat did not accept the app's access token (${code})${said}. Check that the 'credentials' key belongs to the project where the Chat app is configured.`
    case 403:
      if (/has not been used|is disabled|SERVICE_DISABLED|accessNotConfigured/i.test(answer.message ?? '')) {
        return `The Google Chat API is not enabled for the service account's project (${code})${said}. Enable it (APIs & Services > Library > Google Chat API) and configure the Chat app.`
      }
      // Discovery doc, patch/update/delete: with app authentication an app edits only the messages it created.
      if (kind === 'edit') {
        return `Google Chat refused to edit the message in ${space} (${code})${said}. A Chat app may update or delete only its own messages: this one was posted by another Chat app, a webhook or a person (check that 'update', 'delete' or 'message-id' does not reuse an id another app or webhook created), or the app is not a member of the space.`
      }
      return `Google Chat answered ${code} for ${space}${said}. The Chat app is not a member of this space: add the app to the space (in Chat: the space's name > Apps & integrations > Add apps), or check the 'space' input.`
    case 404:
      if (/chat app not found/i.test(answer.message ?? '')) {
        return `Google Chat has no Chat app for this service account's project (${code})${said}. Configure one: Google Chat API > Configuration (app name, avatar, and who may add it).`
      }
      return `Google Chat answered ${code} for ${space}${said}. The space id is wrong, or the Chat app is not a member of it: check the 'space' input and add the app to the space (in Chat: the space's name > Apps & integrations > Add apps).`
    case 407:
      return proxyRefusal(status, answer.fromGoogleApi, 'chat.googleapis.com', said) as string
    case 429:
      return `Google Chat's quota for ${space} is exhausted (${code})${said}. Try again in a minute.`
    default:
      break
  }
  if (status && status >= 500) return `Google Chat is unavailable (${code})${said}. Try again later.`
  const network = networkFailure(error)
  if (network) return couldNotReach('chat.googleapis.com', network)
  return `Posting to Google Chat failed${status ? ` (${code})` : ''}: ${answer.message ?? oneLine(err.message ?? String(error))}`
}
