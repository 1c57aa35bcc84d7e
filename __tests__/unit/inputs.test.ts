import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/errors.ts'
import { STATUSES } from '../../src/domain.ts'
import { readSettings } from '../../src/inputs/read-settings.ts'
import { parseSpace } from '../../src/inputs/spaces.ts'
import { parseBoolean, parseStatus } from '../../src/inputs/values.ts'

const ID = 'AAAAbCdEf12'

function thrown(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError, nothing was thrown')
}

describe('parseSpace', () => {
  test.each([
    [`spaces/${ID}`],
    [ID],
    [`  spaces/${ID}\n`],
    [`https://mail.google.com/chat/u/0/#chat/space/${ID}`],
    [`https://mail.google.com/chat/u/1/#chat/space/${ID}`],
    [`https://mail.google.com/chat/u/12/#chat/space/${ID}`],
    [`https://chat.google.com/room/${ID}`],
    [`https://chat.google.com/room/${ID}/`],
    [`https://chat.google.com/room/${ID}?cls=7`],
    [`https://chat.google.com/room/${ID}/?cls=7`],
    [`https://chat.google.com/room/${ID}?cls=7#x`],
  ])('accepts %j', (raw) => {
    expect(parseSpace(raw)).toBe(`spaces/${ID}`)
  })

  test('ids may hold letters, digits, - and _', () => {
    expect(parseSpace('spaces/AAAA-_09zz')).toBe('spaces/AAAA-_09zz')
    expect(parseSpace('AAAA-_09zz')).toBe('spaces/AAAA-_09zz')
  })

  test.each([
    [''],
    ['   '],
    ['spaces/'],
    [`spaces/${ID} extra`],
    [`spaces/${ID}/messages/abc`],
    [`${ID}/other`],
    [`AAAA BBBB`],
    [`https://example.com/room/${ID}`],
    [`https://evil.example/chat/u/0/#chat/space/${ID}`],
    [`https://mail.google.com.evil.example/chat/u/0/#chat/space/${ID}`],
    [`https://chat.google.com/room/`],
    [`https://mail.google.com/chat/u/0/#chat/space/`],
    ['https://mail.google.com/chat/u/0/'],
    ['javascript:alert(1)'],
    [`javascript:alert('spaces/${ID}')`],
    [`ftp://chat.google.com/room/${ID}`],
    ['<users/all>'],
  ])('rejects %j, naming the input and the accepted forms', (raw) => {
    const error = thrown(() => parseSpace(raw))
    expect(error.input).toBe('space')
    expect(error.message).toContain("'space'")
    expect(error.message).toContain('spaces/AAAA')
    expect(error.message).toContain('https://mail.google.com/chat/u/0/#chat/space/')
    expect(error.message).toContain('https://chat.google.com/room/')
    expect(error.message).not.toContain('\n')
  })

  test('a very long wrong value is shortened in the error', () => {
    const error = thrown(() => parseSpace(`not a space ${'x'.repeat(5000)}`))
    expect(error.message.length).toBeLessThan(600)
  })
})

describe('parseStatus', () => {
  test.each(STATUSES.map((status) => [status]))('accepts %s', (status) => {
    expect(parseStatus(status)).toBe(status)
  })

  test.each([
    ['Success', 'success'],
    ['FAILURE', 'failure'],
    [' Cancelled ', 'cancelled'],
    ['IN_PROGRESS', 'in_progress'],
    ['in-progress', 'in_progress'],
    ['In Progress', 'in_progress'],
    ['Started', 'started'],
    ['SKIPPED', 'skipped'],
  ])('accepts %j as %s', (raw, status) => {
    expect(parseStatus(raw)).toBe(status)
  })

  test.each([['succeeded'], ['ok'], ['pass'], ['in__progress__x'], ['']])('rejects %j', (raw) => {
    const error = thrown(() => parseStatus(raw))
    expect(error.input).toBe('status')
    expect(error.message).toContain("'status'")
    for (const status of STATUSES) expect(error.message).toContain(status)
    expect(error.message).not.toContain('\n')
  })
})

describe('parseBoolean', () => {
  test.each(['true', 'True', 'TRUE', 'yes', 'on', '1', ' true '])('%j is true', (raw) => {
    expect(parseBoolean('dry-run', raw, false)).toBe(true)
  })
  test.each(['false', 'False', 'no', 'off', '0'])('%j is false', (raw) => {
    expect(parseBoolean('dry-run', raw, true)).toBe(false)
  })
  test('empty falls back to the default', () => {
    expect(parseBoolean('dry-run', '', true)).toBe(true)
    expect(parseBoolean('dry-run', '  ', false)).toBe(false)
  })
  test('anything else names the input', () => {
    const error = thrown(() => parseBoolean('fail-on-error', 'maybe', false))
    expect(error.input).toBe('fail-on-error')
    expect(error.message).toContain("'fail-on-error'")
    expect(error.message).toContain('maybe')
  })
})

describe('readSettings', () => {
  // As the runner: action.yml defaults apply to inputs the workflow does not set (status: job.status).
  const reader =
    (values: Record<string, string>) =>
    (name: string): string =>
      ({ status: 'success', ...values })[name] ?? ''

  test('an empty status (an expression that found nothing) is an error, not a silent success', () => {
    expect(() => readSettings(reader({ credentials: 'x', space: ID, status: '' }))).toThrow(
      /^Input 'status' is empty; expected one of success, failure/,
    )
  })

  test('reads every input with defaults', () => {
    const settings = readSettings(reader({ credentials: '{"type":"service_account"}', space: ID }))
    expect(settings).toEqual({
      credentials: '{"type":"service_account"}',
      webhook: undefined,
      auth: 'token',
      spaces: [`spaces/${ID}`],
      custom: undefined,
      notification: 'default',
      status: 'success',
      title: '',
      text: '',
      card: 'status',
      fields: undefined,
      matrix: undefined,
      environment: undefined,
      environmentUrl: undefined,
      version: undefined,
      tag: undefined,
      previousTag: undefined,
      githubToken: '',
      mentions: { mention: [], on: ['failure'], userMap: {} },
      notifyOnUpdate: ['failure', 'cancelled'],
      followJob: false,
      operation: { kind: 'create', clientMessageId: undefined },
      thread: undefined,
      timeoutMs: 60_000,
      failOnError: false,
      dryRun: false,
    })
  })

  test('normalises status, card and booleans', () => {
    const settings = readSettings(
      reader({
        credentials: 'x',
        space: `https://chat.google.com/room/${ID}?cls=7`,
        status: 'In-Progress',
        card: 'NONE',
        'fail-on-error': 'true',
        title: '  Deploy  ',
        text: '  keep <users/all> as is ',
      }),
    )
    expect(settings.spaces).toEqual([`spaces/${ID}`])
    expect(settings.status).toBe('in_progress')
    expect(settings.card).toBe('none')
    expect(settings.failOnError).toBe(true)
    expect(settings.title).toBe('Deploy')
    expect(settings.text).toBe('  keep <users/all> as is ')
  })

  test('empty credentials are not an input error: main skips with a notice (forks, Dependabot)', () => {
    expect(readSettings(reader({ space: ID })).credentials).toBe('')
    expect(readSettings(reader({ space: ID, credentials: ' \n ' })).credentials.trim()).toBe('')
  })

  test('space is required unless dry-run', () => {
    const error = thrown(() => readSettings(reader({ credentials: 'x' })))
    expect(error.input).toBe('space')
    expect(error.message).not.toContain('\n')
    expect(error.message).toContain('spaces/AAAA')
  })

  test('a dry run needs neither credentials nor space', () => {
    const settings = readSettings(reader({ 'dry-run': 'true' }))
    expect(settings.dryRun).toBe(true)
    expect(settings.spaces).toEqual([])
    expect(settings.credentials).toBe('')
  })

  test('a dry run still validates a space that is given', () => {
    expect(thrown(() => readSettings(reader({ 'dry-run': 'true', space: 'https://example.com/x' }))).input).toBe(
      'space',
    )
  })

  test.each([
    [{ credentials: 'x', space: ID, status: 'done' }, 'status'],
    [{ credentials: 'x', space: ID, card: 'fancy' }, 'card'],
    [{ credentials: 'x', space: ID, 'fail-on-error': 'sometimes' }, 'fail-on-error'],
    [{ credentials: 'x', space: ID, 'dry-run': 'perhaps' }, 'dry-run'],
    [{ credentials: 'x', space: 'spaces/' }, 'space'],
  ])('invalid %j names %s in one line', (values, input) => {
    const error = thrown(() => readSettings(reader(values)))
    expect(error.input).toBe(input)
    expect(error.message).toContain(`'${input}'`)
    expect(error.message).not.toContain('\n')
  })

  test('a multi-line wrong value still gives a one-line error', () => {
    const error = thrown(() => readSettings(reader({ credentials: 'x', space: 'line one\nline two' })))
    expect(error.message).not.toContain('\n')
  })
})

describe('issue 4 inputs: spaces, threads, message ids, update, delete, timeout', () => {
  const reader =
    (values: Record<string, string>) =>
    (name: string): string =>
      ({ status: 'success', credentials: 'x', space: 'AAAAone', ...values })[name] ?? ''

  test('several spaces, by newline or comma, deduplicated, each in any accepted form', () => {
    const settings = readSettings(reader({ space: 'AAAAone\nspaces/AAAAtwo, https://chat.google.com/room/AAAAone' }))
    expect(settings.spaces).toEqual(['spaces/AAAAone', 'spaces/AAAAtwo'])
  })

  test('thread key with the default fallback reply, or required', () => {
    expect(readSettings(reader({ 'thread-key': 'pr-42' })).thread).toEqual({ key: 'pr-42', reply: 'fallback' })
    expect(readSettings(reader({ 'thread-key': 'pr-42', 'thread-reply': 'Required' })).thread).toEqual({
      key: 'pr-42',
      reply: 'required',
    })
    expect(() => readSettings(reader({ 'thread-key': 'x', 'thread-reply': 'maybe' }))).toThrow(/thread-reply/)
  })

  test('thread name must be a thread of the target space', () => {
    expect(readSettings(reader({ 'thread-name': 'spaces/AAAAone/threads/T1' })).thread).toEqual({
      name: 'spaces/AAAAone/threads/T1',
      reply: 'fallback',
    })
    expect(() => readSettings(reader({ 'thread-name': 'spaces/AAAAother/threads/T1' }))).toThrow(
      /^Input 'thread-name' belongs to spaces\/AAAAother/,
    )
    expect(() => readSettings(reader({ 'thread-name': 'T1' }))).toThrow(/^Input 'thread-name' is not a thread name/)
    expect(() => readSettings(reader({ 'thread-name': 'spaces/AAAAone/threads/T1', 'thread-key': 'k' }))).toThrow(
      /thread-name/,
    )
  })

  test('message-id becomes a valid client id; update and delete take a message name or an id', () => {
    expect(readSettings(reader({ 'message-id': 'deploy-123' })).operation).toEqual({
      kind: 'create',
      clientMessageId: 'client-deploy-123',
    })
    expect(readSettings(reader({ update: 'spaces/AAAAone/messages/abc.def' })).operation).toEqual({
      kind: 'update',
      target: 'spaces/AAAAone/messages/abc.def',
    })
    expect(readSettings(reader({ delete: 'deploy-123' })).operation).toEqual({
      kind: 'delete',
      target: 'client-deploy-123',
    })
    expect(() => readSettings(reader({ update: 'spaces/AAAAone/nope' }))).toThrow(
      /^Input 'update' is not a message name/,
    )
    expect(() => readSettings(reader({ 'message-id': 'a', delete: 'b' }))).toThrow(
      /^Input 'delete' cannot be combined with 'message-id'/,
    )
  })

  test('timeout in seconds', () => {
    expect(readSettings(reader({ timeout: '5' })).timeoutMs).toBe(5000)
    expect(readSettings(reader({ timeout: '2.5s' })).timeoutMs).toBe(2500)
    for (const bad of ['0', '-1', 'soon', '99999']) {
      expect(() => readSettings(reader({ timeout: bad }))).toThrow(/^Input 'timeout' must be a number of seconds/)
    }
  })
})

describe('issue 3 inputs: card presets, fields, matrix, mentions', () => {
  const reader =
    (values: Record<string, string>) =>
    (name: string): string =>
      ({ status: 'success', credentials: 'x', space: 'AAAAone', ...values })[name] ?? ''

  test('card names, aliases and none; an unknown card lists every choice', () => {
    expect(readSettings(reader({ card: 'Deploy' })).card).toBe('deploy')
    expect(readSettings(reader({ card: 'pr' })).card).toBe('pull-request')
    expect(readSettings(reader({ card: 'none' })).card).toBe('none')
    expect(() => readSettings(reader({ card: 'fancy' }))).toThrow(
      /^Input 'card' has an unknown value "fancy"; expected one of status, deploy, release, pull-request, workflow or none$/,
    )
  })

  test('fields, matrix and mentions are parsed and validated', () => {
    const settings = readSettings(
      reader({
        fields: 'commit, branch',
        matrix: '{"os":"ubuntu"}',
        mention: 'users/123, all',
        'mention-on': 'always',
      }),
    )
    expect(settings.fields).toEqual(['commit', 'branch'])
    expect(settings.matrix).toEqual({ os: 'ubuntu' })
    expect(settings.mentions.mention).toEqual(['users/123', 'users/all'])
    expect(settings.mentions.on).toContain('success')
    expect(() => readSettings(reader({ mention: '<users/all>' }))).toThrow(/^Input 'mention'/)
  })
})
