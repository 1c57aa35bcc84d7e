import { describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '../../src/errors.ts'
import { isChatUserId, STATUSES, type MentionConfig } from '../../src/domain.ts'
import {
  normalizeUserId,
  parseMention,
  parseMentionOn,
  parseUserMap,
  readMentionConfig,
} from '../../src/inputs/mentions.ts'
import { involvedLogins, mentionPrefix } from '../../src/message/mentions.ts'
import { inputError, runContext } from '../fixtures/samples.ts'

describe('mention', () => {
  test('ids, emails and all, separated by commas, spaces or new lines; duplicates once', () => {
    expect(parseMention('users/123, someone@example.com\nusers/x.y+z@corp.example.co.uk all users/123')).toEqual([
      'users/123',
      'users/someone@example.com',
      'users/x.y+z@corp.example.co.uk',
      'users/all',
    ])
    expect(parseMention('456 users/all ALL')).toEqual(['users/456', 'users/all'])
    expect(parseMention('')).toEqual([])
  })

  test.each([
    'users/123>',
    '<users/all>',
    'users/abc',
    'users/',
    'user/123',
    '@octocat',
    'octocat',
    'a@b',
    'x@example.com|click',
    'users/all>hello<users/all',
    'javascript:alert(1)',
    '*bold*@example.com',
  ])('refuses %j, naming the input and the forms', (entry) => {
    const error = inputError(() => parseMention(`users/1, ${entry}`))
    expect(error.input).toBe('mention')
    expect(error.message).toMatch(/^Input 'mention' has an entry that is not a Chat user: /)
    expect(error.message).toContain('users/123456789')
    expect(error.message).toContain('an email address')
  })

  test('isChatUserId is exactly users/ + digits, users/ + email, or users/all', () => {
    expect(['users/1', 'users/all', 'users/a@b.example'].every(isChatUserId)).toBe(true)
    expect(
      ['users/', 'users/a', 'users/1 ', 'users/a@b', '<users/1>', 'users/ALL', 'spaces/1'].some(isChatUserId),
    ).toBe(false)
    expect(normalizeUserId('all', false)).toBeUndefined()
  })
})

describe('mention-on', () => {
  test('failure by default; always; never; or a list of statuses', () => {
    expect(parseMentionOn('')).toEqual(['failure'])
    expect(parseMentionOn('always')).toEqual([...STATUSES])
    expect(parseMentionOn(' NEVER ')).toEqual([])
    expect(parseMentionOn('failure, cancelled\nin-progress')).toEqual(['failure', 'cancelled', 'in_progress'])
  })

  test('unknown statuses are errors listing the forms', () => {
    const error = inputError(() => parseMentionOn('failure, failed'))
    expect(error.input).toBe('mention-on')
    expect(error.message).toContain('"failed"')
    expect(error.message).toContain('always, never')
    expect(() => parseMentionOn('always, failure')).toThrow(InputError)
  })
})

describe('user-map', () => {
  test('JSON: logins (case-insensitive) to ids or emails', () => {
    expect(parseUserMap('{"Octocat": "users/123", "hubot": "hubot@example.com", "dependabot[bot]": "42"}')).toEqual({
      octocat: 'users/123',
      hubot: 'users/hubot@example.com',
      'dependabot[bot]': 'users/42',
    })
  })

  test('"login: id" lines (a flat YAML map): quotes, comments, blank lines and --- allowed', () => {
    const yaml = [
      '---',
      '# GitHub login: Chat user',
      'octocat: users/123',
      '"hubot": "hubot@example.com"   # the bot',
      "mona-lisa: '456'",
      '',
    ].join('\n')
    expect(parseUserMap(yaml)).toEqual({
      octocat: 'users/123',
      hubot: 'users/hubot@example.com',
      'mona-lisa': 'users/456',
    })
    expect(parseUserMap('octocat: users/1')).toEqual({ octocat: 'users/1' })
  })

  test.each([
    ['{"octocat": "users/all"}', /maps "octocat" to "users\/all"/],
    ['{"octocat": 123}', /maps "octocat" to a non-string/],
    ['{"octocat": "<users/all>"}', /maps "octocat"/],
    ['{"not a login": "users/1"}', /key that is not a GitHub login/],
    ['{"__proto__": "users/1"}', /key that is not a GitHub login/],
    ['["users/1"]', /must be a JSON object/],
    ['{"octocat": ', /is not valid JSON/],
    ['octocat: users/1\n  nested: users/2', /line 2 is not "login: users\/123"/],
    ['octocat users/1\nhubot: users/2', /line 1 is not/],
    ['octocat: all', /maps "octocat" to "all"/],
    ['octocat: users/1|x', /maps "octocat"/],
  ])('%j is an error: %s', (raw, expected) => {
    const error = inputError(() => parseUserMap(raw))
    expect(error.input).toBe('user-map')
    expect(error.message).toMatch(expected)
  })

  test('a path reads the file from the workspace (JSON or lines)', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'user-map-'))
    try {
      mkdirSync(join(workspace, '.github'))
      writeFileSync(join(workspace, '.github/chat-users.yml'), 'octocat: users/123\n')
      writeFileSync(join(workspace, 'users.json'), '{"hubot": "users/9"}')
      const files = { workspace, readFile: (path: string) => readFileSync(path, 'utf8') }
      expect(parseUserMap('.github/chat-users.yml', files)).toEqual({ octocat: 'users/123' })
      expect(parseUserMap(join(workspace, 'users.json'), files)).toEqual({ hubot: 'users/9' })

      const missing = inputError(() => parseUserMap('.github/nope.yml', files))
      expect(missing.message).toMatch(/names a file that cannot be read: ".github\/nope.yml" \(ENOENT\)/)
      const outside = inputError(() => parseUserMap('../../etc/passwd', files))
      expect(outside.message).toMatch(/outside the workspace/)
      expect(() => parseUserMap('/etc/passwd', files)).toThrow(/outside the workspace/)

      writeFileSync(join(workspace, 'bad.yml'), 'octocat: users/1\nhubot: everyone\n')
      expect(() => parseUserMap('bad.yml', files)).toThrow(/maps "hubot" to "everyone" on line 2 \(in bad.yml\)/)
    } finally {
      rmSync(workspace, { recursive: true, force: true })
    }
  })

  test('a path without a workspace is an error, not a silent empty map', () => {
    expect(() => parseUserMap('.github/chat-users.yml')).toThrow(/no workspace/)
  })
})

describe('mentionPrefix', () => {
  const config: MentionConfig = readMentionConfig({
    mention: 'users/1 users/all',
    mentionOn: 'failure, cancelled',
    userMap: '{"octocat": "users/123", "Hubot": "hubot@example.com"}',
  })

  test('on a listed status: the mention list, then the mapped logins, as <users/…> markup', () => {
    expect(mentionPrefix(config, 'failure', ['octocat', 'HUBOT'])).toEqual({
      text: '<users/1> <users/all> <users/123> <users/hubot@example.com>',
      unknownLogins: [],
    })
  })

  test('on another status: nothing, and no logins reported', () => {
    expect(mentionPrefix(config, 'success', ['octocat', 'stranger'])).toEqual({ text: '', unknownLogins: [] })
  })

  test('logins without an entry are dropped and reported once, never written out', () => {
    const result = mentionPrefix(config, 'failure', ['stranger', '<users/all>', 'stranger', 'octocat', ''])
    expect(result.text).toBe('<users/1> <users/all> <users/123>')
    expect(result.unknownLogins).toEqual(['stranger', '<users/all>'])
  })

  test('the same user through the list and the map is mentioned once', () => {
    const both = readMentionConfig({ mention: 'users/123', mentionOn: 'always', userMap: 'octocat: users/123' })
    expect(mentionPrefix(both, 'success', ['octocat']).text).toBe('<users/123>')
  })

  test('an empty config mentions nobody', () => {
    const none = readMentionConfig({ mention: '', mentionOn: '', userMap: '' })
    expect(none).toEqual({ mention: [], on: ['failure'], userMap: {} })
    expect(mentionPrefix(none, 'failure', ['octocat'])).toEqual({ text: '', unknownLogins: ['octocat'] })
  })

  test('a config built by hand cannot inject markup: invalid ids are dropped', () => {
    const forged = {
      mention: ['users/1> <https://evil.example|x', 'users/2'],
      on: ['failure'],
      userMap: { octocat: 'users/all' },
    } as unknown as MentionConfig
    expect(mentionPrefix(forged, 'failure', ['octocat', 'constructor', 'toString']).text).toBe('<users/2> <users/all>')
  })

  test('at most 20 mentions', () => {
    const many = readMentionConfig({
      mention: Array.from({ length: 30 }, (_, i) => `users/${i + 1}`).join(','),
      mentionOn: 'always',
      userMap: '',
    })
    expect(mentionPrefix(many, 'failure', []).text.match(/<users\//g)).toHaveLength(20)
  })
})

describe('involvedLogins', () => {
  test('the actor, then the PR, commit, release and deployment authors, each once', () => {
    const run = runContext({
      actor: 'octocat',
      pullRequestDetails: { author: 'Mona' },
      commitAuthor: { login: 'OCTOCAT', name: 'The Octocat' },
      release: { tagName: 'v1', author: 'releaser', prerelease: false, draft: false, url: 'https://github.com/o/r' },
      deployment: { creator: 'deployer' },
    })
    expect(involvedLogins(run)).toEqual(['octocat', 'Mona', 'releaser', 'deployer'])
  })

  test('names that are not logins are left out', () => {
    expect(involvedLogins(runContext({ actor: 'Some Name <users/all>', commitAuthor: { name: 'x' } }))).toEqual([])
  })
})
