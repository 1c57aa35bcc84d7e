// Text helpers every layer shares: shortening for display and one-line error reasons. Depends on nothing.
// Each cutter makes one backward scan from the cut, so its time is linear in the input whatever the input holds.

const ELLIPSIS = '…'

/**
 * `value` within `maxChars` UTF-16 units, marker included: cut at a code-point boundary (never between the two
 * halves of a surrogate pair) and ended with `marker` so the cut is visible. Shorter values come back unchanged.
 */
export function truncate(value: string, maxChars: number, marker = ELLIPSIS): string {
  if (value.length <= maxChars) return value
  return value.slice(0, codePointCut(value, Math.max(0, maxChars - marker.length))) + marker
}

/**
 * `value` within `maxChars` UTF-16 units and `maxBytes` UTF-8 bytes, marker included (Chat's 4,096 is read both
 * ways): as truncate, cut at a code-point boundary. One forward scan up to the cut, so linear in the input.
 */
export function truncateToFit(value: string, maxChars: number, maxBytes: number, marker = ELLIPSIS): string {
  // A UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4), so short values need no count.
  if (value.length <= maxChars && (value.length * 3 <= maxBytes || Buffer.byteLength(value) <= maxBytes)) return value
  const charBudget = Math.max(0, maxChars - marker.length)
  const byteBudget = Math.max(0, maxBytes - Buffer.byteLength(marker))
  let end = 0
  let bytes = 0
  while (end < value.length) {
    const code = value.codePointAt(end) as number
    const units = code > 0xffff ? 2 : 1
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
    if (end + units > charBudget || bytes + size > byteBudget) break
    end += units
    bytes += size
  }
  return value.slice(0, end) + marker
}

/** As truncate, for card HTML: never leaves half a tag (`<b`) or half an entity (`&am`) before the marker. */
export function truncateHtml(value: string, maxChars: number, marker = ELLIPSIS): string {
  if (value.length <= maxChars) return value
  let end = codePointCut(value, Math.max(0, maxChars - marker.length))
  end = beforeOpenTag(value, end)
  end = beforeOpenEntity(value, end)
  return value.slice(0, end) + marker
}

/** Whitespace (newlines included) collapsed to single spaces, trimmed, and cut to `maxChars`. */
export function oneLine(value: string, maxChars = 300): string {
  return truncate(value.replace(/\s+/g, ' ').trim(), maxChars)
}

/** `end`, or one less when it would split a surrogate pair. */
function codePointCut(value: string, end: number): number {
  if (end <= 0) return 0
  const last = value.charCodeAt(end - 1)
  return last >= 0xd800 && last <= 0xdbff ? end - 1 : end
}

/** Where the first `<` with no `>` after it (up to `end`) starts, else `end`: from there on it is all one open tag. */
function beforeOpenTag(value: string, end: number): number {
  let open = end
  for (let i = end - 1; i >= 0; i--) {
    const ch = value.charCodeAt(i)
    if (ch === 0x3e /* > */) break
    if (ch === 0x3c /* < */) open = i
  }
  return open
}

/** Where an unfinished `&name` or `&#123` right before `end` starts, else `end`. */
function beforeOpenEntity(value: string, end: number): number {
  for (let i = end - 1; i >= 0; i--) {
    const ch = value.charCodeAt(i)
    if (ch === 0x26 /* & */) return i
    if (!isEntityChar(ch)) return end
  }
  return end
}

function isEntityChar(ch: number): boolean {
  return (
    ch === 0x23 /* # */ ||
    (ch >= 0x30 && ch <= 0x39) /* 0-9 */ ||
    (ch >= 0x41 && ch <= 0x5a) /* A-Z */ ||
    (ch >= 0x61 && ch <= 0x7a) /* a-z */
  )
}
