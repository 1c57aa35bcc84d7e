// Chat's documented limits and card rules for a message, applied after schema validation. Some refuse the
// request (field violations); others change what Chat keeps without an error (the message is stored as Chat
// would keep it, and a warning is recorded so tests can see it).
import type { FieldViolation } from './http-util.ts'

export const MAX_TEXT_LENGTH = 4096
export const MAX_MESSAGE_BYTES = 32_000
export const MAX_CARD_WIDGETS = 100
export const MAX_COLUMN_ITEMS = 2

/** Something Chat does to a message without refusing it. */
export interface ContentWarning {
  field: string
  description: string
}

type Json = Record<string, unknown>

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as Json[]) : []
}

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {}
}

/** Counts a widget and every widget nested in it (columns, grid items, carousel cards). */
function countWidget(widget: Json): number {
  let count = 1
  for (const column of list(obj(widget.columns).columnItems)) count += countWidgets(list(column.widgets))
  count += list(obj(widget.grid).items).length
  for (const card of list(obj(widget.carousel).carouselCards)) {
    count += countWidgets(list(card.widgets)) + countWidgets(list(card.footerWidgets))
  }
  return count
}

function countWidgets(widgets: Json[]): number {
  return widgets.reduce((sum, w) => sum + countWidget(w), 0)
}

/** Widgets in one card (a `GoogleAppsCardV1Card` or a legacy v1 `Card`): all sections, recursively. */
export function countCardWidgets(card: unknown): number {
  return list(obj(card).sections).reduce((sum, section) => sum + countWidgets(list(section.widgets)), 0)
}

/**
 * Text: Google answers "Maximum length of the field is 4096. Field: apps.dynamite.CreateMessageInfo.text_body"
 * (reported in cloudflare/GHC-Errbot#10, googleworkspace/hubot-google-hangouts-chat#12) without a unit; reports
 * differ between characters and bytes (mr-karan/calert#10, #17). The stricter reading: more than 4,096
 * characters (UTF-16 code units or code points) or more than 4,096 UTF-8 bytes is refused.
 */
function textViolation(text: unknown): FieldViolation | undefined {
  if (typeof text !== 'string') return undefined
  const tooLong =
    text.length > MAX_TEXT_LENGTH || [...text].length > MAX_TEXT_LENGTH || Buffer.byteLength(text) > MAX_TEXT_LENGTH
  if (!tooLong) return undefined
  const field = 'apps.dynamite.CreateMessageInfo.text_body'
  return { field, description: `Maximum length of the field is ${MAX_TEXT_LENGTH}. Field: ${field}` }
}

/** Visits every widget of a card with its path (snake_case, as Google names fields in errors). */
function eachWidget(card: Json, path: string, visit: (widget: Json, path: string) => void): void {
  const walk = (widgets: Json[], base: string) =>
    widgets.forEach((widget, i) => {
      const at = `${base}[${i}]`
      visit(widget, at)
      list(obj(widget.columns).columnItems).forEach((column, c) =>
        walk(list(column.widgets), `${at}.columns.column_items[${c}].widgets`),
      )
      list(obj(widget.carousel).carouselCards).forEach((carouselCard, c) => {
        walk(list(carouselCard.widgets), `${at}.carousel.carousel_cards[${c}].widgets`)
        walk(list(carouselCard.footerWidgets), `${at}.carousel.carousel_cards[${c}].footer_widgets`)
      })
    })
  list(card.sections).forEach((section, s) => walk(list(section.widgets), `${path}.sections[${s}].widgets`))
}

/** Card rules beyond the schema that refuse the request. */
function cardViolations(card: Json, path: string): FieldViolation[] {
  const violations: FieldViolation[] = []
  // Discovery doc, `Card.fixedFooter`: "you can use fixed footers in dialogs, but not card messages".
  if (card.fixedFooter !== undefined) {
    violations.push({
      field: `${path}.fixed_footer`,
      description: `Invalid card at '${path}': fixed_footer is only supported in dialogs, not in card messages.`,
    })
  }
  // Discovery doc, `Columns.columnItems`: "You can include up to 2 columns in a card or dialog."
  eachWidget(card, path, (widget, at) => {
    const columns = list(obj(widget.columns).columnItems).length
    if (columns > MAX_COLUMN_ITEMS) {
      violations.push({
        field: `${at}.columns.column_items`,
        description: `Invalid columns widget at '${at}': it has ${columns} column_items; a Columns widget includes up to ${MAX_COLUMN_ITEMS} columns.`,
      })
    }
  })
  return violations
}

/**
 * What Chat keeps of a card, without an error:
 * - discovery doc, `Card` ("Note: You can add up to 100 widgets per card. If a section's widgets push the total
 *   count above 100, that entire section and all following sections are ignored."): nested widgets count;
 * - discovery doc, `MaterialIcon.name` ("Any invalid names are abandoned and replaced with empty string and
 *   results in the icon failing to render"). Without Google's list of icon names, the emulator reads "invalid"
 *   as not a Material Symbols name by form (lowercase letters, digits and underscores): such a name is kept as
 *   "" and a warning is recorded; a well-formed but unknown name is not detected.
 */
function keepAsChatWould(card: Json, path: string, warnings: ContentWarning[]): Json {
  const kept = structuredClone(card)
  const sections = list(kept.sections)
  let total = 0
  for (let s = 0; s < sections.length; s++) {
    total += countWidgets(list(sections[s]!.widgets))
    if (total > MAX_CARD_WIDGETS) {
      warnings.push({
        field: `${path}.sections[${s}]`,
        description: `The card has more than ${MAX_CARD_WIDGETS} widgets: sections ${s} to ${sections.length - 1} are ignored.`,
      })
      kept.sections = (kept.sections as unknown[]).slice(0, s)
      break
    }
  }
  const visit = (value: unknown, at: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${at}[${i}]`))
    if (typeof value !== 'object' || value === null) return
    for (const [key, child] of Object.entries(value as Json)) {
      const icon = key === 'materialIcon' ? obj(child) : undefined
      if (icon && typeof icon.name === 'string' && !/^[a-z0-9_]+$/.test(icon.name)) {
        warnings.push({
          field: `${at}.material_icon.name`,
          description: `Invalid Material icon name ${JSON.stringify(icon.name)}: replaced with "" and not rendered.`,
        })
        icon.name = ''
      }
      visit(child, `${at}.${key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())}`)
    }
  }
  visit(kept, path)
  return kept
}

/**
 * Checks a message's content (camelCase JSON, output fields removed) against Chat's limits: the violations to
 * refuse it with, or the content as Chat keeps it and what was changed.
 */
export function applyMessageLimits(message: Json): {
  violations: FieldViolation[]
  content: Json
  warnings: ContentWarning[]
} {
  const violations: FieldViolation[] = []
  const warnings: ContentWarning[] = []
  const text = textViolation(message.text)
  if (text) violations.push(text)
  // Discovery doc, `spaces.messages.create`: "The maximum message size, including the message contents, is
  // 32,000 bytes."
  const bytes = Buffer.byteLength(JSON.stringify(message))
  if (bytes > MAX_MESSAGE_BYTES) {
    violations.push({
      field: 'message',
      description: `Message is too large: ${bytes} bytes; the maximum message size is ${MAX_MESSAGE_BYTES.toLocaleString('en-US')} bytes.`,
    })
  }
  const content: Json = { ...message }
  if (Array.isArray(message.cardsV2)) {
    content.cardsV2 = list(message.cardsV2).map((entry, i) => {
      const path = `message.cards_v2[${i}].card`
      violations.push(...cardViolations(obj(entry.card), path))
      return entry.card === undefined ? entry : { ...entry, card: keepAsChatWould(obj(entry.card), path, warnings) }
    })
  }
  if (Array.isArray(message.cards)) {
    content.cards = list(message.cards).map((card, i) => keepAsChatWould(card, `message.cards[${i}]`, warnings))
  }
  return { violations, content, warnings }
}

/** Every problem Chat would have with a message: refusals and silent changes alike (for the action's own tests). */
export function checkMessageLimits(message: Json): FieldViolation[] {
  const { violations, warnings } = applyMessageLimits(message)
  return [...violations, ...warnings]
}
