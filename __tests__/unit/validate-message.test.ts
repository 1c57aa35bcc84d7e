import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { validateResource } from '../../emulator/schema-validator.ts'
import { describeRun } from '../../src/github/run-context.ts'
import { InputError } from '../../src/errors.ts'
import { buildMessage } from '../../src/message/build.ts'
import { assertValidMessage, findMessageViolations } from '../../src/message/validate-message.ts'
import { generateMessageSchemaFile, SCHEMA_PATH } from '../../scripts/gen-message-schema.ts'
import { githubContext, settings } from '../fixtures/samples.ts'

const card = (widgets: unknown[], extra: Record<string, unknown> = {}) => ({
  cardsV2: [{ cardId: 'c', card: { header: { title: 'T' }, sections: [{ widgets: [] }, { widgets }] } }],
  ...extra,
})

describe('the compact schema', () => {
  test('is what scripts/gen-message-schema.ts generates from the discovery document (not stale)', async () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(await generateMessageSchemaFile())
  })

  test('is small: under 24 kB minified, and only what Message reaches', () => {
    const file = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'))
    expect(Buffer.byteLength(JSON.stringify(file))).toBeLessThan(24 * 1024)
    expect(file.schemas.Message.properties.text).toEqual({ type: 'string' })
    // Output-only fields are left out; so are schemas only other resources use.
    expect(file.schemas.Message.properties.sender).toBeUndefined()
    expect(file.schemas.Space).toBeUndefined()
    expect(JSON.stringify(file)).not.toContain('description')
  })
})

describe('findMessageViolations', () => {
  test('the status card the action builds is valid', () => {
    const run = describeRun(githubContext(), { GITHUB_REPOSITORY: 'o/r' })
    expect(findMessageViolations(buildMessage(settings(), run))).toEqual([])
    expect(findMessageViolations(buildMessage(settings({ card: 'none' }), run))).toEqual([])
  })

  test('a misspelt enum names the path, the likeliest values and what it got', () => {
    const message = card([{ decoratedText: { text: 'x', startIcon: { knownIcon: 'STARR' } } }])
    expect(findMessageViolations(message)).toEqual([
      {
        path: 'message.cardsV2[0].card.sections[1].widgets[0].decoratedText.startIcon.knownIcon',
        problem: expect.stringMatching(/^expected one of STAR, .*, … \(\d+ values\); got "STARR"$/),
      },
    ])
    const short = card([{ textParagraph: { text: 'x', textSyntax: 'HTML5' } }])
    expect(findMessageViolations(short)[0]?.problem).toBe(
      'expected one of TEXT_SYNTAX_UNSPECIFIED, HTML, MARKDOWN; got "HTML5"',
    )
  })

  test('wrong JSON types', () => {
    const message = {
      text: 42,
      cardsV2: { card: {} },
      accessoryWidgets: [{ buttonList: { buttons: [{ text: 'x', disabled: 'yes' }] } }],
      thread: 'spaces/A/threads/B',
    }
    expect(findMessageViolations(message)).toEqual([
      { path: 'message.text', problem: 'expected a string, got 42' },
      { path: 'message.cardsV2', problem: 'expected a list, got an object (in YAML, start each item with "- ")' },
      {
        path: 'message.accessoryWidgets[0].buttonList.buttons[0].disabled',
        problem: 'expected true or false, got "yes"',
      },
      { path: 'message.thread', problem: 'expected a Thread object, got "spaces/A/threads/B"' },
      { path: 'message', problem: 'has nothing to show: set text, cardsV2 (or both)' },
    ])
  })

  test('unknown and output-only fields, with a suggestion', () => {
    const violations = findMessageViolations({ text: 'x', cardsv2: [], sender: { name: 'users/1' } })
    expect(violations.map((v) => v.path)).toEqual(['message.cardsv2', 'message.sender'])
    expect(violations[0]?.problem).toMatch(/^unknown field "cardsv2" \(did you mean "cardsV2"\?\); a Message has /)
    // Output-only fields are not in the schema; the fields a Message has are listed once.
    expect(violations[1]?.problem).toBe('unknown field "sender"')
  })

  test('snake_case field names, numbers as strings and enum numbers are accepted as Chat accepts them', () => {
    const message = {
      text: 'x',
      cards_v2: [
        {
          card: {
            sections: [
              { uncollapsible_widgets_count: '2', widgets: [{ text_paragraph: { text: 'y', max_lines: 3 } }] },
            ],
          },
        },
      ],
      markupSyntax: 1,
      thread: null,
    }
    expect(findMessageViolations(message)).toEqual([])
  })

  test('a message that is not an object', () => {
    expect(findMessageViolations('hi')).toEqual([{ path: 'message', problem: 'expected a Message object, got "hi"' }])
  })

  test('agrees with the emulator’s server-side validator on what is invalid', () => {
    const samples: unknown[] = [
      { text: 'ok' },
      card([{ decoratedText: { text: 'x', wrapText: true } }]),
      { text: 1 },
      { text: 'x', cardsV2: {} },
      card([{ decoratedText: { text: 'x', wrapText: 'yes' } }]),
      card([{ textParagraph: { text: 'x', textSyntax: 'HTML5' } }]),
      card([{ notAWidget: {} }]),
    ]
    for (const sample of samples) {
      const ours = findMessageViolations(sample).length > 0
      const emulator = validateResource('Message', sample, 'message').violations.length > 0
      expect({ sample, invalid: ours }).toEqual({ sample, invalid: emulator })
    }
  })
})

describe('assertValidMessage', () => {
  test('returns a valid message', () => {
    const message = { text: 'hello' }
    expect(assertValidMessage(message, 'message')).toBe(message)
  })

  test('throws one InputError naming the input and the first violations', () => {
    const message = { text: 1, a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 } // and nothing to show
    let error: unknown
    try {
      assertValidMessage(message, 'message-file')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('message-file')
    expect((error as Error).message).toMatch(
      /^Input 'message-file' is not a valid Chat message: message\.text: expected a string, got 1; message\.a: unknown field "a"; a Message has accessoryWidgets, .*; message\.b: unknown field "b"; message\.c: unknown field "c"; message\.d: unknown field "d"; and 3 more$/,
    )
  })
})
