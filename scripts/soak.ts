// `npm run soak`: exactly-once delivery under faults and quotas, measured.
//   faults      N notifications through the delivery module with a share of all requests faulted at random
//               (429 with Retry-After, 503, connection resets, responses delayed past the time-out, responses
//               lost after the message was stored). Fails unless lost = duplicated = 0.
//   quota       P concurrent action processes (node dist/index.js) on one space under Chat's 60-writes-a-minute
//               quota. Fails unless all land once and the total time is within 1.3x of the quota's minimum.
// Options: --mode faults|quota|both (both), --count N (1000), --fault-rate R (0.3), --seed S (1),
//          --processes P (100), --time-scale T (1: a real minute).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createServiceAccountKey, startEmulator, type Emulator } from '../emulator/index.ts'
import { ROOT, runAction } from './simulate-runner.ts'

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    count: { type: 'string', default: '1000' },
    'fault-rate': { type: 'string', default: '0.3' },
    seed: { type: 'string', default: '1' },
    processes: { type: 'string', default: '100' },
    'time-scale': { type: 'string', default: '1' },
    worker: { type: 'boolean' },
  },
})

const SPACE = 'spaces/AAAAsoak'

if (values.worker) {
  await worker()
} else {
  const failures: string[] = []
  if (values.mode === 'faults' || values.mode === 'both') failures.push(...(await soakFaults()))
  if (values.mode === 'quota' || values.mode === 'both') failures.push(...(await soakQuota()))
  for (const failure of failures) console.error(`FAILED: ${failure}`)
  process.exitCode = failures.length ? 1 : 0
}

async function withEmulator<T>(body: (emulator: Emulator, env: Record<string, string>, keyJson: string) => Promise<T>) {
  // The write quota (on by default, as in production) is the quota soak's subject; here it would only add waiting.
  const emulator = await startEmulator({ members: [SPACE], writeQuota: false })
  const dir = mkdtempSync(join(tmpdir(), 'gcn-soak-'))
  try {
    const key = createServiceAccountKey()
    emulator.addServiceAccount(key.key.client_email, key.publicKeyPem, key.key.private_key_id)
    const env = { HTTPS_PROXY: emulator.proxyUrl, NODE_EXTRA_CA_CERTS: emulator.writeCaCert(dir) }
    return await body(emulator, env, key.json)
  } finally {
    await emulator.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function soakFaults(): Promise<string[]> {
  const count = Number(values.count)
  const rate = Number(values['fault-rate'])
  return withEmulator(async (emulator, env, keyJson) => {
    emulator.seedFaults(Number(values.seed))
    // One probability rule per fault kind; together they fault `rate` of all requests.
    const kinds = [
      { kind: 'status', status: 429, retryAfterSeconds: 0.2 },
      { kind: 'status', status: 503 },
      { kind: 'reset' },
      { kind: 'delay', ms: 1500 },
      { kind: 'lose-response' },
    ] as const
    kinds.forEach((fault, i) =>
      emulator.injectFault({ probability: rate / (kinds.length - i * rate), times: Infinity, fault }),
    )
    const started = performance.now()
    // The delivery module runs in a child so NODE_EXTRA_CA_CERTS (read at start-up) trusts the emulator.
    const child = spawn(process.execPath, [join(ROOT, 'scripts/soak.ts'), '--worker', '--count', String(count)], {
      env: { ...process.env, ...env, SOAK_KEY: keyJson },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk))
    const code = await new Promise((done) => child.on('close', done))
    const seconds = (performance.now() - started) / 1000
    const reported = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
      ok?: number
      failed?: number
      errors?: string[]
    }
    const byText = emulator.messagesByKey((m) => String(m.text))
    let lost = 0
    let duplicated = 0
    for (let i = 0; i < count; i++) {
      const copies = byText.get(`soak notification ${i}`)?.length ?? 0
      if (copies === 0) lost++
      if (copies > 1) duplicated += copies - 1
    }
    const requests = emulator.requests.length
    console.log(
      `faults: ${count} notifications, ${requests} requests, ${emulator.faultsInjected} faulted (${((100 * emulator.faultsInjected) / requests).toFixed(0)}%), ` +
        `sent ${reported.ok ?? 0}, lost ${lost}, duplicated ${duplicated}, in ${seconds.toFixed(1)} s`,
    )
    for (const error of (reported.errors ?? []).slice(0, 5)) console.log(`  not sent: ${error}`)
    const failures = []
    if (code !== 0) failures.push(`faults: the worker exited with ${code}`)
    if (lost || duplicated) failures.push(`faults: lost ${lost}, duplicated ${duplicated} (both must be 0)`)
    return failures
  })
}

/** The child: N deliveries through src/delivery/deliver.ts, 25 at a time, each with its own request id. */
async function worker(): Promise<void> {
  const { deliver } = await import('../src/delivery/deliver.ts')
  const { parseServiceAccountKey } = await import('../src/credentials/service-account-key.ts')
  const key = parseServiceAccountKey(process.env.SOAK_KEY ?? '')
  const count = Number(values.count)
  let next = 0
  let ok = 0
  const errors: string[] = []
  const lane = async () => {
    while (next < count) {
      const i = next++
      const [result] = await deliver({
        credentials: { kind: 'key', key, selfSignedJwt: false },
        spaces: [SPACE],
        operation: 'create',
        message: { text: `soak notification ${i}` },
        requestId: () => `soak-${process.pid}-${i}`,
        timeoutMs: 60_000,
        mask: () => undefined,
        log: () => undefined,
      }).catch((error: Error) => [{ ok: false as const, space: SPACE, error: error.message }])
      if (result?.ok) ok++
      else errors.push(result?.error ?? 'no result')
    }
  }
  await Promise.all(Array.from({ length: 25 }, lane))
  console.log(JSON.stringify({ ok, failed: errors.length, errors }))
}

async function soakQuota(): Promise<string[]> {
  const processes = Number(values.processes)
  const timeScale = Number(values['time-scale'])
  const perMinute = 60
  return withEmulator(async (emulator, env, keyJson) => {
    emulator.setWriteQuota({ perMinute, timeScale })
    const windowMs = 60_000 / timeScale
    const minimumMs = (Math.ceil(processes / perMinute) - 1) * windowMs
    const started = performance.now()
    const results = await Promise.all(
      Array.from({ length: processes }, (_, i) =>
        runAction({
          proxy: { url: env.HTTPS_PROXY as string, caCertPath: env.NODE_EXTRA_CA_CERTS as string },
          inputs: { credentials: keyJson, space: SPACE, text: `quota notification ${i}`, card: 'none', timeout: '300' },
          env: { GITHUB_JOB: `matrix-${i}` },
          timeoutMs: 600_000,
        }),
      ),
    )
    const elapsedMs = performance.now() - started
    const byText = emulator.messagesByKey((m) => String(m.text))
    const landedOnce = Array.from({ length: processes }, (_, i) => byText.get(`quota notification ${i}`)?.length ?? 0)
    const lost = landedOnce.filter((n) => n === 0).length
    const duplicated = landedOnce.reduce((sum, n) => sum + Math.max(0, n - 1), 0)
    const writes = emulator.requests.filter((r) => r.method === 'POST' && r.host === 'chat.googleapis.com')
    const throttled = writes.filter((r) => r.status === 429).length
    // The quota's minimum, two ways: (a) as if every process could write at once; (b) given when each process
    // first tried to write (starting 100 processes on a small machine takes a while), the earliest the sliding
    // window lets the last write through. (b) measures the pacing, the part the action controls.
    const t0 = Date.now() - elapsedMs
    const firstTry = new Map<string, number>()
    for (const w of writes)
      if (!firstTry.has(w.query.requestId!)) firstTry.set(w.query.requestId!, Date.parse(w.time) - t0)
    const ideal: number[] = []
    ;[...firstTry.values()]
      .sort((a, b) => a - b)
      .forEach((at, k) => ideal.push(Math.max(at, k >= perMinute ? (ideal[k - perMinute] as number) + windowMs : at)))
    const lastWrite = Math.max(...writes.filter((w) => w.status === 200).map((w) => Date.parse(w.time) - t0))
    const plainRatio = elapsedMs / minimumMs
    const pacingRatio = lastWrite / (ideal.at(-1) as number)
    console.log(
      `quota: ${processes} processes, ${perMinute} writes a minute (a minute = ${(windowMs / 1000).toFixed(1)} s), ` +
        `${throttled} answered 429, lost ${lost}, duplicated ${duplicated}, exit codes ${[...new Set(results.map((r) => r.code))].join(',')}\n` +
        `  (a) all done in ${(elapsedMs / 1000).toFixed(1)} s; the quota's minimum if all started at once ${(minimumMs / 1000).toFixed(1)} s = ${plainRatio.toFixed(2)}x\n` +
        `  (b) last write at ${(lastWrite / 1000).toFixed(1)} s; the earliest the quota allows given when the processes first tried ${((ideal.at(-1) as number) / 1000).toFixed(1)} s = ${pacingRatio.toFixed(2)}x`,
    )
    const failures = []
    if (lost || duplicated) failures.push(`quota: lost ${lost}, duplicated ${duplicated} (both must be 0)`)
    if (results.some((r) => r.code !== 0)) failures.push('quota: an action process failed')
    if (pacingRatio > 1.3) failures.push(`quota: pacing ${pacingRatio.toFixed(2)}x the quota's minimum (at most 1.3x)`)
    return failures
  })
}
