// Fails when dist/ is not exactly what a fresh bundle of src/ gives: the runner runs dist/, not src/.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { bundle } from './build.ts'

function files(dir: string): Map<string, string> {
  const found = new Map<string, string>()
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name)
      if (statSync(path).isDirectory()) walk(path)
      else found.set(relative(dir, path), readFileSync(path, 'utf8'))
    }
  }
  walk(dir)
  return found
}

const fresh = mkdtempSync(join(tmpdir(), 'dist-check-'))
try {
  await bundle(fresh)
  const expected = files(fresh)
  const actual = files('dist')
  const names = new Set([...expected.keys(), ...actual.keys()])
  const stale = [...names].filter((name) => expected.get(name) !== actual.get(name)).sort()
  if (stale.length) {
    console.error(
      `dist/ is not a fresh bundle of src/ (${stale.join(', ')} differ): run npm run build and commit dist/`,
    )
    process.exit(1)
  }
  console.log(`dist/ matches a fresh bundle (${expected.size} files)`)
} finally {
  rmSync(fresh, { recursive: true, force: true })
}
