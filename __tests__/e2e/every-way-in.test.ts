// Issue 5 end to end: keyless sign-in (Workload Identity Federation, the file google-github-actions/auth writes),
// self-signed JWTs, webhook mode, custom messages with templates, schema errors, notification options.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  MEMBER_SPACE,
  STACK_TRACE,
  cardOf,
  facts,
  linesLeaking,
  startGoogle,
  tokensUsed,
  type GoogleFixture,
} from '../fixtures/google-emulator.ts'

let google: GoogleFixture
let dir: string
beforeAll(async () => {
  google = await startGoogle({ selfSignedJwt: true })
  dir = mkdtempSync(join(tmpdir(), 'gcn-keyless-'))
})
afterAll(async () => {
  await google.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => google.emulator.reset())

const hosts = () => google.emulator.requests.map((r) => `${r.method} ${r.host}`)
const posted = () => google.emulator.messages(MEMBER_SPACE)
const errorLine = (log: string) => log.split('\n').find((l) => l.startsWith('::error::')) ?? ''

describe('keyless: Workload Identity Federation', () => {
  test("auth's credentials file → runner OIDC → STS → IAM Credentials → Chat, no metadata server, token masked", async () => {
    const keyless = google.emulator.keyless
    const credentialsPath = keyless.writeCredentials(dir)
    const result = await google.run({ inputs: { credentials: '' }, env: keyless.env(credentialsPath) })
    expect(result.log).not.toMatch(/::(warning|error)::/)
    expect(result.code).toBe(0)
    expect(posted()).toHaveLength(1)
    expect(hosts()).toEqual([
      `GET ${keyless.oidc.host}`,
      'POST sts.googleapis.com',
      'POST iamcredentials.googleapis.com',
      'POST chat.googleapis.com',
    ])
    // Nothing went to a metadata server or anywhere else (a refused CONNECT would be recorded too).
    expect(google.emulator.requests.some((r) => /169\.254\.169\.254|metadata/.test(r.host))).toBe(false)
    const [token] = tokensUsed(google.emulator)
    expect(result.log).toContain(`::add-mask::${token}`)
    expect(linesLeaking(result.log, [token!])).toEqual([])
  })

  test('without any credentials and without auth: a notice that says how to set either up', async () => {
    const result = await google.run({ inputs: { credentials: '' } })
    expect(result.code).toBe(0)
    expect(result.log).toMatch(/::notice::.*sign in keyless with google-github-actions\/auth/)
  })
})

describe('auth: self-signed-jwt', () => {
  test('signs the access token locally: no token endpoint round trip, the JWT masked', async () => {
    const result = await google.run({ inputs: { auth: 'self-signed-jwt' } })
    expect(result.code).toBe(0)
    expect(posted()).toHaveLength(1)
    expect(hosts()).toEqual(['POST chat.googleapis.com'])
    const [jwt] = tokensUsed(google.emulator)
    expect(jwt!.split('.')).toHaveLength(3)
    expect(result.log).toContain(`::add-mask::${jwt}`)
    expect(linesLeaking(result.log, [jwt!])).toEqual([])
  })
})

describe('webhook mode', () => {
  test('the same card, threads by key, the URL and its key and token masked; no sign-in at all', async () => {
    const webhook = google.emulator.registerWebhook(MEMBER_SPACE)
    for (const status of ['started', 'success']) {
      const result = await google.run({
        jobStatus: status,
        inputs: { credentials: '', space: '', 'webhook-url': webhook.url, 'thread-key': 'deploy-7' },
      })
      expect(result.code).toBe(0)
      expect(result.outputs.space).toBe(MEMBER_SPACE)
      expect(result.outputs['message-name']).toMatch(/^spaces\/AAAAmember1\/messages\//)
      expect(linesLeaking(result.log, [webhook.url, webhook.key, webhook.token])).toEqual([])
      expect(result.log).toContain(`::add-mask::${webhook.token}`)
    }
    const [first, second] = posted()
    expect(first!.thread.name).toBe(second!.thread.name)
    expect(cardOf(second!).header!.title).toBe('✅ CI succeeded')
    expect(hosts().every((h) => h === 'POST chat.googleapis.com')).toBe(true)
  })

  test('a webhook URL on any other host is refused before any request', async () => {
    const result = await google.run({
      inputs: {
        credentials: '',
        space: '',
        'webhook-url': 'https://evil.example.com/v1/spaces/AAAA/messages?key=k123&token=t456',
      },
    })
    expect(result.code).toBe(1)
    expect(errorLine(result.log)).toMatch(/Input 'webhook-url'/)
    expect(errorLine(result.log)).not.toMatch(/k123|t456/)
    expect(google.emulator.requests).toEqual([])
  })

  test('updating in place needs the app: a clear explanation', async () => {
    const webhook = google.emulator.registerWebhook(MEMBER_SPACE)
    const result = await google.run({
      inputs: { credentials: '', space: '', 'webhook-url': webhook.url, 'message-id': 'deploy-1' },
    })
    expect(result.code).toBe(1)
    expect(errorLine(result.log)).toMatch(
      /Input 'message-id' cannot be used with webhook-url: an incoming webhook can only post new messages/,
    )
    expect(google.emulator.requests).toEqual([])
  })
})

describe('custom messages', () => {
  const hostileCommit = 'Fix "quotes"\nand newlines <users/all> }} {{ env.SECRET }} <b>bold</b>'

  test('JSON with placeholders, filled after parsing and escaped for the field they land in', async () => {
    const event = { head_commit: { id: 'abc', message: hostileCommit } }
    const message = JSON.stringify({
      text: 'Commit: {{ github.event.head_commit.message }} on {{ github.ref_name }}',
      cardsV2: [
        {
          cardId: 'c',
          card: {
            header: { title: 'Build {{ inputs.status }}' },
            sections: [
              {
                widgets: [
                  { decoratedText: { topLabel: 'Commit', text: '{{ github.event.head_commit.message }}' } },
                  {
                    buttonList: { buttons: [{ text: 'Run', onClick: { openLink: { url: '{{ github.run_url }}' } } }] },
                  },
                ],
              },
            ],
          },
        },
      ],
    })
    const result = await google.run({ event, inputs: { message }, env: { SECRET: 'nope' } })
    expect(result.log).not.toMatch(/::(warning|error)::/)
    const [posted1] = posted()
    expect(posted1!.text).toContain('Commit: Fix "quotes"\nand newlines <\u200busers/all> }} {{ env.SECRET }}')
    expect(posted1!.text).not.toContain('<users/all>')
    const card = cardOf(posted1!)
    expect(card.header!.title).toBe('Build success')
    expect(facts(card).Commit).toContain('&lt;users/all&gt; }} {{ env.SECRET }} &lt;b&gt;bold&lt;/b&gt;')
    expect(JSON.stringify(card)).toContain('https://github.com/octo-org/hello-world/actions/runs/1658821493')
  })

  test('a YAML file in the workspace', async () => {
    const yaml = [
      'text: "Deployed {{ github.sha }}"',
      'cardsV2:',
      '  - cardId: deploy',
      '    card:',
      '      header:',
      '        title: "Deploy by {{ github.actor }}"',
      '      sections:',
      '        - widgets:',
      '            - textParagraph:',
      '                text: "Environment: <b>{{ env.TARGET }}</b>"',
    ].join('\n')
    const result = await google.run({
      inputs: { 'message-file': 'chat.yml' },
      files: { 'chat.yml': yaml },
      env: { TARGET: 'prod' },
    })
    expect(result.code).toBe(0)
    const [message] = posted()
    expect(message!.text).toBe('Deployed 6dcb09b5b57875f334f61aebed695e2e4193db5e')
    expect(cardOf(message!).header!.title).toBe('Deploy by octocat')
    expect(JSON.stringify(cardOf(message!))).toContain('Environment: <b>prod</b>')
  })

  test('a schema error names the path and the expected values, and nothing is sent', async () => {
    const message = JSON.stringify({
      cardsV2: [
        {
          cardId: 'c',
          card: { sections: [{ widgets: [{ decoratedText: { text: 'x', startIcon: { knownIcon: 'STARR' } } }] }] },
        },
      ],
    })
    const result = await google.run({ inputs: { message } })
    expect(result.code).toBe(1)
    expect(errorLine(result.log)).toMatch(
      /Input 'message'.*message\.cardsV2\[0\]\.card\.sections\[0\]\.widgets\[0\]\.decoratedText\.startIcon\.knownIcon: expected one of .*STAR.*got "STARR"/,
    )
    expect(result.log).not.toMatch(STACK_TRACE)
    expect(google.emulator.requests).toEqual([])
  })

  test('a missing placeholder is an error naming it', async () => {
    const result = await google.run({ inputs: { message: '{"text": "{{ env.NOT_SET }} and {{ github.nope }}"}' } })
    expect(result.code).toBe(1)
    expect(errorLine(result.log)).toMatch(/env\.NOT_SET.*github\.nope/)
  })
})

describe('notification', () => {
  test.each([
    ['silent', 'NOTIFICATION_TYPE_SILENT'],
    ['force', 'NOTIFICATION_TYPE_FORCE_NOTIFY'],
  ])("%s sets Chat's notification type", async (notification, type) => {
    const result = await google.run({ inputs: { notification } })
    expect(result.code).toBe(0)
    const create = google.emulator.requests.find((r) => r.host === 'chat.googleapis.com')!
    expect(create.query['createMessageNotificationOptions.notificationType']).toBe(type)
  })
})
