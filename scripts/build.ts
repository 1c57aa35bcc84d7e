// Bundles src/ into dist/: ESM, minified, the Google and GitHub API clients split into chunks
// that load only when a run needs them. `node scripts/build.ts [outdir] [--as-published] [--without NAME]…`.
import * as esbuild from 'esbuild'
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

// These packages only declare classes and functions at load time. Telling esbuild so lets it drop
// the files nothing uses: @actions/core pulls in an HTTP client (undici, tunnel) for OIDC, and
// @actions/github the whole Octokit, which would otherwise load node:http/https/tls at every start.
const SIDE_EFFECT_FREE =
  /node_modules\/(@actions\/(github|http-client|exec|io)|@octokit\/[^/]+|undici|tunnel|universal-user-agent|before-after-hook|fast-content-type-parse|json-with-bigint)\//

const sideEffectFree: esbuild.Plugin = {
  name: 'side-effect-free',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolved' || args.kind === 'entry-point' || args.path.startsWith('node:'))
        return undefined
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'resolved',
      })
      return SIDE_EFFECT_FREE.test(resolved.path.replaceAll('\\', '/')) ? { ...resolved, sideEffects: false } : resolved
    })
  },
}

// Google's client libraries in dist/. The source hands every client gaxios's documented `fetchImplementation` and
// `agent` options (src/delivery/google-fetch.ts, src/credentials/google-clients.ts), so gaxios sends through the
// action's transport as published. What the bundle changes beyond that is this table, and nothing else: each
// entry must apply at least once or the build fails (a library that moved is never adapted silently), and
// __tests__/e2e/as-published.test.ts signs in every way and posts through the emulator both from dist/ and from
// src/ run by Node with the libraries as published. Gains: the README's table (`npm run bench -- --dist dist
// --dist DIR` against `node scripts/build.ts DIR --without NAME`; `--as-published` leaves all of them out).
export const ADAPTATIONS = {
  /** esbuild `inject`: the libraries' `Headers`, `FormData`, `ReadableStream` come from google-fetch.ts: touching
   * Node's globals loads its fetch stack (undici, web streams). */
  'fetch-globals': 'Headers, FormData and ReadableStream from src/delivery/fetch-globals.ts (esbuild inject)',
  /** gaxios falls back to node-fetch for the clients google-auth-library builds without our transporter options
   * (its STS client): they get the action's fetch too, and node-fetch and its polyfills stay out of dist/. */
  'gaxios-fetch': "gaxios's import('node-fetch') gets src/delivery/node-fetch-stand-in.ts",
  /** A split bundle hands gaxios's import('https-proxy-agent') (CommonJS) over as `default` only, so
   * `.HttpsProxyAgent` is undefined: the same ES module the action's transport imports stands in. */
  'proxy-agent': "gaxios's import('https-proxy-agent') gets src/delivery/proxy-agent.ts",
  /** @googleapis/chat's v1 client uses only createAPIRequest; googleapis-common's index also loads every client of
   * google-auth-library (AWS, GCE metadata, impersonation…). Checked: every name v1.js reads exists there. */
  'chat-api-request': "@googleapis/chat's v1.js gets googleapis-common/build/src/apirequest.js, not the package index",
  /** googleapis-common's HTTP/2 transport (node:http2, zlib) serves only the `http2: true` option, never set here;
   * a stub that throws stands in. */
  'no-http2': "googleapis-common's ./http2 replaced by a stub that throws",
  /** qs brings object-inspect, get-intrinsic, side-channel…; createAPIRequest only stringifies flat query objects. */
  'query-string': "googleapis-common's qs replaced by src/delivery/query-string.ts",
} as const
export type Adaptation = keyof typeof ADAPTATIONS

const QUERY_STRING = resolve(root, 'src/delivery/query-string.ts')
const FETCH_GLOBALS = 'src/delivery/fetch-globals.ts'
const NODE_FETCH = resolve(root, 'src/delivery/node-fetch-stand-in.ts')
const PROXY_AGENT = resolve(root, 'src/delivery/proxy-agent.ts')
const GAXIOS = /gaxios[\\/]build[\\/]cjs[\\/]src[\\/]gaxios\.js$/
const CHAT_V1 = /@googleapis[\\/]chat[\\/]build[\\/]v1\.js$/
const API_REQUEST = /googleapis-common[\\/]build[\\/]src[\\/]apirequest\.js$/

/** Fails the build when a library no longer has what an adaptation assumes. */
function checkGoogleLibraries(): void {
  const load = createRequire(join(root, 'package.json'))
  const chat = load.resolve('@googleapis/chat/build/v1.js')
  const used = new Set([...readFileSync(chat, 'utf8').matchAll(/googleapis_common_1\.(\w+)/g)].map((m) => m[1]))
  const apiRequest = load('googleapis-common/build/src/apirequest.js') as Record<string, unknown>
  for (const name of used) {
    if (!(name in apiRequest))
      throw new Error(`${chat} uses googleapis-common's ${name}, not in apirequest.js: review scripts/build.ts`)
  }
  // The clients src/ imports from their own modules (the package's index loads them all).
  const clients = [
    ['google-auth-library/build/src/auth/jwtclient.js', 'JWT'],
    ['google-auth-library/build/src/auth/identitypoolclient.js', 'IdentityPoolClient'],
    ['@googleapis/chat/build/v1.js', 'chat_v1'],
  ] as const
  for (const [path, name] of clients) {
    if (!(load(path) as Record<string, unknown>)[name])
      throw new Error(`${path} no longer exports ${name}: review src/credentials`)
  }
}

function googleLibraries(active: Set<Adaptation>, applied: Map<Adaptation, number>): esbuild.Plugin {
  // Counts an adaptation as applied; false when it is switched off (the import resolves as published).
  const hit = (name: Adaptation) => active.has(name) && applied.set(name, (applied.get(name) ?? 0) + 1)
  return {
    name: 'google-libraries',
    setup(build) {
      build.onResolve({ filter: /^googleapis-common$/ }, async (args) => {
        if (!CHAT_V1.test(args.importer) || !hit('chat-api-request')) return undefined
        const result = await build.resolve('googleapis-common/build/src/apirequest.js', {
          kind: args.kind,
          resolveDir: args.resolveDir,
        })
        if (result.errors.length)
          throw new Error('googleapis-common/build/src/apirequest.js is gone: review scripts/build.ts')
        return result
      })
      build.onResolve({ filter: /^\.\/http2$/ }, (args) => {
        if (!API_REQUEST.test(args.importer) || !hit('no-http2')) return undefined
        return { path: 'googleapis-common-http2', namespace: 'google-libraries' }
      })
      build.onResolve({ filter: /^qs$/ }, (args) => {
        if (!API_REQUEST.test(args.importer) || !hit('query-string')) return undefined
        return { path: QUERY_STRING }
      })
      build.onResolve({ filter: /^node-fetch$/ }, (args) =>
        GAXIOS.test(args.importer) && hit('gaxios-fetch') ? { path: NODE_FETCH } : undefined,
      )
      build.onResolve({ filter: /^https-proxy-agent$/ }, (args) =>
        GAXIOS.test(args.importer) && hit('proxy-agent') ? { path: PROXY_AGENT } : undefined,
      )
      build.onLoad({ filter: /.*/, namespace: 'google-libraries' }, () => ({
        contents: `exports.request = () => { throw new Error('googleapis-common: http2 is not bundled in this action') }`,
        loader: 'js',
      }))
    },
  }
}

export interface BundleOptions {
  /** Build with none of ADAPTATIONS: Google's libraries exactly as published, to measure what they all gain. A
   * keyless run through a proxy fails in that bundle (see 'proxy-agent'). */
  asPublished?: boolean
  /** Leave these adaptations out (to measure what each one gains). */
  without?: Adaptation[]
}

export async function bundle(target: string, options: BundleOptions = {}): Promise<esbuild.Metafile> {
  const active = new Set<Adaptation>(
    options.asPublished ? [] : (Object.keys(ADAPTATIONS) as Adaptation[]).filter((n) => !options.without?.includes(n)),
  )
  if (active.size) checkGoogleLibraries()
  const applied = new Map<Adaptation, number>()
  if (active.has('fetch-globals')) applied.set('fetch-globals', 0)
  rmSync(target, { recursive: true, force: true })
  mkdirSync(target, { recursive: true })
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { index: 'src/index.ts', post: 'src/post.ts' },
    outdir: target,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    minify: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    plugins: [sideEffectFree, googleLibraries(active, applied)],
    inject: active.has('fetch-globals') ? [FETCH_GLOBALS] : [],
    // Bundled CommonJS (google-auth-library, gaxios) still calls require() for Node's own modules. (Not imported
    // from node:module: Node would build an ES-module facade for it, loading source maps support.)
    banner: { js: "const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);" },
  })
  // inject: the libraries' modules that now import fetch-globals.ts.
  for (const [input, info] of Object.entries(result.metafile.inputs)) {
    if (
      /node_modules\/(gaxios|google-auth-library|googleapis-common)\//.test(input) &&
      info.imports.some((i) => i.path.endsWith(FETCH_GLOBALS))
    )
      applied.set('fetch-globals', (applied.get('fetch-globals') ?? 0) + 1)
  }
  const stale = [...active].filter((name) => !applied.get(name))
  if (stale.length)
    throw new Error(
      `Adaptations that no longer apply (the library changed): ${stale.join(', ')}; review scripts/build.ts`,
    )
  writeFileSync(join(target, 'package.json'), '{"type":"module"}\n')
  writeFileSync(join(target, 'licenses.txt'), licenses(result.metafile))
  return result.metafile
}

/** The license text of every package that ended up in the bundle, as ncc's licenses file has. */
function licenses(metafile: esbuild.Metafile): string {
  const packages = new Map<string, string>()
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input)
    if (match) packages.set(match[2] as string, join(root, match[1] as string))
  }
  const sections: string[] = []
  for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { license?: string; version?: string }
    const file = existsSync(dir) ? readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f)) : undefined
    const text = file
      ? readFileSync(join(dir, file), 'utf8').trim()
      : `${pkg.license ?? 'UNKNOWN'} (no license file in the package)`
    sections.push(`${name}@${pkg.version ?? '?'}\n${pkg.license ?? ''}\n${text}`)
  }
  return sections.join('\n\n' + '-'.repeat(72) + '\n\n') + '\n'
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'as-published': { type: 'boolean' }, without: { type: 'string', multiple: true } },
  })
  const metafile = await bundle(resolve(root, positionals[0] ?? 'dist'), {
    asPublished: values['as-published'],
    without: values.without as Adaptation[] | undefined,
  })
  for (const [file, info] of Object.entries(metafile.outputs))
    console.log(`${(info.bytes / 1024).toFixed(1).padStart(8)} kB  ${file}`)
}
