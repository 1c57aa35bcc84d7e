// User-controlled text (commit messages, branch names, PR titles, actor names) is data, never markup.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** For card text, which Chat renders as a subset of HTML. */
export function escapeCardHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] as string)
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
