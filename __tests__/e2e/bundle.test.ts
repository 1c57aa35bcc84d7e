// Start-up is a hot path: what the runner loads before the first line of our code runs is checked here, so an
// import that drags a client library into the entry chunk fails a test instead of quietly costing every run.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ROOT, runAction } from '../../scripts/simulate-runner.ts'
import { describeBundle } from '../fixtures/entry.ts'
import { startGoogle, type GoogleFixture } from '../fixtures/google-emulator.ts'

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

describeBundle('the bundle', () => {
  const files = startupFiles()
  const code = [...files].map((file) => readFileSync(file, 'utf8')).join('\n')

  test('start-up loads at most 64 kB of our bundle', () => {
    const bytes = [...files].reduce((sum, file) => sum + statSync(file).size, 0)
    expect(bytes).toBeLessThan(64 * 1024)
  })

  test('start-up loads no network module: the Google and GitHub clients load only when a run sends', () => {
    // ESM imports (from"node:tls") and bundled CommonJS requires (a("tls")) alike; import("…") and
    // process.getBuiltinModule("…") inside a function load later (the runs below check what really loads).
    for (const module of ['http', 'https', 'tls', 'net', 'http2', 'zlib']) {
      expect(code).not.toMatch(new RegExp(`(from|(?<!import|getBuiltinModule)\\()"(node:)?${module}"`))
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

// What a run really loads, read from Node itself: a preload module writes process.moduleLoadList at exit.
describeBundle('what a run loads', () => {
  let dir: string
  let google: GoogleFixture
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gcn-modules-'))
    google = await startGoogle()
  })
  afterAll(async () => {
    await google.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const loadedBy = async (run: (env: Record<string, string>) => ReturnType<typeof runAction>): Promise<string[]> => {
    const list = join(dir, `modules-${Math.random().toString(36).slice(2)}.json`)
    const preload = join(dir, 'write-module-list.mjs')
    writeFileSync(
      preload,
      `import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)))\n`,
    )
    const result = await run({ NODE_OPTIONS: `--import=${preload}` })
    expect(result.code).toBe(0)
    expect(result.log).not.toMatch(/::(warning|error)::/)
    return JSON.parse(readFileSync(list, 'utf8')) as string[]
  }
  // Node's fetch stack: undici and the web streams it is built on (113 internal modules, ~25 ms).
  const FETCH_STACK = /^NativeModule internal\/(deps\/undici\/|webstreams\/)/

  test('a dry run loads no network module', async () => {
    const modules = await loadedBy((env) => runAction({ env, inputs: { 'dry-run': 'true', space: 'spaces/AAAA' } }))
    for (const module of ['http', 'https', 'tls', 'http2', 'zlib'])
      expect(modules).not.toContain(`NativeModule ${module}`)
    expect(modules.filter((m) => FETCH_STACK.test(m))).toEqual([])
  })

  test("a full run reaches Chat over node:https without loading Node's fetch stack", async () => {
    const modules = await loadedBy((env) => google.run({ env }))
    expect(modules).toContain('NativeModule https')
    expect(modules.filter((m) => FETCH_STACK.test(m))).toEqual([])
    expect(google.emulator.requests.map((r) => r.host)).toEqual(['oauth2.googleapis.com', 'chat.googleapis.com'])
  })

  test('the Google chunk leaves out node-fetch and qs (scripts/build.ts); the licenses file tells', () => {
    const licenses = readFileSync(join(DIST, 'licenses.txt'), 'utf8')
    expect(licenses).toMatch(/^google-auth-library@/m)
    for (const name of ['node-fetch', 'web-streams-polyfill', 'qs', 'object-inspect']) {
      expect(licenses).not.toMatch(new RegExp(`^${name}@`, 'm'))
    }
  })
})
