// readWorkspaceFile: the one reader behind every file input (message-file, user-map).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readCustomMessageSource } from '../../src/inputs/custom-message.ts'
import { parseUserMap } from '../../src/inputs/mentions.ts'
import { readWorkspaceFile } from '../../src/inputs/workspace-file.ts'
import { inputError } from '../fixtures/samples.ts'

const SECRET = 'do-not-echo-this-content'
const options = (workspace: string, maxBytes = 1024) => ({ workspace, maxBytes, example: '.github/x.yml' })

let workspace: string
let outside: string

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'workspace-file-ws-'))
  outside = mkdtempSync(join(tmpdir(), 'workspace-file-out-'))
  mkdirSync(join(workspace, 'dir'))
  writeFileSync(join(workspace, 'dir/ok.yml'), 'octocat: users/1\n')
  writeFileSync(join(workspace, '..dots.yml'), 'octocat: users/2\n')
  writeFileSync(join(workspace, 'big.yml'), `# ${SECRET}\n`.repeat(100))
  writeFileSync(join(outside, 'secret.yml'), `octocat: users/1\n# ${SECRET}\n`)
  symlinkSync(join(outside, 'secret.yml'), join(workspace, 'escape.yml'))
  symlinkSync('dir/ok.yml', join(workspace, 'inside-link.yml'))
  symlinkSync('/dev/zero', join(workspace, 'zero.yml'))
  execFileSync('mkfifo', [join(workspace, 'pipe.yml')])
})

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

describe('readWorkspaceFile', () => {
  test('reads a file in the workspace, also through a symlink that stays inside', () => {
    expect(readWorkspaceFile('user-map', 'dir/ok.yml', options(workspace)).text).toBe('octocat: users/1\n')
    const linked = readWorkspaceFile('user-map', 'inside-link.yml', options(workspace))
    expect(linked).toEqual({ text: 'octocat: users/1\n', path: realpathSync(join(workspace, 'dir/ok.yml')) })
  })

  test.each([
    [
      'a ../ path',
      () => '../x.yml',
      /names a file that is outside the workspace .*: "\.\.\/x\.yml"; give a path inside/,
    ],
    ['an absolute path elsewhere', () => join(outside, 'secret.yml'), /is outside the workspace/],
    ['a symlink out of the workspace', () => 'escape.yml', /names a file that is outside the workspace/],
    ['a symlink to a device', () => 'zero.yml', /is outside the workspace/],
    ['a FIFO', () => 'pipe.yml', /names something that is not a file: "pipe\.yml" \(a named pipe\)/],
    ['a directory', () => 'dir', /names something that is not a file: "dir" \(a directory\)/],
    [
      'a file over the cap',
      () => 'big.yml',
      /names a file that is too large: "big\.yml" has \d+ bytes, more than 1024/,
    ],
    ['a missing file', () => 'nope.yml', /cannot be read: "nope\.yml" \(ENOENT\): it does not exist in the workspace/],
    ['the workspace itself', () => '.', /is outside the workspace/],
  ])('refuses %s with an InputError naming the input, never the content', (_, file, message) => {
    const error = inputError(() => readWorkspaceFile('user-map', file(), options(workspace)))
    expect(error.input).toBe('user-map')
    expect(error.message).toMatch(/^Input 'user-map' /)
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain(SECRET)
    expect(error.message).not.toContain('\n')
  })

  test('a name that starts with two dots is a file in the workspace, not a way out', () => {
    expect(readWorkspaceFile('user-map', '..dots.yml', options(workspace)).text).toBe('octocat: users/2\n')
    expect(() => readWorkspaceFile('user-map', '../x.yml', options(workspace))).toThrow(/outside the workspace/)
  })

  test('a device inside the workspace is refused without reading it', () => {
    // /dev as the workspace: /dev/zero is then inside it, and never ends if read.
    const error = inputError(() => readWorkspaceFile('message-file', 'zero', options('/dev')))
    expect(error.message).toMatch(/^Input 'message-file' names something that is not a file: "zero" \(a device\)/)
  })
})

describe('every file input goes through it', () => {
  test('user-map: a symlink out of the workspace is refused (it used to be read)', () => {
    const error = inputError(() => parseUserMap('escape.yml', { workspace }))
    expect(error.input).toBe('user-map')
    expect(error.message).toMatch(/outside the workspace/)
    expect(inputError(() => parseUserMap('pipe.yml', { workspace })).message).toMatch(/not a file/)
  })

  test('message-file: the same rules, naming message-file', () => {
    for (const file of ['escape.yml', 'pipe.yml', '../x.yml']) {
      const error = inputError(() => readCustomMessageSource({ message: '', messageFile: file }, workspace))
      expect(error.input).toBe('message-file')
    }
  })
})
