import type { RunContext } from '../github/run-context.ts'
import type { Status } from '../domain.ts'
import { escapeCardHtml, escapeChatText } from './escape.ts'
import { truncate } from '../text.ts'
import { TRUNCATION_MARKER } from './limits.ts'
import { assemble, type PresetCard } from './presets/card.ts'
import { facts, matrixText } from './presets/facts.ts'
import type { CardOptions } from './presets/options.ts'
import { button, clip, fact, link, MAX_HEADER_CHARS, present, type Button, type Widget } from './presets/shared.ts'
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

/**
 * The status card, for `card: status` with or without `fields` and `matrix`. Without fields: status, repository,
 * branch, commit, pull request, actor, event, and "Workflow › Job" in one line, then the matrix values of a matrix
 * job; with fields, the facts named, in that order, from the catalogue every preset draws from.
 */
export function statusCard(run: RunContext, options: CardOptions): PresetCard {
  const generated = headline(run, { status: options.status, title: '' })
  const buttons: Button[] = [button('View run', run.runUrl)]
  if (run.commit) buttons.push(button('View commit', run.commit.url))
  if (run.pullRequest) buttons.push(button('View pull request', run.pullRequest.url))
  const shown = options.fields
    ? facts(options.fields, { run, options, status: options.status })
    : defaultFacts(run, options)
  return assemble('status', run, options, generated, { facts: shown, buttons })
}

function defaultFacts(run: RunContext, options: CardOptions): Widget[] {
  const look = statusLook(options.status)
  const shown: Widget[] = [
    fact('Status', `<font color="${look.color}"><b>${look.label}</b></font>`, look.icon),
    fact('Repository', link(run.repositoryUrl, run.repository), 'book'),
  ]
  if (run.ref) {
    const label = run.ref.kind === 'tag' ? 'Tag' : run.ref.kind === 'branch' ? 'Branch' : 'Ref'
    shown.push(fact(label, link(run.ref.url, run.ref.name), run.ref.kind === 'tag' ? 'sell' : 'call_split'))
  }
  if (run.commit) {
    const title = run.commit.title ? ` ${escapeCardHtml(clip(run.commit.title))}` : ''
    shown.push(fact('Commit', `${link(run.commit.url, run.commit.shortSha)}${title}`, 'commit'))
  }
  if (run.pullRequest) {
    const pr = run.pullRequest
    shown.push(fact('Pull request', `${link(pr.url, `#${pr.number}`)} ${escapeCardHtml(clip(pr.title))}`, 'merge'))
  }
  if (run.actor) shown.push(fact('Triggered by', escapeCardHtml(clip(run.actor)), 'person'))
  if (run.eventName) shown.push(fact('Event', escapeCardHtml(clip(run.eventName)), 'bolt'))
  const workflowJob = present(run.workflow, run.job)
    .map((value) => clip(value))
    .map(escapeCardHtml)
    .join(' › ')
  const attempt = run.runAttempt > 1 ? `, attempt ${run.runAttempt}` : ''
  if (workflowJob || run.runNumber) {
    shown.push(
      fact(
        'Workflow › Job',
        `${workflowJob}${run.runNumber ? ` (run #${run.runNumber}${attempt})` : ''}`,
        'account_tree',
      ),
    )
  }
  const matrix = matrixText(options.matrix)
  if (matrix) shown.push(fact('Matrix', escapeCardHtml(matrix), 'grid_view'))
  return shown
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
