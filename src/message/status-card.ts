import type { RunContext } from '../github/run-context.ts'
import type { Status } from '../domain.ts'
import { escapeCardHtml, escapeChatText } from './escape.ts'
import { truncate } from '../text.ts'
import { TRUNCATION_MARKER } from './limits.ts'
import { assemble, type PresetCard } from './presets/card.ts'
import { facts } from './presets/facts.ts'
import type { CardOptions, JobFacts } from './presets/options.ts'
import { button, clip, fact, httpUrl, MAX_HEADER_CHARS, present, type Button, type Widget } from './presets/shared.ts'
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
 * The status card, for `card: status` with or without `fields` and `matrix`. The header carries the status and the
 * repository, so the facts do not repeat them. Without fields: what broke (the failed steps, when this job was read
 * from GitHub), the ref, the commit, the pull request, who triggered it, the duration when known, and the matrix
 * values of a matrix job; with fields, the facts named, in that order, from the catalogue every preset draws from.
 * Then buttons: the job (when known), the run, the commit, the pull request.
 */
export function statusCard(run: RunContext, options: CardOptions): PresetCard {
  const job = options.job
  const generated = job?.note ? finishedHeadline(run) : headline(run, { status: options.status, title: '' })
  const jobUrl = httpUrl(job?.url)
  const buttons: Button[] = jobUrl ? [button('View job', jobUrl)] : []
  buttons.push(button('View run', run.runUrl))
  if (run.commit) buttons.push(button('View commit', run.commit.url))
  if (run.pullRequest) buttons.push(button('View pull request', run.pullRequest.url))
  const input = { run, options, status: options.status, ...durationOf(job) }
  const shown = [...outcomeFacts(job), ...(options.fields ? facts(options.fields, input) : defaultFacts(run, options))]
  return assemble('status', run, options, generated, { facts: shown, buttons })
}

/** A job that ended with its outcome unknown (follow-job without `actions: read`): "🏁 CI finished". */
function finishedHeadline(run: RunContext): string {
  return truncate(`🏁 ${run.workflow || run.job || 'Workflow'} finished`, MAX_HEADER_CHARS, TRUNCATION_MARKER)
}

function durationOf(job: JobFacts | undefined): { durationMs?: number } {
  return job?.durationMs === undefined ? {} : { durationMs: job.durationMs }
}

/** What broke, or why the outcome is unknown: first, whatever `fields` asks for. */
function outcomeFacts(job: JobFacts | undefined): Widget[] {
  if (!job) return []
  if (job.note) return [fact('Outcome', escapeCardHtml(clip(job.note)), 'help')]
  const steps = job.failedSteps
  if (steps.length === 0) return []
  const shown = steps.slice(0, MAX_STEPS_SHOWN).map((step) => escapeCardHtml(clip(step, 100)))
  const more = steps.length > MAX_STEPS_SHOWN ? ` and ${steps.length - MAX_STEPS_SHOWN} more` : ''
  return [fact(steps.length === 1 ? 'Failed step' : 'Failed steps', shown.join(', ') + more, 'error')]
}

const MAX_STEPS_SHOWN = 5

function defaultFacts(run: RunContext, options: CardOptions): Widget[] {
  const input = { run, options, status: options.status, ...durationOf(options.job) }
  const shown = facts(['branch', 'commit', 'pull-request'], input)
  if (run.actor) {
    const attempt = run.runAttempt > 1 ? ` (re-run, attempt ${run.runAttempt})` : ''
    shown.push(fact('Triggered by', `${escapeCardHtml(clip(run.actor))}${attempt}`, 'person'))
  }
  // Known only from GitHub's jobs API; never a guess.
  if (options.job?.durationMs !== undefined) shown.push(...facts(['duration'], input))
  shown.push(...facts(['matrix'], input))
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
