import { describe, expect, test } from '@jest/globals'
import { explainChatError, explainSignInError } from '../../src/delivery/explain-error.ts'

const SPACE = 'spaces/AAAAbCdEf12'

/** Shaped like a GaxiosError: a message and the HTTP response. */
function httpError(status: number, data: unknown, message = `Request failed with status code ${status}`) {
  return Object.assign(new Error(message), { status, response: { status, data } })
}

function googleError(code: number, status: string, message: string, details?: unknown[]) {
  return httpError(code, { error: { code, message, status, ...(details ? { details } : {}) } })
}

const networkError = Object.assign(
  new Error('request to https://x failed, reason: connect ECONNREFUSED 127.0.0.1:443'),
  {
    code: 'ECONNREFUSED',
  },
)

function oneLine(text: string): void {
  expect(text).not.toMatch(/[\r\n]/)
  expect(text.length).toBeGreaterThan(20)
}

describe('explainSignInError', () => {
  test('invalid_grant: says the key was deleted or disabled, or the clock is off', () => {
    const text = explainSignInError(
      httpError(
        400,
        { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
        'invalid_grant: Invalid JWT Signature.',
      ),
    )
    oneLine(text)
    expect(text).toContain('invalid_grant')
    expect(text).toContain('Invalid JWT Signature.')
    expect(text).toMatch(/deleted or disabled/)
    expect(text).toMatch(/clock/)
    expect(text).toContain("'credentials'")
  })

  test('invalid_grant only in the message (no response body) is still recognised', () => {
    const text = explainSignInError(new Error('invalid_grant: Invalid JWT: Token must be a short-lived token'))
    expect(text).toMatch(/invalid_grant.*deleted or disabled.*clock/)
  })

  test('another OAuth error names it and points at the key and the API', () => {
    const text = explainSignInError(
      httpError(401, { error: 'unauthorized_client', error_description: 'Client is\nunauthorized' }),
    )
    oneLine(text)
    expect(text).toContain('unauthorized_client')
    expect(text).toContain('Client is unauthorized')
    expect(text).toContain('credentials')
  })

  test('network error: names the host and mentions HTTPS_PROXY', () => {
    const text = explainSignInError(networkError)
    oneLine(text)
    expect(text).toContain('oauth2.googleapis.com')
    expect(text).toContain('ECONNREFUSED')
    expect(text).toContain('HTTPS_PROXY')
  })

  test('anything else: one line with what was said', () => {
    const text = explainSignInError(new Error('something\n  odd happened'))
    oneLine(text)
    expect(text).toContain('something odd happened')
  })
})

describe('explainChatError', () => {
  test.each([
    [403, 'PERMISSION_DENIED', 'The caller does not have permission'],
    [404, 'NOT_FOUND', 'Requested entity was not found.'],
  ])('%i: tells to add the app to the space and names it', (code, status, message) => {
    const text = explainChatError(googleError(code, status, message), SPACE)
    oneLine(text)
    expect(text).toContain(SPACE)
    expect(text).toContain(String(code))
    expect(text).toContain(status)
    expect(text).toContain(message)
    expect(text).toMatch(/add the app to the space/)
    expect(text).toContain("'space'")
  })

  test('403 on an edit (update or delete): another app’s message, distinct from “not a member”', () => {
    const error = googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission')
    const edit = explainChatError(error, SPACE, 'edit')
    oneLine(edit)
    expect(edit).toContain(SPACE)
    expect(edit).toContain('403 PERMISSION_DENIED')
    expect(edit).toMatch(/only its own messages/)
    expect(edit).toMatch(/another Chat app, a webhook/)
    expect(edit).toContain("'message-id'")
    expect(edit).not.toBe(explainChatError(error, SPACE, 'post'))
    expect(explainChatError(error, SPACE)).not.toMatch(/its own messages/)
  })

  test('404 "Chat app not found": configure the Chat app in the project', () => {
    const text = explainChatError(googleError(404, 'NOT_FOUND', 'Google Chat app not found.'), SPACE, 'edit')
    oneLine(text)
    expect(text).toMatch(/no Chat app for this service account's project/)
    expect(text).toContain('Google Chat app not found.')
  })

  test('400 with a field violation names the field', () => {
    const text = explainChatError(
      googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.\nUnknown name "x"', [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [{ field: 'message.cards_v2[0].card.header.title', description: 'Too long' }],
        },
      ]),
      SPACE,
    )
    oneLine(text)
    expect(text).toContain('message.cards_v2[0].card.header.title')
    expect(text).toContain('400')
    expect(text).toContain('INVALID_ARGUMENT')
    expect(text).toContain('Invalid JSON payload received. Unknown name "x"')
  })

  test('400 without details still explains', () => {
    const text = explainChatError(googleError(400, 'INVALID_ARGUMENT', 'Message too large'), SPACE)
    oneLine(text)
    expect(text).toMatch(/rejected the message.*400.*Message too large/)
  })

  test('401: the access token was refused', () => {
    const text = explainChatError(googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication'), SPACE)
    oneLine(text)
    expect(text).toMatch(/access token/)
    expect(text).toMatch(/'credentials' key belongs to the project where the Chat app is configured/)
  })

  test('403 because the Chat API is disabled: says to enable it, not to add the app', () => {
    const text = explainChatError(
      googleError(
        403,
        'PERMISSION_DENIED',
        'Google Chat API has not been used in project 123 before or it is disabled.',
      ),
      SPACE,
    )
    oneLine(text)
    expect(text).toMatch(/not enabled.*Enable it/)
    expect(text).not.toMatch(/add the app/)
  })

  test('404 because no Chat app is configured: says to configure it', () => {
    const text = explainChatError(
      googleError(
        404,
        'NOT_FOUND',
        'Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console.',
      ),
      SPACE,
    )
    oneLine(text)
    expect(text).toMatch(/Configure one: Google Chat API > Configuration/)
  })

  test('429: quota, try again later', () => {
    const text = explainChatError(googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric'), SPACE)
    oneLine(text)
    expect(text).toContain('429')
    expect(text).toMatch(/quota/i)
    expect(text).toContain(SPACE)
    expect(text).toMatch(/try again/i)
  })

  test.each([
    [500, 'INTERNAL'],
    [503, 'UNAVAILABLE'],
  ])('%i: Chat is unavailable, try again later', (code, status) => {
    const text = explainChatError(googleError(code, status, 'The service is currently unavailable.'), SPACE)
    oneLine(text)
    expect(text).toContain(String(code))
    expect(text).toMatch(/unavailable/i)
    expect(text).toMatch(/try again/i)
  })

  test('a 5xx with an HTML body (no Google error) still gives the status', () => {
    const text = explainChatError(httpError(502, '<html>\n<body>Bad Gateway</body>\n</html>'), SPACE)
    oneLine(text)
    expect(text).toContain('502')
  })

  test('a plain { code, message } network error is recognised too', () => {
    const plain = { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443' }
    for (const text of [explainChatError(plain, SPACE), explainSignInError(plain)]) {
      oneLine(text)
      expect(text).toContain('ECONNREFUSED')
      expect(text).toContain('connect ECONNREFUSED 127.0.0.1:443')
      expect(text).toContain('HTTPS_PROXY')
    }
  })

  test('network error: names the host and mentions HTTPS_PROXY', () => {
    const text = explainChatError(networkError, SPACE)
    oneLine(text)
    expect(text).toContain('chat.googleapis.com')
    expect(text).toContain('ECONNREFUSED')
    expect(text).toContain('HTTPS_PROXY')
  })

  test.each([
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND chat.googleapis.com'],
    ['ETIMEDOUT', 'connect ETIMEDOUT 142.250.0.1:443'],
    [undefined, 'unable to verify the first certificate'],
    [undefined, 'tunneling socket could not be established, statusCode=407'],
  ])('network problem %s: points at the network settings', (code, message) => {
    const text = explainChatError(Object.assign(new Error(message), code ? { code } : {}), SPACE)
    oneLine(text)
    expect(text).toMatch(/Could not reach chat\.googleapis\.com/)
    expect(text).toContain('HTTPS_PROXY')
    expect(text).toContain('NODE_EXTRA_CA_CERTS')
  })

  test('an unknown status falls through to a generic one-line message', () => {
    const text = explainChatError(googleError(409, 'ALREADY_EXISTS', 'Message already\nexists'), SPACE)
    oneLine(text)
    expect(text).toMatch(/Posting to Google Chat failed \(409 ALREADY_EXISTS\): Message already exists/)
  })

  test('non-Error values are explained too', () => {
    oneLine(explainChatError('boom\nagain', SPACE))
    oneLine(explainSignInError({}))
  })

  test('a very long server message is shortened', () => {
    const text = explainChatError(googleError(400, 'INVALID_ARGUMENT', 'x'.repeat(5000)), SPACE)
    expect(text.length).toBeLessThan(600)
  })
})
