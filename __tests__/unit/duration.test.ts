import { describe, expect, test } from '@jest/globals'
import { durationBetween, formatDuration, toMillis } from '../../src/message/duration.ts'

const s = 1000
const m = 60 * s
const h = 60 * m
const d = 24 * h

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [499, '0s'],
    [500, '1s'],
    [45 * s, '45s'],
    [59 * s + 400, '59s'],
    [59 * s + 600, '1m'],
    [60 * s, '1m'],
    [3 * m + 12 * s, '3m 12s'],
    [59 * m + 59 * s, '59m 59s'],
    [h, '1h'],
    [h + 4 * m, '1h 4m'],
    [h + 4 * m + 59 * s, '1h 4m'],
    [23 * h + 59 * m, '23h 59m'],
    [d, '1d'],
    [2 * d + 3 * h + 10 * m, '2d 3h'],
  ])('%i ms reads %j', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected)
  })

  test.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('%p is unknown: ""', (ms) => {
    expect(formatDuration(ms)).toBe('')
  })
})

describe('durationBetween', () => {
  test('ISO timestamps as GitHub writes them', () => {
    expect(durationBetween('2024-05-01T10:00:00Z', '2024-05-01T10:03:12Z')).toBe(3 * m + 12 * s)
    expect(durationBetween('2024-05-01T10:00:00.500+00:00', '2024-05-01T11:00:00Z')).toBe(h - 500)
  })

  test('epoch milliseconds mix with ISO strings', () => {
    expect(durationBetween(Date.parse('2024-05-01T10:00:00Z'), '2024-05-01T10:00:45Z')).toBe(45 * s)
  })

  test.each([
    [undefined, '2024-05-01T10:00:00Z'],
    ['2024-05-01T10:00:00Z', null],
    ['not a date', '2024-05-01T10:00:00Z'],
    ['', '2024-05-01T10:00:00Z'],
    ['2024-05-01T10:00:01Z', '2024-05-01T10:00:00Z'],
  ])('%p → %p is unknown', (start, end) => {
    expect(durationBetween(start, end)).toBeUndefined()
  })

  test('toMillis rejects what is not a time', () => {
    expect(toMillis(Number.NaN)).toBeUndefined()
    expect(toMillis('x')).toBeUndefined()
    expect(toMillis(5)).toBe(5)
  })
})
