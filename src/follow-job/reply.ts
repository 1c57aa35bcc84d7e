// The reply that follows an update to a bad status: an edit notifies no one, so a short new message in the card's
// thread carries the news and the mentions. Plain Chat text; user-controlled parts escaped.
import type { Status } from '../domain.ts'
import { escapeChatText } from '../message/escape.ts'
import { isChatUserId } from '../domain.ts'
import { statusLook } from '../message/status.ts'

/**
 * Whether an update from `before` to `after` gets a reply: `after` is one of the notify-on-update statuses and the
 * card did not already show it (a card created as failure notified when it was created).
 */
export function shouldReplyToUpdate(notifyOn: readonly Status[], after: Status, before?: Status): boolean {
  return notifyOn.includes(after) && after !== before
}

export interface UpdateReplyFacts {
  status: Status
  /** What it is about, e.g. the workflow's name ("CI") or the card's title; user-controlled. */
  subject: string
  /** The job's name, e.g. "test (ubuntu-latest, 22)"; user-controlled. */
  jobName?: string
  /** Names of the failed steps; user-controlled. */
  failedSteps?: readonly string[]
  /** The job's page, or the run's. */
  url?: string
  /** What the link opens ("the job", "the run"). */
  urlLabel?: string
  /** mentionPrefix(…).text: `<users/123> <users/all>`. */
  mentions?: string
}

const MAX_STEPS_SHOWN = 3
const MAX_NAME = 100

/**
 * `<users/123> ❌ CI failed: test (ubuntu-latest, 22), at Run npm test. <https://…/job/7|Open the job>`.
 * Mentions that are not exactly Chat user mentions are dropped; every name is escaped and clipped.
 */
export function buildUpdateReply(facts: UpdateReplyFacts): string {
  const look = statusLook(facts.status)
  const mentions = (facts.mentions ?? '')
    .split(/\s+/)
    .filter((token) => /^<users\/[^<>\s]+>$/.test(token) && isChatUserId(token.slice(1, -1)))
  const what = clip(facts.subject) || 'The job'
  const job = facts.jobName ? `: ${clip(facts.jobName)}` : ''
  const steps = facts.failedSteps ?? []
  const shown = steps.slice(0, MAX_STEPS_SHOWN).map(clip)
  const more = steps.length > MAX_STEPS_SHOWN ? ` and ${steps.length - MAX_STEPS_SHOWN} more` : ''
  const at = shown.length ? `, at ${shown.join(', ')}${more}` : ''
  const link = facts.url && isWebUrl(facts.url) ? ` <${facts.url}|Open ${facts.urlLabel ?? 'the run'}>` : ''
  const sentence = `${look.emoji} ${escapeChatText(`${what} ${look.verb}${job}${at}`)}.${link}`
  return mentions.length ? `${mentions.join(' ')} ${sentence}` : sentence
}

function clip(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_NAME ? `${flat.slice(0, MAX_NAME - 1)}…` : flat
}

/** An http(s) URL that cannot close Chat's `<url|label>` link early. */
function isWebUrl(value: string): boolean {
  return /^https?:\/\/[^\s<>|]+$/.test(value)
}
