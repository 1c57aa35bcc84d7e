// `npm run emulator`: runs the emulator in the foreground with a demo service account and member space.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createServiceAccountKey, startEmulator } from './index.ts'

const DEMO_SPACE = 'spaces/AAAAdemo'

const { values } = parseArgs({ options: { port: { type: 'string' } } })
const port = Number(values.port ?? process.env.EMULATOR_PORT ?? 8787)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${values.port ?? process.env.EMULATOR_PORT}`)
  process.exit(2)
}

const emulator = await startEmulator({ port, members: [DEMO_SPACE] })
const dir = mkdtempSync(join(tmpdir(), 'chat-emulator-'))
const serviceAccount = createServiceAccountKey({ projectId: 'emulator-demo' })
emulator.addServiceAccount(
  serviceAccount.key.client_email,
  serviceAccount.publicKeyPem,
  serviceAccount.key.private_key_id,
)
const keyPath = join(dir, 'service-account.json')
writeFileSync(keyPath, serviceAccount.json, { mode: 0o600 })
const caPath = emulator.writeCaCert(dir)

console.log(`Google Chat emulator listening on ${emulator.proxyUrl} (viewer: ${emulator.proxyUrl}/)
Service account key: ${keyPath}
Member space: ${DEMO_SPACE}

Use it from another shell:
  export HTTPS_PROXY=${emulator.proxyUrl}
  export NODE_EXTRA_CA_CERTS=${caPath}

Press Ctrl-C to stop.`)

// The temp dir holds a private key: remove it on the way out.
const stop = () => {
  rmSync(dir, { recursive: true, force: true })
  emulator.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
