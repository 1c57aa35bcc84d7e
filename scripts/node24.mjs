// Every npm script and .ci/run go through this launcher: the project's scripts and tests need Node 24 (the runner's
// node24), and a fresh machine may have an older Node. On Node 24 or later it runs the command with the running
// Node; on an older one it fetches Node 24 once from the npm registry (the node-<os>-<arch> packages) into the
// gitignored .ci/.node and runs the command there, with that Node first on PATH so child processes use it too.
// Plain JavaScript, so that any Node that can run npm can run it.
//
//   node scripts/node24.mjs [node flags] <script> [args]   run a script; node flags also go to NODE_OPTIONS
//   node scripts/node24.mjs --bin-dir                      print the folder holding Node 24 (for PATH)
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const WANTED_MAJOR = 24
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const HOME = join(ROOT, '.ci', '.node')

/** The npm package that carries Node's binary for this platform, or undefined where the registry has none. */
export function nodePackage(platform = process.platform, arch = process.arch) {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[platform]
  // Published for Node 24 (checked on the registry): linux-x64, linux-arm64, darwin-x64, win-x64.
  const published = ['linux-x64', 'linux-arm64', 'darwin-x64', 'win-x64']
  return os && published.includes(`${os}-${arch}`) ? `node-${os}-${arch}@${WANTED_MAJOR}` : undefined
}

export function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0])
}

function binaryIn(home, platform = process.platform) {
  return join(home, 'bin', platform === 'win32' ? 'node.exe' : 'node')
}

function versionOf(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

function fail(line) {
  console.error(`node24: ${line}`)
  process.exit(1)
}

/** Runs npm: the npm that started this script when there is one, else the npm on PATH. */
function npm(args, cwd) {
  const cli = process.env.npm_execpath
  const result =
    cli && /\.c?js$/.test(cli)
      ? spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' })
      : spawnSync('npm', args, { cwd, encoding: 'utf8', shell: process.platform === 'win32' })
  if (result.status !== 0)
    throw new Error(
      `npm ${args.join(' ')} failed: ${(result.stderr || result.error || '').toString().trim().split('\n').pop()}`,
    )
  return result.stdout
}

/** Downloads Node 24 into .ci/.node once; a concurrent download elsewhere wins the rename and this one is dropped. */
function install() {
  const pkg = nodePackage()
  const advice = `install Node ${WANTED_MAJOR} (https://nodejs.org or your version manager) and run the command again`
  if (!pkg)
    fail(
      `Node ${process.version} is older than ${WANTED_MAJOR} and the npm registry has no Node ${WANTED_MAJOR} for ${process.platform}-${process.arch}: ${advice}.`,
    )
  mkdirSync(dirname(HOME), { recursive: true })
  const work = mkdtempSync(join(dirname(HOME), '.node-download-'))
  try {
    console.error(
      `node24: Node ${process.version} is older than ${WANTED_MAJOR}; fetching ${pkg} from the npm registry into .ci/.node (once)`,
    )
    npm(['pack', '--silent', pkg], work)
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))
    if (!tarball) throw new Error(`npm pack ${pkg} wrote no tarball`)
    const unpacked = join(work, 'node')
    mkdirSync(unpacked)
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', 'node', '--strip-components=1'], {
      cwd: work,
      encoding: 'utf8',
    })
    if (tar.status !== 0)
      throw new Error(`tar could not unpack ${tarball}: ${(tar.stderr || tar.error || '').toString().trim()}`)
    const version = versionOf(binaryIn(unpacked))
    if (majorOf(version) !== WANTED_MAJOR)
      throw new Error(`${pkg} gave a Node that does not run here (${version ?? 'no version'})`)
    try {
      renameSync(unpacked, HOME)
    } catch (error) {
      if (!existsSync(binaryIn(HOME))) throw error
    }
  } catch (error) {
    fail(`could not fetch Node ${WANTED_MAJOR} (${error.message}): ${advice}.`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** The Node 24 binary to use: this one if it is recent enough, else the one in .ci/.node (fetched if missing). */
export function node24() {
  if (majorOf(process.version) >= WANTED_MAJOR) return process.execPath
  if (majorOf(versionOf(binaryIn(HOME))) !== WANTED_MAJOR) {
    rmSync(HOME, { recursive: true, force: true })
    install()
  }
  return binaryIn(HOME)
}

/** Splits leading Node flags (--experimental-vm-modules) from the script and its arguments. */
export function splitArgs(args) {
  const at = args.findIndex((arg) => !arg.startsWith('-'))
  return at === -1 ? { flags: args, rest: [] } : { flags: args.slice(0, at), rest: args.slice(at) }
}

function main(args) {
  if (args[0] === '--bin-dir') {
    console.log(dirname(node24()))
    return
  }
  const { flags, rest } = splitArgs(args)
  if (rest.length === 0) fail('usage: node scripts/node24.mjs [node flags] <script> [args]')
  const node = node24()
  const env = { ...process.env }
  // Windows spells it Path; prepend to whichever spelling the environment has.
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH'
  env[pathKey] = `${dirname(node)}${delimiter}${env[pathKey] ?? ''}`
  // Flags go to NODE_OPTIONS too, so the workers and child processes the script starts (jest's) get them.
  if (flags.length) env.NODE_OPTIONS = [process.env.NODE_OPTIONS, ...flags].filter(Boolean).join(' ')
  const result = spawnSync(node, [...flags, ...rest], { stdio: 'inherit', env })
  if (result.error) fail(`could not start ${node}: ${result.error.message}`)
  process.exit(result.status ?? 1)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2))
