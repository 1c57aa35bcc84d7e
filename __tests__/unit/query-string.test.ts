// query-string.ts stands in for qs in dist/ (scripts/build.ts); qs itself, still installed under googleapis-common,
// is the oracle.
import { describe, expect, test } from '@jest/globals'
import { createRequire } from 'node:module'
import { stringify } from '../../src/delivery/query-string.ts'

const requireFromCommon = createRequire(createRequire(import.meta.url).resolve('googleapis-common/package.json'))
const qs = requireFromCommon('qs') as { stringify(params: unknown, options: { arrayFormat: 'repeat' }): string }
const viaQs = (params: unknown) => qs.stringify(params, { arrayFormat: 'repeat' })

describe('stringify gives what qs gives googleapis-common', () => {
  const cases: [string, unknown][] = [
    [
      'a create call',
      {
        messageId: 'client-build-42',
        requestId: '1658821493-1-0a1b2c',
        messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
      },
    ],
    ['a patch call', { updateMask: 'text,cardsV2,accessoryWidgets', allowMissing: true }],
    ['numbers and false', { pageSize: 25, force: false, zero: 0 }],
    ['undefined is left out, null is empty', { a: undefined, b: null, c: '' }],
    ['arrays repeat the name', { fields: ['name', 'thread.name'], empty: [] }],
    ['reserved and non-ASCII characters', { q: "a b&c=d/e?f#g+h!i'j(k)l*m~n-o_p.q", u: 'Grüße ✅ 日本' }],
    ['keys are encoded too', { 'a b': '1', 'k[x]': '2' }],
    ['nested objects use brackets', { filter: { type: 'x', list: ['1', '2'], deep: { z: null } } }],
    ['a date', { since: new Date(Date.UTC(2026, 10, 26, 12, 0, 0)) }],
    ['nothing', {}],
  ]
  test.each(cases)('%s', (_, params) => {
    expect(stringify(params, { arrayFormat: 'repeat' })).toBe(viaQs(params))
  })

  test('every printable ASCII character and a sample of others encode as qs encodes them', () => {
    const chars = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).concat([
      'é',
      '€',
      '😀',
      '\n',
      '\t',
    ])
    for (const c of chars) expect([c, stringify({ [c]: c })]).toEqual([c, viaQs({ [c]: c })])
  })

  test('another array format is refused rather than serialized differently', () => {
    expect(() => stringify({ a: ['1'] }, { arrayFormat: 'brackets' })).toThrow(/arrayFormat 'repeat' only/)
  })
})
