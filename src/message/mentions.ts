// Mentions: who to notify, when, and GitHub logins mapped to Chat users. Chat only notifies from the message text
// (`<users/123>`), so the prefix goes in front of the text. Every id comes from the workflow's own inputs and is
// validated strictly; a login from the event only ever selects an entry of the user map, it is never written out.
import { isAbsolute, relative, resolve } from 'node:path'
import type { RunContext } from '../context.ts'
import { InputError } from '../errors.ts'
import { STATUSES, type Status } from '../inputs.ts'

/** `users/123456789`, `users/someone@example.com` or `users/all`. */
export type ChatUserId = `users/${string}`

export interface MentionConfig {
  /** The `mention` input: always mentioned (when `on` matches). */
  mention: readonly ChatUserId[]
  /** The `mention-on` input: the statuses that mention; empty means never. Default: failure. */
  on: readonly Status[]
  /** The `user-map` input: lower-cased GitHub login → Chat user (never `users/all`). */
  userMap: Readonly<Record<string, ChatUserId>>
}

export interface MentionInputs {
  mention: string
  mentionOn: string
  userMap: string
}

export interface FileAccess {
  /** GITHUB_WORKSPACE: a user-map path is resolved against it and must stay inside it. */
  workspace: string
  readFile: (absolutePath: string) => string
}

const MAX_MENTIONS = 20
const NUMERIC_ID = /^[0-9]{1,30}$/
/** Strict on purpose: no '<', '>', '|', spaces or anything else that could close the mention or start markup. */
const EMAIL =
  /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/
const ID_FORMS = 'users/123456789 (a Chat user id), an email address (or users/name@example.com), or all'

/** All three inputs at once; empty inputs give an empty config (no mentions). */
export function readMentionConfig(inputs: MentionInputs, files?: FileAccess): MentionConfig {
  return {
    mention: parseMention(inputs.mention),
    on: parseMentionOn(inputs.mentionOn),
    userMap: parseUserMap(inputs.userMap, files),
  }
}

/** True when the id is one Chat accepts in a mention and nothing else: users/ + digits, users/ + email, users/all. */
export function isChatUserId(value: string): value is ChatUserId {
  if (!value.startsWith('users/')) return false
  const id = value.slice('users/'.length)
  return id === 'all' || NUMERIC_ID.test(id) || EMAIL.test(id)
}

/**
 * One entry as the user may write it: `users/123`, `123`, `name@example.com`, `users/name@example.com`, or (when
 * allowed) `all` / `users/all`. Undefined when it is none of these.
 */
export function normalizeUserId(raw: string, allowAll: boolean): ChatUserId | undefined {
  const value = raw.trim()
  const id = value.startsWith('users/') ? value.slice('users/'.length) : value
  if (id.toLowerCase() === 'all') return allowAll ? 'users/all' : undefined
  if (NUMERIC_ID.test(id) || EMAIL.test(id)) return `users/${id}`
  return undefined
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
    return parseUserMapText(readInWorkspace(value, files, input), input, ` (in ${value})`)
  }
  return parseUserMapText(value, input, '')
}

/**
 * The mention markup to put in front of the message text, e.g. `<users/123> <users/all> `, when `status` is one
 * of `config.on`: the `mention` entries, then the users the logins map to. Logins without an entry are dropped and
 * returned (for one debug line), never written out.
 */
export function mentionPrefix(
  config: MentionConfig,
  status: Status,
  logins: readonly string[],
): { text: string; unknownLogins: string[] } {
  if (!config.on.includes(status)) return { text: '', unknownLogins: [] }
  const ids: ChatUserId[] = [...config.mention]
  const unknownLogins: string[] = []
  for (const login of logins) {
    if (!login) continue
    const id = Object.hasOwn(config.userMap, login.toLowerCase()) ? config.userMap[login.toLowerCase()] : undefined
    if (id) ids.push(id)
    else if (!unknownLogins.includes(login)) unknownLogins.push(login)
  }
  // Checked again here: a config built by hand (not by the parsers) cannot inject markup either.
  const unique = [...new Set(ids)].filter(isChatUserId).slice(0, MAX_MENTIONS)
  return { text: unique.map((id) => `<${id}>`).join(' '), unknownLogins }
}

/**
 * The GitHub logins a run involves, for mentionPrefix: who triggered it, then the pull request's, the head commit's,
 * the release's and the deployment's authors (each once, case-insensitively).
 */
export function involvedLogins(run: RunContext): string[] {
  const candidates = [
    run.actor,
    run.pullRequestDetails?.author,
    run.commitAuthor?.login,
    run.release?.author,
    run.deployment?.creator,
  ]
  const seen = new Set<string>()
  const logins: string[] = []
  for (const login of candidates) {
    if (!login || !LOGIN.test(login) || seen.has(login.toLowerCase())) continue
    seen.add(login.toLowerCase())
    logins.push(login)
  }
  return logins
}

function looksLikePath(value: string): boolean {
  if (value.includes('\n') || /^[[{]/.test(value)) return false
  // "login: users/1" is a one-line map; a path has no ': ' (and Windows drive letters end in a known extension).
  if (/:\s/.test(value)) return false
  return !value.includes(':') || /\.(?:json|ya?ml)$/i.test(value)
}

function readInWorkspace(path: string, files: FileAccess, input: string): string {
  const workspace = resolve(files.workspace)
  const absolute = resolve(workspace, path)
  const inside = relative(workspace, absolute)
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) {
    throw new InputError(
      input,
      `names a file outside the workspace: ${quote(path)}; give a path relative to the repository`,
    )
  }
  try {
    return files.readFile(absolute)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new InputError(
      input,
      `names a file that cannot be read: ${quote(path)}${typeof code === 'string' ? ` (${code})` : ''}; check out the repository first, or give the map inline`,
    )
  }
}

function parseUserMapText(text: string, input: string, where: string): Record<string, ChatUserId> {
  const entries = /^[[{]/.test(text.trim()) ? jsonEntries(text, input, where) : lineEntries(text, input, where)
  const map: Record<string, ChatUserId> = Object.create(null) as Record<string, ChatUserId>
  for (const [login, rawId, line] of entries) {
    const at = line ? ` on line ${line}` : ''
    if (!LOGIN.test(login)) {
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
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
}
