// Jest runs only the test files inside one project's folder (jest.config.js): a test file anywhere else would
// silently never run, and a helper named *.test.ts would be run as a test.
import { describe, expect, test } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const TESTS = join(import.meta.dirname, '..')
// The config is plain JavaScript (no types to import): read it as Jest does.
const config = pathToFileURL(join(TESTS, '..', 'jest.config.js')).href
const { KINDS } = (await import(config)) as { KINDS: string[] }

const files = (readdirSync(TESTS, { recursive: true }) as string[]).map((name) => name.split('\\').join('/')).sort()

describe('the layout of __tests__', () => {
  test('every test file is in the folder of one Jest project', () => {
    const stray = files.filter((name) => name.endsWith('.test.ts') && !KINDS.includes(name.split('/')[0]!))
    expect(stray).toEqual([])
  })

  test('shared code lives in fixtures/, test folders hold only tests', () => {
    const notTests = files.filter(
      (name) => KINDS.includes(name.split('/')[0]!) && name.endsWith('.ts') && !name.endsWith('.test.ts'),
    )
    expect(notTests).toEqual([])
  })

  test('__tests__ holds the four kinds, one fixtures/ folder and the README, nothing else', () => {
    const top = readdirSync(TESTS).sort()
    expect(top).toEqual([...KINDS, 'fixtures', 'README.md'].sort())
  })

  test("every project's folder exists", () => {
    for (const kind of KINDS) expect(files).toContain(kind)
  })
})
