// The folder layout is the data flow: src/ imports only downward through these layers, has no runtime import
// cycle, and only main.ts reads inputs (everything else takes Settings from src/domain.ts).
import { describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { importGraph, importsOf, runtimeCycles, type ImportEdge } from '../fixtures/import-graph.ts'

/** Lowest first: a module may import its own layer and the ones above it in this list, never one below. */
const LAYERS: readonly (readonly [name: string, paths: readonly string[]])[] = [
  ['vocabulary', ['errors.ts', 'domain.ts', 'text.ts', 'google-error.ts', 'network-failure.ts']],
  ['github', ['github/']],
  ['inputs', ['inputs/']],
  ['credentials', ['credentials/']],
  ['message', ['message/']],
  ['delivery', ['delivery/']],
  ['follow-job', ['follow-job/']],
  ['outputs', ['outputs.ts', 'dry-run.ts']],
  ['main', ['main.ts', 'index.ts', 'post.ts']],
]

/** Only these read inputs/: nothing downstream may depend on how an input is written. */
const READS_INPUTS = new Set(['inputs', 'main'])

/**
 * Type-only imports that still point against the flow, each with who removes it. A runtime import on one of these
 * edges is still a violation.
 */
const KNOWN_UPWARD_TYPE_IMPORTS = new Set([
  // AppCredentials is declared in delivery/deliver.ts; it belongs to credentials/, which another change splits.
  'credentials/app-credentials.ts -> delivery/deliver.ts',
])

function layerOf(path: string): number {
  const layer = LAYERS.findIndex(([, paths]) =>
    paths.some((prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix)),
  )
  if (layer < 0) throw new Error(`src/${path} is in no layer: add it to LAYERS in __tests__/unit/import-graph.test.ts`)
  return layer
}

function layerViolations(edges: readonly ImportEdge[]): string[] {
  const problems: string[] = []
  for (const edge of edges) {
    const from = layerOf(edge.from)
    const to = layerOf(edge.to)
    const what = `${edge.from} (${LAYERS[from]![0]}) imports ${edge.typeOnly ? 'types from ' : ''}${edge.to} (${LAYERS[to]![0]})`
    if (LAYERS[to]![0] === 'inputs' && !READS_INPUTS.has(LAYERS[from]![0])) {
      problems.push(`${what}: only main.ts reads inputs; take Settings from src/domain.ts`)
    } else if (to > from && !(edge.typeOnly && KNOWN_UPWARD_TYPE_IMPORTS.has(`${edge.from} -> ${edge.to}`))) {
      problems.push(`${what}: against the flow ${LAYERS.map(([name]) => name).join(' -> ')}`)
    }
  }
  return problems
}

const root = join(process.cwd(), 'src')
const graph = importGraph(root)

describe('src/', () => {
  test('the graph is read whole: every import resolves to a file', () => {
    expect(graph.files.length).toBeGreaterThan(30)
    expect(graph.edges.length).toBeGreaterThan(50)
    expect(graph.edges.filter((edge) => !existsSync(join(root, edge.to)))).toEqual([])
  })

  test('has no runtime import cycle', () => {
    expect(runtimeCycles(graph.edges)).toEqual([])
  })

  test('every module is in a layer, and imports only its own layer or lower ones', () => {
    for (const file of graph.files) layerOf(file)
    expect(layerViolations(graph.edges)).toEqual([])
  })

  test('nothing downstream reads inputs: getInput is called only by main.ts', () => {
    // A call, or an import of it from @actions/core (a mention in a comment is neither).
    const readsInputs = /\bgetInput\s*\(|import\s*\{[^}]*\bgetInput\b[^}]*\}\s*from\s*'@actions\/core'/
    const callers = graph.files.filter((file) => readsInputs.test(readFileSync(join(root, file), 'utf8')))
    expect(callers).toEqual(['main.ts'])
  })
})

describe('the checks themselves', () => {
  test('importsOf tells type-only imports from runtime and dynamic ones', () => {
    const source = [
      "import type { A } from './a.ts'",
      "import { type B } from './b.ts'",
      "import { C } from './c.ts'",
      "export type { D } from './d.ts'",
      "export { E } from './e.ts'",
      "import { readFileSync } from 'node:fs'",
      "const f = await import('./f.ts')",
    ].join('\n')
    expect(importsOf('x.ts', source)).toEqual([
      { specifier: './a.ts', typeOnly: true, dynamic: false },
      // Kept as `import {} from './b.ts'` under verbatimModuleSyntax: it loads b.ts.
      { specifier: './b.ts', typeOnly: false, dynamic: false },
      { specifier: './c.ts', typeOnly: false, dynamic: false },
      { specifier: './d.ts', typeOnly: true, dynamic: false },
      { specifier: './e.ts', typeOnly: false, dynamic: false },
      { specifier: './f.ts', typeOnly: false, dynamic: true },
    ])
  })

  const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly, dynamic: false })

  test('a runtime cycle is found; one closed only by a type import is not', () => {
    expect(runtimeCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts')])).toEqual([
      ['a.ts', 'b.ts', 'c.ts'],
    ])
    expect(runtimeCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'a.ts', true)])).toEqual([])
    expect(runtimeCycles([edge('a.ts', 'a.ts')])).toEqual([['a.ts']])
  })

  test('a lower layer importing a higher one, or anything but main importing inputs/, is reported', () => {
    expect(layerViolations([edge('delivery/deliver.ts', 'message/build.ts', true)])).toEqual([])
    expect(layerViolations([edge('main.ts', 'inputs/index.ts')])).toEqual([])
    expect(layerViolations([edge('message/mentions.ts', 'inputs/read-settings.ts')])).toEqual([
      expect.stringMatching(/only main\.ts reads inputs/),
    ])
    expect(layerViolations([edge('credentials/app-credentials.ts', 'inputs/index.ts', true)])).toHaveLength(1)
    expect(layerViolations([edge('message/build.ts', 'delivery/deliver.ts', true)])).toEqual([
      expect.stringMatching(/^message\/build\.ts \(message\) imports types from delivery\/deliver\.ts .*against/),
    ])
    expect(layerViolations([edge('domain.ts', 'github/run-context.ts')])).toHaveLength(1)
    // A known upward type import stays a violation the day it becomes a runtime one.
    expect(layerViolations([edge('credentials/app-credentials.ts', 'delivery/deliver.ts')])).toHaveLength(1)
    expect(() => layerViolations([edge('stray.ts', 'domain.ts')])).toThrow(/is in no layer/)
  })
})
