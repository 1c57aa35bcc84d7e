// Chat's markup as safe HTML, shared by the dry run's step summary and the emulator's preview page.
// Every string from the message is data: text is escaped first and only Chat's own markup is turned into tags;
// card HTML goes through an allowlist (Chat's subset), so hostile payloads come out as inert text.
import type { chat_v1 } from '@googleapis/chat'
import { escapeCardHtml as escapeHtml, escapeHtmlKeepingEntities } from './escape.ts'

type Message = chat_v1.Schema$Message
type OnClick = chat_v1.Schema$GoogleAppsCardV1OnClick

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] !== '#') return NAMED[body.toLowerCase()] ?? whole
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd'
  })
}

/** Without leading and trailing C0 controls and spaces; a loop, as a `[…]+$` pattern would rescan every run. */
function trimControls(value: string): string {
  let start = 0
  let end = value.length
  while (start < end && value.charCodeAt(start) <= 0x20) start++
  while (end > start && value.charCodeAt(end - 1) <= 0x20) end--
  return value.slice(start, end)
}

/** An http(s) URL (or mailto, where allowed) as the browser would read it; anything else is no link at all. */
export function safeUrl(url: string | null | undefined, mailto = false): string | undefined {
  if (!url) return undefined
  // What the URL parser ignores: leading/trailing controls and spaces, tabs and newlines anywhere.
  const clean = trimControls(decodeEntities(url)).replace(/[\t\n\r]/g, '')
  return /^https?:/i.test(clean) || (mailto && /^mailto:/i.test(clean)) ? clean : undefined
}

export function linkOpen(url: string, cls = ''): string {
  return `<a${cls && ` class="${cls}"`} href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">`
}

// ---------------------------------------------------------------------------------------------------------------
// Card HTML: Chat's subset, sanitized by allowlist.

const INLINE_TAGS = ['b', 'i', 'u', 's', 'font', 'a', 'code', 'time']
const BLOCK_TAGS = ['ul', 'ol', 'li', 'pre']
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g
const COLOR = /^(#[0-9a-f]{3,8}|[a-z]{3,20})$/i

/** Text between tags: '<', '>' and quotes escaped, entities kept (they decode to characters, never to markup). */
function escapeCardText(value: string): string {
  return escapeHtmlKeepingEntities(value).replace(/\r?\n/g, '<br>')
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
    '`(?!\\u200b)([^`\\n]+)`', // 2: inline code (not after a zero-width space: escapeChatText's break)
    '<(https?://[^\\s<>|]+)(?:\\|([^<>\\n]+))?>', // 3, 4: <url|label>
    '<(users/[^\\s<>|]+)>', // 5: mention
    '\\[([^[\\]\\n]+)\\]\\((https?://[^\\s()]+)\\)', // 6, 7: [label](url), Markdown only (labels without '[')
    '(https?://[^\\s<>|"]*[^\\s<>|".,;:!?)\'\\]])', // 8: bare URL (Chat links these too)
  ].join('|'),
  'g',
)

function emphasis(text: string, markdown: boolean): string {
  const wrap = (marker: string, tag: string, value: string): string => {
    const m = marker.replace(/\*/g, '\\*')
    const re = new RegExp(
      `(^|[^\\p{L}\\p{N}${m}])${m}(?![\\s\\u200b])([^\\n${m[0] === '\\' ? m.slice(0, 2) : m[0]}]*?[^\\s\\u200b])${m}(?![\\p{L}\\p{N}\\u200b]|${m})`,
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

export function messageText(message: Message): string {
  if (!message.text) return ''
  const mentions = new Map<string, string>()
  for (const a of message.annotations ?? []) {
    const user = a.userMention?.user
    if (user?.name && user.displayName) mentions.set(user.name, user.displayName)
  }
  return formatChatText(message.text, message.markupSyntax === 'MARKUP_SYNTAX_MARKDOWN', mentions)
}

// ---------------------------------------------------------------------------------------------------------------
// Icons for GitHub's step summary, which keeps no fonts or styles: emoji or Unicode stand-ins. The preview page
// draws the real monochrome symbols from a font (emulator/preview-page.ts, materialIconName below).

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

export function iconGlyph(name: string): string {
  if (!icons) {
    icons = new Map()
    for (const entry of ICON_TABLE.split(' ')) {
      const [names, glyph] = entry.split('=') as [string, string]
      for (const n of names.split(',')) icons.set(n, glyph)
    }
  }
  return icons.get(name.toLowerCase()) ?? '•'
}

// Built-in icons (Icon.knownIcon) as the Material Symbols Chat draws for them; every other name is its own.
const KNOWN_ICONS: Record<string, string> = {
  AIRPLANE: 'flight',
  BOOKMARK: 'bookmark',
  BUS: 'directions_bus',
  CAR: 'directions_car',
  CLOCK: 'schedule',
  CONFIRMATION_NUMBER_ICON: 'confirmation_number',
  DESCRIPTION: 'description',
  DOLLAR: 'attach_money',
  EMAIL: 'email',
  EVENT_SEAT: 'event_seat',
  FLIGHT_ARRIVAL: 'flight_land',
  FLIGHT_DEPARTURE: 'flight_takeoff',
  HOTEL: 'hotel',
  HOTEL_ROOM_TYPE: 'king_bed',
  INVITE: 'person_add',
  MAP_PIN: 'place',
  MEMBERSHIP: 'card_membership',
  MULTIPLE_PEOPLE: 'people',
  PERSON: 'person',
  PHONE: 'phone',
  RESTAURANT_ICON: 'restaurant',
  SHOPPING_CART: 'shopping_cart',
  STAR: 'star',
  STORE: 'store',
  TICKET: 'local_activity',
  TRAIN: 'train',
  VIDEO_CAMERA: 'videocam',
  VIDEO_PLAY: 'play_circle',
}

/**
 * The Material Symbols name an icon is drawn with: its materialIcon name, or the symbol of a built-in icon; "" when
 * Chat draws nothing (no name, or a name Chat abandons as invalid: MaterialIcon.name in the discovery doc).
 */
export function materialIconName(icon: {
  materialIcon?: { name?: string | null } | null
  knownIcon?: string | null
}): string {
  const name = icon.materialIcon?.name ?? KNOWN_ICONS[icon.knownIcon ?? ''] ?? icon.knownIcon?.toLowerCase() ?? ''
  return /^[a-z0-9_]+$/.test(name) ? name : ''
}

export function openLinkUrl(onClick: OnClick | undefined): string | undefined {
  return safeUrl(onClick?.openLink?.url)
}

export function renderImage(src: string | null | undefined, alt: string | null | undefined, cls: string): string {
  const url = safeUrl(src)
  return url ? `<img class="${cls}" src="${escapeHtml(url)}" alt="${escapeHtml(alt ?? '')}" loading="lazy">` : ''
}
