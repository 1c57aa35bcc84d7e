// Reads this job from the GitHub API for the post step of follow-job, tolerating the API's lag behind the runner.
// Import it lazily: it pulls in Octokit (through workflow-jobs.ts).
import { listAttemptJobs, type FetchWorkflowJobsOptions, type RawJobsResult } from './workflow-jobs.ts'
import { findThisJob, isSettled, toRunJob, type RunJob, type ThisJobHints } from './this-job.ts'

export type ThisJobRead =
  /** `settled` false: after every read a main step still showed as running (see jobOutcome). */
  { job: RunJob; settled: boolean; reads: number } | { unavailable: string; reads: number }

export interface ReadThisJobOptions {
  /** One listing of the run attempt's jobs, every page (listAttemptJobs bound to the run). */
  list: () => Promise<RawJobsResult>
  hints: ThisJobHints
  /**
   * Waits before each re-read. GitHub shows a step finished a second or two after the runner finished it: reads at
   * about 0, 0.5, 1.5 and 3 s cover that, and cap what a lagging API adds to the post step at 3 s. A first read
   * that already shows this job settled (the usual case) returns at once.
   */
  retryDelaysMs?: readonly number[]
  sleep?: (ms: number) => Promise<void>
}

export const DEFAULT_RETRY_DELAYS_MS = [500, 1000, 1500] as const

/**
 * Lists the jobs until this job is found with every main step finished, re-reading (after retryDelaysMs) while the
 * listing failed with a retryable error (5xx, 429, a dropped connection), while this job is not among them yet, or
 * while one of its main steps still shows as running. A refusal (no `actions: read`, 404, 401) is not retried.
 * Never throws.
 */
export async function readThisJob(options: ReadThisJobOptions): Promise<ThisJobRead> {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  let last: ThisJobRead = { unavailable: 'the jobs were not read', reads: 0 }
  for (let read = 1; read <= delays.length + 1; read++) {
    if (read > 1) await sleep(delays[read - 2] as number)
    const listed = await options.list()
    if ('unavailable' in listed) {
      last = { unavailable: listed.unavailable, reads: read }
      if (!listed.retryable) return last
      continue
    }
    const jobs = listed.jobs.map(toRunJob).filter((job): job is RunJob => job !== undefined)
    const found = findThisJob(jobs, options.hints)
    if ('missing' in found) {
      last = { unavailable: found.missing, reads: read }
      continue
    }
    last = { job: found.job, settled: isSettled(found.job), reads: read }
    if (last.settled) return last
  }
  return last
}

/** readThisJob over the REST API: `GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt}/jobs`. */
export function readThisJobFromGitHub(
  api: FetchWorkflowJobsOptions,
  hints: ThisJobHints,
  retry: Pick<ReadThisJobOptions, 'retryDelaysMs' | 'sleep'> = {},
): Promise<ThisJobRead> {
  // Each read gets its own deadline (all its pages): a hanging API costs at most this per read.
  return readThisJob({ list: () => listAttemptJobs({ timeoutMs: 5_000, ...api }), hints, ...retry })
}
