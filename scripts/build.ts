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

// gaxios loads its proxy agent with import() from CommonJS; in a split ESM bundle esbuild turns that into a
// chunk whose only export is `default`, so `.HttpsProxyAgent` would be undefined and every proxied request
// would fail. A plain require() bundles the agent into the Google chunk, where it is needed anyway.
const PROXY_AGENT_IMPORT = "(await import('https-proxy-agent')).HttpsProxyAgent"

const gaxiosProxyAgent: esbuild.Plugin = {
  name: 'gaxios-proxy-agent',
  setup(build) {
    build.onLoad({ filter: /gaxios[\\/]build[\\/]cjs[\\/]src[\\/]gaxios\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes(PROXY_AGENT_IMPORT)) {
        throw new Error(
          `${args.path} no longer loads https-proxy-agent as expected: review the gaxios-proxy-agent plugin`,
        )
      }
      return {
        contents: source.replace(PROXY_AGENT_IMPORT, "require('https-proxy-agent').HttpsProxyAgent"),
        loader: 'js',
      }
    })
  },
}

export async function bundle(target: string): Promise<esbuild.Metafile> {
  rmSync(target, { recursive: true, force: true })
  mkdirSync(target, { recursive: true })
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { index: 'src/index.ts' },
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
    plugins: [sideEffectFree, gaxiosProxyAgent],
    // Bundled CommonJS (google-auth-library, gaxios) still calls require() for Node's own modules.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
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
