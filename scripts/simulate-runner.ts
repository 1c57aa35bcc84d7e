// Runs the bundled action the way the GitHub runner does: `node dist/index.js` with INPUT_* (action.yml
// defaults applied), the runner's GITHUB_* variables, an event payload file and GITHUB_OUTPUT/STEP_SUMMARY
// files. Shared by the end-to-end tests, the demo and the benchmark.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Which build of the action runs: the committed bundle (`dist/`), as the runner runs it, or with `E2E_ENTRY=src` the
 * TypeScript source itself (Node 24 strips the types), so an edit is tested before `npm run build`.
 */
export function entryKind(env: Record<string, string | undefined> = process.env): 'dist' | 'src' {
  const kind = env.E2E_ENTRY || 'dist'
  if (kind !== 'dist' && kind !== 'src') throw new Error(`E2E_ENTRY is "${kind}": set it to dist (the default) or src`)
  return kind
}

/** The file `node` runs for the main step (`index`) or the post step (`post`) of that build. */
export function actionEntry(step: 'index' | 'post' = 'index', kind = entryKind()): string {
  return kind === 'src' ? join(ROOT, 'src', `${step}.ts`) : join(ROOT, 'dist', `${step}.js`)
}

export interface RunOptions {
  inputs?: Record<string, string>
  /** The event payload written to GITHUB_EVENT_PATH. */
  event?: unknown
  eventName?: string
  /** GITHUB_* and other variables; override the defaults below. */
  env?: Record<string, string>
  /** The value the runner substitutes for `${{ job.status }}`. */
  jobStatus?: string
  /** The emulator to reach Google through (HTTPS_PROXY + its CA in NODE_EXTRA_CA_CERTS). */
  proxy?: { url: string; caCertPath: string }
  /** The script to run; actionEntry() by default (dist/index.js, or src/index.ts with E2E_ENTRY=src). */
  entry?: string
  timeoutMs?: number
  /** Files written into the workspace (GITHUB_WORKSPACE) before the run, by relative path. */
  files?: Record<string, string>
  /**
   * Saved state handed to the step as the runner hands it to a post step: STATE_<name> variables (the `state` of
   * the main step's RunResult).
   */
  state?: Record<string, string>
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
  log: string
  outputs: Record<string, string>
  summary: string
  /** What the step saved with core.saveState (the GITHUB_STATE file command), by name. */
  state: Record<string, string>
  durationMs: number
}

interface ActionInput {
  default?: string
}

let cachedDefaults: Record<string, string> | undefined

/** Input defaults from action.yml, as the runner applies them. */
export function actionDefaults(jobStatus: string): Record<string, string> {
  cachedDefaults ??= Object.fromEntries(
    Object.entries(
      (parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, ActionInput> }).inputs,
    )
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [name, String(input.default)]),
  )
  return Object.fromEntries(
    Object.entries(cachedDefaults).map(([name, value]) => [
      name,
      value.replace(/\$\{\{\s*job\.status\s*\}\}/g, jobStatus),
    ]),
  )
}

export const DEFAULT_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e'

/** The run every simulated step belongs to: the variables the runner sets for it (GitHub's example repository). */
export const RUN_CONTEXT = {
  GITHUB_SHA: DEFAULT_SHA,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_REPOSITORY: 'octo-org/hello-world',
  GITHUB_REPOSITORY_OWNER: 'octo-org',
  GITHUB_RUN_ID: '1658821493',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_JOB: 'build',
  GITHUB_ACTOR: 'octocat',
  GITHUB_TRIGGERING_ACTOR: 'octocat',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
} as const

export async function runAction(options: RunOptions = {}): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gcn-run-'))
  try {
    const eventPath = join(dir, 'event.json')
    const outputPath = join(dir, 'output')
    const summaryPath = join(dir, 'summary.md')
    const statePath = join(dir, 'state')
    writeFileSync(eventPath, JSON.stringify(options.event ?? {}))
    for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content)
    writeFileSync(outputPath, '')
    writeFileSync(summaryPath, '')
    writeFileSync(statePath, '')
    const inputs = { ...actionDefaults(options.jobStatus ?? 'success'), ...options.inputs }
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_EVENT_NAME: options.eventName ?? 'push',
      ...RUN_CONTEXT,
      GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_STATE: statePath,
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: dir,
      ...(options.proxy ? { HTTPS_PROXY: options.proxy.url, NODE_EXTRA_CA_CERTS: options.proxy.caCertPath } : {}),
      ...options.env,
    }
    // The runner sets each state the main step saved as STATE_<name> for the post step.
    for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value
    // The runner's naming: INPUT_ + upper-cased name, spaces to underscores, hyphens kept.
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value

    const started = performance.now()
    const child = spawn(process.execPath, [options.entry ?? actionEntry()], { env, cwd: dir })
    let stdout = ''
    let stderr = ''
    let log = ''
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk), (log += chunk)))
    child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk), (log += chunk)))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    const code = await new Promise<number | null>((done) => child.on('close', (exit) => done(exit)))
    clearTimeout(timer)
    return {
      code,
      stdout,
      stderr,
      log,
      outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
      summary: readFileSync(summaryPath, 'utf8'),
      // The same file-command format as GITHUB_OUTPUT.
      state: parseOutputFile(readFileSync(statePath, 'utf8')),
      durationMs: performance.now() - started,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` blocks (and the older `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string]
      const value: string[] = []
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] as string)
      outputs[name] = value.join('\n')
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return outputs
}
