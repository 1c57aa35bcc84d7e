// `npm run bench`: bundle size of dist/ and the median wall time of the bundled action, each run as a ratio
// to `node -e 0` on the same Node in the same run (so the figures travel between machines).
//   --runs N     timed runs of each kind (default 15), interleaved so load drifts hit all kinds alike
//   --check      exit 1 when a budget below is exceeded
//   --json       print the figures as JSON
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createServiceAccountKey, startEmulator } from '../emulator/index.ts'
import { ROOT, runAction } from './simulate-runner.ts'

export const BUDGET = { distBytes: 1.5 * 1024 * 1024, fullRunRatio: 4, dryRunRatio: 2.5 }

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, check: { type: 'boolean' }, json: { type: 'boolean' } },
})
const runs = Number(values.runs)

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name)
    return sum + (statSync(path).isDirectory() ? dirBytes(path) : statSync(path).size)
  }, 0)
}

function timeBareNode(): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: { PATH: process.env.PATH } })
  return new Promise((done) => child.on('close', () => done(performance.now() - started)))
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

// The write quota (on by default, as in production) would time Retry-After waits, not the action.
const emulator = await startEmulator({ members: ['spaces/AAAAbench'], writeQuota: false })
const dir = mkdtempSync(join(tmpdir(), 'gcn-bench-'))
try {
  const key = createServiceAccountKey()
  emulator.addServiceAccount(key.key.client_email, key.publicKeyPem, key.key.private_key_id)
  const proxy = { url: emulator.proxyUrl, caCertPath: emulator.writeCaCert(dir) }
  const full = () => runAction({ proxy, inputs: { credentials: key.json, space: 'spaces/AAAAbench' } })
  const dry = () => runAction({ inputs: { 'dry-run': 'true', space: 'spaces/AAAAbench' } })
  const webhookUrl = emulator.registerWebhook('spaces/AAAAbench').url
  const webhook = () => runAction({ proxy, inputs: { 'webhook-url': webhookUrl } })

  // Warm the file cache and the emulator's TLS certificates before timing.
  for (const warm of [await full(), await dry(), await webhook()]) {
    if (warm.code !== 0 || /::(warning|error)::/.test(warm.log)) throw new Error(`warm-up run failed:\n${warm.log}`)
  }
  const times = { node: [] as number[], dryRun: [] as number[], fullRun: [] as number[], webhook: [] as number[] }
  for (let i = 0; i < runs; i++) {
    times.node.push(await timeBareNode())
    times.dryRun.push((await dry()).durationMs)
    times.fullRun.push((await full()).durationMs)
    times.webhook.push((await webhook()).durationMs)
  }
  const node = median(times.node)
  const figures = {
    node: process.version,
    runs,
    distBytes: dirBytes(join(ROOT, 'dist')),
    entryBytes: statSync(join(ROOT, 'dist/index.js')).size,
    bareNodeMs: node,
    dryRunMs: median(times.dryRun),
    fullRunMs: median(times.fullRun),
    dryRunRatio: median(times.dryRun) / node,
    fullRunRatio: median(times.fullRun) / node,
    webhookRunMs: median(times.webhook),
    webhookRunRatio: median(times.webhook) / node,
  }
  const over = [
    figures.distBytes > BUDGET.distBytes && `dist/ is ${figures.distBytes} bytes (budget ${BUDGET.distBytes})`,
    figures.dryRunRatio > BUDGET.dryRunRatio &&
      `dry run is ${figures.dryRunRatio.toFixed(2)}x (budget ${BUDGET.dryRunRatio}x)`,
    figures.fullRunRatio > BUDGET.fullRunRatio &&
      `full run is ${figures.fullRunRatio.toFixed(2)}x (budget ${BUDGET.fullRunRatio}x)`,
  ].filter(Boolean)

  if (values.json) {
    console.log(JSON.stringify({ ...figures, over }, null, 2))
  } else {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`
    console.log(`node ${figures.node}, median of ${runs} runs each`)
    console.log(
      `dist/ in all          ${kb(figures.distBytes).padStart(8)}   (entry chunk ${kb(figures.entryBytes)}; budget ${kb(BUDGET.distBytes)})`,
    )
    console.log(`node -e 0             ${figures.bareNodeMs.toFixed(0).padStart(5)} ms   1.00x`)
    console.log(
      `dry run               ${figures.dryRunMs.toFixed(0).padStart(5)} ms   ${figures.dryRunRatio.toFixed(2)}x (budget ${BUDGET.dryRunRatio}x)`,
    )
    console.log(
      `full run (emulator)   ${figures.fullRunMs.toFixed(0).padStart(5)} ms   ${figures.fullRunRatio.toFixed(2)}x (budget ${BUDGET.fullRunRatio}x)`,
    )
    console.log(
      `webhook run           ${figures.webhookRunMs.toFixed(0).padStart(5)} ms   ${figures.webhookRunRatio.toFixed(2)}x`,
    )
    for (const line of over) console.log(`over budget: ${line}`)
  }
  if (values.check && over.length) process.exitCode = 1
} finally {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}
