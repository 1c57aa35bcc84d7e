// `npm run bench`: bundle size of dist/, the median wall time of the bundled action, each run as a ratio to
// `node -e 0` on the same Node in the same run (so the figures travel between machines), and its peak memory.
//   --runs N     timed runs of each kind (default 15), interleaved so load drifts hit all kinds alike
//   --dist DIR   a bundle to time (default dist); repeat it to compare bundles run for run, e.g. one built with
//                `node scripts/build.ts /tmp/b --without fetch-globals` (what an adaptation gains)
//   --check      exit 1 when a median exceeds its budget below by more than TOLERANCE (first bundle only)
//   --json       print the figures as JSON
// Peak memory (maxRSS) and CPU time (user + system), from process.resourceUsage() at exit, are medians of separate,
// untimed runs (the preload module that reads them would otherwise be timed too). CPU time moves far less than wall
// time when other work shares the machine: compare bundles by it when the wall times are noisy.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createServiceAccountKey, startEmulator } from '../emulator/index.ts'
import { ROOT, runAction, type RunOptions, type RunResult } from './simulate-runner.ts'

export const BUDGET = {
  distBytes: 1.5 * 1024 * 1024,
  fullRunRatio: 2.9,
  webhookRunRatio: 2.3,
  dryRunRatio: 1.8,
  fullRunPeakMB: 61,
}
/**
 * --check fails only beyond budget × (1 + TOLERANCE): medians of interleaved runs still move by a few per cent
 * when other work shares the machine, and a budget that fails on noise only teaches people to rerun.
 */
export const TOLERANCE = 0.05
const MEMORY_RUNS = 5

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    dist: { type: 'string', multiple: true },
    check: { type: 'boolean' },
    json: { type: 'boolean' },
  },
})
const runs = Number(values.runs)
const dists = (values.dist ?? ['dist']).map((dist) => resolve(ROOT, dist))

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name)
    return sum + (statSync(path).isDirectory() ? dirBytes(path) : statSync(path).size)
  }, 0)
}

function runBareNode(env: Record<string, string> = {}): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: { PATH: process.env.PATH, ...env } })
  return new Promise((done) => child.on('close', () => done(performance.now() - started)))
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

const KINDS = ['dryRun', 'fullRun', 'webhook'] as const
interface Usage {
  peakMB: number
  cpuMs: number
}
type Kind = (typeof KINDS)[number]

// The write quota (on by default, as in production) would time Retry-After waits, not the action.
const emulator = await startEmulator({ members: ['spaces/AAAAbench'], writeQuota: false })
const dir = mkdtempSync(join(tmpdir(), 'gcn-bench-'))
try {
  const key = createServiceAccountKey()
  emulator.addServiceAccount(key.key.client_email, key.publicKeyPem, key.key.private_key_id)
  const proxy = { url: emulator.proxyUrl, caCertPath: emulator.writeCaCert(dir) }
  const webhookUrl = emulator.registerWebhook('spaces/AAAAbench').url
  const options: Record<Kind, RunOptions> = {
    dryRun: { inputs: { 'dry-run': 'true', space: 'spaces/AAAAbench' } },
    fullRun: { proxy, inputs: { credentials: key.json, space: 'spaces/AAAAbench' } },
    webhook: { proxy, inputs: { 'webhook-url': webhookUrl } },
  }
  const run = (dist: string, kind: Kind, env?: Record<string, string>): Promise<RunResult> =>
    runAction({ ...options[kind], env, entry: join(dist, 'index.js') })

  // Warm the file cache and the emulator's TLS certificates before timing.
  for (const dist of dists) {
    for (const kind of KINDS) {
      const warm = await run(dist, kind)
      if (warm.code !== 0 || /::(warning|error)::/.test(warm.log)) throw new Error(`warm-up run failed:\n${warm.log}`)
    }
  }

  // Peak memory: a preload writes the run's maxRSS (kB) at exit.
  const rssFile = join(dir, 'max-rss')
  const preload = join(dir, 'max-rss.mjs')
  writeFileSync(
    preload,
    `import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, (({ maxRSS, userCPUTime, systemCPUTime }) => maxRSS + ' ' + (userCPUTime + systemCPUTime))(process.resourceUsage())))\n`,
  )
  const usage = async (start: (env: Record<string, string>) => Promise<unknown>): Promise<Usage> => {
    const peak: number[] = []
    const cpu: number[] = []
    for (let i = 0; i < MEMORY_RUNS; i++) {
      await start({ NODE_OPTIONS: `--import=${preload}` })
      const [rssKB, cpuUs] = readFileSync(rssFile, 'utf8').split(' ').map(Number) as [number, number]
      peak.push(rssKB / 1024)
      cpu.push(cpuUs / 1000)
    }
    return { peakMB: median(peak), cpuMs: median(cpu) }
  }
  const bareNode = await usage(runBareNode)

  const times = {
    node: [] as number[],
    runs: dists.map(() => ({ dryRun: [], fullRun: [], webhook: [] }) as Record<Kind, number[]>),
  }
  for (let i = 0; i < runs; i++) {
    times.node.push(await runBareNode())
    for (const [index, dist] of dists.entries()) {
      for (const kind of KINDS) times.runs[index]![kind].push((await run(dist, kind)).durationMs)
    }
  }
  const node = median(times.node)
  const results = []
  for (const [index, dist] of dists.entries()) {
    const ms = (kind: Kind) => median(times.runs[index]![kind])
    const used = {} as Record<Kind, Usage>
    for (const kind of KINDS) used[kind] = await usage((env) => run(dist, kind, env))
    results.push({
      dist,
      distBytes: dirBytes(dist),
      entryBytes: statSync(join(dist, 'index.js')).size,
      ms: { dryRun: ms('dryRun'), fullRun: ms('fullRun'), webhook: ms('webhook') },
      ratio: { dryRun: ms('dryRun') / node, fullRun: ms('fullRun') / node, webhook: ms('webhook') / node },
      peakMB: { dryRun: used.dryRun.peakMB, fullRun: used.fullRun.peakMB, webhook: used.webhook.peakMB },
      cpuMs: { dryRun: used.dryRun.cpuMs, fullRun: used.fullRun.cpuMs, webhook: used.webhook.cpuMs },
    })
  }

  const first = results[0]!
  const over = (
    [
      ['dist/ bytes', first.distBytes, BUDGET.distBytes],
      ['dry run (x node -e 0)', first.ratio.dryRun, BUDGET.dryRunRatio],
      ['full run (x node -e 0)', first.ratio.fullRun, BUDGET.fullRunRatio],
      ['webhook run (x node -e 0)', first.ratio.webhook, BUDGET.webhookRunRatio],
      ['full run peak memory (MB)', first.peakMB.fullRun, BUDGET.fullRunPeakMB],
    ] as const
  )
    .filter(([, value, budget]) => value > budget)
    .map(([what, value, budget]) => ({
      line: `${what} is ${value.toFixed(2)} (budget ${budget}${value > budget * (1 + TOLERANCE) ? '' : ', within the noise tolerance'})`,
      fails: value > budget * (1 + TOLERANCE),
    }))

  if (values.json) {
    console.log(JSON.stringify({ node: process.version, runs, bareNodeMs: node, bareNode, results, over }, null, 2))
  } else {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`
    const row = (name: string, ms: number, ratio: number, budget: number | undefined, mb: number, cpu: number) =>
      console.log(
        `${name.padEnd(20)} ${ms.toFixed(0).padStart(5)} ms   ${ratio.toFixed(2)}x${budget ? ` (budget ${budget}x)` : ''.padEnd(13)}   peak ${mb.toFixed(1)} MB   cpu ${cpu.toFixed(0)} ms`,
      )
    console.log(`node ${process.version}, median of ${runs} runs each (peak memory: median of ${MEMORY_RUNS})`)
    row('node -e 0', node, 1, undefined, bareNode.peakMB, bareNode.cpuMs)
    for (const result of results) {
      console.log(
        `${result.dist.replace(`${ROOT}/`, '')}: ${kb(result.distBytes)} in all (entry chunk ${kb(result.entryBytes)}; budget ${kb(BUDGET.distBytes)})`,
      )
      row(
        '  dry run',
        result.ms.dryRun,
        result.ratio.dryRun,
        BUDGET.dryRunRatio,
        result.peakMB.dryRun,
        result.cpuMs.dryRun,
      )
      row(
        '  full run (emulator)',
        result.ms.fullRun,
        result.ratio.fullRun,
        BUDGET.fullRunRatio,
        result.peakMB.fullRun,
        result.cpuMs.fullRun,
      )
      row(
        '  webhook run',
        result.ms.webhook,
        result.ratio.webhook,
        BUDGET.webhookRunRatio,
        result.peakMB.webhook,
        result.cpuMs.webhook,
      )
    }
    console.log(`peak memory budget: full run ${BUDGET.fullRunPeakMB} MB`)
    for (const { line } of over) console.log(`over budget: ${line}`)
  }
  if (values.check && over.some((o) => o.fails)) process.exitCode = 1
} finally {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}
