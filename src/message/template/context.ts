// What placeholders in custom messages read: `{{ github.* }}` (GitHub's own names for the run), `{{ env.* }}` and
// `{{ inputs.* }}`, with the runner's and the action's secrets left out.
import { describeRun, type GitHubContextLike } from '../../github/run-context.ts'
import type { PathKey } from './parse.ts'

/** What placeholders can read. Values are strings, numbers, booleans, or (under github.event) JSON. */
export interface TemplateContext {
  github: Record<string, unknown>
  env: Record<string, string | undefined>
  inputs: Record<string, string>
}

export interface TemplateContextSource {
  github: GitHubContextLike
  env: Record<string, string | undefined>
  /** Action inputs by name (e.g. status, title, text); secrets such as credentials and webhook-url are left out. */
  inputs?: Record<string, string>
}

const TEMPLATE_ROOTS = ['github', 'env', 'inputs'] as const

/** Inputs that hold secrets: never readable from a template, whatever the caller passes in. */
const SECRET_INPUTS = new Set(['credentials', 'webhook-url'])

/**
 * Environment variables that hold the runner's or the action's secrets (the runtime and OIDC request tokens, every
 * input as INPUT_*, including the service-account key). A message file from a pull request could otherwise post them
 * to the space.
 */
function isHiddenEnvName(name: string): boolean {
  const upper = name.toUpperCase()
  return upper.startsWith('INPUT_') || upper.startsWith('ACTIONS_') || upper === 'GITHUB_TOKEN'
}

/** The values placeholders read, with GitHub's own names for the run context (`github.run_id`, `github.ref_name`…). */
export function templateContext(source: TemplateContextSource): TemplateContext {
  const { github, env } = source
  const run = describeRun(github, env)
  const ref = github.ref || env.GITHUB_REF || ''
  const refName = env.GITHUB_REF_NAME || ref.replace(/^refs\/(heads|tags)\//, '')
  const inputs: Record<string, string> = {}
  for (const [name, value] of Object.entries(source.inputs ?? {})) if (!SECRET_INPUTS.has(name)) inputs[name] = value
  return {
    github: {
      repository: run.repository,
      repository_owner: env.GITHUB_REPOSITORY_OWNER || run.repository.split('/')[0] || '',
      sha: github.sha || env.GITHUB_SHA || '',
      ref,
      ref_name: refName,
      ref_type: env.GITHUB_REF_TYPE || (ref.startsWith('refs/tags/') ? 'tag' : ref ? 'branch' : ''),
      head_ref: env.GITHUB_HEAD_REF ?? '',
      base_ref: env.GITHUB_BASE_REF ?? '',
      actor: github.actor || env.GITHUB_ACTOR || '',
      triggering_actor: env.GITHUB_TRIGGERING_ACTOR || github.actor || env.GITHUB_ACTOR || '',
      workflow: run.workflow,
      job: run.job,
      run_id: run.runId,
      run_number: run.runNumber,
      run_attempt: String(run.runAttempt),
      event_name: run.eventName,
      server_url: run.serverUrl,
      repository_url: run.repositoryUrl,
      run_url: run.runUrl,
      event: github.payload ?? {},
    },
    env: Object.fromEntries(Object.entries(env).filter(([name]) => !isHiddenEnvName(name))),
    inputs,
  }
}

/** The value at `path` (`['github', 'event', 'commits', 0]`), or why templates may not read it. */
export function lookup(context: TemplateContext, path: PathKey[]): { value?: unknown; problem?: string } {
  const [root, ...rest] = path
  if (!(TEMPLATE_ROOTS as readonly PathKey[]).includes(root as PathKey)) {
    return { problem: `unknown name "${String(root)}"; placeholders start with ${TEMPLATE_ROOTS.join('., ')}.` }
  }
  if (root === 'env' && typeof rest[0] === 'string' && isHiddenEnvName(rest[0])) {
    return { problem: `env.${rest[0]} is not available to messages (runner and input variables hold secrets)` }
  }
  let value: unknown = context[root as keyof TemplateContext]
  for (const key of rest) {
    if (value === null || typeof value !== 'object') return { value: undefined }
    // Own properties only: no prototype lookups (`__proto__`, `constructor`); a list's `length` is its own.
    value = Object.hasOwn(value, key) ? (value as Record<PathKey, unknown>)[key] : undefined
  }
  return { value }
}
