import type { chat_v1 } from '@googleapis/chat'
import type { RunContext } from '../context.ts'
import type { Status } from '../inputs.ts'
import { escapeCardHtml, escapeChatText } from './escape.ts'
import { truncate } from '../text.ts'
import { TRUNCATION_MARKER } from './limits.ts'
import {
  button,
  clip,
  fact,
  link,
  MAX_HEADER_CHARS,
  plainText,
  present,
  type Button,
  type Widget,
} from './presets/shared.ts'
import { statusLook } from './status.ts'

export interface StatusMessageOptions {
  status: Status
  /** Replaces the generated headline; the user's own text, kept as written. */
  title: string
}

/** The headline a reader sees first: status, then what ran. Plain text (card headers are not HTML). */
export function headline(run: RunContext, options: StatusMessageOptions): string {
  if (options.title) return truncate(options.title, MAX_HEADER_CHARS, TRUNCATION_MARKER)
  const look = statusLook(options.status)
  const what = run.workflow || run.job || 'Workflow'
  return truncate(`${look.emoji} ${what} ${look.verb}`, MAX_HEADER_CHARS, TRUNCATION_MARKER)
}

export function statusCard(run: RunContext, options: StatusMessageOptions): chat_v1.Schema$CardWithId {
  const look = statusLook(options.status)
  const facts: Widget[] = [
    fact('Status', `<font color="${look.color}"><b>${look.label}</b></font>`, look.icon),
    fact('Repository', link(run.repositoryUrl, run.repository), 'book'),
  ]
  if (run.ref) {
    const label = run.ref.kind === 'tag' ? 'Tag' : run.ref.kind === 'branch' ? 'Branch' : 'Ref'
    facts.push(fact(label, link(run.ref.url, run.ref.name), run.ref.kind === 'tag' ? 'sell' : 'call_split'))
  }
  if (run.commit) {
    const title = run.commit.title ? ` ${escapeCardHtml(clip(run.commit.title))}` : ''
    facts.push(fact('Commit', `${link(run.commit.url, run.commit.shortSha)}${title}`, 'commit'))
  }
  if (run.pullRequest) {
    const pr = run.pullRequest
    facts.push(fact('Pull request', `${link(pr.url, `#${pr.number}`)} ${escapeCardHtml(clip(pr.title))}`, 'merge'))
  }
  if (run.actor) facts.push(fact('Triggered by', escapeCardHtml(clip(run.actor)), 'person'))
  if (run.eventName) facts.push(fact('Event', escapeCardHtml(clip(run.eventName)), 'bolt'))
  const workflowJob = present(run.workflow, run.job)
    .map((value) => clip(value))
    .map(escapeCardHtml)
    .join(' › ')
  const attempt = run.runAttempt > 1 ? `, attempt ${run.runAttempt}` : ''
  if (workflowJob || run.runNumber) {
    facts.push(
      fact(
        'Workflow › Job',
        `${workflowJob}${run.runNumber ? ` (run #${run.runNumber}${attempt})` : ''}`,
        'account_tree',
      ),
    )
  }

  const buttons: Button[] = [button('View run', run.runUrl)]
  if (run.commit) buttons.push(button('View commit', run.commit.url))
  if (run.pullRequest) buttons.push(button('View pull request', run.pullRequest.url))

  return {
    cardId: 'status',
    card: {
      header: {
        // The user's own title as written; a generated one holds the workflow name (user data, e.g. from a fork).
        title: options.title ? headline(run, options) : plainText(headline(run, options)),
        // Only trusted text in the header (it is not HTML, so it could not be escaped): the repository name.
        subtitle: truncate(run.repository, MAX_HEADER_CHARS, TRUNCATION_MARKER),
      },
      sections: [{ widgets: facts }, { widgets: [{ buttonList: { buttons } }] }],
    },
  }
}

/** The text-only form (card: none): one glanceable paragraph in Chat markup, user data escaped. */
export function statusText(run: RunContext, options: StatusMessageOptions): string {
  // The user's own title keeps its formatting; a generated headline holds the workflow name (user data).
  const title = options.title ? headline(run, options) : escapeChatText(headline(run, options))
  const lines = [`*${title}*`]
  const where = present(run.repository, run.ref?.name)
    .map((value) => clip(value))
    .map(escapeChatText)
    .join(' @ ')
  if (where) lines.push(where)
  if (run.commit) {
    const title = run.commit.title ? ` ${escapeChatText(clip(run.commit.title))}` : ''
    lines.push(`Commit <${run.commit.url}|${run.commit.shortSha}>${title}`)
  }
  if (run.pullRequest) {
    lines.push(
      `Pull request <${run.pullRequest.url}|#${run.pullRequest.number}> ${escapeChatText(clip(run.pullRequest.title))}`,
    )
  }
  if (run.actor) lines.push(`Triggered by ${escapeChatText(clip(run.actor))} (${escapeChatText(run.eventName)})`)
  lines.push(`<${run.runUrl}|View run>`)
  return lines.join('\n')
}
