import { describe, expect, test } from '@jest/globals'
import { requestId } from '../../src/delivery/message-id.ts'
import { clientMessageId } from '../../src/inputs/message-id.ts'

const VALID = /^client-[a-z0-9-]+$/

describe('clientMessageId', () => {
  test('a valid id is kept as it is, with the client- prefix added once', () => {
    expect(clientMessageId('deploy-123')).toBe('client-deploy-123')
    expect(clientMessageId('client-deploy-123')).toBe('client-deploy-123')
  })

  test.each(['Deploy_123', 'release v1.2/eu', 'ÜBER-deploy', '---', '', 'x'.repeat(200), 'a-'])(
    '%j becomes valid, at most 63 characters',
    (id) => {
      const client = clientMessageId(id)
      expect(client).toMatch(VALID)
      expect(client.length).toBeLessThanOrEqual(63)
      expect(client.endsWith('-')).toBe(false)
    },
  )

  test('ids that normalise alike or share a long prefix never collide', () => {
    const ids = ['Deploy', 'deploy!', 'DEPLOY', `${'a'.repeat(100)}1`, `${'a'.repeat(100)}2`, 'a b', 'a-b', 'a_b']
    const clients = ids.map(clientMessageId)
    expect(new Set(clients).size).toBe(ids.length)
  })

  test('stable: the same id gives the same client id in every run', () => {
    expect(clientMessageId('Release v1.2/eu')).toBe(clientMessageId('Release v1.2/eu'))
  })
})

describe('requestId', () => {
  const parts = { runId: '1658821493', runAttempt: 2, job: 'deploy', step: 'notify', space: 'spaces/A' }

  test('names the run and attempt, and is stable within a process', () => {
    expect(requestId(parts)).toMatch(/^1658821493-2-[0-9a-f]{20}$/)
    expect(requestId(parts)).toBe(requestId(parts))
  })

  test('differs per space, step, job and process (matrix legs share job and step names)', () => {
    const base = requestId(parts, 'nonce-1')
    expect(requestId({ ...parts, space: 'spaces/B' }, 'nonce-1')).not.toBe(base)
    expect(requestId({ ...parts, step: 'other' }, 'nonce-1')).not.toBe(base)
    expect(requestId({ ...parts, job: 'other' }, 'nonce-1')).not.toBe(base)
    expect(requestId(parts, 'nonce-2')).not.toBe(base)
  })
})
