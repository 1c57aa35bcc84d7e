import type { chat_v1 } from '@googleapis/chat'
import { truncateHtml, truncateToFit } from '../text.ts'

// Chat's documented limits for a message created by an app. Text: Google says "Maximum length of the field is
// 4096" without a unit (reported as characters and as bytes), so text fits both.
const MAX_TEXT_CHARS = 4096
const MAX_TEXT_BYTES = 4096
export const MAX_MESSAGE_BYTES = 32_000
export const MAX_CARD_WIDGETS = 100

export const TRUNCATION_MARKER = '… [truncated]'

function messageBytes(message: chat_v1.Schema$Message): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8')
}

/**
 * The last guard before sending: text within 4096 characters and 4096 UTF-8 bytes, each card within 100 widgets,
 * the whole message within 32,000 bytes (the longest card texts are shortened until it fits).
 * Builders already bound each field; this keeps any combination within Chat's limits, never failing.
 */
export function fitToChatLimits(message: chat_v1.Schema$Message): chat_v1.Schema$Message {
  const fitted: chat_v1.Schema$Message = structuredClone(message)
  if (fitted.text) fitted.text = truncateToFit(fitted.text, MAX_TEXT_CHARS, MAX_TEXT_BYTES, TRUNCATION_MARKER)
  for (const card of fitted.cardsV2 ?? []) limitWidgets(card.card)
  for (let guard = 0; messageBytes(fitted) > MAX_MESSAGE_BYTES && guard < 200; guard++) {
    const longest = longestTextSlot(fitted)
    if (!longest || longest.get().length < 64) {
      if (fitted.text && fitted.text.length > 64) {
        fitted.text = truncateToFit(fitted.text, Math.floor(fitted.text.length / 2), MAX_TEXT_BYTES, TRUNCATION_MARKER)
        continue
      }
      break
    }
    longest.set(truncateHtml(longest.get(), Math.floor(longest.get().length / 2), TRUNCATION_MARKER))
  }
  return fitted
}

type Card = chat_v1.Schema$GoogleAppsCardV1Card
type Widget = chat_v1.Schema$GoogleAppsCardV1Widget

function limitWidgets(card: Card | undefined): void {
  if (!card?.sections) return
  const total = card.sections.reduce((sum, section) => sum + (section.widgets?.length ?? 0), 0)
  if (total > MAX_CARD_WIDGETS) {
    // The budget is per card, across sections; keep room for one widget that says what was left out.
    let budget = MAX_CARD_WIDGETS - 1
    let noted = false
    for (const section of card.sections) {
      const widgets = section.widgets ?? []
      if (widgets.length <= budget) {
        budget -= widgets.length
        continue
      }
      section.widgets = widgets.slice(0, budget)
      budget = 0
      if (!noted) {
        section.widgets.push({ textParagraph: { text: `<i>${total - (MAX_CARD_WIDGETS - 1)} more not shown</i>` } })
        noted = true
      }
    }
  }
  card.sections = card.sections.filter((s, i) => i === 0 || (s.widgets?.length ?? 0) > 0)
}

interface Slot {
  get(): string
  set(value: string): void
}

function longestTextSlot(message: chat_v1.Schema$Message): Slot | undefined {
  let best: Slot | undefined
  let bestLength = 0
  const consider = (holder: Record<string, unknown>, key: string): void => {
    const value = holder[key]
    if (typeof value === 'string' && value.length > bestLength) {
      bestLength = value.length
      best = { get: () => holder[key] as string, set: (v) => (holder[key] = v) }
    }
  }
  for (const card of message.cardsV2 ?? []) {
    for (const section of card.card?.sections ?? []) {
      for (const widget of section.widgets ?? []) visitWidgetText(widget, consider)
    }
  }
  return best
}

function visitWidgetText(widget: Widget, consider: (holder: Record<string, unknown>, key: string) => void): void {
  if (widget.textParagraph) consider(widget.textParagraph as Record<string, unknown>, 'text')
  if (widget.decoratedText) consider(widget.decoratedText as Record<string, unknown>, 'text')
  for (const column of widget.columns?.columnItems ?? []) {
    for (const inner of column.widgets ?? []) visitWidgetText(inner as Widget, consider)
  }
}
