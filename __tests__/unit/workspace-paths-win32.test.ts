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
/** Open descriptors of the pretend disk: fd -> real path. */
const open = new Map<number, string>()
jest.unstable_mockModule('node:fs', () => {
  const fs = {
    // Windows has neither O_NONBLOCK nor O_NOFOLLOW: Node reports them as undefined there.
    constants: { O_RDONLY: 0 },
    realpathSync: realpath,
    openSync: (p: string) => {
      const real = realpath(p)
      const fd = 100 + open.size
      open.set(fd, real)
      return fd
    },
    fstatSync: (fd: number) => {
      const text = files.get(key(open.get(fd) ?? ''))
      return {
        isFile: () => text !== undefined,
        isDirectory: () => text === undefined,
        isFIFO: () => false,
        isCharacterDevice: () => false,
        isBlockDevice: () => false,
        isSocket: () => false,
        size: Buffer.byteLength(text ?? ''),
      }
    },
    readSync: (fd: number, buffer: Buffer, offset: number, length: number, position: number | null) => {
      const bytes = Buffer.from(files.get(key(open.get(fd) ?? '')) ?? '')
      const start = position ?? 0
      // One read returns the whole (small) file; the next returns 0 (end of file).
      if (consumed.has(fd)) return 0
      consumed.add(fd)
      return bytes.copy(buffer, offset, start, Math.min(bytes.length, start + length))
    },
    closeSync: (fd: number) => {
      open.delete(fd)
      consumed.delete(fd)
    },
  }
  return { ...fs, default: fs }
})
const consumed = new Set<number>()

let readCustomMessageSource: typeof import('../../src/inputs/custom-message.ts').readCustomMessageSource
let parseUserMap: typeof import('../../src/inputs/mentions.ts').parseUserMap

beforeAll(async () => {
  ;({ readCustomMessageSource } = await import('../../src/inputs/custom-message.ts'))
  ;({ parseUserMap } = await import('../../src/inputs/mentions.ts'))
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
    expect(() => read(given)).toThrow(
      /^Input 'message-file' names a file that is outside the workspace \(D:\\a\\repo\\repo\)/,
    )
  })
})

describe('user-map file with Windows paths', () => {
  const access = { workspace: WORKSPACE }

  test('reads a map from the workspace, with either separator', () => {
    expect(parseUserMap('.github\\users.yml', access)).toEqual({ octocat: 'users/123' })
    expect(parseUserMap('.github/users.yml', access)).toEqual({ octocat: 'users/123' })
  })

  test.each(['C:\\secrets\\users.yml', '..\\other\\users.yml', 'D:\\elsewhere\\users.json'])(
    'refuses %s: outside the workspace',
    (given) => {
      expect(() => parseUserMap(given, access)).toThrow(/^Input 'user-map' names a file that is outside the workspace/)
    },
  )
})
