// The one way an input reads a file: a regular file inside the workspace (symlinks followed, and the file they
// lead to must be inside too), opened without blocking and read only up to a cap. Errors name the input and the
// path as given, never the content.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import { InputError } from '../errors.ts'

/** Where file inputs are read from. */
export interface FileAccess {
  /** GITHUB_WORKSPACE: a file input's path is resolved against it and must stay inside it. */
  workspace: string
}

export interface WorkspaceFileOptions {
  /** GITHUB_WORKSPACE: the path is resolved against it and may not leave it. */
  workspace: string
  maxBytes: number
  /** A path that would fit, for the error when the path leaves the workspace. */
  example: string
}

export interface WorkspaceFile {
  text: string
  /** The file's real path (symlinks resolved). */
  path: string
}

// O_NONBLOCK: opening a FIFO does not wait for a writer. O_NOFOLLOW: the real path cannot become a symlink between
// realpath and open. Both are 0 on Windows, which has neither.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

export function readWorkspaceFile(input: string, file: string, options: WorkspaceFileOptions): WorkspaceFile {
  const shown = JSON.stringify(file.length > 200 ? `${file.slice(0, 200)}…` : file)
  const root = resolve(options.workspace)
  const outside = () =>
    new InputError(
      input,
      `names a file that is outside the workspace (${root}): ${shown}; give a path inside the repository checkout, e.g. ${options.example}`,
    )
  if (escapes(root, resolve(root, file))) throw outside()

  let real: string
  try {
    real = realpathSync(resolve(root, file))
  } catch (error) {
    throw unreadable(input, shown, root, error)
  }
  // A symlink in the checkout may point anywhere: the file it resolves to must be in the workspace too.
  if (escapes(realpathSync(root), real)) throw outside()

  let fd: number
  try {
    fd = openSync(real, OPEN_FLAGS)
  } catch (error) {
    throw unreadable(input, shown, root, error)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new InputError(input, `names something that is not a file: ${shown} (${kindOf(stat)})`)
    if (stat.size > options.maxBytes) throw tooLarge(input, shown, stat.size, options.maxBytes)
    // Read one byte past the cap: a file that grew since fstat is refused, not cut.
    const buffer = Buffer.allocUnsafe(options.maxBytes + 1)
    let length = 0
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
    }
    if (length > options.maxBytes) throw tooLarge(input, shown, length, options.maxBytes)
    return { text: buffer.toString('utf8', 0, length), path: real }
  } finally {
    closeSync(fd)
  }
}

function escapes(base: string, target: string): boolean {
  const rel = relative(base, target)
  // `..x.json` is a file in the workspace; only `..` itself or a path through it leaves.
  return rel === '' || rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel)
}

function unreadable(input: string, shown: string, root: string, error: unknown): InputError {
  const code = (error as { code?: unknown }).code
  const why = code === 'ENOENT' || code === 'ENOTDIR' ? `: it does not exist in the workspace (${root})` : ''
  return new InputError(
    input,
    `names a file that cannot be read: ${shown}${typeof code === 'string' ? ` (${code})` : ''}${why}; did the job check out the repository (actions/checkout) first?`,
  )
}

function tooLarge(input: string, shown: string, size: number, maxBytes: number): InputError {
  return new InputError(input, `names a file that is too large: ${shown} has ${size} bytes, more than ${maxBytes}`)
}

function kindOf(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isDirectory()) return 'a directory'
  if (stat.isFIFO()) return 'a named pipe'
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device'
  if (stat.isSocket()) return 'a socket'
  return 'not a regular file'
}
