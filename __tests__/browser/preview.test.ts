// The preview page in a real browser (Debian's Chromium through playwright-core; no browser is downloaded):
// what a reader sees is there, links point where the card says, and hostile payloads never run.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { chat_v1 } from '@googleapis/chat'
import type { Browser, Page } from 'playwright-core'
import { CHROMIUM, chromiumAvailable, launchChromium } from '../../scripts/chromium.ts'
import { buildMessage } from '../../src/message/build.ts'
import { renderPageHtml } from '../../emulator/preview-page.ts'
import { decodeEntities, runContext, settings } from '../fixtures/samples.ts'

type Message = chat_v1.Schema$Message

const available = chromiumAvailable
const SKIPPED = `skipped: ${CHROMIUM} not found (install Debian's chromium package to run these checks)`
if (!available) console.warn(`__tests__/browser/preview.test.ts: ${SKIPPED}`)
const browserTest = available ? test : test.skip

const PR = { number: 7, title: 'Add a preview', url: 'https://github.com/octo-org/octo-repo/pull/7' }
const status = buildMessage(
  settings({ text: 'Deployed for <users/all>, see *the run*' }),
  runContext({ pullRequest: PR }),
)
const statusCard = status.cardsV2?.[0]?.card as chat_v1.Schema$GoogleAppsCardV1Card
const statusWidgets = (statusCard.sections ?? []).flatMap((s) => s.widgets ?? [])

const PWN = 'window.__pwned=1'
const HOSTILE_HTML = [
  `<script>${PWN}</script>`,
  `<img src=x onerror="${PWN}">`,
  `<svg><animate onbegin="${PWN}" attributeName=x dur=1s></svg>`,
  `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
  `<a id=js href="javascript:${PWN}">click me</a>`,
  `<a href="java&#115;cript:${PWN}">click me too</a>`,
  `<b onmouseover="${PWN}">hover me</b>`,
  `<font color="red" onclick="${PWN}">red</font>`,
  `</div></div></div><img src=x onerror="${PWN}">`,
  '<style>.gc-card{display:none}</style>',
].join(' ')

const hostile: Message = {
  text: `${HOSTILE_HTML} <javascript:${PWN}|text link>`,
  sender: { displayName: `<img src=x onerror="${PWN}">` },
  cardsV2: [
    {
      card: {
        header: { title: `Hostile <img src=x onerror="${PWN}">`, imageUrl: `javascript:${PWN}` },
        sections: [
          {
            header: HOSTILE_HTML,
            widgets: [
              {
                decoratedText: {
                  topLabel: HOSTILE_HTML,
                  text: HOSTILE_HTML,
                  startIcon: { iconUrl: `javascript:${PWN}` },
                },
              },
              { textParagraph: { text: HOSTILE_HTML } },
              { image: { imageUrl: `javascript:${PWN}`, altText: HOSTILE_HTML } },
              {
                buttonList: { buttons: [{ text: 'Evil button', onClick: { openLink: { url: `javascript:${PWN}` } } }] },
              },
            ],
          },
        ],
      },
    },
  ],
}

const showcase: Message = {
  cardsV2: [
    {
      card: {
        header: { title: 'Columns' },
        sections: [
          {
            widgets: [
              {
                columns: {
                  columnItems: ['Left', 'Right'].map((label) => ({
                    widgets: [{ decoratedText: { topLabel: label, text: label.toLowerCase() } }],
                  })),
                },
              },
            ],
          },
        ],
      },
    },
  ],
}

let browser: Browser | undefined
let dir = ''
let pageUrl = ''
let noCspUrl = ''

function write(name: string, html: string): string {
  const path = join(dir, name)
  writeFileSync(path, html)
  return pathToFileURL(path).href
}

async function open(url: string): Promise<{ page: Page; dialogs: string[] }> {
  const page = await (browser as Browser).newPage({ viewport: { width: 720, height: 900 } })
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  await page.goto(url, { waitUntil: 'load' })
  return { page, dialogs }
}

beforeAll(async () => {
  if (!available) return
  dir = mkdtempSync(join(tmpdir(), 'gcn-preview-'))
  const html = renderPageHtml('Preview: octo-org/octo-repo', [status, showcase, hostile], { time: '10:42 AM' })
  pageUrl = write('page.html', html)
  // The same page without its Content-Security-Policy: the sanitizer alone must keep the payloads inert.
  const withoutCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
  expect(withoutCsp).not.toContain('Content-Security-Policy')
  noCspUrl = write('page-no-csp.html', withoutCsp)
  // Chromium's first start on a machine builds its font cache and profile: seconds, more under load. A set-up cost,
  // not what is tested, so it gets the time the viewer test's set-up gets.
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe(available ? 'preview page in Chromium' : `preview page in Chromium (${SKIPPED})`, () => {
  browserTest('the status card: header, facts and every button link', async () => {
    const { page } = await open(pageUrl)
    const card = page.locator('.gc-card').first()
    expect(await card.locator('.gc-title').textContent()).toBe(statusCard.header?.title)
    expect(await card.locator('.gc-subtitle').textContent()).toBe(statusCard.header?.subtitle)
    const facts = statusWidgets.filter((w) => w.decoratedText).map((w) => w.decoratedText?.topLabel)
    expect(await card.locator('.gc-dt .gc-label').allTextContents()).toEqual(facts)
    // Each fact's card HTML as a reader sees it: its text, and its links where the card points.
    const factHtml = statusWidgets.flatMap((w) => (w.decoratedText ? [w.decoratedText.text ?? ''] : []))
    const plain = factHtml.map((html) => decodeEntities(html.replace(/<[^>]*>/g, '')))
    expect(await card.locator('.gc-dt-text').allTextContents()).toEqual(plain)
    expect(plain).toContain(`#${PR.number} ${PR.title}`)
    const hrefs = factHtml.flatMap((html) =>
      [...html.matchAll(/href="([^"]*)"/g)].map((m) => decodeEntities(m[1] as string)),
    )
    expect(hrefs.length).toBeGreaterThan(2)
    const factLinks = card.locator('.gc-dt-text a')
    expect(await factLinks.evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(hrefs)

    const buttons = statusWidgets.flatMap((w) => w.buttonList?.buttons ?? [])
    const links = card.locator('a.gc-btn')
    expect(await links.count()).toBe(buttons.length)
    for (const [i, button] of buttons.entries()) {
      expect(await links.nth(i).textContent()).toBe(button.text)
      expect(await links.nth(i).getAttribute('href')).toBe(button.onClick?.openLink?.url)
    }
    // Pills in one row, on a white rounded card with a shadow; the text above the card has the mention chip.
    const boxes = await Promise.all(buttons.map((_, i) => links.nth(i).boundingBox()))
    expect(new Set(boxes.map((b) => b?.y)).size).toBe(1)
    const style = await page.evaluate<string[]>(
      `(() => { const c = getComputedStyle(document.querySelector('.gc-card')), b = getComputedStyle(document.querySelector('a.gc-btn'));
        return [c.borderRadius, c.backgroundColor, c.boxShadow, b.borderRadius, b.color] })()`,
    )
    expect(style.slice(0, 2)).toEqual(['12px', 'rgb(255, 255, 255)'])
    expect(style[2]).not.toBe('none')
    // Buttons without a type are OUTLINED in Chat (discovery doc, Button.type): blue text, grey outline, no fill.
    expect(style.slice(3)).toEqual(['18px', 'rgb(11, 87, 208)'])
    expect(await page.locator('.gc-text .gc-mention').first().textContent()).toBe('@all')
    expect(await page.locator('.gc-text b:not(.gc-mention)').first().textContent()).toBe('the run')
    await page.close()
  })

  browserTest('icons are single-colour symbols of the icon font, one glyph each, never spelt out', async () => {
    const { page } = await open(pageUrl)
    await page.evaluate('document.fonts.ready')
    const icons = await page.evaluate<{ name: string; width: number; size: number; family: string }[]>(
      `[...document.querySelectorAll('.gc-card .gc-mi')].map((i) => ({ name: i.title, width: i.getBoundingClientRect().width,
        size: parseFloat(getComputedStyle(i).fontSize), family: getComputedStyle(i).fontFamily }))`,
    )
    // The compact status card shows four facts, each with its icon.
    expect(icons.length).toBeGreaterThanOrEqual(4)
    for (const icon of icons) {
      expect(icon.family).toMatch(/^"Material Icons"/)
      // A ligature the font knows is one glyph about 1 em wide; an unknown one shows its letters (many em).
      expect({ name: icon.name, wide: icon.width > 1.5 * icon.size }).toEqual({ name: icon.name, wide: false })
    }
    await page.close()
  })

  browserTest('columns sit side by side', async () => {
    const { page } = await open(pageUrl)
    const columns = page.locator('.gc-columns').first().locator('.gc-col')
    const [left, right] = [await columns.nth(0).boundingBox(), await columns.nth(1).boundingBox()]
    expect(left?.y).toBe(right?.y)
    expect((left?.x ?? 0) + (left?.width ?? 0)).toBeLessThanOrEqual(right?.x ?? 0)
    await page.close()
  })

  browserTest('the probe works: an unsanitized payload does set window.__pwned', async () => {
    const control = write('control.html', `<!doctype html><img src="x" onerror="${PWN}">`)
    const { page } = await open(control)
    await page.waitForFunction('window.__pwned === 1', undefined, { timeout: 5000 })
    await page.close()
  })

  for (const [name, url] of [
    ['as built (with its CSP)', () => pageUrl],
    ['without the CSP (the sanitizer alone)', () => noCspUrl],
  ] as const) {
    browserTest(`hostile payloads stay inert: ${name}`, async () => {
      const { page, dialogs } = await open(url())
      const pwned = (): Promise<unknown> => page.evaluate('typeof window.__pwned')
      await page.waitForTimeout(200)
      expect(await pwned()).toBe('undefined')
      const found = await page.evaluate<Record<string, unknown>>(`({
        scripts: document.querySelectorAll('script, iframe, svg, object, embed, style:not(head style)').length,
        images: [...document.querySelectorAll('img')].map((img) => img.getAttribute('src')),
        handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
        badLinks: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).filter((h) => !/^(https?:|mailto:)/.test(h)),
        cards: document.querySelectorAll('main.gc-space > .gc-msg .gc-card').length,
        visibleCards: [...document.querySelectorAll('.gc-card')].filter((c) => getComputedStyle(c).display !== 'none').length,
      })`)
      expect(found).toEqual({ scripts: 0, images: [], handlers: [], badLinks: [], cards: 3, visibleCards: 3 })

      // Links whose script URL was dropped, the hover target, the colored text: touching them does nothing.
      const card = page.locator('.gc-card').nth(2)
      const quick = { timeout: 3000 }
      for (const link of await card.locator('a').all()) await link.click(quick)
      await card.locator('b', { hasText: 'hover me' }).first().hover(quick)
      await card.locator('font', { hasText: 'red' }).first().click(quick)
      await page.locator('.gc-msg').nth(2).locator('.gc-text').click(quick)
      await page.waitForTimeout(300)
      expect(await pwned()).toBe('undefined')
      expect(dialogs).toEqual([])

      expect(await card.locator('.gc-title').textContent()).toBe(hostile.cardsV2?.[0]?.card?.header?.title)
      // Shown as text, as Chat shows tags it does not know.
      expect(await card.locator('.gc-tp').textContent()).toContain(`<script>${PWN}</script>`)
      await page.close()
    })
  }

  browserTest('a screenshot of the page is a real picture', async () => {
    const { page } = await open(pageUrl)
    // PREVIEW_SCREENSHOT_DIR keeps the picture for a look; by default it goes with the temporary directory.
    const path = join(process.env.PREVIEW_SCREENSHOT_DIR ?? dir, 'preview.png')
    await page.screenshot({ path, fullPage: true })
    expect(statSync(path).size).toBeGreaterThan(5 * 1024)
    const height = await page.evaluate<number>('document.documentElement.scrollHeight')
    expect(height).toBeGreaterThan(800)
    await page.close()
  })
})
