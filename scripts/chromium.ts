// Debian's Chromium (`apt-get install chromium`; no browser is ever downloaded), started headless with the flags this
// closed network needs: without the background-networking ones it keeps trying to reach Google's hosts.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** CHROMIUM_PATH: another Chromium binary; the default is Debian's. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const chromiumAvailable = existsSync(CHROMIUM)

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
