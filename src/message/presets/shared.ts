// Building blocks shared by every card: facts, links, buttons, and bounds on user data.
import type { chat_v1 } from '@googleapis/chat'
import { escapeCardHtml } from '../escape.ts'
import { truncate } from '../../text.ts'

export type Widget = chat_v1.Schema$GoogleAppsCardV1Widget
export type Button = chat_v1.Schema$GoogleAppsCardV1Button
export type Section = chat_v1.Schema$GoogleAppsCardV1Section

// Per-field bounds keep any payload far inside Chat's 32,000-byte message limit.
const MAX_FIELD_CHARS = 200
export const MAX_HEADER_CHARS = 200

/** One labelled line of a card: a Material Symbols icon, a label above, card HTML below. */
export function fact(label: string, html: string, icon: string): Widget {
  return { decoratedText: { topLabel: label, text: html, wrapText: true, startIcon: { materialIcon: { name: icon } } } }
}

/** A card-HTML link; the label is user data (escaped and clipped), the URL is escaped for the attribute. */
export function link(url: string, label: string): string {
  return `<a href="${escapeCardHtml(url)}">${escapeCardHtml(clip(label))}</a>`
}

export function button(text: string, url: string): Button {
  return { text, onClick: { openLink: { url } } }
}

/** User data bounded to MAX_FIELD_CHARS (at a code-point boundary, ending with '…' when cut). */
export function clip(value: string, max = MAX_FIELD_CHARS): string {
  return truncate(value, max)
}

/** Card headers are plain text, not HTML: a zero-width space after '<' keeps user data from reading as markup. */
export function plainText(value: string): string {
  return value.replace(/</g, '<\u200b')
}

export function present(...values: (string | undefined)[]): string[] {
  return values.filter((value): value is string => Boolean(value))
}

/** The URL when it is an absolute http(s) URL, else undefined (javascript:, data:, relative paths…). */
export function httpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (!/^https?:\/\//i.test(trimmed)) return undefined
  try {
    const url = new URL(trimmed)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

/** Branch and tag names may hold any character, but '/' separates path segments on GitHub too. */
export function encodePath(name: string): string {
  return String(name).toWellFormed().split('/').map(encodeURIComponent).join('/')
}
