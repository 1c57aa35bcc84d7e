// Drives run() (src/main.ts) whole, in process, with a recording core: every log line, output, failure and the
// step summary as @actions/core would write it (its real summary, pointed at a temporary file).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { summary } from '@actions/core'
import type { Deliver } from '../../src/delivery/deliver.ts'
import type { GitHubContextLike } from '../../src/github/run-context.ts'
import { run, type Core } from '../../src/main.ts'

export interface RunRecord {
  /** Every line the run logged (info, debug, warning, error, notice, setFailed), as the runner would print it. */
  lines: string[]
  failed?: string
  outputs: Record<string, string>
  summary: string
  /** Values registered with setSecret. */
  secrets: string[]
  /** Calls to deliver: a dry run must make none. */
  deliveries: number
}

const summaryDir = mkdtempSync(join(tmpdir(), 'in-process-run-'))

/** Runs the action once with these inputs (names as in action.yml) and this context; never throws. */
export async function runInProcess(
  inputs: Record<string, string>,
  github: GitHubContextLike,
  env: Record<string, string | undefined> = {},
): Promise<RunRecord> {
  const record: RunRecord = { lines: [], outputs: {}, summary: '', secrets: [], deliveries: 0 }
  const summaryFile = join(summaryDir, 'summary.md')
  writeFileSync(summaryFile, '')
  const log = (prefix: string) => (message: string | Error) =>
    void record.lines.push(`${prefix}${message instanceof Error ? message.message : message}`)
  const core: Core = {
    getInput: (name: string) => inputs[name] ?? '',
    setSecret: (secret: string) => void record.secrets.push(secret),
    setOutput: (name: string, value: unknown) => {
      record.outputs[name] = typeof value === 'string' ? value : JSON.stringify(value)
    },
    info: log(''),
    debug: log('::debug::'),
    warning: log('::warning::'),
    error: log('::error::'),
    notice: log('::notice::'),
    setFailed: (message: string | Error) => {
      record.failed = message instanceof Error ? message.message : message
      log('::error::')(message)
    },
    startGroup: log('::group::'),
    endGroup: () => void record.lines.push('::endgroup::'),
    isDebug: () => true,
    summary,
  } as Core
  const deliver: Deliver = async () => {
    record.deliveries++
    return []
  }
  const previous = process.env.GITHUB_STEP_SUMMARY
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  summary.emptyBuffer()
  try {
    await run({
      core,
      github,
      env: { GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: summaryDir, ...env },
      deliver,
    })
  } finally {
    summary.emptyBuffer()
    if (previous === undefined) delete process.env.GITHUB_STEP_SUMMARY
    else process.env.GITHUB_STEP_SUMMARY = previous
  }
  record.summary = readFileSync(summaryFile, 'utf8')
  return record
}
