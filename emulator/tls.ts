// Test certificate authority for the HTTPS proxy: the action trusts it via NODE_EXTRA_CA_CERTS, so the
// emulator can terminate TLS for Google's real hostnames without touching the network.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { createSecureContext, type SecureContext } from 'node:tls'
import forge from 'node-forge'

export interface CertificateAuthority {
  caCertPem: string
  /** TLS context with a leaf certificate for `host`, created on first use and cached. */
  secureContextFor(host: string): SecureContext
}

interface KeyPair {
  privateKeyPem: string
  publicKey: forge.pki.PublicKey
}

// forge is only used to lay out the certificates: its pure-JS RSA takes seconds per key or signature (far
// worse inside jest's VM), while node:crypto does both natively in milliseconds.
function rsaKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  return { privateKeyPem: privateKey, publicKey: forge.pki.publicKeyFromPem(publicKey) }
}

/** What forge's cert.sign does, with the RSA signature computed by node:crypto. */
function signCertificate(cert: forge.pki.Certificate, issuerKeyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption
  cert.signatureOid = oid
  cert.siginfo.algorithmOid = oid
  // getTBSCertificate exists in forge but is missing from @types/node-forge.
  const pki = forge.pki as typeof forge.pki & { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 }
  cert.tbsCertificate = pki.getTBSCertificate(cert)
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary')
  cert.signature = sign('sha256', tbs, issuerKeyPem).toString('binary')
}

function validity(cert: forge.pki.Certificate): void {
  const from = new Date(Date.now() - 24 * 3600 * 1000)
  const to = new Date(from)
  to.setFullYear(from.getFullYear() + 10)
  cert.validity.notBefore = from
  cert.validity.notAfter = to
}

// A positive serial in minimal DER: the first byte in 0x01..0x7f. (A leading 0x00 is only legal before a byte
// with its high bit set; otherwise OpenSSL rejects the certificate with "illegal padding".)
export function serialNumber(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] as number) & 0x7f || 0x01
  return bytes.toString('hex')
}

export function createCertificateAuthority(): CertificateAuthority {
  const caKeys = rsaKeyPair()
  const caCert = forge.pki.createCertificate()
  caCert.publicKey = caKeys.publicKey
  caCert.serialNumber = serialNumber()
  validity(caCert)
  const caSubject = [{ name: 'commonName', value: 'google-chat-notify test CA' }]
  caCert.setSubject(caSubject)
  caCert.setIssuer(caSubject)
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  signCertificate(caCert, caKeys.privateKeyPem)
  const caCertPem = forge.pki.certificateToPem(caCert)

  // One leaf key for every host: the certificates differ only in their names, and keygen is the slow part.
  let leafKeys: KeyPair | undefined
  const contexts = new Map<string, SecureContext>()

  function leafCertificatePem(host: string): string {
    leafKeys ??= rsaKeyPair()
    const cert = forge.pki.createCertificate()
    cert.publicKey = leafKeys.publicKey
    cert.serialNumber = serialNumber()
    validity(cert)
    cert.setSubject([{ name: 'commonName', value: host }])
    cert.setIssuer(caSubject)
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
    ])
    signCertificate(cert, caKeys.privateKeyPem)
    return forge.pki.certificateToPem(cert)
  }

  return {
    caCertPem,
    secureContextFor(host) {
      let context = contexts.get(host)
      if (!context) {
        const cert = leafCertificatePem(host)
        context = createSecureContext({ key: leafKeys!.privateKeyPem, cert: cert + caCertPem })
        contexts.set(host, context)
      }
      return context
    },
  }
}
