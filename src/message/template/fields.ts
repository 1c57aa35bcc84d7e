// Which kind of text each field of a Chat message holds, from its path: what a placeholder's value is escaped for.
import type { PathKey } from './parse.ts'

/**
 * How a field renders text, and so how a value placed in it is escaped: Chat markup, Markdown, either of the two
 * (the app's setting picks), card HTML, plain text, or a URL.
 */
export type FieldKind = 'chat-text' | 'markdown' | 'chat-or-markdown' | 'card-html' | 'plain' | 'url'

/** `message.cardsV2[0].card.header.title`: where a value sits, as error messages print it. */
export function formatPath(root: string, path: readonly PathKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${key}`), root)
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

const HTML_FIELDS: Record<string, readonly string[]> = {
  // Cards v2 (GoogleAppsCardV1…): "supports simple formatting" / "simple HTML formatted text".
  textParagraph: ['text'],
  decoratedText: ['text', 'topLabel', 'bottomLabel'],
  // DecoratedText's newer TextParagraph-shaped labels.
  topLabelText: ['text'],
  contentText: ['text'],
  bottomLabelText: ['text'],
  sections: ['header'],
  // Cards v1 (deprecated, still accepted): "formatted text supported".
  keyValue: ['content', 'topLabel', 'bottomLabel'],
}

/**
 * The syntax of the message's own `text`, from its `markupSyntax` (name or proto number, camelCase or snake_case).
 * Without one, custom-message.ts sends MARKUP_SYNTAX_CHAT, so Chat markup; MARKUP_SYNTAX_UNSPECIFIED leaves the
 * choice to the Chat app's settings in the Google Cloud console, so a value must be inert in both.
 */
export function messageTextKind(message?: Record<string, unknown>): FieldKind {
  const syntax = message?.markupSyntax ?? message?.markup_syntax
  if (syntax === undefined || syntax === 'MARKUP_SYNTAX_CHAT' || syntax === 1) return 'chat-text'
  if (syntax === 'MARKUP_SYNTAX_MARKDOWN' || syntax === 2) return 'markdown'
  return 'chat-or-markdown'
}

/**
 * The kind of a string field, from its path in the message (snake_case or camelCase): the message's own `text` is
 * Chat markup or Markdown as its `markupSyntax` says (see messageTextKind; `message` is the whole message); card text
 * that Chat renders as HTML is card-html; fields ending in Url/Uri are links; the rest (card and section titles,
 * button labels, alt text, ids) are shown as they are. `holder` is the object holding the field: a TextParagraph
 * with `textSyntax: MARKDOWN` is Markdown.
 */
export function fieldKind(
  path: readonly PathKey[],
  holder?: Record<string, unknown>,
  message?: Record<string, unknown>,
): FieldKind {
  const keys = path.map((key) => (typeof key === 'string' ? camel(key) : key))
  const last = keys.at(-1)
  if (typeof last !== 'string') return 'plain'
  if (keys.length === 1 && last === 'text') return messageTextKind(message)
  if (/(Url|Uri|^url|^uri)$/.test(last)) return 'url'
  const parent = [...keys.slice(0, -1)].reverse().find((key): key is string => typeof key === 'string')
  if (parent && HTML_FIELDS[parent]?.includes(last)) {
    const syntax = holder?.textSyntax ?? holder?.text_syntax
    return syntax === 'MARKDOWN' || syntax === 2 ? 'markdown' : 'card-html'
  }
  return 'plain'
}
