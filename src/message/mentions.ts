// Mentions: Chat only notifies from the message text (`<users/123>`), so the prefix goes in front of the text.
// The ids come from the workflow's own inputs (validated in src/inputs/mentions.ts); a login from the event only
// ever selects an entry of the user map, it is never written out.
import { GITHUB_LOGIN, isChatUserId, type ChatUserId, type MentionConfig, type Status } from '../domain.ts'
import type { RunContext } from '../github/run-context.ts'

const MAX_MENTIONS = 20

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
    if (!login || !GITHUB_LOGIN.test(login) || seen.has(login.toLowerCase())) continue
    seen.add(login.toLowerCase())
    logins.push(login)
  }
  return logins
}
