// The message for GitHub's step summary (the dry run's): GitHub keeps no styles, so a readable approximation with
// the tags it allows.
import type { chat_v1 } from '@googleapis/chat'
import {
  formatChatText,
  iconGlyph,
  messageText,
  openLinkUrl,
  renderImage,
  safeUrl,
  sanitizeCardHtml,
} from './chat-html.ts'
import { escapeCardHtml as escapeHtml } from './escape.ts'

type Message = chat_v1.Schema$Message
type Widget = chat_v1.Schema$GoogleAppsCardV1Widget
type Button = chat_v1.Schema$GoogleAppsCardV1Button

function summaryWidgets(widgets: Widget[], rows: string[], out: string[], nested = false): void {
  const flush = (): void => {
    if (rows.length) out.push(`<table>${rows.splice(0).join('')}</table>`)
  }
  for (const w of widgets) {
    const dt = w.decoratedText
    if (dt) {
      const icon = dt.startIcon ?? dt.icon
      const glyph = icon ? `${iconGlyph(icon.materialIcon?.name ?? icon.knownIcon ?? '')} ` : ''
      const bottom = dt.bottomLabel ? `<br><sub>${sanitizeCardHtml(dt.bottomLabel, true)}</sub>` : ''
      const link = dt.button ? ` ${summaryButtons([dt.button])}` : ''
      rows.push(
        `<tr><td>${glyph}<b>${sanitizeCardHtml(dt.topLabel ?? '', true)}</b></td>` +
          `<td>${sanitizeCardHtml(dt.text ?? '', true)}${bottom}${link}</td></tr>`,
      )
      continue
    }
    flush()
    if (w.textParagraph) {
      const tp = w.textParagraph
      const text =
        tp.textSyntax === 'MARKDOWN' ? formatChatText(tp.text ?? '', true) : sanitizeCardHtml(tp.text ?? '', true)
      out.push(`<div>${text}</div>`)
    } else if (w.buttonList) out.push(`<p>${summaryButtons(w.buttonList.buttons ?? [])}</p>`)
    else if (w.chipList) {
      out.push(`<p>${summaryButtons((w.chipList.chips ?? []).map((c) => ({ text: c.label, onClick: c.onClick })))}</p>`)
    } else if (w.divider) out.push('<hr>')
    else if (w.image && safeUrl(w.image.imageUrl))
      out.push(`<p>${renderImage(w.image.imageUrl, w.image.altText, '')}</p>`)
    else if (w.columns)
      for (const c of w.columns.columnItems ?? []) summaryWidgets((c.widgets ?? []) as Widget[], rows, out, true)
    else if (w.grid) {
      const titles = (w.grid.items ?? []).map((i) => escapeHtml(i.title ?? '')).join(' · ')
      out.push(`<p>${w.grid.title ? `<b>${escapeHtml(w.grid.title)}</b><br>` : ''}${titles}</p>`)
    }
  }
  if (!nested) flush()
}

function summaryButtons(buttons: Button[]): string {
  return buttons
    .map((b) => {
      const url = b.disabled ? undefined : openLinkUrl(b.onClick ?? undefined)
      const text = escapeHtml(b.text ?? '') || 'link'
      return url ? `<a href="${escapeHtml(url)}">${text}</a>` : text
    })
    .join(' · ')
}

/**
 * The message for GitHub's step summary: headers as <h3>, facts as a table, buttons as links, no styles.
 * One HTML block with no blank lines, so Markdown leaves it alone; it ends with a newline.
 */
export function renderSummaryHtml(message: Message): string {
  const out: string[] = []
  const text = messageText(message)
  if (text) out.push(`<div>${text}</div>`)
  for (const { card } of message.cardsV2 ?? []) {
    if (!card) continue
    if (card.header?.title) out.push(`<h3>${escapeHtml(card.header.title)}</h3>`)
    if (card.header?.subtitle) out.push(`<p><i>${escapeHtml(card.header.subtitle)}</i></p>`)
    for (const section of card.sections ?? []) {
      if (section.header) out.push(`<p><b>${sanitizeCardHtml(section.header, true)}</b></p>`)
      summaryWidgets(
        (section.widgets ?? []).filter((w) => w.visibility !== 'HIDDEN'),
        [],
        out,
      )
    }
  }
  const accessory = (message.accessoryWidgets ?? []).flatMap((w) => w.buttonList?.buttons ?? [])
  if (accessory.length) out.push(`<p>${summaryButtons(accessory)}</p>`)
  // Markdown ends an HTML block at a blank line: no raw line breaks inside the blocks.
  // Classes, targets and rels mean nothing there (GitHub drops them); quotes in text are escaped, so this only
  // touches attributes.
  const blocks = out.map((block) => block.replace(/[\r\n]+/g, '<br>').replace(/ (?:class|target|rel)="[^"]*"/g, ''))
  return `${blocks.join('\n')}\n`
}
