import { describe, expect, test } from '@jest/globals'
import { X509Certificate } from 'node:crypto'
import { createSecureContext } from 'node:tls'
import { createCertificateAuthority, serialNumber } from '../../emulator/tls.ts'

describe('test certificate authority', () => {
  test('serial numbers are positive, minimal DER integers (no 0x00 padding before a byte below 0x80)', () => {
    for (let i = 0; i < 2000; i++) {
      const first = parseInt(serialNumber().slice(0, 2), 16)
      expect(first).toBeGreaterThanOrEqual(0x01)
      expect(first).toBeLessThanOrEqual(0x7f)
    }
  })

  test('every CA and leaf certificate loads into OpenSSL (once about half failed with "illegal padding")', () => {
    for (let i = 0; i < 4; i++) {
      const ca = createCertificateAuthority()
      expect(() => createSecureContext({ ca: ca.caCertPem })).not.toThrow()
      for (const host of ['oauth2.googleapis.com', 'chat.googleapis.com', 'api.github.com']) {
        expect(() => ca.secureContextFor(host)).not.toThrow()
      }
      expect(new X509Certificate(ca.caCertPem).ca).toBe(true)
    }
  })
})
