// User-controlled text (commit messages, branch names, PR titles, actor names) is data, never markup.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** For card text, which Chat renders as a subset of HTML (and for any HTML text or attribute value). */
export function escapeCardHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] as string)
}

/**
 * As escapeCardHtml, but a character reference already in the text (`&amp;`, `&#39;`, `&#x1F680;`) is kept: it
 * decodes to a character, never to markup. For card HTML that is already HTML, between the tags a sanitizer keeps.
 */
export function escapeHtmlKeepingEntities(value: string): string {
  return value.replace(
    /&(?!#x[0-9a-f]{1,6};|#\d{1,7};|[a-z][a-z0-9]{1,31};)|[<>"']/gi,
    (ch) => HTML_ESCAPES[ch] as string,
  )
}

const ZERO_WIDTH_SPACE = '\u200b'

/**
 * For message text in Chat markup: `<users/all>` mentions and `<url|label>` links both open with '<',
 * and Chat has no escape character, so a zero-width space after every '<' keeps the text as typed
 * while Chat no longer sees markup. Formatting markers (*bold*, _italic_, `code`) are broken the same way.
 */
export function escapeChatText(value: string): string {
  return value.replace(/[<*_~`]/g, (ch) => ch + ZERO_WIDTH_SPACE)
}
