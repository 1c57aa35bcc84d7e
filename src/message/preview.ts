// A dependency-free preview of a Chat message as HTML: close to how Google Chat draws it, safe to open anywhere.
// Every string from the message is data: text is escaped first and only Chat's own markup is turned into tags;
// card HTML goes through an allowlist (Chat's subset), so hostile payloads come out as inert text.
import type { chat_v1 } from '@googleapis/chat'
import { escapeCardHtml as escapeHtml } from './escape.ts'

type Message = chat_v1.Schema$Message
type Card = chat_v1.Schema$GoogleAppsCardV1Card
type Widget = chat_v1.Schema$GoogleAppsCardV1Widget
type Button = chat_v1.Schema$GoogleAppsCardV1Button
type Icon = chat_v1.Schema$GoogleAppsCardV1Icon
type OnClick = chat_v1.Schema$GoogleAppsCardV1OnClick

export interface PreviewOptions {
  /** The app's name in the sender line (default: the message's sender, else "Chat app"). */
  sender?: string
  /** The time in the sender line (default: the message's createTime in UTC, else "now"). */
  time?: string
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] !== '#') return NAMED[body.toLowerCase()] ?? whole
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd'
  })
}

/** An http(s) URL (or mailto, where allowed) as the browser would read it; anything else is no link at all. */
function safeUrl(url: string | null | undefined, mailto = false): string | undefined {
  if (!url) return undefined
  // What the URL parser ignores: leading/trailing controls and spaces, tabs and newlines anywhere.
  const clean = decodeEntities(url)
    // eslint-disable-next-line no-control-regex
    .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
    .replace(/[\t\n\r]/g, '')
  return /^https?:/i.test(clean) || (mailto && /^mailto:/i.test(clean)) ? clean : undefined
}

function linkOpen(url: string, cls = ''): string {
  return `<a${cls && ` class="${cls}"`} href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">`
}

// ---------------------------------------------------------------------------------------------------------------
// Card HTML: Chat's subset, sanitized by allowlist.

const INLINE_TAGS = ['b', 'i', 'u', 's', 'font', 'a', 'code', 'time']
const BLOCK_TAGS = ['ul', 'ol', 'li', 'pre']
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g
const COLOR = /^(#[0-9a-f]{3,8}|[a-z]{3,20})$/i

/** Text between tags: '<', '>' and quotes escaped, entities kept (they decode to characters, never to markup). */
function escapeCardText(value: string): string {
  return value
    .replace(/&(?!#x[0-9a-f]{1,6};|#\d{1,7};|[a-z][a-z0-9]{1,31};)|[<>"']/gi, (ch) => ESCAPES[ch] as string)
    .replace(/\r?\n/g, '<br>')
}

function attributes(source: string): Record<string, string> {
  const found: Record<string, string> = {}
  for (const m of source.matchAll(ATTRIBUTE)) {
    const name = (m[1] as string).toLowerCase()
    if (!(name in found)) found[name] = m[2] ?? m[3] ?? m[4] ?? ''
  }
  return found
}

/**
 * Card text as safe HTML: <b> <i> <u> <s> <font color> <a href> <br> (and <code> <pre> <ul> <ol> <li> <time>)
 * with only href (http, https, mailto) and color (#hex or a name) kept; every other tag is shown as text, as
 * Chat does. The result is always well nested, so nothing leaks into what follows.
 * For GitHub's summary (`summary`), <font> is dropped and <u> becomes <ins> (GitHub keeps neither).
 */
export function sanitizeCardHtml(html: string, summary = false): string {
  let out = ''
  let last = 0
  const open: string[] = []
  const close = (until: (tag: string) => boolean): void => {
    while (open.length && until(open[open.length - 1] as string)) out += `</${open.pop()}>`
  }
  const rename = (tag: string): string => (summary && tag === 'u' ? 'ins' : tag)
  for (const m of html.matchAll(TAG)) {
    out += escapeCardText(html.slice(last, m.index))
    last = m.index + m[0].length
    const tag = (m[2] as string).toLowerCase()
    const closing = m[1] === '/'
    if (tag === 'br') {
      out += '<br>'
    } else if (!INLINE_TAGS.includes(tag) && !BLOCK_TAGS.includes(tag)) {
      out += escapeCardText(m[0])
    } else if (closing) {
      if (!open.includes(rename(tag))) continue
      let top: string | undefined
      do out += `</${(top = open.pop())}>`
      while (top !== rename(tag))
    } else if (summary && tag === 'font') {
      continue
    } else {
      if (tag === 'a' && open.includes('a')) continue
      // Formatting never spans a block: browsers would reopen it after the block ends.
      if (BLOCK_TAGS.includes(tag))
        close((top) => INLINE_TAGS.includes(top) || top === 'ins' || (tag === 'li' && top === 'li'))
      const attrs = attributes(m[3] as string)
      const href = tag === 'a' ? safeUrl(attrs.href, true) : undefined
      const color = tag === 'font' && attrs.color && COLOR.test(attrs.color) ? ` color="${attrs.color}"` : ''
      out += href ? linkOpen(href) : `<${rename(tag)}${color}>`
      open.push(rename(tag))
    }
  }
  out += escapeCardText(html.slice(last))
  close(() => true)
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Message text: Chat markup (or Markdown) on escaped text.

const TOKEN = new RegExp(
  [
    '```\\n?([\\s\\S]*?)```\\n?', // 1: block
    '`([^`\\n]+)`', // 2: inline code
    '<(https?://[^\\s<>|]+)(?:\\|([^<>\\n]+))?>', // 3, 4: <url|label>
    '<(users/[^\\s<>|]+)>', // 5: mention
    '\\[([^\\]\\n]+)\\]\\((https?://[^\\s()]+)\\)', // 6, 7: [label](url), Markdown only
    '(https?://[^\\s<>|"]*[^\\s<>|".,;:!?)\'\\]])', // 8: bare URL (Chat links these too)
  ].join('|'),
  'g',
)

function emphasis(text: string, markdown: boolean): string {
  const wrap = (marker: string, tag: string, value: string): string => {
    const m = marker.replace(/\*/g, '\\*')
    const re = new RegExp(
      `(^|[^\\p{L}\\p{N}${m}])${m}(?![\\s\\u200b])([^\\n]*?[^\\s\\u200b])${m}(?![\\p{L}\\p{N}\\u200b]|${m})`,
      'gu',
    )
    return value.replace(re, `$1<${tag}>$2</${tag}>`)
  }
  if (markdown) {
    text = wrap('**', 'b', wrap('__', 'b', text))
    return wrap('~~', 's', wrap('_', 'i', wrap('*', 'i', text)))
  }
  return wrap('~', 's', wrap('_', 'i', wrap('*', 'b', text)))
}

function plainSegment(raw: string, atLineStart: boolean, markdown: boolean): string {
  // Bulleted lists: "* " or "- " at the start of a line.
  const bulleted = raw.replace(/(^|\n)( *)[*-] (?=\S)/g, (whole, nl: string, indent: string, at: number) =>
    at === 0 && !nl && !atLineStart ? whole : `${nl}${indent}• `,
  )
  return emphasis(escapeHtml(bulleted), markdown)
}

/**
 * Chat markup (*bold*, _italic_, ~strike~, `code`, ```blocks```, <url|label>, <users/…>, bare URLs) as safe HTML;
 * with `markdown`, Chat's Markdown instead (**bold**, *italic*, ~~strike~~, [label](url)).
 * `mentions` maps users/… to display names (from the message's annotations).
 */
export function formatChatText(raw: string, markdown = false, mentions = new Map<string, string>()): string {
  let out = ''
  let last = 0
  for (const m of raw.matchAll(TOKEN)) {
    out += plainSegment(raw.slice(last, m.index), last === 0 || raw[last - 1] === '\n', markdown)
    last = m.index + m[0].length
    const [whole, block, code, url, label, user, mdLabel, mdUrl, bare] = m
    if (block !== undefined) out += `<pre>${escapeHtml(block.replace(/\n$/, ''))}</pre>`
    else if (code !== undefined) out += `<code>${escapeHtml(code)}</code>`
    else if (url !== undefined) out += `${linkOpen(url)}${escapeHtml(label ?? url)}</a>`
    else if (user !== undefined) {
      const name = mentions.get(user) ?? (user === 'users/all' ? 'all' : 'user')
      out += `<b class="gc-mention">@${escapeHtml(name)}</b>`
    } else if (mdUrl !== undefined && markdown) out += `${linkOpen(mdUrl)}${escapeHtml(mdLabel as string)}</a>`
    else if (bare !== undefined) out += `${linkOpen(bare)}${escapeHtml(bare)}</a>`
    else out += plainSegment(whole, false, markdown)
  }
  out += plainSegment(raw.slice(last), last === 0 || raw[last - 1] === '\n', markdown)
  return out.replace(/\r?\n/g, '<br>')
}

function messageText(message: Message): string {
  if (!message.text) return ''
  const mentions = new Map<string, string>()
  for (const a of message.annotations ?? []) {
    const user = a.userMention?.user
    if (user?.name && user.displayName) mentions.set(user.name, user.displayName)
  }
  return formatChatText(message.text, message.markupSyntax === 'MARKUP_SYNTAX_MARKDOWN', mentions)
}

// ---------------------------------------------------------------------------------------------------------------
// Icons: Material Symbols names and built-in icons as emoji or Unicode (no web fonts: the preview works offline).

const ICON_TABLE =
  'check_circle,task_alt,verified=✅ cancel,error,dangerous=❌ check,done=✔️ close=✖️ block,do_not_disturb_on=🚫 ' +
  'skip_next=⏭️ play_circle,play_arrow,video_play=▶️ pending,hourglass_empty,hourglass_top=⏳ schedule,clock,' +
  'history,access_time=🕒 timer=⏱️ book,menu_book=📖 sell,label,tag,offer=🏷️ call_split,fork_right,alt_route=🌿 ' +
  'commit=🔘 merge,merge_type=🔀 person,account_circle=👤 group,groups,multiple_people,people=👥 bolt,flash_on=⚡ ' +
  'account_tree=🗂️ link=🔗 info=ℹ️ warning,report=⚠️ description,article,draft=📄 folder=📁 event,calendar_today,' +
  'calendar_month=📅 email,mail,invite=✉️ star=⭐ rocket,rocket_launch=🚀 code,terminal=💻 bug_report=🐞 ' +
  'build,construction=🔧 settings=⚙️ cloud,cloud_done=☁️ download=⬇️ upload=⬆️ open_in_new,launch=↗️ home=🏠 ' +
  'lock=🔒 visibility=👁️ sync,refresh,update,autorenew=🔄 delete=🗑️ edit=✏️ search=🔍 add=➕ notifications=🔔 ' +
  'chat,forum,comment=💬 thumb_up=👍 flag=🚩 public,language=🌐 inventory,inventory_2,package=📦 ' +
  'storage,dns,database=🗄️ speed=🏎️ phone=📞 map_pin,place,location_on=📍 dollar,attach_money,payments=💲 ' +
  'shopping_cart=🛒 airplane,flight,flight_departure,flight_arrival=✈️ bus=🚌 car,directions_car=🚗 ' +
  'train=🚆 hotel,hotel_room_type=🏨 restaurant_icon,restaurant=🍽️ confirmation_number_icon,ticket=🎟️ ' +
  'video_camera,videocam=📹 event_seat=💺 bookmark=🔖 trending_up=📈 trending_down=📉 favorite=❤️ ' +
  'security,shield=🛡️ key,vpn_key=🔑 science=🧪 celebration=🎉 help=❓ new_releases=🆕 edit_note=📝 ' +
  'pan_tool=✋ radio_button_unchecked=⚪ timer_off=⌛ work=💼 grid_view=🔲 call_merge=🔀'
let icons: Map<string, string> | undefined

function iconGlyph(name: string): string {
  if (!icons) {
    icons = new Map()
    for (const entry of ICON_TABLE.split(' ')) {
      const [names, glyph] = entry.split('=') as [string, string]
      for (const n of names.split(',')) icons.set(n, glyph)
    }
  }
  return icons.get(name.toLowerCase()) ?? '•'
}

function renderIcon(icon: Icon | undefined, cls = 'gc-icon'): string {
  if (!icon) return ''
  const src = safeUrl(icon.iconUrl)
  const alt = escapeHtml(icon.altText ?? '')
  if (src) {
    const round = icon.imageType === 'CIRCLE' ? ' gc-circle' : ''
    return `<span class="${cls}"><img class="gc-icon-img${round}" src="${escapeHtml(src)}" alt="${alt}"></span>`
  }
  const name = icon.materialIcon?.name ?? icon.knownIcon ?? ''
  return `<span class="${cls}" title="${escapeHtml(name)}" aria-hidden="true">${iconGlyph(name)}</span>`
}

// ---------------------------------------------------------------------------------------------------------------
// Cards.

function openLinkUrl(onClick: OnClick | undefined): string | undefined {
  return safeUrl(onClick?.openLink?.url)
}

function colorCss(color: chat_v1.Schema$Color | undefined): string {
  if (!color) return ''
  const c = (v: number | null | undefined): number => Math.round(Math.min(1, Math.max(0, v ?? 0)) * 255)
  return ` style="background:rgb(${c(color.red)},${c(color.green)},${c(color.blue)});border-color:transparent;color:#fff"`
}

function renderButton(button: Button): string {
  const type = (button.type ?? 'FILLED').toLowerCase().replace('_', '-')
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

function renderImage(src: string | null | undefined, alt: string | null | undefined, cls: string): string {
  const url = safeUrl(src)
  return url ? `<img class="${cls}" src="${escapeHtml(url)}" alt="${escapeHtml(alt ?? '')}" loading="lazy">` : ''
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
.gc-icon{flex:none;width:24px;height:24px;font-size:18px;line-height:24px;text-align:center;color:#444746}
.gc-icon-img{width:24px;height:24px;object-fit:cover}
.gc-dt-body{flex:1;min-width:0}
.gc-nowrap{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.gc-label{font-size:12px;line-height:16px;color:#444746}
.gc-clamp{display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden}
.gc-buttons,.gc-chips,.gc-accessory .gc-w{display:flex;flex-wrap:wrap;gap:8px}
.gc-space .gc-btn{display:inline-flex;align-items:center;gap:8px;height:36px;padding:0 24px;border-radius:18px;
font-weight:500;line-height:36px;white-space:nowrap;text-decoration:none;border:1px solid transparent;
background:#0b57d0;color:#fff;box-sizing:border-box}
.gc-space .gc-outlined{background:none;border-color:#747775;color:#0b57d0}
.gc-space .gc-filled-tonal{background:#d3e3fd;color:#041e49}
.gc-space .gc-borderless{background:none;color:#0b57d0;padding:0 12px}
.gc-space .gc-disabled{background:#e3e3e3;color:#8f8f8f}
.gc-btn-icon{font-size:16px}
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

// ---------------------------------------------------------------------------------------------------------------
// GitHub's step summary keeps no styles: a readable approximation with the tags it allows.

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
