// The post step (action.yml runs.post with post-if: always()) runs in every job that uses the action. Without
// follow-job it must cost next to nothing: dist/post.js reads its state and exits, loading nothing else.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { actionEntry, ROOT } from '../../scripts/simulate-runner.ts'
import { testBundle } from '../fixtures/entry.ts'

const POST = actionEntry('post')

/** The entry and every chunk it imports statically. */
function startupFiles(file = POST, seen = new Set<string>()): Set<string> {
  seen.add(file)
  for (const [, path] of readFileSync(file, 'utf8').matchAll(/(?:import|from)\s*"(\.\/[^"]+)"/g)) {
    const next = join(dirname(file), path!)
    if (!seen.has(next)) startupFiles(next, seen)
  }
  return seen
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gcn-post-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs a script as the runner runs a step (only the env given), with the list of modules Node loaded. */
async function runNode(args: string[], env: Record<string, string>) {
  const list = join(dir, `modules-${Math.random().toString(36).slice(2)}.json`)
  const preload = join(dir, 'write-module-list.mjs')
  writeFileSync(
    preload,
    `import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)))\n`,
  )
  const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: `--import=${preload}`, ...env },
  })
  return { output: stdout + stderr, modules: JSON.parse(readFileSync(list, 'utf8')) as string[] }
}

test('action.yml runs dist/post.js after the job, whatever its outcome', () => {
  const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8')
  expect(yml).toMatch(/^ {2}post: dist\/post\.js$/m)
  expect(yml).toMatch(/^ {2}post-if: always\(\)$/m)
})

// Every entry shares one chunk with esbuild's runtime and the fetch-globals inject file (scripts/build.ts's
// ADAPTATIONS): the bound leaves room for that chunk, not for a client or @actions/core.
testBundle('post.js loads under 6 kB of our bundle before it decides, and none of the clients', () => {
  const files = [...startupFiles()]
  expect(files.reduce((sum, file) => sum + statSync(file).size, 0)).toBeLessThan(6 * 1024)
  const code = files.map((file) => readFileSync(file, 'utf8')).join('\n')
  expect(code).not.toMatch(/::warning::|googleapis|octokit/i)
})

testBundle(
  'without saved state it prints nothing and loads no more of Node than `node -e 0` and an ES module do',
  async () => {
    const bare = await runNode(['--input-type=module', '-e', 'await 0'], {})
    const post = await runNode([POST], { GITHUB_ACTIONS: 'true', RUNNER_NAME: 'GitHub Actions 1' })
    expect(post.output).toBe('')
    const extra = post.modules.filter((m) => !bare.modules.includes(m))
    // A file with import.meta needs three of Node's own modules more (module, source_map, import.meta); importing
    // @actions/core would add about a hundred.
    for (const module of ['http', 'https', 'tls', 'net', 'crypto', 'zlib']) {
      expect(post.modules).not.toContain(`NativeModule ${module}`)
    }
    expect(extra.length).toBeLessThan(10)
  },
)

test('broken saved state: one warning, the job is not failed', async () => {
  const { output } = await runNode([POST], { STATE_follow_job: '{not json' })
  expect(output.trim()).toBe(
    '::warning::follow-job: the saved follow-job state is not JSON; the card was left as the main step posted it',
  )
})
