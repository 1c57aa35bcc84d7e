// Chat's rules for a message beyond its schema, checked on custom messages before sending: what Chat refuses
// (3 columns, a fixed footer), what it drops without an error (widgets past 100, malformed icon names), and what
// an incoming webhook may not send. Each finding names the field as written in the message.
import type { MessageViolation } from './validate-message.ts'

type Json = Record<string, unknown>

export const MAX_COLUMN_ITEMS = 2
export const MAX_WIDGETS_PER_CARD = 100

// Material Symbols names are lowercase words joined by underscores (check_circle, rocket_launch, 10k).
const MATERIAL_ICON_NAME = /^[a-z0-9_]+$/

// Discovery doc, Message.accessoryWidgets and Message.privateMessageViewer: only for messages a Chat app sends.
const APP_ONLY_FIELDS = ['accessoryWidgets', 'privateMessageViewer']

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined
}

/** A field as the user spelled it: Chat reads both lowerCamel (JSON) and snake_case (proto) names. */
function field(holder: Json, camel: string): { key: string; value: unknown } | undefined {
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
  for (const key of [camel, snake])
    if (holder[key] !== undefined && holder[key] !== null) return { key, value: holder[key] }
  return undefined
}

function list(holder: Json, camel: string): { key: string; items: Json[] } | undefined {
  const found = field(holder, camel)
  if (!found || !Array.isArray(found.value)) return undefined
  return { key: found.key, items: found.value.map((v) => asObject(v) ?? {}) }
}

class CardRules {
  readonly violations: MessageViolation[] = []

  card(card: Json, path: string): void {
    // Discovery doc, Card.fixedFooter: "you can use fixed footers in dialogs, but not card messages".
    const footer = field(card, 'fixedFooter')
    if (footer) {
      this.violations.push({
        path: `${path}.${footer.key}`,
        problem: 'a fixed footer is only for dialogs; Chat refuses it in a card message (put the buttons in a section)',
      })
    }
    const sections = list(card, 'sections')
    let total = 0
    let reported = false
    sections?.items.forEach((section, s) => {
      const widgets = list(section, 'widgets')
      const at = `${path}.${sections.key}[${s}]`
      total += widgets ? this.widgets(widgets.items, `${at}.${widgets.key}`) : 0
      // Discovery doc, Card: "If a section's widgets push the total count above 100, that entire section and all
      // following sections are ignored" (nested widgets count). Refused here: Chat would drop them silently.
      if (total > MAX_WIDGETS_PER_CARD && !reported) {
        reported = true
        this.violations.push({
          path: at,
          problem: `brings the card to more than ${MAX_WIDGETS_PER_CARD} widgets (nested ones included); Chat would silently drop this section and every one after it: split the content over several cards or messages`,
        })
      }
    })
  }

  /** Checks each widget (and those nested in it); returns how many widgets that is, nested included. */
  widgets(widgets: Json[], path: string): number {
    let count = 0
    widgets.forEach((widget, i) => {
      count += this.widget(widget, `${path}[${i}]`)
    })
    return count
  }

  widget(widget: Json, path: string): number {
    let count = 1
    this.icons(widget, path)
    const columns = field(widget, 'columns')
    const columnsObject = columns && asObject(columns.value)
    const items = columnsObject && list(columnsObject, 'columnItems')
    if (columns && items) {
      const at = `${path}.${columns.key}.${items.key}`
      // Discovery doc, Columns.columnItems: "You can include up to 2 columns in a card or dialog."
      if (items.items.length > MAX_COLUMN_ITEMS) {
        this.violations.push({
          path: at,
          problem: `has ${items.items.length} columns; a columns widget holds at most ${MAX_COLUMN_ITEMS} (Chat refuses more)`,
        })
      }
      items.items.forEach((column, c) => {
        const inner = list(column, 'widgets')
        if (inner) count += this.widgets(inner.items, `${at}[${c}].${inner.key}`)
      })
    }
    const grid = asObject(field(widget, 'grid')?.value)
    count += (grid && list(grid, 'items')?.items.length) || 0
    const carouselField = field(widget, 'carousel')
    const carousel = carouselField && asObject(carouselField.value)
    const cards = carousel && list(carousel, 'carouselCards')
    cards?.items.forEach((card, c) => {
      const at = `${path}.${carouselField!.key}.${cards.key}[${c}]`
      for (const name of ['widgets', 'footerWidgets']) {
        const inner = list(card, name)
        if (inner) count += this.widgets(inner.items, `${at}.${inner.key}`)
      }
    })
    return count
  }

  /**
   * Discovery doc, MaterialIcon.name: "Any invalid names are abandoned and replaced with empty string and results in
   * the icon failing to render." Without Google's list, a name is checked by its form only.
   */
  icons(value: unknown, path: string): void {
    const holder = asObject(value)
    if (!holder) return
    for (const [key, child] of Object.entries(holder)) {
      // Nested widgets are visited as widgets; icons sit in the widget's own fields.
      if (key === 'columns' || key === 'carousel') continue
      const at = `${path}.${key}`
      if (key === 'materialIcon' || key === 'material_icon') {
        const name = asObject(child)?.name
        if (typeof name === 'string' && !MATERIAL_ICON_NAME.test(name)) {
          this.violations.push({
            path: `${at}.name`,
            problem: `${JSON.stringify(name)} is not a Material Symbols name (lowercase letters, digits and underscores, e.g. check_circle); Chat would show no icon`,
          })
        }
      } else if (Array.isArray(child)) {
        child.forEach((item, i) => this.icons(item, `${at}[${i}]`))
      } else {
        this.icons(child, at)
      }
    }
  }
}

/**
 * What Chat would refuse or silently change in `message` (already valid against the schema), and, for an incoming
 * webhook, the fields only a Chat app may send.
 */
export function findCardRuleViolations(
  message: Json,
  root = 'message',
  options: { webhook?: boolean } = {},
): MessageViolation[] {
  const rules = new CardRules()
  if (options.webhook) {
    for (const name of APP_ONLY_FIELDS) {
      const found = field(message, name)
      if (found) {
        rules.violations.push({
          path: `${root}.${found.key}`,
          problem: `is only for messages a Chat app sends; an incoming webhook cannot send it (remove it, or post as the Chat app with 'credentials' and 'space')`,
        })
      }
    }
  }
  const cards = list(message, 'cardsV2')
  cards?.items.forEach((entry, i) => {
    const card = field(entry, 'card')
    const cardObject = card && asObject(card.value)
    if (cardObject) rules.card(cardObject, `${root}.${cards.key}[${i}].${card.key}`)
  })
  return rules.violations
}
