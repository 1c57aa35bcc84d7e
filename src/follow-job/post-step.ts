// follow-job's post step, loaded by src/post.ts only when the main step saved state.
import * as core from '@actions/core'
import type { FollowJobState } from './state.ts'

/**
 * TODO(integrator): wire finishFollowedJob (./finish.ts) here once the inputs, credentials and delivery
 * restructuring has merged. It needs, from the same places src/main.ts gets them:
 * - readJob: readThisJobFromGitHub({ token: github-token, apiUrl: GITHUB_API_URL, repository: GITHUB_REPOSITORY,
 *   runId: state.runId, runAttempt: state.runAttempt }, { runnerName: RUNNER_NAME, jobName, matrixValues })
 *   (../github/read-this-job.ts);
 * - update: the status card rebuilt for the outcome (failed steps, duration, a button to jobUrl) and patched
 *   into state.messageName;
 * - reply: a create in the card's thread with a requestId, honouring `notification`;
 * - notifyOnUpdate: parseNotifyOnUpdate(notify-on-update) (../inputs/notify-on-update.ts); mentionsFor:
 *   mentionPrefix(config, status, involvedLogins(run)).text; subject: the workflow's name; runUrl: the run's page;
 * - errors from update/reply handled as main.ts handles delivery errors (fail-on-error), prefixed as there.
 * Until then the card is left as the main step posted it, and the log says so.
 */
export async function runFollowJobPostStep(state: FollowJobState | { invalid: string }): Promise<void> {
  if ('invalid' in state) {
    core.warning(`follow-job: ${state.invalid}; the card was left as the main step posted it`)
    return
  }
  core.warning(`follow-job: the post step is not wired yet; ${state.messageName} was left as the main step posted it`)
}
