// Bundles src/ into dist/: ESM, minified, the Google and GitHub API clients split into chunks
// that load only when a run needs them. `node scripts/build.ts [outdir]`.
import * as esbuild from 'esbuild'
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outdir = resolve(root, process.argv[2] ?? 'dist')

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

// Google's client libraries, adapted in the bundle (the source runs them as published):
// - gaxios sends every request through src/delivery/google-fetch.ts (node:https, the action's transport) instead
//   of node-fetch, and the libraries' modules take Headers, FormData and ReadableStream from that file instead of
//   Node's globals: touching those loads Node's whole fetch stack (undici, web streams), ~25 ms of a run.
// - gaxios loads its proxy agent with import() from CommonJS; in a split ESM bundle esbuild turns that into a chunk
//   whose only export is `default`, so `.HttpsProxyAgent` would be undefined and every proxied request would fail.
//   A plain require() bundles the agent into the Google chunk, where it is needed anyway.
// - @googleapis/chat's v1 client uses only createAPIRequest from googleapis-common, whose index would also load
//   every client of google-auth-library (AWS, GCE metadata, impersonation, …): ~15 ms. src/ imports the two
//   clients it signs in with from their own modules for the same reason. Its HTTP/2 transport (node:http2, zlib:
//   ~6 ms) is only used with the `http2: true` option, which the action never sets; a stub that fails loudly
//   stands in for it. Its query strings come from src/delivery/query-string.ts instead of qs, which brings
//   object-inspect, get-intrinsic and side-channel along: ~50 kB, a quarter of what a run loads to send.
// The gaxios edits fail the build when its code no longer matches; __tests__/e2e/bundle.test.ts fails when a run
// loads Node's fetch stack again or qs and node-fetch come back into the bundle.
const GOOGLE_FETCH = resolve(root, 'src/delivery/google-fetch.ts')
const QUERY_STRING = resolve(root, 'src/delivery/query-string.ts')
const API_REQUEST = /googleapis-common[\\/]build[\\/]src[\\/]apirequest\.js$/
const GOOGLE_LIBRARY =
  /node_modules[\\/](gaxios|google-auth-library|googleapis-common|@googleapis[\\/]chat)[\\/].*\.c?js$/
const FETCH_GLOBALS = ['Headers', 'FormData', 'ReadableStream'] as const
const GAXIOS_EDITS: [from: string, to: string][] = [
  ["(await import('https-proxy-agent')).HttpsProxyAgent", "require('https-proxy-agent').HttpsProxyAgent"],
  ["(await import('node-fetch')).default", `require(${JSON.stringify(GOOGLE_FETCH)}).fetch`],
]

const googleLibraries: esbuild.Plugin = {
  name: 'google-libraries',
  setup(build) {
    build.onResolve({ filter: /^googleapis-common$/ }, (args) =>
      /@googleapis[\\/]chat[\\/]build[\\/]v1\.js$/.test(args.importer)
        ? build.resolve('googleapis-common/build/src/apirequest.js', { kind: args.kind, resolveDir: args.resolveDir })
        : undefined,
    )
    build.onResolve({ filter: /^\.\/http2$/ }, (args) =>
      API_REQUEST.test(args.importer) ? { path: 'googleapis-common-http2', namespace: 'google-libraries' } : undefined,
    )
    build.onResolve({ filter: /^qs$/ }, (args) =>
      API_REQUEST.test(args.importer) ? { path: QUERY_STRING } : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: 'google-libraries' }, () => ({
      contents: `exports.request = () => { throw new Error('googleapis-common: http2 is not bundled in this action') }`,
      loader: 'js',
    }))
    build.onLoad({ filter: GOOGLE_LIBRARY }, (args) => {
      let source = readFileSync(args.path, 'utf8')
      if (/gaxios[\\/]build[\\/]cjs[\\/]src[\\/]gaxios\.js$/.test(args.path)) {
        for (const [from, to] of GAXIOS_EDITS) {
          if (!source.includes(from)) throw new Error(`${args.path} no longer has ${from}: review scripts/build.ts`)
          source = source.replace(from, to)
        }
      }
      const used = FETCH_GLOBALS.filter((name) => new RegExp(`(?<![.\\w$])${name}\\b`).test(source))
      if (used.length) source = `var {${used.join(',')}}=require(${JSON.stringify(GOOGLE_FETCH)});${source}`
      return { contents: source, loader: 'js' }
    })
  },
}

export async function bundle(target: string): Promise<esbuild.Metafile> {
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
    plugins: [sideEffectFree, googleLibraries],
    // Bundled CommonJS (google-auth-library, gaxios) still calls require() for Node's own modules. (Not imported
    // from node:module: Node would build an ES-module facade for it, loading source maps support.)
    banner: { js: "const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);" },
  })
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
  const metafile = await bundle(outdir)
  for (const [file, info] of Object.entries(metafile.outputs))
    console.log(`${(info.bytes / 1024).toFixed(1).padStart(8)} kB  ${file}`)
}
