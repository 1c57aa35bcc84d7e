import { describe, expect, test } from '@jest/globals'
import { applyMessageLimits } from '../../emulator/message-limits.ts'
import { InputError } from '../../src/errors.ts'
import { findCardRuleViolations, MAX_WIDGETS_PER_CARD } from '../../src/message/card-rules.ts'
import { assertValidMessage } from '../../src/message/validate-message.ts'

type Json = Record<string, unknown>
const paragraph = (text: string) => ({ textParagraph: { text } })
const cardMessage = (card: Json): Json => ({ cardsV2: [{ cardId: 'c', card }] })
const sections = (...counts: number[]) =>
  counts.map((n, s) => ({ widgets: Array.from({ length: n }, (_, i) => paragraph(`${s}.${i}`)) }))
const columns = (n: number, perColumn = 1) => ({
  columns: {
    columnItems: Array.from({ length: n }, (_, c) => ({
      widgets: Array.from({ length: perColumn }, (_, i) => paragraph(`${c}.${i}`)),
    })),
  },
})
const refusal = (message: Json, options?: { webhook?: boolean }) => {
  try {
    assertValidMessage(message, 'message', options)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected a refusal')
}

describe("Chat's card rules beyond the schema", () => {
  test('3 columns are refused naming the field; 2 pass', () => {
    const three = cardMessage({ sections: [{ widgets: [columns(3)] }] })
    expect(findCardRuleViolations(three)).toEqual([
      {
        path: 'message.cardsV2[0].card.sections[0].widgets[0].columns.columnItems',
        problem: expect.stringMatching(/3 columns.*at most 2/),
      },
    ])
    expect(refusal(three)).toMatch(
      /^Input 'message' breaks Google Chat's rules: message\.cardsV2\[0\]\.card\.sections\[0\]\.widgets\[0\]\.columns\.columnItems: has 3 columns/,
    )
    expect(findCardRuleViolations(cardMessage({ sections: [{ widgets: [columns(2)] }] }))).toEqual([])
  })

  test('snake_case spellings are read and named as written', () => {
    const message = {
      cards_v2: [
        { card: { fixed_footer: {}, sections: [{ widgets: [{ columns: { column_items: [{}, {}, {}] } }] }] } },
      ],
    }
    expect(findCardRuleViolations(message).map((v) => v.path)).toEqual([
      'message.cards_v2[0].card.fixed_footer',
      'message.cards_v2[0].card.sections[0].widgets[0].columns.column_items',
    ])
  })

  test('a fixed footer is refused', () => {
    const message = cardMessage({ sections: sections(1), fixedFooter: { primaryButton: { text: 'Go' } } })
    expect(refusal(message)).toMatch(/message\.cardsV2\[0\]\.card\.fixedFooter: a fixed footer is only for dialogs/)
  })

  test('more than 100 widgets, nested ones counted, is refused naming the section where Chat would start dropping', () => {
    expect(findCardRuleViolations(cardMessage({ sections: sections(50, 50) }))).toEqual([])
    const nested = cardMessage({ sections: [...sections(60), { widgets: [columns(2, 20)] }] })
    // 60 + 1 columns widget + 40 inside = 101.
    expect(findCardRuleViolations(nested)).toEqual([
      {
        path: 'message.cardsV2[0].card.sections[1]',
        problem: expect.stringMatching(/more than 100 widgets.*silently drop/),
      },
    ])
    const grid = cardMessage({ sections: [...sections(99), { widgets: [{ grid: { items: [{}, {}] } }] }] })
    expect(findCardRuleViolations(grid).map((v) => v.path)).toEqual(['message.cardsV2[0].card.sections[1]'])
    // Only the first section past the limit is named, once.
    expect(findCardRuleViolations(cardMessage({ sections: sections(101, 5, 5) }))).toHaveLength(1)
    expect(MAX_WIDGETS_PER_CARD).toBe(100)
  })

  test('the action refuses what the emulator (Google per the docs) would drop, and only that', () => {
    for (const counts of [[100], [101], [99, 2], [50, 50, 1], [30, 30, 30]]) {
      const message = cardMessage({ sections: sections(...counts) })
      const dropped = applyMessageLimits(structuredClone(message)).warnings ?? []
      expect(findCardRuleViolations(message).length > 0).toBe(dropped.length > 0)
    }
  })

  test('malformed Material icon names are refused, at any depth', () => {
    const icon = (name: string) => ({ decoratedText: { text: 't', startIcon: { materialIcon: { name } } } })
    expect(
      findCardRuleViolations(cardMessage({ sections: [{ widgets: [icon('check_circle'), icon('10k')] }] })),
    ).toEqual([])
    const bad = cardMessage({
      sections: [
        { widgets: [icon('Check Circle'), { columns: { columnItems: [{ widgets: [icon('rocket-launch')] }] } }] },
      ],
    })
    expect(findCardRuleViolations(bad).map((v) => v.path)).toEqual([
      'message.cardsV2[0].card.sections[0].widgets[0].decoratedText.startIcon.materialIcon.name',
      'message.cardsV2[0].card.sections[0].widgets[1].columns.columnItems[0].widgets[0].decoratedText.startIcon.materialIcon.name',
    ])
    expect(refusal(bad)).toMatch(/"Check Circle" is not a Material Symbols name/)
  })
})

describe('incoming webhooks: app-only fields', () => {
  const accessory = { text: 'x', accessoryWidgets: [{ buttonList: { buttons: [{ text: 'Open' }] } }] }

  test('accessoryWidgets and privateMessageViewer are refused in webhook mode, naming the field', () => {
    expect(refusal(accessory, { webhook: true })).toMatch(
      /message\.accessoryWidgets: is only for messages a Chat app sends/,
    )
    const privately = { text: 'x', privateMessageViewer: { name: 'users/1' } }
    expect(refusal(privately, { webhook: true })).toMatch(
      /message\.privateMessageViewer: .*incoming webhook cannot send it/,
    )
  })

  test('a Chat app may send them', () => {
    expect(assertValidMessage(accessory, 'message')).toBe(accessory)
  })
})
