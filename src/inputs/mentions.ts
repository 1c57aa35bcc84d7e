// The mention inputs: `mention` (who), `mention-on` (when) and `user-map` (GitHub login → Chat user, inline or a
// file in the workspace). Every id is validated strictly here; message/mentions.ts writes them out.
import { GITHUB_LOGIN, isChatUserId, STATUSES, type ChatUserId, type MentionConfig, type Status } from '../domain.ts'
import { InputError } from '../errors.ts'
import { truncate } from '../text.ts'
import { readWorkspaceFile, type FileAccess } from './workspace-file.ts'

export interface MentionInputs {
  mention: string
  mentionOn: string
  userMap: string
}

const ID_FORMS = 'users/123456789 (a Chat user id), an email address (or users/name@example.com), or all'
/** Far more than any team's map, small enough never to be a problem to read. */
const MAX_USER_MAP_BYTES = 1024 * 1024

/** All three inputs at once; empty inputs give an empty config (no mentions). */
export function readMentionConfig(inputs: MentionInputs, files?: FileAccess): MentionConfig {
  return {
    mention: parseMention(inputs.mention),
    on: parseMentionOn(inputs.mentionOn),
    userMap: parseUserMap(inputs.userMap, files),
  }
}

/**
 * One entry as the user may write it: `users/123`, `123`, `name@example.com`, `users/name@example.com`, or (when
 * allowed) `all` / `users/all`. Undefined when it is none of these.
 */
export function normalizeUserId(raw: string, allowAll: boolean): ChatUserId | undefined {
  const value = raw.trim()
  const id = value.startsWith('users/') ? value.slice('users/'.length) : value
  if (id.toLowerCase() === 'all') return allowAll ? 'users/all' : undefined
  const candidate: ChatUserId = `users/${id}`
  return isChatUserId(candidate) ? candidate : undefined
}

/** The `mention` input: entries separated by commas, spaces or new lines. */
export function parseMention(raw: string, input = 'mention'): ChatUserId[] {
  const ids: ChatUserId[] = []
  for (const entry of raw.split(/[\s,]+/).filter(Boolean)) {
    const id = normalizeUserId(entry, true)
    if (!id) throw new InputError(input, `has an entry that is not a Chat user: ${quote(entry)}; expected ${ID_FORMS}`)
    if (!ids.includes(id)) ids.push(id)
  }
  return ids
}

/** The `mention-on` input: failure (default), always, never, or statuses separated by commas. */
export function parseMentionOn(raw: string, input = 'mention-on'): Status[] {
  const entries = raw
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase().replace(/-/g, '_'))
    .filter(Boolean)
  if (entries.length === 0) return ['failure']
  if (entries.length === 1 && entries[0] === 'always') return [...STATUSES]
  if (entries.length === 1 && entries[0] === 'never') return []
  const statuses: Status[] = []
  for (const entry of entries) {
    if (!(STATUSES as readonly string[]).includes(entry)) {
      throw new InputError(
        input,
        `has an unknown value ${quote(entry)}; expected failure (the default), always, never, or a list of ${STATUSES.join(', ')}`,
      )
    }
    if (!statuses.includes(entry as Status)) statuses.push(entry as Status)
  }
  return statuses
}

/**
 * The `user-map` input: GitHub login → Chat user, as JSON (`{"octocat": "users/123"}`), as `login: users/123` lines
 * (a flat YAML map: quotes and # comments allowed), or as the path of such a file in the workspace
 * (e.g. `.github/chat-users.yml`). Values take the forms of `mention` except `all`.
 */
export function parseUserMap(raw: string, files?: FileAccess, input = 'user-map'): Record<string, ChatUserId> {
  const value = raw.trim()
  if (!value) return {}
  if (looksLikePath(value)) {
    if (!files) throw new InputError(input, `names a file (${quote(value)}) but no workspace is known to read it from`)
    const { text } = readWorkspaceFile(input, value, {
      workspace: files.workspace,
      maxBytes: MAX_USER_MAP_BYTES,
      example: '.github/chat-users.yml',
    })
    return parseUserMapText(text, input, ` (in ${value})`)
  }
  return parseUserMapText(value, input, '')
}

function looksLikePath(value: string): boolean {
  if (value.includes('\n') || /^[[{]/.test(value)) return false
  // "login: users/1" is a one-line map; a path has no ': ' (and Windows drive letters end in a known extension).
  if (/:\s/.test(value)) return false
  return !value.includes(':') || /\.(?:json|ya?ml)$/i.test(value)
}

function parseUserMapText(text: string, input: string, where: string): Record<string, ChatUserId> {
  const entries = /^[[{]/.test(text.trim()) ? jsonEntries(text, input, where) : lineEntries(text, input, where)
  const map: Record<string, ChatUserId> = Object.create(null) as Record<string, ChatUserId>
  for (const [login, rawId, line] of entries) {
    const at = line ? ` on line ${line}` : ''
    if (!GITHUB_LOGIN.test(login)) {
      throw new InputError(input, `has a key that is not a GitHub login${at}${where}: ${quote(login)}`)
    }
    const id = typeof rawId === 'string' ? normalizeUserId(rawId, false) : undefined
    if (!id) {
      throw new InputError(
        input,
        `maps ${quote(login)} to ${typeof rawId === 'string' ? quote(rawId) : 'a non-string'}${at}${where}; expected users/123456789 or an email address`,
      )
    }
    map[login.toLowerCase()] = id
  }
  return { ...map }
}

type Entry = [login: string, id: unknown, line: number | undefined]

function jsonEntries(text: string, input: string, where: string): Entry[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new InputError(
      input,
      `is not valid JSON${where}: ${(error as Error).message}; expected {"login": "users/123"}`,
    )
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(input, `must be a JSON object${where}, e.g. {"octocat": "users/123456789"}`)
  }
  return Object.entries(parsed).map(([login, id]) => [login, id, undefined])
}

/** A flat YAML map, line by line: `login: value`, optional quotes, `#` comments, `---` and blank lines. */
function lineEntries(text: string, input: string, where: string): Entry[] {
  const entries: Entry[] = []
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.replace(/(^|\s)#.*$/, '').trimEnd()
    if (!line.trim() || line.trim() === '---') return
    const match = /^(["']?)([^"':\s]+)\1\s*:\s*(.*)$/.exec(line)
    if (!match || /^\s/.test(line)) {
      throw new InputError(
        input,
        `line ${index + 1}${where} is not "login: users/123": ${quote(rawLine.trim())}; use one flat map, or JSON`,
      )
    }
    const value = (match[3] as string).trim().replace(/^(["'])(.*)\1$/, '$2')
    entries.push([match[2] as string, value, index + 1])
  })
  return entries
}

function quote(value: string): string {
  return JSON.stringify(truncate(value, 61))
}
