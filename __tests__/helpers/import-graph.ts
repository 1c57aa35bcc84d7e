// The import graph of src/, read with TypeScript's own parser: which module imports which, and whether the
// import survives compilation (type-only imports and exports are erased; everything else, dynamic import()
// included, loads the module at run time).
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import ts from 'typescript'

export interface ImportEdge {
  /** Both paths relative to the root, with forward slashes: `message/build.ts`. */
  from: string
  to: string
  /** `import type …` / `export type … from`: erased, no module is loaded at run time. */
  typeOnly: boolean
  dynamic: boolean
}

/** The relative imports of one file's source: specifier, and whether each is type-only or dynamic. */
export function importsOf(
  fileName: string,
  source: string,
): { specifier: string; typeOnly: boolean; dynamic: boolean }[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: { specifier: string; typeOnly: boolean; dynamic: boolean }[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      // `import { type A } from` is not erased under verbatimModuleSyntax (it leaves `import {} from`): runtime.
      found.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: node.importClause?.isTypeOnly ?? false,
        dynamic: false,
      })
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly, dynamic: false })
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false, dynamic: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found.filter((entry) => entry.specifier.startsWith('.'))
}

/** Every .ts file under `root` and its relative imports, resolved to paths under `root`. */
export function importGraph(root: string): { files: string[]; edges: ImportEdge[] } {
  const files = (readdirSync(root, { recursive: true }) as string[])
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.split('\\').join('/'))
    .sort()
  const edges = files.flatMap((from) =>
    importsOf(from, readFileSync(join(root, from), 'utf8')).map(({ specifier, typeOnly, dynamic }) => ({
      from,
      to: relative(root, normalize(join(root, dirname(from), specifier)))
        .split('\\')
        .join('/'),
      typeOnly,
      dynamic,
    })),
  )
  return { files, edges }
}

/** The cycles among runtime edges, each as the list of modules around it (one per strongly connected component). */
export function runtimeCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const edge of edges) {
    if (edge.typeOnly) continue
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to])
  }
  // Tarjan's strongly connected components: linear in the size of the graph.
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const connect = (node: string): void => {
    index.set(node, index.size)
    low.set(node, index.get(node)!)
    stack.push(node)
    onStack.add(node)
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to)
        low.set(node, Math.min(low.get(node)!, low.get(to)!))
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    const selfLoop = (next.get(node) ?? []).includes(node)
    if (component.length > 1 || selfLoop) cycles.push(component.sort())
  }
  for (const node of next.keys()) if (!index.has(node)) connect(node)
  return cycles
}
