// The emulator's preview page: a dependency-free drawing of Chat messages as HTML, close to how Google Chat shows
// them in a space, safe to open anywhere. Used by the emulator's viewer, scripts/ and the browser tests; the action
// itself only renders the step summary (src/message/summary-html.ts), so none of this ships in dist/.
import type { chat_v1 } from '@googleapis/chat'
import { existsSync, readFileSync } from 'node:fs'
import {
  formatChatText,
  linkOpen,
  materialIconName,
  messageText,
  openLinkUrl,
  renderImage,
  safeUrl,
  sanitizeCardHtml,
} from '../src/message/chat-html.ts'
import { escapeCardHtml as escapeHtml } from '../src/message/escape.ts'

type Message = chat_v1.Schema$Message
type Card = chat_v1.Schema$GoogleAppsCardV1Card
type Widget = chat_v1.Schema$GoogleAppsCardV1Widget
type Button = chat_v1.Schema$GoogleAppsCardV1Button
type Icon = chat_v1.Schema$GoogleAppsCardV1Icon

export interface PreviewOptions {
  /** The app's name in the sender line (default: the message's sender, else "Chat app"). */
  sender?: string
  /** The time in the sender line (default: the message's createTime in UTC, else "now"). */
  time?: string
}

function renderIcon(icon: Icon | undefined, cls = 'gc-icon'): string {
  if (!icon) return ''
  const src = safeUrl(icon.iconUrl)
  const alt = escapeHtml(icon.altText ?? '')
  if (src) {
    const round = icon.imageType === 'CIRCLE' ? ' gc-circle' : ''
    return `<span class="${cls}"><img class="gc-icon-img${round}" src="${escapeHtml(src)}" alt="${alt}"></span>`
  }
  // Chat draws Material Symbols and built-in icons as single-colour glyphs of a symbol font: the name is the
  // ligature that the icon font (iconFontCss) turns into the glyph. An invalid name is drawn as nothing, as in Chat.
  const name = materialIconName(icon)
  return name ? `<span class="${cls} gc-mi" title="${name}" aria-hidden="true">${name}</span>` : ''
}

/** Debian's fonts-material-design-icons-iconfont: the Material Icons font, the closest packaged to Chat's symbols. */
export const MATERIAL_ICONS_WOFF2 = '/usr/share/fonts/woff/material-design-icons-iconfont/MaterialIcons-Regular.woff2'

/**
 * The icon font loaded from `url` (e.g. a data: URL of the file) for browsers on machines without it installed;
 * the installed font, found by its family name, comes first. Pages that load it need `font-src` for the URL in
 * their Content-Security-Policy. (Chromium's `local()` does not find Debian's file, hence the family name.)
 */
export function iconFontCss(url?: string): string {
  return url ? `@font-face{font-family:"GC Material Icons";font-display:block;src:url("${url}")}` : ''
}

/** The icon font file as a data: URL, when Debian's package is installed (for the emulator's viewer). */
export function embeddedIconFont(): string | undefined {
  return existsSync(MATERIAL_ICONS_WOFF2)
    ? `data:font/woff2;base64,${readFileSync(MATERIAL_ICONS_WOFF2).toString('base64')}`
    : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Cards.

function colorCss(color: chat_v1.Schema$Color | undefined): string {
  if (!color) return ''
  const c = (v: number | null | undefined): number => Math.round(Math.min(1, Math.max(0, v ?? 0)) * 255)
  return ` style="background:rgb(${c(color.red)},${c(color.green)},${c(color.blue)});border-color:transparent;color:#fff"`
}

/**
 * Discovery doc, Button.type: "If unset, button type defaults to OUTLINED. If the color field is set, the button
 * type is forced to FILLED".
 */
export function buttonType(button: Button): 'outlined' | 'filled' | 'filled-tonal' | 'borderless' {
  if (button.color) return 'filled'
  switch (button.type) {
    case 'FILLED':
      return 'filled'
    case 'FILLED_TONAL':
      return 'filled-tonal'
    case 'BORDERLESS':
      return 'borderless'
    default:
      return 'outlined'
  }
}

function renderButton(button: Button): string {
  const type = buttonType(button)
  const cls = `gc-btn gc-${type}${button.disabled ? ' gc-disabled' : ''}`
  const body = `${renderIcon(button.icon ?? undefined, 'gc-btn-icon')}${escapeHtml(button.text ?? '')}`
  const url = button.disabled ? undefined : openLinkUrl(button.onClick ?? undefined)
  const style = colorCss(button.color ?? undefined)
  return url
    ? `${linkOpen(url, cls).replace('<a', `<a${style}`)}${body}</a>`
    : `<span class="${cls}"${style}>${body}</span>`
}

function renderChip(chip: chat_v1.Schema$GoogleAppsCardV1Chip): string {
  const body = `${renderIcon(chip.icon ?? undefined, 'gc-btn-icon')}${escapeHtml(chip.label ?? '')}`
  const url = chip.disabled ? undefined : openLinkUrl(chip.onClick ?? undefined)
  return url ? `${linkOpen(url, 'gc-chip')}${body}</a>` : `<span class="gc-chip">${body}</span>`
}

function renderWidget(widget: Widget): string {
  const align =
    widget.horizontalAlignment === 'CENTER' ? ' gc-center' : widget.horizontalAlignment === 'END' ? ' gc-end' : ''
  const box = (kind: string, inner: string): string => `<div class="gc-w gc-${kind}${align}">${inner}</div>`
  const dt = widget.decoratedText
  if (dt) {
    const label = (text: string | null | undefined): string =>
      text ? `<div class="gc-label">${sanitizeCardHtml(text)}</div>` : ''
    const start = renderIcon(dt.startIcon ?? dt.icon ?? undefined)
    const wrap = dt.wrapText ? '' : ' gc-nowrap'
    const sw = dt.switchControl
    const end = dt.button
      ? renderButton(dt.button)
      : sw
        ? `<span class="gc-switch${sw.selected ? ' gc-on' : ''}" aria-hidden="true"></span>`
        : renderIcon(dt.endIcon ?? undefined)
    return box(
      'dt',
      `${start}<div class="gc-dt-body">${label(dt.topLabel)}<div class="gc-dt-text${wrap}">${sanitizeCardHtml(
        dt.text ?? '',
      )}</div>${label(dt.bottomLabel)}</div>${end}`,
    )
  }
  const tp = widget.textParagraph
  if (tp) {
    const text = tp.textSyntax === 'MARKDOWN' ? formatChatText(tp.text ?? '', true) : sanitizeCardHtml(tp.text ?? '')
    const clamp = tp.maxLines && tp.maxLines > 0 ? ` style="-webkit-line-clamp:${tp.maxLines}"` : ''
    return box('tp', clamp ? `<div class="gc-clamp"${clamp}>${text}</div>` : text)
  }
  if (widget.buttonList) return box('buttons', (widget.buttonList.buttons ?? []).map(renderButton).join(''))
  if (widget.divider) return '<hr class="gc-divider">'
  if (widget.columns) {
    const cols = (widget.columns.columnItems ?? []).map(
      (column) => `<div class="gc-col">${(column.widgets ?? []).map((w) => renderWidget(w as Widget)).join('')}</div>`,
    )
    return box('columns', cols.join(''))
  }
  if (widget.image) {
    const img = renderImage(widget.image.imageUrl, widget.image.altText, 'gc-img')
    const url = openLinkUrl(widget.image.onClick ?? undefined)
    return box('image', url && img ? `${linkOpen(url)}${img}</a>` : img)
  }
  if (widget.grid) {
    const grid = widget.grid
    const items = (grid.items ?? []).map((item) => {
      const img = renderImage(item.image?.imageUri, item.image?.altText, 'gc-grid-img')
      const sub = item.subtitle ? `<div class="gc-label">${escapeHtml(item.subtitle)}</div>` : ''
      return `<div class="gc-grid-item">${img}<div>${escapeHtml(item.title ?? '')}</div>${sub}</div>`
    })
    const title = grid.title ? `<div class="gc-grid-title">${escapeHtml(grid.title)}</div>` : ''
    const columns = Math.min(Math.max(grid.columnCount ?? 2, 1), 6)
    return box('grid', `${title}<div class="gc-grid-items" style="--cols:${columns}">${items.join('')}</div>`)
  }
  if (widget.chipList) return box('chips', (widget.chipList.chips ?? []).map(renderChip).join(''))
  const kind = Object.keys(widget).find(
    (key) => !['id', 'horizontalAlignment', 'visibility', 'eventActions'].includes(key),
  )
  return kind ? box('unsupported', `[${escapeHtml(kind)}: not drawn in the preview]`) : ''
}

function renderHeader(header: chat_v1.Schema$GoogleAppsCardV1CardHeader | undefined): string {
  if (!header || (!header.title && !header.subtitle)) return ''
  const round = header.imageType === 'CIRCLE' ? ' gc-circle' : ''
  const img = renderImage(header.imageUrl, header.imageAltText, `gc-header-img${round}`)
  const sub = header.subtitle ? `<div class="gc-subtitle">${escapeHtml(header.subtitle)}</div>` : ''
  return `<div class="gc-header">${img}<div><div class="gc-title">${escapeHtml(header.title ?? '')}</div>${sub}</div></div>`
}

export function renderCardHtml(card: Card): string {
  const divided = card.sectionDividerStyle === 'NO_DIVIDER' ? '' : ' gc-divided'
  const sections = (card.sections ?? []).map((section) => {
    const head = section.header ? `<div class="gc-section-header">${sanitizeCardHtml(section.header)}</div>` : ''
    const widgets = (section.widgets ?? []).filter((w) => w.visibility !== 'HIDDEN').map(renderWidget)
    return `<div class="gc-section${divided}">${head}${widgets.join('')}</div>`
  })
  return `<div class="gc-card">${renderHeader(card.header ?? undefined)}${sections.join('')}</div>`
}

function senderName(message: Message, options: PreviewOptions): string {
  return options.sender ?? message.sender?.displayName ?? 'Chat app'
}

function timeLabel(message: Message, options: PreviewOptions): string {
  if (options.time !== undefined) return options.time
  const time = message.createTime ? new Date(message.createTime) : undefined
  if (!time || Number.isNaN(time.getTime())) return 'now'
  return `${time.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' })} UTC`
}

/** One message as Google Chat shows it in a space: sender line, text, cards, accessory buttons. */
export function renderMessageHtml(message: Message, options: PreviewOptions = {}): string {
  const name = senderName(message, options)
  const badge = message.sender?.type === 'HUMAN' ? '' : '<span class="gc-badge">App</span>'
  const initial = escapeHtml(Array.from(name.trim())[0]?.toUpperCase() ?? '?')
  const text = messageText(message)
  const cards = (message.cardsV2 ?? []).map((c) => (c.card ? renderCardHtml(c.card) : '')).join('')
  const accessory = (message.accessoryWidgets ?? [])
    .map((w) => (w.buttonList ? renderWidget({ buttonList: w.buttonList }) : ''))
    .join('')
  return (
    `<div class="gc-msg"><div class="gc-avatar" aria-hidden="true">${initial}</div><div class="gc-main">` +
    `<div class="gc-meta"><span class="gc-sender">${escapeHtml(name)}</span>${badge}` +
    `<span class="gc-time">${escapeHtml(timeLabel(message, options))}</span></div>` +
    `${text && `<div class="gc-text">${text}</div>`}${cards}${accessory && `<div class="gc-accessory">${accessory}</div>`}` +
    '</div></div>'
  )
}

export const previewCss = `
.gc-space{max-width:600px;margin:0 auto;padding:8px 16px 32px;background:#fff;color:#1f1f1f;
font:14px/20px "Google Sans Text","Google Sans",Roboto,"Segoe UI",system-ui,-apple-system,"Helvetica Neue",Arial,
sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"}
.gc-space-title{font-size:18px;line-height:24px;font-weight:500;padding:12px 0;margin:0 0 8px;border-bottom:1px solid #e1e3e1}
.gc-msg{display:flex;gap:12px;padding:8px 0}
.gc-avatar{flex:none;width:32px;height:32px;border-radius:50%;background:#0b57d0;color:#fff;font-weight:500;
display:flex;align-items:center;justify-content:center;margin-top:2px}
.gc-main{flex:1;min-width:0}
.gc-meta{display:flex;align-items:center;gap:6px;margin-bottom:2px}
.gc-sender{font-weight:500}
.gc-badge{font-size:11px;line-height:16px;padding:0 4px;border-radius:4px;background:#e9eef6;color:#444746}
.gc-time{font-size:12px;color:#444746}
.gc-text{overflow-wrap:anywhere}
.gc-space a{color:#0b57d0;text-decoration:none}
.gc-space a:hover{text-decoration:underline}
.gc-mention{color:#0b57d0;background:#d3e3fd;border-radius:4px;padding:0 3px;font-weight:500}
.gc-space code{font-family:"Roboto Mono",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:13px;
background:#f1f3f4;border-radius:4px;padding:1px 4px}
.gc-space pre{font-family:"Roboto Mono",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:13px;line-height:18px;
background:#f8f9fa;border:1px solid #e1e3e1;border-radius:8px;padding:8px 12px;margin:4px 0;white-space:pre-wrap}
.gc-card{background:#fff;border:1px solid #e1e3e1;border-radius:12px;margin:8px 0;max-width:560px;overflow:hidden;
box-shadow:0 1px 2px rgba(60,64,67,.15),0 1px 3px 1px rgba(60,64,67,.08)}
.gc-header{display:flex;align-items:center;gap:16px;padding:16px 16px 8px}
.gc-header-img{width:40px;height:40px;object-fit:cover;border-radius:4px}
.gc-circle{border-radius:50%}
.gc-title{font-size:16px;line-height:24px;font-weight:500}
.gc-subtitle{color:#444746}
.gc-section{padding:8px 16px}
.gc-divided+.gc-divided{border-top:1px solid #e1e3e1}
.gc-section-header{font-size:14px;font-weight:500;color:#444746;padding:8px 0 4px}
.gc-w{padding:6px 0;overflow-wrap:anywhere}
.gc-center{text-align:center;justify-content:center}
.gc-end{text-align:end;justify-content:flex-end}
.gc-dt{display:flex;align-items:center;gap:16px}
.gc-icon{flex:none;width:24px;height:24px;font-size:20px;line-height:24px;text-align:center;color:#444746}
.gc-mi{font-family:"Material Icons","GC Material Icons";font-weight:400;font-style:normal;letter-spacing:normal;text-transform:none;
white-space:nowrap;word-wrap:normal;direction:ltr;font-feature-settings:"liga";-webkit-font-smoothing:antialiased;
display:inline-block;overflow:hidden}
.gc-icon-img{width:24px;height:24px;object-fit:cover}
.gc-dt-body{flex:1;min-width:0}
.gc-nowrap{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.gc-label{font-size:12px;line-height:16px;color:#444746}
.gc-clamp{display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden}
.gc-buttons,.gc-chips,.gc-accessory .gc-w{display:flex;flex-wrap:wrap;gap:8px}
.gc-space .gc-btn{display:inline-flex;align-items:center;gap:8px;height:36px;padding:0 16px;border-radius:18px;
font-weight:500;line-height:36px;white-space:nowrap;text-decoration:none;border:1px solid #747775;
background:none;color:#0b57d0;box-sizing:border-box}
.gc-space .gc-filled{background:#0b57d0;border-color:transparent;color:#fff}
.gc-space .gc-filled-tonal{background:#c2e7ff;border-color:transparent;color:#001d35}
.gc-space .gc-borderless{background:none;border-color:transparent;color:#0b57d0;padding:0 12px}
.gc-space .gc-disabled{background:none;border-color:#1f1f1f1f;color:#1f1f1f61}
.gc-space .gc-filled.gc-disabled,.gc-space .gc-filled-tonal.gc-disabled{background:#1f1f1f1f;border-color:transparent}
.gc-btn-icon{font-size:18px;width:18px;line-height:18px}
.gc-btn-icon img{width:18px;height:18px;vertical-align:middle}
.gc-space .gc-chip{display:inline-flex;align-items:center;gap:6px;height:32px;padding:0 12px;border-radius:8px;
border:1px solid #747775;color:#1f1f1f;box-sizing:border-box}
.gc-switch{flex:none;width:36px;height:20px;border-radius:10px;background:#e1e3e1;position:relative}
.gc-switch:after{content:"";position:absolute;top:4px;left:4px;width:12px;height:12px;border-radius:50%;background:#747775}
.gc-on{background:#0b57d0}.gc-on:after{left:20px;background:#fff}
.gc-divider{border:0;border-top:1px solid #e1e3e1;margin:8px 0}
.gc-columns{display:flex;gap:16px}.gc-col{flex:1;min-width:0}
.gc-img{display:block;max-width:100%;border-radius:8px}
.gc-grid-title{font-weight:500;margin-bottom:8px}
.gc-grid-items{display:grid;grid-template-columns:repeat(var(--cols),1fr);gap:8px}
.gc-grid-img{display:block;width:100%;aspect-ratio:1;object-fit:cover;border-radius:8px;background:#f1f3f4}
.gc-unsupported{color:#444746;font-style:italic}
`.replace(/\n(?![.@])/g, '')

/** A standalone page (inline CSS, no scripts allowed by its CSP) showing the messages as a space. */
export function renderPageHtml(title: string, messages: Message[], options: PreviewOptions = {}): string {
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
    `<style>body{margin:0;background:#fff}${previewCss}</style></head><body><main class="gc-space">` +
    `<h1 class="gc-space-title">${escapeHtml(title)}</h1>${messages.map((m) => renderMessageHtml(m, options)).join('\n')}` +
    '</main></body></html>\n'
  )
}
