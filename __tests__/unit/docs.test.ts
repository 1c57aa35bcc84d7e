import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { format } from 'prettier'
import { parse } from 'yaml'
import { isUpToDate, MARKERS, OUT_OF_DATE, renderTables, runDocs, width } from '../../scripts/docs.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const ACTION_YML = readFileSync(join(ROOT, 'action.yml'), 'utf8')
const PRETTIER = JSON.parse(readFileSync(join(ROOT, '.prettierrc.json'), 'utf8')) as Record<string, unknown>

const SKELETON = [
  '# Title',
  '',
  '## Inputs',
  '',
  MARKERS.inputs.start,
  MARKERS.inputs.end,
  '',
  '## Outputs',
  '',
  MARKERS.outputs.start,
  MARKERS.outputs.end,
  '',
  '## After',
  '',
].join('\n')

/** The table rows between a pair of markers, as cell arrays (header and divider dropped). */
function rows(readme: string, marker: { start: string; end: string }): string[][] {
  const section = readme.slice(readme.indexOf(marker.start) + marker.start.length, readme.indexOf(marker.end))
  const lines = section.split('\n').filter((line) => line.startsWith('|'))
  return lines.slice(2).map((line) =>
    line
      .slice(2, -2)
      .split(/(?<!\\) \| /)
      .map((cell) => cell.trim()),
  )
}

describe('renderTables', () => {
  const readme = renderTables(ACTION_YML, SKELETON)
  const action = parse(ACTION_YML) as {
    inputs: Record<string, { description: string; required?: boolean; default?: string }>
    outputs: Record<string, { description: string }>
  }

  it('lists every input of action.yml in order, with its description, required flag and default', () => {
    const inputRows = rows(readme, MARKERS.inputs)
    expect(inputRows.map((row) => row[0])).toEqual(Object.keys(action.inputs).map((name) => `\`${name}\``))
    for (const [name, row] of Object.entries(action.inputs).map(([name], i) => [name, inputRows[i]] as const)) {
      const input = action.inputs[name]!
      expect(row).toHaveLength(4)
      // Descriptions fold to one line; escapes are only there for Markdown.
      expect(row![1]!.replace(/\\(.)/g, '$1')).toBe(input.description.replace(/\s+/g, ' ').trim())
      expect(row![2]).toBe(input.required ? 'yes' : 'no')
      expect(row![3]).toBe(input.default === undefined ? '' : `\`${input.default}\``)
    }
  })

  it('renders the status default as a code span', () => {
    expect(readme).toMatch(/\| `status` +\| .+ \| no +\| `\$\{\{ job\.status \}\}` +\|/)
  })

  it('lists every output with its description', () => {
    const outputRows = rows(readme, MARKERS.outputs)
    expect(outputRows).toEqual(
      Object.entries(action.outputs).map(([name, output]) => [
        `\`${name}\``,
        output.description.replace(/[\\`*_<[\]~|]/g, (ch) => `\\${ch}`),
      ]),
    )
  })

  it('keeps everything outside the markers and is idempotent', () => {
    expect(readme.startsWith('# Title\n\n## Inputs\n\n<!-- inputs:start -->\n\n| Input ')).toBe(true)
    expect(readme.endsWith('<!-- outputs:end -->\n\n## After\n')).toBe(true)
    expect(renderTables(ACTION_YML, readme)).toBe(readme)
  })

  it('escapes pipes and Markdown in descriptions and folds multi-line ones to one line', () => {
    const yml = [
      'inputs:',
      '  mode:',
      '    description: |',
      '      Either a|b or <users/all>;',
      '      *not bold* and [not a link](x).',
      '    required: true',
      "    default: 'a|b'",
      'outputs:',
      '  out:',
      '    description: x | y',
    ].join('\n')
    const out = renderTables(yml, SKELETON)
    expect(rows(out, MARKERS.inputs)).toEqual([
      ['`mode`', 'Either a\\|b or \\<users/all>; \\*not bold\\* and \\[not a link\\](x).', 'yes', '`a\\|b`'],
    ])
    expect(rows(out, MARKERS.outputs)).toEqual([['`out`', 'x \\| y']])
  })

  it('lays the tables out as Prettier does, so lint accepts the README', async () => {
    const formatted = await format(readme, { ...PRETTIER, parser: 'markdown' })
    expect(formatted).toBe(readme)
  })

  it('counts wide characters as Prettier does', () => {
    expect(width('abc…')).toBe(4)
    expect(width('✅ ok')).toBe(5)
    expect(width('日本')).toBe(4)
    expect(width('e\u0301')).toBe(1)
  })

  it('fails clearly when markers are missing', () => {
    expect(() => renderTables(ACTION_YML, '# No markers\n')).toThrow(
      'README.md has no <!-- inputs:start --> and no <!-- inputs:end --> marker',
    )
    const noOutputsEnd = SKELETON.replace(MARKERS.outputs.end, '')
    expect(() => renderTables(ACTION_YML, noOutputsEnd)).toThrow('README.md has no <!-- outputs:end --> marker')
    const reversed = SKELETON.replace(MARKERS.inputs.start, 'X').replace(MARKERS.inputs.end, MARKERS.inputs.start)
    expect(() => renderTables(ACTION_YML, reversed.replace('X', MARKERS.inputs.end))).toThrow(
      'README.md has <!-- inputs:end --> before <!-- inputs:start -->',
    )
  })
})

describe('check mode', () => {
  function project(readme: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'docs-test-'))
    writeFileSync(join(dir, 'action.yml'), ACTION_YML)
    writeFileSync(join(dir, 'README.md'), readme)
    return dir
  }

  it('passes a README whose tables match action.yml', () => {
    const current = renderTables(ACTION_YML, SKELETON)
    expect(isUpToDate(ACTION_YML, current)).toBe(true)
    const dir = project(current)
    try {
      expect(runDocs(['--check'], dir).code).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('detects an outdated table, and leaves the README alone', () => {
    const current = renderTables(ACTION_YML, SKELETON)
    const outdated = current.replace(/\| `dry-run` .*\n/, '')
    expect(outdated).not.toBe(current)
    expect(isUpToDate(ACTION_YML, outdated)).toBe(false)
    const dir = project(outdated)
    try {
      expect(runDocs(['--check'], dir)).toEqual({ code: 1, message: OUT_OF_DATE })
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(outdated)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('rewrites an outdated README without --check', () => {
    const dir = project(SKELETON)
    try {
      expect(runDocs([], dir).code).toBe(0)
      const written = readFileSync(join(dir, 'README.md'), 'utf8')
      expect(written).toBe(renderTables(ACTION_YML, SKELETON))
      expect(runDocs(['--check'], dir).code).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reports missing markers as a failure with the error', () => {
    const dir = project('# README without tables\n')
    try {
      const result = runDocs(['--check'], dir)
      expect(result.code).toBe(1)
      expect(result.message).toMatch(/^README\.md has no <!-- inputs:start --> and no <!-- inputs:end --> marker/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
