// Start-up is a hot path: what the runner loads before the first line of our code runs is checked here, so an
// import that drags a client library into the entry chunk fails a test instead of quietly costing every run.
import { describe, expect, test } from '@jest/globals'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ROOT } from '../../scripts/simulate-runner.ts'

const DIST = join(ROOT, 'dist')

/** The entry and every chunk it imports statically (what loads before run() starts). */
function startupFiles(file = join(DIST, 'index.js'), seen = new Set<string>()): Set<string> {
  seen.add(file)
  const code = readFileSync(file, 'utf8')
  for (const [, path] of code.matchAll(/(?:import|from)\s*"(\.\/[^"]+)"/g)) {
    const next = join(dirname(file), path!)
    if (!seen.has(next)) startupFiles(next, seen)
  }
  return seen
}

describe('the bundle', () => {
  const files = startupFiles()
  const code = [...files].map((file) => readFileSync(file, 'utf8')).join('\n')

  test('start-up loads at most 64 kB of our bundle', () => {
    const bytes = [...files].reduce((sum, file) => sum + statSync(file).size, 0)
    expect(bytes).toBeLessThan(64 * 1024)
  })

  test('start-up loads no network module: the Google and GitHub clients load only when a run sends', () => {
    // ESM imports (from"node:tls") and bundled CommonJS requires (a("tls")) alike; import("…") loads later.
    for (const module of ['http', 'https', 'tls', 'net', 'http2', 'zlib']) {
      expect(code).not.toMatch(new RegExp(`(from|(?<!import)\\()"(node:)?${module}"`))
    }
  })

  test('dist/ stays within 1.5 MB in all', () => {
    const size = (dir: string): number =>
      readdirSync(dir).reduce((sum, name) => {
        const path = join(dir, name)
        return sum + (statSync(path).isDirectory() ? size(path) : statSync(path).size)
      }, 0)
    expect(size(DIST)).toBeLessThanOrEqual(1.5 * 1024 * 1024)
  })
})
