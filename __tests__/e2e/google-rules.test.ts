// Issue 12, section 3: how the action (node dist/index.js) behaves against the emulator held to Google's documented
// behaviour, each rule with the action-side fix that meets it (named beside each test).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { CHAT_APP_NOT_FOUND } from '../../emulator/index.ts'
import { MEMBER_SPACE, startGoogle, type GoogleFixture } from '../fixtures/google-emulator.ts'

let google: GoogleFixture
beforeAll(async () => {
  google = await startGoogle()
})
afterAll(async () => google.close())
beforeEach(() => {
  google.emulator.reset()
  google.emulator.setChatBehaviour({ alreadyExistsHttpStatus: 409 })
  google.emulator.setChatAppConfigured('octo-project', true)
})

const SYSTEM_NAME = /^spaces\/AAAAmember1\/messages\/[\w-]+\.[\w-]+$/
const errorLines = (log: string) => log.split('\n').filter((l) => l.startsWith('::error::'))
const chatRequests = () => google.emulator.requests.filter((r) => r.host === 'chat.googleapis.com')
const failing = { 'fail-on-error': 'true' }

describe('names (discovery doc: Message.name, Message.clientAssignedMessageId)', () => {
  test('message-name is the system-assigned name, message-id the custom id; a second run updates by the id', async () => {
    const first = await google.run({ jobStatus: 'started', inputs: { 'message-id': 'deploy-42' } })
    expect(first.code).toBe(0)
    expect(first.outputs['message-name']).toMatch(SYSTEM_NAME)
    expect(first.outputs['message-id']).toBe('client-deploy-42')
    const second = await google.run({ jobStatus: 'success', inputs: { 'message-id': 'deploy-42' } })
    expect(second.outputs['message-name']).toBe(first.outputs['message-name'])
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
    // An edit notifies no one: the only notification is the create's.
    expect(google.emulator.notifications({ space: MEMBER_SPACE })).toHaveLength(1)
  })

  // src/delivery/google-status.ts: the Chat reference names no HTTP status for ALREADY_EXISTS, so the action reads
  // the body's `status: ALREADY_EXISTS` however it arrives (and retry.ts never retries it).
  test('a taken custom id answered with another HTTP status (status ALREADY_EXISTS) still updates', async () => {
    await google.run({ jobStatus: 'started', inputs: { 'message-id': 'deploy-43' } })
    google.emulator.setChatBehaviour({ alreadyExistsHttpStatus: 400 })
    const second = await google.run({ jobStatus: 'success', inputs: { 'message-id': 'deploy-43', ...failing } })
    expect(errorLines(second.log)).toEqual([])
    expect(second.code).toBe(0)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
  })
})

describe('text length: 4,096 characters and 4,096 UTF-8 bytes', () => {
  // src/message/limits.ts (fitToChatLimits, text.ts truncateToFit): 3,000 CJK characters are 9,000 UTF-8 bytes;
  // the text is cut to 4,096 bytes and 4,096 characters, marker included.
  test('a CJK text of 3,000 characters is cut to fit, visibly', async () => {
    const result = await google.run({ inputs: { text: '界'.repeat(3000), ...failing } })
    expect(errorLines(result.log)).toEqual([])
    const [message] = google.emulator.messages(MEMBER_SPACE)
    expect(Buffer.byteLength(message!.text!)).toBeLessThanOrEqual(4096)
    expect(message!.text).toMatch(/^界+… \[truncated\]$/)
  })

  test('a CJK text that fits (1,365 characters, 4,095 bytes) is posted whole', async () => {
    const result = await google.run({ inputs: { text: '界'.repeat(1365), card: 'none', ...failing } })
    expect(errorLines(result.log)).toEqual([])
    expect(google.emulator.messages(MEMBER_SPACE)[0]!.text).toBe('界'.repeat(1365))
  })
})

describe('custom messages checked before sending', () => {
  const threeColumns = JSON.stringify({
    cardsV2: [
      {
        cardId: 'c',
        card: {
          sections: [
            {
              widgets: [
                {
                  columns: { columnItems: ['a', 'b', 'c'].map((t) => ({ widgets: [{ textParagraph: { text: t } }] })) },
                },
              ],
            },
          ],
        },
      },
    ],
  })

  test('a card with 3 columns is refused (the emulator names columns.column_items)', async () => {
    const result = await google.run({ inputs: { message: threeColumns, ...failing } })
    expect(result.code).toBe(1)
    expect(errorLines(result.log).join('\n')).toMatch(/column_?items|columnItems/i)
    expect(google.emulator.messages(MEMBER_SPACE)).toEqual([])
  })

  // src/message/card-rules.ts (via validate-message.ts): Chat's card rules checked before sending.
  test('…and refused before sending, naming the field', async () => {
    const result = await google.run({ inputs: { message: threeColumns, ...failing } })
    expect(errorLines(result.log).join('\n')).toMatch(
      /Input 'message' breaks Google Chat's rules: message\.cardsV2\[0\]\.card\.sections\[0\]\.widgets\[0\]\.columns\.columnItems: has 3 columns/,
    )
    expect(chatRequests()).toEqual([])
  })

  // src/message/card-rules.ts (webhook mode, from compose.ts): app-only fields refused before sending.
  test('a webhook message with accessory widgets is refused before sending, naming the field', async () => {
    const webhook = google.emulator.registerWebhook(MEMBER_SPACE)
    const message = JSON.stringify({
      text: 'deployed',
      accessoryWidgets: [
        { buttonList: { buttons: [{ text: 'Open', onClick: { openLink: { url: 'https://x.test' } } }] } },
      ],
    })
    const result = await google.run({
      inputs: { credentials: '', space: '', 'webhook-url': webhook.url, message, ...failing },
    })
    expect(result.code).toBe(1)
    expect(errorLines(result.log).join('\n')).toMatch(/accessoryWidgets/)
    expect(chatRequests()).toEqual([])
  })
})

describe('ownership (discovery doc: patch, update, delete)', () => {
  // src/delivery/explain-error.ts: a 403 on an update or delete says the message was posted by another Chat app or
  // a webhook, which this app may not edit.
  test('an update of a message another app posted is refused and explained', async () => {
    google.emulator.postAs(
      { app: 'release-bot' },
      { space: MEMBER_SPACE, message: { text: 'theirs' }, messageId: 'client-theirs' },
    )
    const result = await google.run({ inputs: { update: 'client-theirs', ...failing } })
    expect(result.code).toBe(1)
    expect(errorLines(result.log).join('\n')).toMatch(/another (Chat )?app|its own messages|posted by/i)
    expect(google.emulator.messages(MEMBER_SPACE)[0]!.text).toBe('theirs')
  })

  test('the refusal keeps Google’s status (403 PERMISSION_DENIED) and leaves the message alone', async () => {
    google.emulator.postAs(
      { app: 'release-bot' },
      { space: MEMBER_SPACE, message: { text: 'theirs' }, messageId: 'client-theirs' },
    )
    const result = await google.run({ inputs: { update: 'client-theirs', ...failing } })
    expect(result.code).toBe(1)
    expect(errorLines(result.log).join('\n')).toMatch(/403 PERMISSION_DENIED/)
    expect(google.emulator.messages(MEMBER_SPACE)[0]!.text).toBe('theirs')
  })
})

describe('"Google Chat app not found"', () => {
  test('the 404 is explained: configure the Chat app in the key’s project', async () => {
    google.emulator.setChatAppConfigured('octo-project', false)
    const result = await google.run({ inputs: failing })
    expect(result.code).toBe(1)
    const said = errorLines(result.log).join('\n')
    expect(said).toContain(CHAT_APP_NOT_FOUND)
    expect(said).toMatch(/no Chat app for this service account's project/)
  })
})

describe('per-space write quota, on by default (Chat limits page)', () => {
  test('a matrix of 6 jobs in a space limited to 2 writes a (scaled) minute: all post, Retry-After or not', async () => {
    google.emulator.setWriteQuota({ perMinute: 2, timeScale: 30 })
    try {
      const results = await Promise.all(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((leg) =>
          google.run({ inputs: { matrix: JSON.stringify({ leg }), ...failing }, env: { GITHUB_JOB: `build-${leg}` } }),
        ),
      )
      expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0])
      // Exactly once each: one message per leg, whatever was retried.
      const messages = google.emulator.messages(MEMBER_SPACE)
      expect(messages).toHaveLength(6)
      const legs = messages.map((m) => /leg: (\w)/.exec(JSON.stringify(m))?.[1]).sort()
      expect(legs).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
      const statuses = chatRequests().map((r) => r.status)
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0)
    } finally {
      google.emulator.setWriteQuota({ perMinute: 60 })
    }
  })
})
