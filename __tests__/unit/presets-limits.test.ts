// The presets against Chat's limits with the inputs that strain them: long release notes, emoji and right-to-left
// titles, runs of 60 and 150 jobs. Each card must already fit (fitToChatLimits, the last guard, changes nothing).
import { describe, expect, test } from '@jest/globals'
import type { chat_v1 } from '@googleapis/chat'
import { checkMessageLimits } from '../../emulator/message-limits.ts'
import { validateResource } from '../../emulator/schema-validator.ts'
import { fitToChatLimits, MAX_CARD_WIDGETS, MAX_MESSAGE_BYTES } from '../../src/message/limits.ts'
import { RELEASE_NOTES_CHARS } from '../../src/message/presets/index.ts'
import { MAX_LISTED_JOBS } from '../../src/message/presets/workflow.ts'
import { PRESETS, renderPreset, type CardOptions, type Preset } from '../../src/message/presets/index.ts'
import type { RunContext } from '../../src/github/run-context.ts'
import {
  byteLength,
  cardHtml,
  cardTexts,
  decodeEntities,
  LONE_SURROGATE,
  runContext,
  runFromEvent,
  webhookExample,
  widgetCount,
  workflowJobs,
} from '../fixtures/samples.ts'

type Message = chat_v1.Schema$Message

function message(preset: Preset, run: RunContext, options: CardOptions): Message {
  const { card, fallbackText } = renderPreset(preset, run, options)
  return { cardsV2: [card], fallbackText }
}

/** Within the limits on its own: the last guard has nothing to cut. */
function expectWithinLimits(built: Message): void {
  expect(byteLength(built)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES)
  expect(widgetCount(built)).toBeLessThanOrEqual(MAX_CARD_WIDGETS)
  expect(fitToChatLimits(built)).toEqual(built)
  expect(validateResource('Message', built, 'message').violations).toEqual([])
  expect(checkMessageLimits(built as never)).toEqual([])
  for (const text of cardTexts(built)) expect(LONE_SURROGATE.test(text)).toBe(false)
}

function notesOf(built: Message): string {
  const section = built.cardsV2?.[0]?.card?.sections?.find((s) => s.header === 'Release notes')
  return section?.widgets?.[0]?.textParagraph?.text ?? ''
}

function hrefs(built: Message): string[] {
  return cardHtml(built).flatMap((html) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => decodeEntities(m[1]!)))
}

const ARABIC = 'مرحبا بالعالم'
const HEBREW = 'שלום עולם'
const EMOJI = '👩‍👩‍👧‍👦🏳️‍🌈🇺🇦👍🏽🚀'

describe('release notes', () => {
  const release = (body: string) => {
    const payload = webhookExample('release', (p) => p.action === 'published')
    payload.release.body = body
    return runFromEvent('release', payload)
  }

  test('20,000 characters of Markdown: 3,000 characters of card HTML, Read more, within every limit', () => {
    const lines = ['## What’s Changed']
    for (let i = 1; lines.join('\n').length < 20_000; i++) {
      lines.push(`* **feat**: item ${i} by @dev in https://github.com/Codertocat/Hello-World/pull/${i} ${EMOJI}`)
    }
    const body = lines.join('\n').slice(0, 20_000)
    expect(body).toHaveLength(20_000)
    const built = message('release', release(body), { status: 'success' })
    expectWithinLimits(built)
    const notes = notesOf(built)
    expect(notes.length).toBeLessThanOrEqual(RELEASE_NOTES_CHARS)
    expect(notes.length).toBeGreaterThan(RELEASE_NOTES_CHARS - 300)
    expect(notes).toContain('<a href="https://github.com/Codertocat/Hello-World/releases/tag/0.0.1">Read more</a>')
  })

  test('20,000 characters of multi-byte text (CJK, RTL, emoji) stay far under 32,000 bytes', () => {
    const body = `${'漢字かな交じり文 '.repeat(600)}${ARABIC} ${HEBREW} ${EMOJI}`.repeat(3).slice(0, 20_000)
    const built = message('release', release(body), { status: 'success' })
    expectWithinLimits(built)
    expect(byteLength(built)).toBeLessThan(16_000)
  })

  test('<script>, <users/all> and javascript: links in the notes come out inert', () => {
    const body = [
      '<script>alert(1)</script>',
      'Hello <users/all> and <users/123456>',
      '[x](javascript:alert(1)) [y](JAVASCRIPT:alert(2)) ![i](javascript:alert(3))',
      '<a href="javascript:alert(4)">a</a> <img src=x onerror=alert(5)>',
      '<https://evil.example|fake link>',
    ].join('\n\n')
    const built = message('release', release(body), { status: 'success' })
    const notes = notesOf(built)
    expect(notes).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(notes).toContain('Hello &lt;users/all&gt; and &lt;users/123456&gt;')
    expect(notes).not.toMatch(/<(script|img|users)/)
    expect(hrefs(built).filter((href) => /^javascript:/i.test(href))).toEqual([])
    expect(notes).toContain('x y i')
    for (const text of cardTexts(built)) {
      expect(text).not.toContain('<users/')
      expect(text).not.toContain('<https://')
    }
  })
})

describe('titles in any script', () => {
  const title = `${EMOJI} ${ARABIC} ${HEBREW} \u202eevil\u202c `.repeat(30)

  test.each(PRESETS.map((preset) => [preset]))(
    '%s: a 1,000-character emoji and RTL PR title is clipped whole',
    (preset) => {
      const payload = webhookExample('pull_request', (p) => p.action === 'opened')
      payload.pull_request.title = title
      const built = message(preset, runFromEvent('pull_request', payload), { status: 'failure' })
      expectWithinLimits(built)
      const header = built.cardsV2?.[0]?.card?.header?.title ?? ''
      expect(header.length).toBeLessThanOrEqual(200)
      expect(LONE_SURROGATE.test(built.fallbackText ?? '')).toBe(false)
      const pr = cardHtml(built).find((html) =>
        html.startsWith('<a href="https://github.com/Codertocat/Hello-World/pull/'),
      )
      // The presets that show the pull request fact by default: the title there is clipped, not dropped.
      if (preset !== 'release' && preset !== 'deploy') {
        expect(pr).toContain(title.slice(0, 50))
        expect(pr!.length).toBeLessThan(700)
      }
    },
  )

  test('header of the PR preset: emoji and RTL text kept, clipped with an ellipsis', () => {
    const payload = webhookExample('pull_request', (p) => p.action === 'opened')
    payload.pull_request.title = title
    const header = renderPreset('pull-request', runFromEvent('pull_request', payload), { status: 'success' }).card.card
      ?.header?.title
    expect(header?.startsWith(`✅ #${payload.pull_request.number}: ${EMOJI} ${ARABIC}`)).toBe(true)
    expect(header?.endsWith('…')).toBe(true)
  })
})

describe('runs with many jobs', () => {
  const run = () => runContext({ job: 'notify' })
  const jobsSection = (built: Message) =>
    built.cardsV2?.[0]?.card?.sections?.find((s) => /^Jobs/.test(s.header ?? ''))?.widgets ?? []

  test('60 jobs, 7 failed: every failed job linked, the rest counted, within the limits', () => {
    const jobs = workflowJobs(60, { failed: 7 })
    const built = message('workflow', run(), { status: 'success', jobs })
    expectWithinLimits(built)
    expect(built.fallbackText).toBe('❌ CI failed (7 of 60 jobs)')
    const failedUrls = jobs.filter((job) => job.conclusion === 'failure').map((job) => job.htmlUrl)
    expect(failedUrls).toHaveLength(7)
    for (const url of failedUrls) expect(hrefs(built)).toContain(url)
    expect(jobsSection(built)[0]?.textParagraph?.text).toBe('<b>60 jobs</b>: ❌ 7 failed · ✅ 53 succeeded')
  })

  test('150 jobs: the same; 150 failed jobs: 40 linked and a count of the others', () => {
    const some = message('workflow', run(), { status: 'success', jobs: workflowJobs(150, { failed: 7, skipped: 3 }) })
    expectWithinLimits(some)
    expect(jobsSection(some)).toHaveLength(1 + 7)

    const all = message('workflow', run(), { status: 'success', jobs: workflowJobs(150, { failed: 150 }) })
    expectWithinLimits(all)
    const widgets = jobsSection(all)
    expect(widgets).toHaveLength(1 + MAX_LISTED_JOBS + 1)
    expect(widgets.at(-1)?.textParagraph?.text).toContain('110 more failed or cancelled jobs')
  })

  test('any number of jobs from 0 to 300, any mix, with 1,000-character names: within the limits', () => {
    for (const count of [0, 1, 39, 40, 41, 59, 60, 99, 100, 101, 150, 256, 300]) {
      for (const failed of [0, 7, Math.floor(count / 2), count]) {
        const jobs = workflowJobs(count, { failed: Math.min(failed, count) }).map((job) => ({
          ...job,
          name: `${job.name} ${'x'.repeat(1000)}`,
        }))
        const built = message('workflow', run(), { status: 'success', jobs })
        expectWithinLimits(built)
      }
    }
  })

  test('a 300-value matrix and every field: still within the limits', () => {
    const matrix = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`key${i}`, 'v'.repeat(200)]))
    for (const preset of PRESETS) {
      const built = message(preset, run(), { status: 'failure', matrix, jobs: workflowJobs(100, { failed: 50 }) })
      expectWithinLimits(built)
    }
  })
})
