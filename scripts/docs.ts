// Generates the README's inputs and outputs tables from action.yml, between marker comments.
// `node scripts/docs.ts` rewrites README.md; `node scripts/docs.ts --check` exits 1 when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const MARKERS = {
  inputs: { start: '<!-- inputs:start -->', end: '<!-- inputs:end -->' },
  outputs: { start: '<!-- outputs:start -->', end: '<!-- outputs:end -->' },
} as const

export const OUT_OF_DATE = 'README.md inputs/outputs tables are out of date with action.yml: run npm run docs'

interface ActionInput {
  description?: unknown
  required?: unknown
  default?: unknown
}

interface ActionOutput {
  description?: unknown
}

interface ActionMetadata {
  inputs: Record<string, ActionInput>
  outputs: Record<string, ActionOutput>
}

/** Reads the inputs and outputs of an action.yml; both sections are optional in the metadata syntax. */
export function parseAction(actionYml: string): ActionMetadata {
  const doc: unknown = parse(actionYml)
  if (!isRecord(doc)) throw new Error('action.yml is not a YAML mapping')
  const inputs = doc.inputs ?? {}
  const outputs = doc.outputs ?? {}
  if (!isRecord(inputs)) throw new Error("action.yml: 'inputs' is not a mapping")
  if (!isRecord(outputs)) throw new Error("action.yml: 'outputs' is not a mapping")
  return { inputs: inputs as ActionMetadata['inputs'], outputs: outputs as ActionMetadata['outputs'] }
}

export function renderInputsTable(action: ActionMetadata): string {
  const rows = Object.entries(action.inputs).map(([name, input]) => [
    code(name),
    describe(input?.description),
    input?.required === true || input?.required === 'true' ? 'yes' : 'no',
    input?.default === undefined || input?.default === null ? '' : code(String(input.default)),
  ])
  return table(['Input', 'Description', 'Required', 'Default'], rows)
}

export function renderOutputsTable(action: ActionMetadata): string {
  const rows = Object.entries(action.outputs).map(([name, output]) => [code(name), describe(output?.description)])
  return table(['Output', 'Description'], rows)
}

/** The README with both tables regenerated from action.yml; everything outside the markers is kept as is. */
export function renderTables(actionYml: string, readme: string): string {
  const action = parseAction(actionYml)
  let result = replaceBetween(readme, MARKERS.inputs, renderInputsTable(action))
  result = replaceBetween(result, MARKERS.outputs, renderOutputsTable(action))
  return result
}

export function isUpToDate(actionYml: string, readme: string): boolean {
  return renderTables(actionYml, readme) === readme
}

function replaceBetween(text: string, marker: { start: string; end: string }, content: string): string {
  const start = text.indexOf(marker.start)
  const end = text.indexOf(marker.end)
  const missing = [start < 0 ? marker.start : '', end < 0 ? marker.end : ''].filter(Boolean)
  if (missing.length) {
    throw new Error(
      `README.md has no ${missing.join(' and no ')} marker: put ${marker.start} and ${marker.end} on their own lines where the table goes`,
    )
  }
  if (text.indexOf(marker.start, start + 1) >= 0 || text.indexOf(marker.end, end + 1) >= 0) {
    throw new Error(`README.md has ${marker.start} or ${marker.end} more than once: keep one pair`)
  }
  if (end < start) throw new Error(`README.md has ${marker.end} before ${marker.start}`)
  return `${text.slice(0, start + marker.start.length)}\n\n${content}\n\n${text.slice(end)}`
}

/** One line of plain text for a table cell: descriptions are text in action.yml, never Markdown. */
function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)
  return escapeCell(text.replace(/\s+/g, ' ').trim())
}

/** Backslash-escapes what Markdown would read as markup, and '|' which would end the cell. */
function escapeCell(text: string): string {
  return text.replace(/[\\`*_<[\]~|]/g, (ch) => `\\${ch}`)
}

/** A code span: backticks inside the value get a longer fence; a '|' still needs escaping inside a table. */
function code(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ').trim()
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${oneLine.replaceAll('|', '\\|')}${pad}${fence}`
}

/** A GitHub table laid out as Prettier lays it out (columns padded to their widest cell), so `lint` agrees. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(3, width(title), ...rows.map((row) => width(row[column] ?? ''))),
  )
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => cell + ' '.repeat((widths[column] as number) - width(cell))).join(' | ')} |`
  const divider = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`
  return [line(header), divider, ...rows.map(line)].join('\n')
}

/** Display width as Prettier counts it: wide East Asian characters and emoji take two columns, marks none. */
export function width(text: string): number {
  let total = 0
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)) {
    if (/\p{Extended_Pictographic}/u.test(segment)) total += 2
    else if (/^[\p{Mn}\p{Cc}]+$/u.test(segment)) continue
    else total += isWide(segment.codePointAt(0) as number) ? 2 : 1
  }
  return total
}

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  )
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The CLI, on a project directory: returns the exit code and what to print. */
export function runDocs(args: string[], root: string): { code: number; message: string } {
  const readmePath = join(root, 'README.md')
  const actionYml = readFileSync(join(root, 'action.yml'), 'utf8')
  const readme = readFileSync(readmePath, 'utf8')
  let updated: string
  try {
    updated = renderTables(actionYml, readme)
  } catch (error) {
    return { code: 1, message: error instanceof Error ? error.message : String(error) }
  }
  if (args.includes('--check')) {
    return updated === readme
      ? { code: 0, message: 'README.md inputs/outputs tables match action.yml' }
      : { code: 1, message: OUT_OF_DATE }
  }
  if (updated === readme) return { code: 0, message: 'README.md inputs/outputs tables are up to date' }
  writeFileSync(readmePath, updated)
  return { code: 0, message: 'README.md inputs/outputs tables regenerated from action.yml' }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const { code: exitCode, message } = runDocs(process.argv.slice(2), root)
  if (exitCode === 0) console.log(message)
  else console.error(message)
  process.exitCode = exitCode
}
