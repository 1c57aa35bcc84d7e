// The post step (action.yml runs.post, post-if: always()): every job that uses the action runs it when the job
// ends. Without follow-job there is no saved state and it exits at once, so it imports nothing but the state
// reader; the real work (main.ts's runPost: @actions/core, Octokit, the Chat client) loads only when follow-job
// saved state.
import { readFollowJobState } from './follow-job/state.ts'

const state = readFollowJobState(process.env)
if (state) {
  const { runPost } = await import('./main.ts')
  await runPost(state)
}
