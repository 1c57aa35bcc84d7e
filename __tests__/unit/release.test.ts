// scripts/release.ts on temporary repositories: what a release commit holds, where the tags point, what it refuses.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BUDGET_KB, changelogNotes, dryRun, release, type Checks } from '../../scripts/release.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const passing: Checks = { tests: () => {}, dist: () => {} }
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()
}

const CHANGELOG = `# Changelog

## [Unreleased]

- Next thing.

## [1.2.0]

### Added

- The feature.

## [1.1.0]

- Older.

[1.2.0]: https://example.com/compare/v1.1.0...v1.2.0
`

/** A small action repository: the release files plus sources and tests that must stay out of a release. */
function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'release-test-'))
  dirs.push(dir)
  const files: Record<string, string> = {
    'action.yml': 'name: x\nruns:\n  using: node24\n  main: dist/index.js\n',
    'dist/index.js': 'console.log(1)\n',
    'dist/chunks/a.js': 'export const a = 1\n',
    'README.md': '# x\n',
    LICENSE: 'MIT\n',
    'CHANGELOG.md': CHANGELOG,
    'src/index.ts': 'console.log(1)\n',
    '__tests__/a.test.ts': '\n',
    '.gitignore': 'node_modules/\n',
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  git(dir, 'init', '-q', '-b', 'main')
  // An identity for the commits the test and release() make, written directly: no git process per setting, and
  // none of the machine's config needed (CI runners have no user.name).
  appendFileSync(join(dir, '.git', 'config'), '[user]\n\tname = Test\n\temail = test@example.com\n')
  git(dir, 'add', '.')
  git(dir, 'commit', '-q', '-m', 'source')
  return dir
}

describe('release', () => {
  it('commits only what the runner needs on releases/vX, tags vX.Y.Z, moves vX and prints the notes', () => {
    const dir = repository()
    const main = git(dir, 'rev-parse', 'HEAD')
    const out = release(dir, '1.2.0', passing)

    expect(git(dir, 'ls-tree', '-r', '--name-only', 'v1.2.0')).toBe(
      ['CHANGELOG.md', 'LICENSE', 'README.md', 'action.yml', 'dist/chunks/a.js', 'dist/index.js'].join('\n'),
    )
    const commit = git(dir, 'rev-parse', 'v1.2.0^{commit}')
    expect(git(dir, 'rev-parse', 'releases/v1')).toBe(commit)
    expect(git(dir, 'rev-parse', 'v1^{commit}')).toBe(commit)
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(main)
    expect(git(dir, 'status', '--porcelain')).toBe('')
    expect(git(dir, 'log', '-1', '--format=%B', commit)).toContain(`Built from ${main}`)
    expect(out).toContain('Released v1.2.0 (6 files')
    expect(out.endsWith('### Added\n\n- The feature.')).toBe(true)
    expect(git(dir, 'tag', '-l', '--format=%(contents)', 'v1.2.0')).toContain('- The feature.')
  })

  it('builds the next release on the previous one and moves vX', () => {
    const dir = repository()
    release(dir, '1.1.0', passing)
    const first = git(dir, 'rev-parse', 'v1^{commit}')
    writeFileSync(join(dir, 'dist/index.js'), 'console.log(2)\n')
    git(dir, 'commit', '-q', '-am', 'change')
    release(dir, 'v1.2.0', passing)
    const second = git(dir, 'rev-parse', 'v1^{commit}')
    expect(second).not.toBe(first)
    expect(git(dir, 'rev-parse', `${second}^`)).toBe(first)
    expect(git(dir, 'rev-parse', 'v1.1.0^{commit}')).toBe(first)
  })

  it('refuses a dirty tree or an untracked file', () => {
    const dir = repository()
    writeFileSync(join(dir, 'README.md'), '# changed\n')
    expect(() => release(dir, '1.2.0', passing)).toThrow('uncommitted changes')
    git(dir, 'checkout', '--', 'README.md')
    writeFileSync(join(dir, 'stray.txt'), 'x')
    expect(() => release(dir, '1.2.0', passing)).toThrow('uncommitted changes')
  })

  it('refuses failing tests, a stale dist, missing notes, a bad version or an existing tag', () => {
    const dir = repository()
    const fail = (what: string) => () => {
      throw new Error(what)
    }
    expect(() => release(dir, '1.2.0', { ...passing, tests: fail('the tests fail') })).toThrow('the tests fail')
    expect(() => release(dir, '1.2.0', { ...passing, dist: fail('dist is stale') })).toThrow('dist is stale')
    expect(() => release(dir, '9.0.0', passing)).toThrow("CHANGELOG.md has no '## [9.0.0]' section")
    expect(() => release(dir, '1.2', passing)).toThrow("version '1.2' is not X.Y.Z")
    expect(git(dir, 'tag')).toBe('')
    expect(() => git(dir, 'rev-parse', '--verify', '-q', 'releases/v1')).toThrow()

    release(dir, '1.2.0', passing)
    expect(() => release(dir, '1.2.0', passing)).toThrow('tag v1.2.0 exists already')
  })
})

describe('dry run', () => {
  it("ends with one line giving the release's files and size, and commits nothing", () => {
    const dir = repository()
    expect(dryRun(dir)).toMatch(/^release: 6 files, \d+ kB$/)
    expect(git(dir, 'tag')).toBe('')
    expect(git(dir, 'branch', '--list')).toBe('* main')
  })

  it('names a missing release file', () => {
    const dir = repository()
    rmSync(join(dir, 'LICENSE'))
    expect(() => dryRun(dir)).toThrow('LICENSE is missing')
  })

  it(`keeps this repository's release within its ${BUDGET_KB} kB budget`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'release-clone-'))
    dirs.push(dir)
    git(ROOT, 'clone', '-q', ROOT, dir)
    const line = dryRun(dir)
    const kb = Number(/(\d+) kB$/.exec(line)![1])
    expect(kb).toBeGreaterThan(50)
    expect(kb).toBeLessThanOrEqual(BUDGET_KB)
  })
})

describe('changelogNotes', () => {
  it('takes one version section, without link references', () => {
    expect(changelogNotes(CHANGELOG, '1.1.0')).toBe('- Older.')
    expect(changelogNotes(CHANGELOG, 'Unreleased')).toBe('- Next thing.')
  })
})
