// Google's libraries as published and as adapted in dist/ (scripts/build.ts's ADAPTATIONS), side by side: every way
// of signing in posts the same message through the emulator whether the run is the bundle, or src/ run by Node 24
// straight from node_modules (no bundler, no adaptation). A library change that breaks either shows here.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServiceAccountKey } from '../../emulator/index.ts'
import { ROOT } from '../../scripts/simulate-runner.ts'
import { MEMBER_SPACE, startGoogle, type GoogleFixture } from '../fixtures/google-emulator.ts'

let google: GoogleFixture
let dir: string
beforeAll(async () => {
  google = await startGoogle({ selfSignedJwt: true })
  dir = mkdtempSync(join(tmpdir(), 'gcn-published-'))
})
afterAll(async () => {
  await google.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => google.emulator.reset())

const hosts = () => google.emulator.requests.map((r) => `${r.method} ${r.host}`)

describe.each([
  ['the bundle (adapted)', join(ROOT, 'dist/index.js')],
  ['src/ on Node 24 (libraries as published)', join(ROOT, 'src/index.ts')],
])('%s', (_name, entry) => {
  const expectPosted = (log: string, code: number | null) => {
    expect(log).not.toMatch(/::(warning|error)::/)
    expect(code).toBe(0)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(1)
  }

  test('service-account key: token from oauth2, then Chat', async () => {
    const result = await google.run({ entry })
    expectPosted(result.log, result.code)
    expect(hosts()).toEqual(['POST oauth2.googleapis.com', 'POST chat.googleapis.com'])
  })

  test('self-signed JWT: Chat only', async () => {
    const result = await google.run({ entry, inputs: { auth: 'self-signed-jwt' } })
    expectPosted(result.log, result.code)
    expect(hosts()).toEqual(['POST chat.googleapis.com'])
  })

  test('keyless: OIDC, STS, IAM Credentials, then Chat', async () => {
    const keyless = google.emulator.keyless
    const result = await google.run({
      entry,
      inputs: { credentials: '' },
      env: keyless.env(keyless.writeCredentials(dir)),
    })
    expectPosted(result.log, result.code)
    expect(hosts()).toEqual([
      `GET ${keyless.oidc.host}`,
      'POST sts.googleapis.com',
      'POST iamcredentials.googleapis.com',
      'POST chat.googleapis.com',
    ])
  })

  test('a disabled key is explained the same way', async () => {
    const other = createServiceAccountKey({ email: 'gone@octo-project.iam.gserviceaccount.com' })
    google.emulator.addServiceAccount(other.key.client_email, other.publicKeyPem, other.key.private_key_id)
    google.emulator.disableServiceAccount(other.key.client_email)
    const result = await google.run({ entry, inputs: { credentials: other.json, 'fail-on-error': 'true' } })
    expect(result.code).toBe(1)
    expect(result.log).toMatch(/::error::.*Google refused the service-account key: invalid_grant.*deleted or disabled/)
  })
})
