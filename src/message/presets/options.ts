// What a preset can be told. The names of presets and facts are shared vocabulary (src/domain.ts); the inputs
// that carry them are parsed in src/inputs/card-options.ts.
import type { FactName, Status } from '../../domain.ts'
import type { WorkflowJob } from '../../github/workflow-jobs.ts'

export type { FactName, Preset } from '../../domain.ts'

/** Everything a preset can be told; all but `status` optional, each with a default from the event (see README). */
export interface CardOptions {
  /** The `status` input: what happened to this job. The workflow preset works out the run's own from its jobs. */
  status: Status
  /** Replaces the generated headline (the user's own text, kept as written). */
  title?: string
  /** Which facts to show, in this order (the `fields` input); default: each preset's own list. */
  fields?: readonly FactName[]
  /** A matrix job's values, e.g. { os: 'ubuntu-latest', node: '24' } (the `matrix` input, `${{ toJSON(matrix) }}`). */
  matrix?: Readonly<Record<string, string>>

  // deploy
  /** Default: deployment_status.environment, deployment.environment. */
  environment?: string
  /** Default: deployment_status.environment_url, .target_url, deployment.payload.web_url. Linked only if http(s). */
  environmentUrl?: string
  /** Default: deployment.ref, else the run's tag or branch. */
  version?: string

  // release
  /** Default: release.tag_name, else the run's tag (refs/tags/…). */
  tag?: string
  /** The tag before this one, for the Compare button; no event carries it. */
  previousTag?: string

  // this job
  /** What GitHub's jobs API told about this job (follow-job's post step, or a read for the status card). */
  job?: JobFacts

  // workflow
  /** The run's jobs (fetchWorkflowJobs); without them the card shows what the context knows. */
  jobs?: readonly WorkflowJob[]
  /** Why the jobs could not be listed (fetchWorkflowJobs' `unavailable`), shown briefly on the card. */
  jobsUnavailable?: string
  /** When the run started (ISO 8601); default: the earliest job's creation. Used for `duration`. */
  runStartedAt?: string
  /** "Now" in epoch milliseconds, for jobs still running; default Date.now(). Tests pin it. */
  now?: number
}

/** This job as GitHub's jobs API shows it: what broke, how long it took, where to look. */
export interface JobFacts {
  /** The job's name as GitHub shows it, e.g. "test (ubuntu-latest, 22)". */
  name?: string
  /** The job's page, https://github.com/o/r/actions/runs/1/job/2. */
  url?: string
  /** Names of the steps that failed, in order. */
  failedSteps: readonly string[]
  durationMs?: number
  /** The job finished but its outcome is unknown: why, one line for the card. */
  note?: string
}
