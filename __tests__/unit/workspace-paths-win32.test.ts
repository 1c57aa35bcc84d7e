// The workspace checks of message-file and user-map with Windows path semantics, as on a windows-latest runner
// (GITHUB_WORKSPACE like D:\a\repo\repo): node:path is path.win32 here and node:fs an in-memory Windows disk, so
// these run on any OS. The same checks run for real on Windows in the repository's end-to-end matrix.
import { beforeAll, describe, expect, jest, test } from '@jest/globals'
import path from 'node:path'

const win32 = path.win32
const WORKSPACE = 'D:\\a\\repo\\repo'

/** Files on the pretend disk, by lower-cased absolute path (Windows paths are case-insensitive). */
const files = new Map<string, string>()
/** Symbolic links: link path -> target, both absolute. */
const links = new Map<string, string>()
const key = (p: string) => win32.resolve(p).toLowerCase()
function addFile(p: string, text: string): void {
  files.set(key(p), text)
}
function notFound(p: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${p}'`), { code: 'ENOENT' })
}
function realpath(p: string): string {
  const resolved = win32.resolve(p)
  const target = links.get(key(resolved))
  if (target) return realpath(target)
  if (key(resolved) === key(WORKSPACE) || files.has(key(resolved))) return resolved
  throw notFound(p)
}

jest.unstable_mockModule('node:path', () => ({ ...win32, default: win32 }))
jest.unstable_mockModule('node:fs', () => {
  const fs = {
    realpathSync: realpath,
    statSync: (p: string) => {
      const real = realpath(p)
      const text = files.get(key(real))
      return { isFile: () => text !== undefined, size: Buffer.byteLength(text ?? '') }
    },
    readFileSync: (p: string) => {
      const text = files.get(key(realpath(p)))
      if (text === undefined) throw notFound(p)
      return text
    },
  }
  return { ...fs, default: fs }
})

let readCustomMessageSource: typeof import('../../src/message/custom-message.ts').readCustomMessageSource
let parseUserMap: typeof import('../../src/message/mentions.ts').parseUserMap

beforeAll(async () => {
  ;({ readCustomMessageSource } = await import('../../src/message/custom-message.ts'))
  ;({ parseUserMap } = await import('../../src/message/mentions.ts'))
  addFile(`${WORKSPACE}\\.github\\chat\\deploy.yaml`, 'text: deployed')
  addFile(`${WORKSPACE}\\message.json`, '{"text": "hi"}')
  addFile('C:\\secrets\\key.json', '{"text": "secret"}')
  addFile('D:\\a\\repo\\other\\message.json', '{"text": "a neighbour"}')
  addFile(`${WORKSPACE}\\.github\\users.yml`, 'octocat: users/123')
  links.set(key(`${WORKSPACE}\\link.json`), 'C:\\secrets\\key.json')
  links.set(key(`${WORKSPACE}\\inside-link.json`), `${WORKSPACE}\\message.json`)
})

function read(messageFile: string) {
  return readCustomMessageSource({ message: '', messageFile }, WORKSPACE)
}

describe('message-file with Windows paths', () => {
  test.each([
    ['.github\\chat\\deploy.yaml', `${WORKSPACE}\\.github\\chat\\deploy.yaml`],
    ['.github/chat/deploy.yaml', `${WORKSPACE}\\.github\\chat\\deploy.yaml`],
    [`${WORKSPACE}\\message.json`, `${WORKSPACE}\\message.json`],
    ['d:\\A\\REPO\\repo\\message.json', `d:\\A\\REPO\\repo\\message.json`],
    ['inside-link.json', `${WORKSPACE}\\message.json`],
  ])('reads %s from the workspace', (given, resolved) => {
    expect(read(given)).toMatchObject({ input: 'message-file', path: resolved })
  })

  test.each([
    'C:\\secrets\\key.json',
    '..\\other\\message.json',
    '../other/message.json',
    'D:\\a\\repo\\other\\message.json',
    '\\\\server\\share\\message.json',
    '\\secrets\\key.json',
    'link.json',
  ])('refuses %s: outside the workspace', (given) => {
    expect(() => read(given)).toThrow(/^Input 'message-file' ".*" is outside the workspace \(D:\\a\\repo\\repo\)/)
  })
})

describe('user-map file with Windows paths', () => {
  const access = { workspace: WORKSPACE, readFile: (p: string) => files.get(key(p)) ?? '' }

  test('reads a map from the workspace, with either separator', () => {
    expect(parseUserMap('.github\\users.yml', access)).toEqual({ octocat: 'users/123' })
    expect(parseUserMap('.github/users.yml', access)).toEqual({ octocat: 'users/123' })
  })

  test.each(['C:\\secrets\\users.yml', '..\\other\\users.yml', 'D:\\elsewhere\\users.json'])(
    'refuses %s: outside the workspace',
    (given) => {
      expect(() => parseUserMap(given, access)).toThrow(/^Input 'user-map' names a file outside the workspace/)
    },
  )
})
