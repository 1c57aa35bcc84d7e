import { describe, expect, test } from '@jest/globals'
import { countCardWidgets } from '../../emulator/message-limits.ts'
import { messageMethods, validateQuery, validateResource } from '../../emulator/schema-validator.ts'

const validate = (value: unknown) => validateResource('Message', value, 'message')
const descriptions = (value: unknown) => validate(value).violations.map((v) => v.description)

describe('validateResource', () => {
  test('a valid card message passes and comes back in camelCase', () => {
    const input = {
      text: 'hi',
      cards_v2: [
        {
          card_id: 'build',
          card: {
            header: { title: 'Build', image_type: 'CIRCLE' },
            sections: [
              {
                collapsible: true,
                uncollapsibleWidgetsCount: '2',
                widgets: [
                  { decorated_text: { top_label: 'Status', text: 'passed', wrap_text: true } },
                  { buttonList: { buttons: [{ text: 'Open', onClick: { openLink: { url: 'https://x' } } }] } },
                ],
              },
            ],
          },
        },
      ],
      thread: { threadKey: 'k' },
    }
    const result = validate(input)
    expect(result.violations).toEqual([])
    expect(result.value).toEqual({
      text: 'hi',
      cardsV2: [
        {
          cardId: 'build',
          card: {
            header: { title: 'Build', imageType: 'CIRCLE' },
            sections: [
              {
                collapsible: true,
                uncollapsibleWidgetsCount: '2',
                widgets: [
                  { decoratedText: { topLabel: 'Status', text: 'passed', wrapText: true } },
                  { buttonList: { buttons: [{ text: 'Open', onClick: { openLink: { url: 'https://x' } } }] } },
                ],
              },
            ],
          },
        },
      ],
      thread: { threadKey: 'k' },
    })
  })

  test('nulls count as unset and are dropped', () => {
    expect(validate({ text: 'a', thread: null, cardsV2: [null] })).toEqual({
      value: { text: 'a', cardsV2: [] },
      violations: [],
    })
  })

  test('unknown fields at the top and deep inside arrays, with snake_case paths', () => {
    expect(descriptions({ foo: 1 })).toEqual([
      `Invalid JSON payload received. Unknown name "foo" at 'message': Cannot find field.`,
    ])
    const result = validate({
      cardsV2: [{}, { card: { sections: [{ widgets: [{}, { textParagraph: { txt: 'a' } }] }] } }],
    })
    expect(result.violations).toEqual([
      {
        field: 'message.cards_v2[1].card.sections[0].widgets[1].text_paragraph',
        description: `Invalid JSON payload received. Unknown name "txt" at 'message.cards_v2[1].card.sections[0].widgets[1].text_paragraph': Cannot find field.`,
      },
    ])
  })

  test.each([
    [{ text: 5 }, `Invalid value at 'message.text' (TYPE_STRING), 5`],
    [{ text: true }, `Invalid value at 'message.text' (TYPE_STRING), true`],
    [{ text: { a: 1 } }, `Invalid value at 'message.text' (TYPE_STRING), Starting an object on a scalar field`],
    [
      { text: ['a'] },
      `Invalid JSON payload received. Unknown name "text" at 'message': Proto field is not repeating, cannot start list.`,
    ],
    [
      { cardsV2: [{ card: { sections: [{ collapsible: 'yes' }] } }] },
      `Invalid value at 'message.cards_v2[0].card.sections[0].collapsible' (TYPE_BOOL), "yes"`,
    ],
    [
      { cardsV2: [{ card: { sections: [{ uncollapsibleWidgetsCount: 1.5 }] } }] },
      `Invalid value at 'message.cards_v2[0].card.sections[0].uncollapsible_widgets_count' (TYPE_INT32), 1.5`,
    ],
    [
      { cardsV2: [{ card: { sections: [{ uncollapsibleWidgetsCount: 'two' }] } }] },
      `Invalid value at 'message.cards_v2[0].card.sections[0].uncollapsible_widgets_count' (TYPE_INT32), "two"`,
    ],
    [
      { thread: 'spaces/A/threads/B' },
      `Invalid value at 'message.thread' (type.googleapis.com/google.chat.v1.Thread), "spaces/A/threads/B"`,
    ],
    [
      { cardsV2: 'card' },
      `Invalid value at 'message.cards_v2' (type.googleapis.com/google.chat.v1.CardWithId), "card"`,
    ],
    [
      { cardsV2: [{ card: 'x' }] },
      `Invalid value at 'message.cards_v2[0].card' (type.googleapis.com/google.apps.card.v1.Card), "x"`,
    ],
  ])('type mismatch %j', (input, description) => {
    expect(descriptions(input)).toEqual([description])
  })

  test('enums: names and numbers pass, anything else names the enum type', () => {
    expect(validate({ text: 'a', markupSyntax: 'MARKUP_SYNTAX_MARKDOWN' }).violations).toEqual([])
    expect(validate({ text: 'a', markupSyntax: 2 }).value).toEqual({
      text: 'a',
      markupSyntax: 'MARKUP_SYNTAX_MARKDOWN',
    })
    expect(descriptions({ markupSyntax: 'NOPE' })).toEqual([
      `Invalid value at 'message.markup_syntax' (type.googleapis.com/google.chat.v1.Message.MarkupSyntax), "NOPE"`,
    ])
    expect(
      descriptions({ cardsV2: [{ card: { sections: [{ widgets: [{ horizontalAlignment: 'MIDDLE' }] }] } }] }),
    ).toEqual([
      `Invalid value at 'message.cards_v2[0].card.sections[0].widgets[0].horizontal_alignment' (type.googleapis.com/google.apps.card.v1.Widget.HorizontalAlignment), "MIDDLE"`,
    ])
  })

  test('map fields accept any key and check values', () => {
    const ok = validateResource('CommonEventObject', { parameters: { a: 'x', b: 'y' } }, 'event')
    expect(ok).toEqual({ value: { parameters: { a: 'x', b: 'y' } }, violations: [] })
    expect(validateResource('CommonEventObject', { parameters: { a: 1 } }, 'event').violations[0].description).toBe(
      `Invalid value at 'event.parameters["a"]' (TYPE_STRING), 1`,
    )
  })

  test('a non-object body', () => {
    expect(descriptions('hello')).toEqual([
      `Invalid value at 'message' (type.googleapis.com/google.chat.v1.Message), "hello"`,
    ])
  })
})

describe('validateQuery', () => {
  test('known parameters in either spelling, plus the global ones', () => {
    const query = new URLSearchParams(
      'message_id=client-a&requestId=r&messageReplyOption=REPLY_MESSAGE_OR_FAIL&alt=json',
    )
    const { params, violations } = validateQuery(messageMethods.create, 'CreateMessageRequest', query)
    expect(violations).toEqual([])
    expect(Object.fromEntries(params)).toEqual({
      messageId: 'client-a',
      requestId: 'r',
      messageReplyOption: 'REPLY_MESSAGE_OR_FAIL',
      alt: 'json',
    })
  })

  test('unknown, path-only, bad enum and bad boolean parameters', () => {
    const create = validateQuery(
      messageMethods.create,
      'CreateMessageRequest',
      new URLSearchParams('foo=1&parent=x&messageReplyOption=X'),
    )
    expect(create.violations.map((v) => v.description)).toEqual([
      `Invalid JSON payload received. Unknown name "foo": Cannot bind query parameter. Field 'foo' could not be found in request message.`,
      `Invalid JSON payload received. Unknown name "parent": Cannot bind query parameter. Field 'parent' could not be found in request message.`,
      `Invalid value at 'message_reply_option' (type.googleapis.com/google.chat.v1.CreateMessageRequest.MessageReplyOption), "X"`,
    ])
    const patch = validateQuery(messageMethods.patch, 'UpdateMessageRequest', new URLSearchParams('allowMissing=yes'))
    expect(patch.violations.map((v) => v.description)).toEqual([`Invalid value at 'allow_missing' (TYPE_BOOL), "yes"`])
  })
})

describe('countCardWidgets', () => {
  test('counts sections, columns, grid items and carousel cards', () => {
    const card = {
      sections: [
        { widgets: [{ divider: {} }, { textParagraph: { text: 'a' } }] },
        {
          widgets: [
            {
              columns: {
                columnItems: [
                  { widgets: [{ textParagraph: { text: 'b' } }] },
                  { widgets: [{ image: {} }, { divider: {} }] },
                ],
              },
            },
            { grid: { items: [{}, {}, {}] } },
            {
              carousel: { carouselCards: [{ widgets: [{ textParagraph: {} }], footerWidgets: [{ buttonList: {} }] }] },
            },
          ],
        },
      ],
    }
    // 2 + (1 + 3) + (1 + 3) + (1 + 2)
    expect(countCardWidgets(card)).toBe(13)
    expect(countCardWidgets({})).toBe(0)
  })
})
