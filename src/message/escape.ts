// User-controlled text (commit messages, branch names, PR titles, actor names) is data, never markup.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** For card text, which Chat renders as a subset of HTML (and for any HTML text or attribute value). */
export function escapeCardHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] as string)
}

/** For text between HTML tags only (never an attribute): quotes stay as typed, so JSON in a code block stays readable. */
export function escapeHtmlText(value: string): string {
  return value.replace(/[&<>]/g, (ch) => HTML_ESCAPES[ch] as string)
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

/**
 * For text Chat reads as Markdown (`markupSyntax: MARKUP_SYNTAX_MARKDOWN`, or a card paragraph with
 * `textSyntax: MARKDOWN`), which Google describes as "based on CommonMark with extensions". CommonMark's own escape,
 * a backslash before ASCII punctuation, goes before every character that opens markup (emphasis, code, links,
 * images, raw HTML, entities, tables, headings) and before list and heading markers at the start of a line. Google does
 * not say it honours backslashes, so the two constructs that make links and mentions are also broken the way
 * escapeChatText breaks them, which holds whether or not it does: a zero-width space after every '<' (mentions
 * `<users/…>`, autolinks `<https://…>`, custom links `<url|label>`, HTML) and after every ']' (`[label](url)`,
 * `![alt](src)`, `[label][ref]`, `[ref]: url`).
 */
export function escapeMarkdownText(value: string): string {
  return value.replace(MARKDOWN_MARKUP, (match: string, markup: string | undefined) => {
    if (markup !== undefined) return `\\${match}${match === '<' || match === ']' ? ZERO_WIDTH_SPACE : ''}`
    // A line's start: indentation (which would make a code block) is put behind a zero-width space; a list or
    // heading marker (`-`, `+`, `=`, `1.`, `1)`) gets its backslash before its last character.
    const indent = /^[ \t]/.test(match) ? ZERO_WIDTH_SPACE : ''
    return /[-+=.)]$/.test(match) ? `${indent}${match.slice(0, -1)}\\${match.slice(-1)}` : `${indent}${match}`
  })
}

// One pass. The second alternative matches only at a line's start (the lookbehind) with indentation or a marker
// there, so the scan stays linear.
const MARKDOWN_MARKUP = /([\\`*_~[\]<>!#|&])|(?<=^|\n)(?:[ \t]+(?:[-+=]|\d{1,9}[.)])?|[-+=]|\d{1,9}[.)])/g

/**
 * For message text whose syntax Chat picks from the app's settings (`markupSyntax: MARKUP_SYNTAX_UNSPECIFIED`):
 * inert both as Chat markup and as Markdown (the Markdown escapes show as backslashes under Chat markup).
 */
export function escapeChatOrMarkdownText(value: string): string {
  return escapeChatText(escapeMarkdownText(value))
}
