// Issue 11 §3: a named corpus of bad inputs (fixtures/bad-inputs.corpus.ts), each run through `node dist/index.js` as the
// runner runs it, against the emulator: the exact line each must give, its exit code, no stack trace, and no secret
// (key material, webhook key or token) anywhere in the log, the outputs or the step summary.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunResult } from '../../scripts/simulate-runner.ts'
import { corpus, FAKE_KEY, FAKE_TOKEN, type BadInput } from '../fixtures/bad-inputs.corpus.ts'
import { keySecrets, linesLeaking, STACK_TRACE, startGoogle, type GoogleFixture } from '../fixtures/google-emulator.ts'

/** Spawns at once: the machine's cores are shared, and each run is mostly Node's start-up. */
const CONCURRENCY = 3

let google: GoogleFixture
let workspace: string
let cases: BadInput[] = []
const results = new Map<string, RunResult | Error>()

/** The hostile workspace: symlinks out of it, a FIFO, a directory, a file past the cap, deep JSON, keyless files. */
function prepareWorkspace(dir: string): void {
  symlinkSync('/etc/passwd', join(dir, 'passwd.yml'))
  symlinkSync('/proc/self/environ', join(dir, 'environ.yml'))
  symlinkSync('/dev/zero', join(dir, 'zero.yaml'))
  execFileSync('mkfifo', [join(dir, 'fifo.yml')])
  mkdirSync(join(dir, 'dir.yml'))
  writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(2 * 1024 * 1024, 0x61))
  writeFileSync(join(dir, 'deep.json'), `{"text": "x", "a": ${'['.repeat(3000)}${']'.repeat(3000)}}`)
  writeFileSync(join(dir, 'expr.yaml'), 'text: ${{ github.sha }}\n')
  const keyless = google.emulator.keyless.credentials
  writeFileSync(join(dir, 'gha-creds.json'), JSON.stringify(keyless))
  writeFileSync(
    join(dir, 'evil-universe.json'),
    JSON.stringify({
      ...keyless,
      universe_domain: 'evil.example',
      token_url: 'https://sts.evil.example/v1/token',
      service_account_impersonation_url:
        'https://iamcredentials.evil.example/v1/projects/-/serviceAccounts/sa@x.iam.gserviceaccount.com:generateAccessToken',
    }),
  )
  writeFileSync(
    join(dir, 'evil-iam.json'),
    JSON.stringify({
      ...keyless,
      service_account_impersonation_url:
        'https://iamcredentials.googleapis.com.evil.example/v1/projects/-/serviceAccounts/sa@x.iam.gserviceaccount.com:generateAccessToken',
    }),
  )
}

const inWorkspace = (text: string) => text.replaceAll('<workspace>', workspace)

beforeAll(async () => {
  google = await startGoogle()
  workspace = mkdtempSync(join(tmpdir(), 'gcn-bad-inputs-'))
  prepareWorkspace(workspace)
  cases = corpus({
    keyJson: google.key.json,
    privateKey: google.key.key.private_key,
    keyFields: google.key.key as never,
  })
  const queue = [...cases]
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const env = Object.fromEntries(Object.entries(next.env ?? {}).map(([name, value]) => [name, inWorkspace(value)]))
      const options = { inputs: next.inputs, env: { GITHUB_WORKSPACE: workspace, ...env }, event: next.event }
      // A run that cannot even start is that case's failure, not every case's.
      results.set(next.name, await google.run({ ...options, eventName: next.eventName }).catch((error: Error) => error))
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}, 600_000)

afterAll(async () => {
  await google?.close()
  rmSync(workspace, { recursive: true, force: true })
})

/** The secrets no line may show: the registered key in every form, and the webhook key and token used above. */
const secrets = () => [...keySecrets(google.key), FAKE_KEY, FAKE_TOKEN, decodeURIComponent(FAKE_TOKEN)]

// The table is built from the fixture's key, so the names are listed here from a fixture-free copy.
const names = corpus({
  keyJson: '{}',
  privateKey: '-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n',
  keyFields: {},
})

describe('bad inputs, end to end', () => {
  test('the corpus has at least 60 cases, each named once', () => {
    expect(names.length).toBeGreaterThanOrEqual(60)
    expect(new Set(names.map((c) => c.name)).size).toBe(names.length)
  })

  for (const { name } of names) {
    test(name, () => {
      const c = cases.find((item) => item.name === name)!
      const result = results.get(name)!
      if (result instanceof Error) throw result
      const lines = result.log.split('\n')
      const expected = c.line
      const found =
        typeof expected === 'string' ? lines.includes(inWorkspace(expected)) : lines.some((line) => expected.test(line))
      if (!found) {
        // The lines the run did give, for the failure message.
        expect(lines.filter((line) => line && !line.startsWith('::add-mask::')).slice(0, 8)).toContain(
          typeof expected === 'string' ? inWorkspace(expected) : expected.source,
        )
      }
      expect(result.code).toBe(c.code)
      expect(result.log).not.toMatch(STACK_TRACE)
      expect(linesLeaking(result.log, secrets())).toEqual([])
      const elsewhere = JSON.stringify(result.outputs) + result.summary
      for (const secret of secrets()) if (secret.length >= 8) expect(elsewhere.includes(secret)).toBe(false)
      c.check?.(result)
    })
  }
})
