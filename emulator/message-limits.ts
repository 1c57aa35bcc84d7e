// Chat's documented size limits for a message, checked after schema validation.
import type { FieldViolation } from './http-util.ts'

export const MAX_TEXT_CHARACTERS = 4096
export const MAX_MESSAGE_BYTES = 32_000
export const MAX_CARD_WIDGETS = 100

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

/** Violations of the text, payload and widget limits for a message (camelCase JSON, output fields removed). */
export function checkMessageLimits(message: Json): FieldViolation[] {
  const violations: FieldViolation[] = []
  if (typeof message.text === 'string' && message.text.length > MAX_TEXT_CHARACTERS) {
    violations.push({
      field: 'message.text',
      description: `Message text is too long: ${message.text.length} characters; the maximum is ${MAX_TEXT_CHARACTERS} characters.`,
    })
  }
  const bytes = Buffer.byteLength(JSON.stringify(message))
  if (bytes > MAX_MESSAGE_BYTES) {
    violations.push({
      field: 'message',
      description: `Message is too large: ${bytes} bytes; the maximum message size is ${MAX_MESSAGE_BYTES.toLocaleString('en-US')} bytes.`,
    })
  }
  list(message.cardsV2).forEach((entry, i) => {
    const widgets = countCardWidgets(entry.card)
    if (widgets > MAX_CARD_WIDGETS) {
      violations.push({
        field: `message.cards_v2[${i}].card`,
        description: `Card has ${widgets} widgets; a card can contain at most ${MAX_CARD_WIDGETS} widgets.`,
      })
    }
  })
  list(message.cards).forEach((card, i) => {
    const widgets = countCardWidgets(card)
    if (widgets > MAX_CARD_WIDGETS) {
      violations.push({
        field: `message.cards[${i}]`,
        description: `Card has ${widgets} widgets; a card can contain at most ${MAX_CARD_WIDGETS} widgets.`,
      })
    }
  })
  return violations
}
