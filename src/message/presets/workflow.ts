// The workflow preset: one card for a whole run, sent by a final job (`needs: [...]`, `if: always()`).
import type { RunContext } from '../../github/run-context.ts'
import type { WorkflowJob } from '../../github/workflow-jobs.ts'
import type { Status } from '../../domain.ts'
import { durationBetween, formatDuration, toMillis } from '../duration.ts'
import { statusLook } from '../status.ts'
import { assemble, type PresetCard } from './card.ts'
import { facts } from './facts.ts'
import type { CardOptions, FactName } from './options.ts'
import { button, clip, link, type Section, type Widget } from './shared.ts'

export const WORKFLOW_FIELDS: readonly FactName[] = [
  'status',
  'duration',
  'branch',
  'commit',
  'pull-request',
  'actor',
  'event',
  'workflow',
]

/**
 * Runs with up to this many jobs list every job; larger ones list the failed and cancelled jobs (up to this many)
 * and count the rest. With the facts and buttons, a card stays well inside Chat's 100 widgets and 32,000 bytes.
 */
export const MAX_LISTED_JOBS = 40
const MAX_JOB_NAME_CHARS = 100

type JobGroup = 'failed' | 'cancelled' | 'succeeded' | 'skipped' | 'running' | 'other'

export interface RunSummary {
  /** failure if any job failed, cancelled if any was cancelled (and none failed), success otherwise. */
  conclusion: Status
  /** The jobs shown: the run's jobs without this one (the job sending the card, still running). */
  jobs: readonly WorkflowJob[]
  counts: Record<JobGroup, number>
  /** Run start (runStartedAt, else the earliest job's creation) to the latest job's completion. */
  durationMs?: number
}

const GROUP_LOOKS: Record<JobGroup, { emoji: string; word: string }> = {
  failed: { emoji: '❌', word: 'failed' },
  cancelled: { emoji: '⚪', word: 'cancelled' },
  succeeded: { emoji: '✅', word: 'succeeded' },
  skipped: { emoji: '⏭️', word: 'skipped' },
  running: { emoji: '⏳', word: 'running' },
  other: { emoji: '➖', word: 'other' },
}

const CONCLUSION_LOOKS: Record<string, { label: string; icon: string }> = {
  success: { label: 'Succeeded', icon: 'check_circle' },
  failure: { label: 'Failed', icon: 'cancel' },
  timed_out: { label: 'Timed out', icon: 'timer_off' },
  startup_failure: { label: 'Failed to start', icon: 'error' },
  cancelled: { label: 'Cancelled', icon: 'block' },
  skipped: { label: 'Skipped', icon: 'skip_next' },
  neutral: { label: 'Neutral', icon: 'radio_button_unchecked' },
  action_required: { label: 'Action required', icon: 'pan_tool' },
  stale: { label: 'Stale', icon: 'history' },
  in_progress: { label: 'Running', icon: 'pending' },
  queued: { label: 'Queued', icon: 'schedule' },
  waiting: { label: 'Waiting', icon: 'hourglass_empty' },
  pending: { label: 'Pending', icon: 'schedule' },
  requested: { label: 'Requested', icon: 'schedule' },
}

function jobGroup(job: WorkflowJob): JobGroup {
  if (job.status !== 'completed') return 'running'
  switch (job.conclusion) {
    case 'success':
      return 'succeeded'
    case 'failure':
    case 'timed_out':
    case 'startup_failure':
      return 'failed'
    case 'cancelled':
      return 'cancelled'
    case 'skipped':
      return 'skipped'
    default:
      return 'other'
  }
}

/** The run as a whole, from its jobs and this job's own `status`. Without jobs: that status. */
export function summarizeRun(run: RunContext, options: CardOptions): RunSummary {
  const counts: Record<JobGroup, number> = { failed: 0, cancelled: 0, succeeded: 0, skipped: 0, running: 0, other: 0 }
  const jobs = (options.jobs ?? []).filter((job) => !isThisJob(job, run))
  for (const job of jobs) counts[jobGroup(job)]++
  let conclusion: Status
  if (jobs.length === 0) conclusion = options.status
  // This job counts too: a notifier that failed or was cancelled before sending says so.
  else if (counts.failed > 0 || options.status === 'failure') conclusion = 'failure'
  else if (counts.cancelled > 0 || options.status === 'cancelled') conclusion = 'cancelled'
  else if (counts.running > 0 && counts.running === jobs.length) conclusion = 'in_progress'
  else conclusion = 'success'

  const starts = (options.jobs ?? []).map((job) => toMillis(job.createdAt ?? job.startedAt))
  const ends = jobs.filter((job) => job.status === 'completed').map((job) => toMillis(job.completedAt))
  const start = toMillis(options.runStartedAt) ?? min(starts)
  const durationMs = durationBetween(start, max(ends))
  return { conclusion, jobs, counts, ...(durationMs !== undefined ? { durationMs } : {}) }
}

export function workflowPreset(run: RunContext, options: CardOptions): PresetCard {
  const summary = summarizeRun(run, options)
  const look = statusLook(summary.conclusion)
  const failedOf = summary.counts.failed ? ` (${summary.counts.failed} of ${summary.jobs.length} jobs)` : ''
  const generated = `${look.emoji} ${clip(run.workflow || 'Workflow', 100)} ${look.verb}${failedOf}`

  const sections: Section[] = []
  if (options.jobs && summary.jobs.length) sections.push(...jobSections(run, options, summary))
  else if (options.jobsUnavailable) {
    sections.push({
      widgets: [{ textParagraph: { text: '<i>Jobs not listed: see the log of the step that sent this card.</i>' } }],
    })
  }

  return assemble('workflow', run, options, generated, {
    facts: facts(options.fields ?? WORKFLOW_FIELDS, {
      run,
      options,
      status: summary.conclusion,
      ...(summary.durationMs !== undefined ? { durationMs: summary.durationMs } : {}),
    }),
    sections,
    buttons: [button('View run', run.runUrl)],
  })
}

function jobSections(run: RunContext, options: CardOptions, summary: RunSummary): Section[] {
  const now = options.now ?? Date.now()
  const counts = (Object.keys(GROUP_LOOKS) as JobGroup[])
    .filter((group) => summary.counts[group] > 0)
    .map((group) => `${GROUP_LOOKS[group].emoji} ${summary.counts[group]} ${GROUP_LOOKS[group].word}`)
  const total = summary.jobs.length
  const overview: Widget = {
    textParagraph: { text: `<b>${total} job${total === 1 ? '' : 's'}</b>: ${counts.join(' · ')}` },
  }
  if (total <= MAX_LISTED_JOBS) {
    return [{ header: 'Jobs', widgets: [overview, ...summary.jobs.map((job) => jobWidget(run, job, now))] }]
  }
  // A large run: the jobs that need a look, one by one (failed first); the rest only counted.
  const attention = [
    ...summary.jobs.filter((job) => jobGroup(job) === 'failed'),
    ...summary.jobs.filter((job) => jobGroup(job) === 'cancelled'),
  ]
  const listed = attention.slice(0, MAX_LISTED_JOBS)
  const widgets: Widget[] = [overview, ...listed.map((job) => jobWidget(run, job, now))]
  if (attention.length > listed.length) {
    widgets.push({
      textParagraph: {
        text: `<i>${attention.length - listed.length} more failed or cancelled jobs: ${link(run.runUrl, 'see the run')}</i>`,
      },
    })
  }
  return [{ header: listed.length ? 'Jobs that failed or were cancelled' : 'Jobs', widgets }]
}

function jobWidget(run: RunContext, job: WorkflowJob, now: number): Widget {
  const key = job.status === 'completed' ? (job.conclusion ?? 'neutral') : job.status
  const look = CONCLUSION_LOOKS[key] ?? { label: key.replace(/_/g, ' '), icon: 'help' }
  const duration =
    job.status === 'completed'
      ? job.conclusion === 'skipped'
        ? ''
        : formatDuration(durationBetween(job.startedAt, job.completedAt) ?? NaN)
      : job.startedAt
        ? formatDuration(durationBetween(job.startedAt, now) ?? NaN)
        : ''
  return {
    decoratedText: {
      startIcon: { materialIcon: { name: look.icon } },
      text: link(jobUrl(run, job), clip(job.name, MAX_JOB_NAME_CHARS)),
      // Only our own words here: a label and a duration.
      bottomLabel: duration ? `${clip(look.label, 40)} · ${duration}` : clip(look.label, 40),
      wrapText: true,
    },
  }
}

/** The job's page on this server: html_url when it points there, else rebuilt (GHES payloads, missing URLs). */
function jobUrl(run: RunContext, job: WorkflowJob): string {
  if (job.htmlUrl && job.htmlUrl.startsWith(`${run.serverUrl}/`) && !/[\s"<>]/.test(job.htmlUrl)) return job.htmlUrl
  return `${run.repositoryUrl}/actions/runs/${encodeURIComponent(run.runId)}/job/${job.id}`
}

/** The job sending the card is still running: its key (GITHUB_JOB) is its name unless it has a `name:`. */
function isThisJob(job: WorkflowJob, run: RunContext): boolean {
  if (job.status === 'completed' || !run.job) return false
  return job.name === run.job || job.name.startsWith(`${run.job} (`)
}

function min(values: (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined)
  return known.length ? Math.min(...known) : undefined
}

function max(values: (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined)
  return known.length ? Math.max(...known) : undefined
}
