import { existsSync, readFileSync } from 'node:fs'
import type { GitHubContextLike } from './run-context.ts'

/**
 * The run's context as the runner describes it: its GITHUB_* variables and the event payload file. This is what
 * @actions/github's `context` reads; it is read here because importing that module also loads its
 * Octokit and undici, which a run that lists no jobs never needs (the cost is in the README's `npm run bench` figures).
 */
export function readGitHubContext(env: Record<string, string | undefined>): GitHubContextLike {
  const path = env.GITHUB_EVENT_PATH
  const payload = path && existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {}
  const number = (name: string): number => Number.parseInt(env[name] ?? '', 10)
  return {
    payload,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    runId: number('GITHUB_RUN_ID'),
    runNumber: number('GITHUB_RUN_NUMBER'),
    runAttempt: number('GITHUB_RUN_ATTEMPT'),
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
  }
}
