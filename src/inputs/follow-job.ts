// follow-job's main step: the card is posted as started (or in progress) whatever the job's status says now, under
// a message id of its own unless the user gave one, so its post step and a re-run's cards never collide.
import type { Settings, Status } from '../domain.ts'
import { clientMessageId } from './message-id.ts'

export interface ThisRun {
  runId: string
  runAttempt: number
  /** GITHUB_JOB: the job's id in the workflow (matrix legs share it). */
  job: string
  /** RUNNER_NAME: tells matrix legs apart when no `matrix` input does. */
  runnerName: string
}

/**
 * The settings follow-job's main step posts with: status started, or in_progress when `status` says so (the job is
 * running: `${{ job.status }}` says success until something fails); and a message id derived from the run, the
 * attempt, the job and the matrix leg (the `matrix` input's values, else the runner), unless `message-id` is set.
 */
export function followJobStart(settings: Settings, run: ThisRun): Settings {
  const status: Status = settings.status === 'in_progress' ? 'in_progress' : 'started'
  const operation = settings.operation
  if (operation.kind !== 'create' || operation.clientMessageId) return { ...settings, status }
  const leg = settings.matrix ? Object.values(settings.matrix).join('-') : run.runnerName
  const id = ['follow', run.runId || 'local', run.runAttempt, run.job, leg].filter(Boolean).join('-')
  return { ...settings, status, operation: { kind: 'create', clientMessageId: clientMessageId(id) } }
}
