// Every preset on every example GitHub documents for the events people notify about (github.com and each GHES
// release): within Chat's limits, links on GITHUB_SERVER_URL, buttons present, user data inert.
import { describe, expect, test } from '@jest/globals'
import type { chat_v1 } from '@googleapis/chat'
import type { Status } from '../../src/domain.ts'
import { checkMessageLimits } from '../../emulator/message-limits.ts'
import { validateResource } from '../../emulator/schema-validator.ts'
import { MAX_CARD_WIDGETS, MAX_MESSAGE_BYTES } from '../../src/message/limits.ts'
import { PRESETS, renderPreset, type CardOptions, type Preset } from '../../src/message/presets/index.ts'
import {
  byteLength,
  cardHtml,
  cardTexts,
  decodeEntities,
  LONE_SURROGATE,
  runFromEvent,
  webhookDefinitions,
  webhookSources,
  widgetCount,
  workflowJobs,
  type WebhookPayload,
} from '../fixtures/samples.ts'

type Message = chat_v1.Schema$Message
type Section = chat_v1.Schema$GoogleAppsCardV1Section
type Widget = chat_v1.Schema$GoogleAppsCardV1Widget

const EVENTS = [
  'push',
  'pull_request',
  'release',
  'deployment_status',
  'deployment',
  'workflow_dispatch',
  'schedule',
  'workflow_run',
] as const
const STATUSES: Status[] = ['success', 'failure']
const GITHUB = 'https://github.com'
const GHES = 'https://ghes.example.com'
/** A scheduled run's payload: the cron line and nothing a card could use. */
const SCHEDULE: WebhookPayload = { schedule: '30 5 * * 1-5' }
const ALLOWED_TAGS = new Set(['a', 'b', 'i', 's', 'font', 'br'])

function examplesFor(source: string): [string, WebhookPayload][] {
  const definitions = webhookDefinitions(source)
  return EVENTS.flatMap((event) => {
    if (event === 'schedule') return [[event, SCHEDULE] as [string, WebhookPayload]]
    const examples = definitions.find((definition) => definition.name === event)?.examples ?? []
    return examples.map((payload) => [event, payload] as [string, WebhookPayload])
  })
}

function optionsFor(preset: Preset, status: Status, serverUrl: string, repository: string): CardOptions {
  if (preset !== 'workflow') return { status }
  return { status, jobs: workflowJobs(12, { failed: 2, skipped: 1, serverUrl, repository }), now: Date.now() }
}

function widgetsOf(sections: Section[]): Widget[] {
  return sections.flatMap((section) => section.widgets ?? [])
}

/**
 * Every link on the card must be on the server, except the two that are meant to leave it: the environment URL
 * (the URL fact and the Open app button) and links the release notes' author wrote. Those must be http(s) or mailto.
 */
function linkProblems(message: Message, serverUrl: string): string[] {
  const found: string[] = []
  const card = message.cardsV2?.[0]?.card
  const sections = card?.sections ?? []
  const onServer = (url: string, where: string) => {
    if (!url.startsWith(`${serverUrl}/`)) found.push(`${where} off the server: ${url}`)
  }
  const safe = (url: string, where: string) => {
    if (!/^(https?:\/\/|mailto:)/.test(url)) found.push(`${where} unsafe: ${url}`)
  }
  for (const section of sections) {
    const external = section.header === 'Release notes'
    for (const widget of section.widgets ?? []) {
      const html = widget.decoratedText?.text ?? widget.textParagraph?.text ?? ''
      for (const match of html.matchAll(/href="([^"]*)"/g)) {
        const url = decodeEntities(match[1] as string)
        const isEnvironment = widget.decoratedText?.topLabel === 'URL'
        if (external || isEnvironment) safe(url, 'link')
        // The Read more link of the notes goes to the release page, on the server.
        else onServer(url, 'link')
      }
      for (const button of widget.buttonList?.buttons ?? []) {
        const url = button.onClick?.openLink?.url ?? ''
        if (button.text === 'Open app') safe(url, 'Open app')
        else onServer(url, `button ${button.text}`)
      }
    }
  }
  return found
}

function problems(message: Message, serverUrl: string): string[] {
  const found: string[] = []
  const bytes = byteLength(message)
  if (bytes > MAX_MESSAGE_BYTES) found.push(`${bytes} bytes`)
  const widgets = widgetCount(message)
  if (widgets > MAX_CARD_WIDGETS) found.push(`${widgets} widgets`)
  found.push(...linkProblems(message, serverUrl))
  // As the emulator checks a request: Chat's discovery document, and its limits.
  for (const v of validateResource('Message', message, 'message').violations) found.push(`schema: ${v.description}`)
  for (const v of checkMessageLimits(message as never)) found.push(`limits: ${v.description}`)
  for (const text of [...cardTexts(message), message.fallbackText ?? '']) {
    if (text.includes('<users/')) found.push(`unescaped mention: ${text.slice(0, 80)}`)
    if (text.includes('<https://') || text.includes('<http://')) found.push(`raw Chat link: ${text.slice(0, 80)}`)
    if (LONE_SURROGATE.test(text)) found.push(`lone surrogate: ${text.slice(0, 80)}`)
  }
  for (const html of cardHtml(message)) {
    for (const tag of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)) {
      if (!ALLOWED_TAGS.has(tag[1] as string)) found.push(`tag <${tag[1]}> in ${html.slice(0, 80)}`)
    }
  }
  const buttons = widgetsOf(message.cardsV2?.[0]?.card?.sections ?? []).flatMap((w) => w.buttonList?.buttons ?? [])
  if (!buttons.some((b) => b.text === 'View run')) found.push('no View run button')
  return found
}

function render(preset: Preset, event: string, payload: WebhookPayload, status: Status, serverUrl: string) {
  const run = runFromEvent(event, payload, { serverUrl })
  const { card, fallbackText } = renderPreset(preset, run, optionsFor(preset, status, serverUrl, run.repository))
  return { run, message: { cardsV2: [card], fallbackText } as Message }
}

const sweeps: [string, string][] = webhookSources().flatMap((source) =>
  source === 'api.github.com'
    ? [
        [source, GITHUB],
        [source, GHES],
      ]
    : [[source, GHES]],
)

describe.each(sweeps)('examples from %s on %s', (source, serverUrl) => {
  const examples = examplesFor(source)

  test('every event is covered', () => {
    const events = new Set(examples.map(([event]) => event))
    if (source === 'api.github.com') expect([...events].sort()).toEqual([...EVENTS].sort())
    else expect(events.size).toBeGreaterThanOrEqual(5)
  })

  test.each(PRESETS.map((preset) => [preset]))('%s', (preset) => {
    const failures: string[] = []
    let checked = 0
    for (const [event, payload] of examples) {
      for (const status of STATUSES) {
        const { message } = render(preset, event, payload, status, serverUrl)
        for (const problem of problems(message, serverUrl)) failures.push(`${event} (${status}): ${problem}`)
        checked++
      }
    }
    expect(failures).toEqual([])
    expect(checked).toBeGreaterThanOrEqual(2 * EVENTS.length)
  })
})

describe('what each preset takes from its own event (github.com examples)', () => {
  const examples = examplesFor('api.github.com')
  const buttonsOf = (message: Message) =>
    Object.fromEntries(
      widgetsOf(message.cardsV2?.[0]?.card?.sections ?? [])
        .flatMap((w) => w.buttonList?.buttons ?? [])
        .map((b) => [b.text, b.onClick?.openLink?.url]),
    )

  test('pull_request: every example links its own PR', () => {
    for (const [event, payload] of examples.filter(([event]) => event === 'pull_request')) {
      const { run, message } = render('pull-request', event, payload, 'success', GITHUB)
      expect(buttonsOf(message)['View pull request']).toBe(`${run.repositoryUrl}/pull/${payload.pull_request.number}`)
    }
  })

  test('release: every example links its release page on the server, not the payload’s html_url', () => {
    for (const [event, payload] of examples.filter(([event]) => event === 'release')) {
      const { message } = render('release', event, payload, 'success', GHES)
      expect(buttonsOf(message)['View release']).toBe(
        `${GHES}/${payload.repository.full_name}/releases/tag/${payload.release.tag_name}`,
      )
    }
  })

  test('deployment and deployment_status: every example names its environment', () => {
    for (const [event, payload] of examples.filter(([event]) => event.startsWith('deployment'))) {
      const { message } = render('deploy', event, payload, 'success', GITHUB)
      const environment = payload.deployment_status?.environment ?? payload.deployment.environment
      expect(message.fallbackText).toBe(`✅ Deployed to ${environment}`)
    }
  })

  test('schedule and workflow_dispatch: the presets still say what ran, with the run link', () => {
    for (const [event, payload] of examples.filter(([event]) => ['schedule', 'workflow_dispatch'].includes(event))) {
      for (const preset of PRESETS) {
        const { run, message } = render(preset, event, payload, 'failure', GITHUB)
        expect(buttonsOf(message)['View run']).toBe(run.runUrl)
        expect(message.fallbackText).toMatch(/^❌ /)
      }
    }
  })
})

// Every string a user controls in a payload, with Chat and HTML markup appended.
const POISON = ' <users/all> <https://evil.example|click> <b>x</b> <script>alert(1)</script> *bold* &amp;'
const POISONED_KEYS = new Set([
  'title',
  'name',
  'body',
  'message',
  'login',
  'username',
  'environment',
  'description',
  'tag_name',
  'head_branch',
  'state',
  'task',
])

function poison(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(poison)
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      typeof item === 'string' && POISONED_KEYS.has(key) ? item + POISON : poison(item),
    ]),
  )
}

test('hostile strings in every field of every example stay inert in every preset', () => {
  const failures: string[] = []
  let sawEscaped = 0
  for (const [event, payload] of examplesFor('api.github.com')) {
    const hostile = poison(payload) as WebhookPayload
    if (hostile.release) hostile.release.body = `Notes${POISON}\n\n[x](javascript:alert(1)) <users/all>`
    for (const preset of PRESETS) {
      const { message } = render(preset, event, hostile, 'failure', GITHUB)
      for (const problem of problems(message, GITHUB)) failures.push(`${preset} on ${event}: ${problem}`)
      if (cardHtml(message).some((html) => html.includes('&lt;users/all&gt;'))) sawEscaped++
    }
  }
  expect(failures).toEqual([])
  // The check is not vacuous: the poison reached the cards, escaped.
  expect(sawEscaped).toBeGreaterThan(100)
})

test('the checker itself catches each problem it looks for', () => {
  const bad: Message = {
    fallbackText: 'hi <users/all>',
    cardsV2: [
      {
        card: {
          sections: [
            {
              widgets: [
                { decoratedText: { text: '<a href="https://evil.example/">x</a> <img src=x>' } },
                { decoratedText: { topLabel: 'URL', text: '<a href="javascript:alert(1)">x</a>' } },
                { buttonList: { buttons: [{ text: 'Open app', onClick: { openLink: { url: 'javascript:x' } } }] } },
                { decoratedText: { text: 'x', wrapText: 'yes' as unknown as boolean } },
              ],
            },
          ],
        },
      },
    ],
  }
  expect(problems(bad, GITHUB)).toEqual(
    expect.arrayContaining([
      'link off the server: https://evil.example/',
      'link unsafe: javascript:alert(1)',
      'Open app unsafe: javascript:x',
      'unescaped mention: hi <users/all>',
      expect.stringMatching(/^tag <img>/),
      'no View run button',
      expect.stringMatching(/^schema: /),
    ]),
  )
})
