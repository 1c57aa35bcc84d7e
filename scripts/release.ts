// `npm run release -- X.Y.Z`: cuts a release that the runner downloads small. The runner fetches the whole repository
// at the tag for every job that uses the action, so the tag points at a commit holding only what the runner needs
// (RELEASE_FILES), on the branch releases/vX, while main keeps everything. Refuses on a dirty tree, failing tests or
// a stale dist/; tags vX.Y.Z, moves vX, and prints the release notes from CHANGELOG.md.
// `npm run release -- --dry-run` builds the same tree without committing and prints its size.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'

/** What the runner needs: the metadata, the bundle, and what a reader of the tag needs to know. */
export const RELEASE_FILES = ['action.yml', 'dist', 'README.md', 'LICENSE', 'CHANGELOG.md']
/** Below every peer's release tag measured (gzip of git archive: 377-888 kB). */
export const BUDGET_KB = 350

export interface Checks {
  /** Throws when the tests fail. */
  tests(cwd: string): void
  /** Throws when dist/ is not a fresh build of src/. */
  dist(cwd: string): void
}

export class ReleaseError extends Error {}

function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } })
  if (result.status !== 0) throw new ReleaseError(`git ${args.join(' ')} failed: ${result.stderr.trim()}`)
  return result.stdout.trim()
}

function run(cwd: string, command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' })
  if (result.status !== 0) throw new ReleaseError(`${what}: fix that first`)
}

export const realChecks: Checks = {
  tests: (cwd) => run(cwd, 'npm', ['test', '--', '--ci'], 'the tests fail'),
  dist: (cwd) => run(cwd, process.execPath, ['scripts/check-dist.ts'], 'dist/ is not a fresh build of src/'),
}

export function parseVersion(arg: string): { version: string; major: string } {
  const match = /^v?((\d+)\.\d+\.\d+)$/.exec(arg)
  if (!match) throw new ReleaseError(`version '${arg}' is not X.Y.Z (e.g. 1.2.0)`)
  return { version: match[1]!, major: match[2]! }
}

/** The files of the release, relative to the repository, in a stable order. */
export function releaseFiles(cwd: string): string[] {
  const found: string[] = []
  const walk = (path: string): void => {
    if (!existsSync(join(cwd, path)))
      throw new ReleaseError(`${path} is missing: a release needs ${RELEASE_FILES.join(', ')}`)
    if (statSync(join(cwd, path)).isDirectory())
      for (const name of readdirSync(join(cwd, path)).sort()) walk(`${path}/${name}`)
    else found.push(path)
  }
  for (const path of RELEASE_FILES) walk(path)
  return found
}

/** Writes the release's tree into the object store (through a private index) and returns its id and files. */
export function writeReleaseTree(cwd: string): { tree: string; files: string[] } {
  const files = releaseFiles(cwd)
  const dir = mkdtempSync(join(tmpdir(), 'release-index-'))
  try {
    const env = { GIT_INDEX_FILE: join(dir, 'index') }
    git(cwd, ['read-tree', '--empty'], env)
    // -f: the release holds these files even where .gitignore would hide them; they are listed one by one.
    git(cwd, ['add', '-f', '--', ...files], env)
    return { tree: git(cwd, ['write-tree'], env), files }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The gzip of the tree's tar, as the runner downloads it (git archive), in kB. */
export function archiveKb(cwd: string, tree: string): number {
  const tar = spawnSync('git', ['archive', '--format=tar', tree], { cwd, maxBuffer: 1 << 30 })
  if (tar.status !== 0) throw new ReleaseError(`git archive failed: ${tar.stderr.toString().trim()}`)
  return Math.round(gzipSync(tar.stdout, { level: 6 }).length / 1024)
}

/** The notes of one version from a Keep a Changelog file: the text under `## [X.Y.Z]` up to the next `## `. */
export function changelogNotes(changelog: string, version: string): string {
  const lines = changelog.split('\n')
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`))
  if (start === -1) throw new ReleaseError(`CHANGELOG.md has no '## [${version}]' section: add the release's notes`)
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '))
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .filter((line) => !/^\[[^\]]+\]: /.test(line))
    .join('\n')
    .trim()
}

export function dryRun(cwd: string): string {
  const { tree, files } = writeReleaseTree(cwd)
  const kb = archiveKb(cwd, tree)
  if (kb > BUDGET_KB) throw new ReleaseError(`the release is ${kb} kB, over its ${BUDGET_KB} kB budget`)
  return `release: ${files.length} files, ${kb} kB`
}

export function release(cwd: string, versionArg: string, checks: Checks = realChecks): string {
  const { version, major } = parseVersion(versionArg)
  const tag = `v${version}`
  if (git(cwd, ['status', '--porcelain', '--untracked-files=normal']))
    throw new ReleaseError('the working tree has uncommitted changes: commit or stash them first')
  if (git(cwd, ['tag', '--list', tag])) throw new ReleaseError(`tag ${tag} exists already`)
  const notes = changelogNotes(readFileSync(join(cwd, 'CHANGELOG.md'), 'utf8'), version)
  checks.dist(cwd)
  checks.tests(cwd)

  const { tree, files } = writeReleaseTree(cwd)
  const kb = archiveKb(cwd, tree)
  if (kb > BUDGET_KB) throw new ReleaseError(`the release is ${kb} kB, over its ${BUDGET_KB} kB budget`)
  const source = git(cwd, ['rev-parse', 'HEAD'])
  const branch = `releases/v${major}`
  const previous = spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
    cwd,
    encoding: 'utf8',
  })
  const parents = previous.status === 0 ? ['-p', previous.stdout.trim()] : []
  const commit = git(cwd, ['commit-tree', tree, ...parents, '-m', `Release ${tag}\n\nBuilt from ${source}.`])
  git(cwd, ['update-ref', `refs/heads/${branch}`, commit])
  git(cwd, ['tag', '-a', tag, '-m', `${tag}\n\n${notes}`, commit])
  git(cwd, ['tag', '-f', `v${major}`, commit])
  return [
    `Released ${tag} (${files.length} files, ${kb} kB) on ${branch}; v${major} moved to it.`,
    `Push: git push origin ${branch} ${tag} && git push --force origin v${major}`,
    '',
    `Notes for ${tag}:`,
    '',
    notes,
  ].join('\n')
}

function main(args: string[]): void {
  const cwd = process.cwd()
  try {
    if (args.includes('--dry-run')) console.log(dryRun(cwd))
    else if (args.length === 1) console.log(release(cwd, args[0]!))
    else throw new ReleaseError('usage: npm run release -- X.Y.Z, or npm run release -- --dry-run')
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error
    console.error(`release: ${error.message}`)
    process.exit(1)
  }
}

if (process.argv[1] && relative(process.argv[1], import.meta.filename) === '') main(process.argv.slice(2))
