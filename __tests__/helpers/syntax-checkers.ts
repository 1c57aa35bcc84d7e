// One checker per syntax Chat reads: what in a field's final text would be live markup (a mention, a link, an image,
// formatting, HTML). Tests put event text in a field through the code under test and ask these whether any survived.
// Bare URLs are left out on purpose: Chat links them in every syntax, and they show their own destination.
import { Lexer, type Token } from 'marked'
import { formatChatText, sanitizeCardHtml } from '../../src/message/chat-html.ts'

/** Chat markup: `<users/…>`, `<url|label>` and every formatting marker must be broken (a zero-width space after). */
export function liveChatMarkup(text: string): string[] {
  const found: string[] = []
  for (const m of text.matchAll(/<(?!\u200b)|[*_~`](?!\u200b)/g)) found.push(`${m[0]} at ${m.index}`)
  // The preview's Chat-markup renderer, as a second opinion: no tag but bare-URL links may come out of it.
  const html = formatChatText(text).replaceAll(/<a [^>]*>(https?:[^<]*)<\/a>/g, '$1')
  for (const m of html.matchAll(/<(b|i|s|code|pre|a)\b[^>]*>/g)) found.push(`rendered <${m[1]}>`)
  return found
}

const LIVE_MARKDOWN = new Set([
  'link',
  'image',
  'em',
  'strong',
  'del',
  'codespan',
  'code',
  'html',
  'heading',
  'list',
  'blockquote',
  'table',
  'hr',
  'def',
  'br',
])

function walk(tokens: Token[], found: string[]): void {
  for (const token of tokens) {
    const bareLink = token.type === 'link' && !/^[[<]/.test(token.raw)
    if (LIVE_MARKDOWN.has(token.type) && !bareLink) found.push(`${token.type}: ${JSON.stringify(token.raw)}`)
    const children = (token as { tokens?: Token[] }).tokens
    if (children) walk(children, found)
  }
}

/**
 * Markdown (CommonMark with GitHub's extensions, as marked reads it): no construct but paragraphs, text and escapes.
 * Also, for a reader that ignores backslash escapes: every '<' and ']' broken by a zero-width space.
 */
export function liveMarkdown(text: string): string[] {
  const found: string[] = []
  // Line breaks in the value are its own (hard breaks are harmless; two spaces then a newline make one).
  walk(new Lexer({ gfm: true }).lex(text.replace(/ +\n/g, '\n')), found)
  for (const m of text.matchAll(/[<\]](?!\u200b)/g)) found.push(`${m[0]} at ${m.index}`)
  return found.filter((entry) => !entry.startsWith('br:'))
}

/** Card HTML: no tag at all, and the text decodes back to the value. */
export function liveHtml(text: string): string[] {
  const found: string[] = []
  if (/<|>|"|'/.test(text)) found.push('a raw <, >, " or \'')
  if (sanitizeCardHtml(text) !== text.replace(/\r?\n/g, '<br>')) found.push('the sanitizer saw a tag')
  return found
}
