// Every example payload GitHub documents (github.com and each GHES release), through describeRun and buildMessage.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { describeRun, type GitHubContextLike } from '../../src/github/run-context.ts'
import type { CardStyle, Status } from '../../src/domain.ts'
import { buildMessage } from '../../src/message/build.ts'
import { MAX_MESSAGE_BYTES } from '../../src/message/limits.ts'
import { byteLength, cardHtml, cardTexts, cardUrls, LONE_SURROGATE, SHA } from '../fixtures/samples.ts'

/** Chat's documented limit for a message's text. */
const MAX_TEXT_CHARS = 4096

type Payload = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
interface Definition {
  name: string
  examples: Payload[]
}

const require = createRequire(import.meta.url)
const root = dirname(require.resolve('@octokit/webhooks-examples/package.json'))
const sources = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && (entry.name === 'api.github.com' || entry.name.startsWith('ghes-')))
  .map((entry) => entry.name)
  .sort()

function load(source: string): Definition[] {
  return JSON.parse(readFileSync(join(root, source, 'index.json'), 'utf8')) as Definition[]
}

const GITHUB = 'https://github.com'
const GHES = 'https://ghes.example.com'

// github.com payloads against github.com and a GHES host; each GHES release's own payloads against the GHES host.
const sweeps: [string, string][] = sources.flatMap((source) =>
  source === 'api.github.com'
    ? [[source, GITHUB] as [string, string], [source, GHES] as [string, string]]
    : [[source, GHES] as [string, string]],
)

function contextFor(event: string, payload: Payload, serverUrl: string, index: number): GitHubContextLike {
  return {
    payload,
    eventName: event,
    sha: payload.after || payload.pull_request?.head?.sha || SHA,
    ref: typeof payload.ref === 'string' && payload.ref.startsWith('refs/') ? payload.ref : 'refs/heads/main',
    workflow: 'CI',
    job: 'build',
    actor: payload.sender?.login ?? 'octocat',
    runId: 1000 + index,
    runNumber: 7,
    runAttempt: 1 + (index % 2),
    serverUrl,
  }
}

function envFor(event: string, payload: Payload, serverUrl: string): Record<string, string> {
  const env: Record<string, string> = {
    GITHUB_SERVER_URL: serverUrl,
    GITHUB_REPOSITORY: payload.repository?.full_name ?? 'octo-org/octo-repo',
  }
  if (event.startsWith('pull_request') && payload.pull_request?.head?.ref) {
    env.GITHUB_HEAD_REF = payload.pull_request.head.ref
  }
  return env
}

const combinations: [Status, CardStyle][] = [
  ['success', 'status'],
  ['failure', 'status'],
  ['success', 'none'],
  ['failure', 'none'],
]

/** What is wrong with one message, as readable strings (empty: nothing). */
function problems(message: ReturnType<typeof buildMessage>, serverUrl: string): string[] {
  const found: string[] = []
  const bytes = byteLength(message)
  if (bytes > MAX_MESSAGE_BYTES) found.push(`${bytes} bytes`)
  if ((message.text ?? '').length > MAX_TEXT_CHARS) found.push(`text of ${message.text?.length} chars`)
  if (!message.text && !message.cardsV2?.length) found.push('empty message')
  for (const url of cardUrls(message)) {
    if (!url.startsWith(`${serverUrl}/`)) found.push(`URL off the server: ${url}`)
  }
  for (const text of cardTexts(message)) {
    if (text.includes('<users/')) found.push(`unescaped mention: ${text}`)
    if (text.includes('<https://') || text.includes('<http://')) found.push(`raw Chat link: ${text}`)
    if (LONE_SURROGATE.test(text)) found.push(`lone surrogate: ${text}`)
  }
  for (const html of cardHtml(message)) {
    // Only the tags the builder writes; anything else would be user data read as markup.
    const tags = html.match(/<\/?([a-z]+)/g) ?? []
    for (const tag of tags)
      if (!['<a', '</a', '<b', '</b', '<i', '</i', '<font', '</font'].includes(tag)) found.push(tag)
  }
  if (message.text && LONE_SURROGATE.test(message.text)) found.push('lone surrogate in text')
  return found
}

describe.each(sweeps)('webhook examples from %s, server %s', (source, serverUrl) => {
  const definitions = load(source)

  test('the package lists events with examples', () => {
    expect(definitions.length).toBeGreaterThan(40)
    expect(definitions.reduce((n, d) => n + d.examples.length, 0)).toBeGreaterThan(40)
  })

  test.each(definitions.map((d) => [d.name, d] as const))('%s', (event, definition) => {
    const failures: string[] = []
    definition.examples.forEach((payload, index) => {
      const github = contextFor(event, payload, serverUrl, index)
      const env = envFor(event, payload, serverUrl)
      let run
      try {
        run = describeRun(github, env)
      } catch (error) {
        failures.push(`example ${index}: describeRun threw ${String(error)}`)
        return
      }
      expect(run.serverUrl).toBe(serverUrl)
      expect(run.runUrl.startsWith(`${serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/`)).toBe(true)
      if (github.runAttempt > 1) expect(run.runUrl.endsWith(`/attempts/${github.runAttempt}`)).toBe(true)
      if (payload.pull_request?.number) {
        expect(run.pullRequest?.url).toBe(`${serverUrl}/${env.GITHUB_REPOSITORY}/pull/${payload.pull_request.number}`)
        expect(run.commit?.sha).toBe(payload.pull_request.head.sha)
      }
      if (event === 'workflow_run') expect(run.commit?.sha).toBe(payload.workflow_run.head_sha)
      if (event === 'push' && payload.head_commit) {
        expect(run.commit?.title).toBe(String(payload.head_commit.message).split(/\r?\n/)[0])
      }
      for (const [status, card] of combinations) {
        const message = buildMessage({ status, card, title: '', text: '' }, run)
        for (const problem of problems(message, serverUrl)) {
          failures.push(`example ${index} (${status}, card ${card}): ${problem}`)
        }
        if (card === 'status') {
          expect(message.cardsV2).toHaveLength(1)
          // The run button at least: the URL check above is never vacuous.
          expect(cardUrls(message)).toContain(run.runUrl)
        } else {
          expect(message.cardsV2).toBeUndefined()
          expect(message.text).toContain(`<${run.runUrl}|View run>`)
        }
      }
    })
    expect(failures).toEqual([])
  })
})

test('the checker itself catches each problem it looks for', () => {
  const bad = {
    text: `x${'\ud83d'}`,
    cardsV2: [
      {
        cardId: 'c',
        card: {
          header: { title: 'hi <users/all>' },
          sections: [
            {
              widgets: [
                {
                  decoratedText: { text: '<a href="https://evil.example/x">x</a> <https://evil.example|Click> <img>' },
                },
                {
                  buttonList: { buttons: [{ text: 'b', onClick: { openLink: { url: 'https://github.com.evil/x' } } }] },
                },
              ],
            },
          ],
        },
      },
    ],
  }
  const found = problems(bad, GITHUB)
  expect(found).toEqual(
    expect.arrayContaining([
      'URL off the server: https://evil.example/x',
      'URL off the server: https://github.com.evil/x',
      'unescaped mention: hi <users/all>',
      expect.stringMatching(/^raw Chat link/),
      '<img',
      'lone surrogate in text',
    ]),
  )
  expect(problems({ text: 'y'.repeat(MAX_TEXT_CHARS + 1) }, GITHUB)).toEqual([`text of ${MAX_TEXT_CHARS + 1} chars`])
})

test('the sweep covers github.com and at least one GHES release', () => {
  expect(sources).toContain('api.github.com')
  expect(sources.some((source) => source.startsWith('ghes-'))).toBe(true)
})
