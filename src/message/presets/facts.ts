// The catalogue of facts every preset draws from, and the defaults each one takes from the event.
import type { RunContext } from '../../github/run-context.ts'
import type { Status } from '../../domain.ts'
import { durationBetween, formatDuration } from '../duration.ts'
import { escapeCardHtml } from '../escape.ts'
import { statusLook } from '../status.ts'
import type { CardOptions, FactName } from './options.ts'
import { clip, encodePath, fact, httpUrl, link, type Widget } from './shared.ts'

/** What the facts are drawn from: the run, the options, and what the preset worked out (its status, a duration). */
export interface FactInput {
  run: RunContext
  options: CardOptions
  /** The status the card shows (the workflow card's is the run's, from its jobs). */
  status: Status
  durationMs?: number
}

const MAX_LABELS = 20
const MAX_MATRIX_CHARS = 300
/** A GitHub login (a user, an organisation, or an app's bot account). */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/

/** The facts named, in that order; those the run has nothing for are left out. */
export function facts(names: readonly FactName[], input: FactInput): Widget[] {
  return names.map((name) => FACTS[name](input)).filter((widget): widget is Widget => widget !== undefined)
}

/** The facts named that the run has nothing for (left out of the card), for one debug line. */
export function unshownFacts(names: readonly FactName[], input: FactInput): FactName[] {
  return names.filter((name) => FACTS[name](input) === undefined)
}

const FACTS: Record<FactName, (input: FactInput) => Widget | undefined> = {
  status: ({ status, options }) => {
    if (options.job?.note) return fact('Status', '<b>Finished, outcome unknown</b>', 'help')
    const look = statusLook(status)
    return fact('Status', `<font color="${look.color}"><b>${look.label}</b></font>`, look.icon)
  },
  repository: ({ run }) =>
    run.repository ? fact('Repository', link(run.repositoryUrl, run.repository), 'book') : undefined,
  branch: ({ run }) => {
    if (!run.ref) return undefined
    const label = run.ref.kind === 'tag' ? 'Tag' : run.ref.kind === 'branch' ? 'Branch' : 'Ref'
    return fact(label, link(run.ref.url, run.ref.name), run.ref.kind === 'tag' ? 'sell' : 'call_split')
  },
  commit: ({ run }) => {
    if (!run.commit) return undefined
    const title = run.commit.title ? ` ${escapeCardHtml(clip(run.commit.title))}` : ''
    return fact('Commit', `${link(run.commit.url, run.commit.shortSha)}${title}`, 'commit')
  },
  author: ({ run, options }) => {
    const who = author(run, options)
    return who ? fact('Author', person(run, who), 'person') : undefined
  },
  actor: ({ run }) => (run.actor ? fact('Triggered by', escapeCardHtml(clip(run.actor)), 'person') : undefined),
  event: ({ run }) => (run.eventName ? fact('Event', escapeCardHtml(clip(run.eventName)), 'bolt') : undefined),
  workflow: ({ run }) => {
    if (!run.workflow && !run.runNumber) return undefined
    const attempt = run.runAttempt > 1 ? `, attempt ${run.runAttempt}` : ''
    const number = run.runNumber ? ` (run #${escapeCardHtml(run.runNumber)}${attempt})` : ''
    return fact('Workflow', `${link(run.runUrl, run.workflow || 'Run')}${number}`, 'account_tree')
  },
  job: ({ run, options }) => {
    const name = options.job?.name || run.job
    if (!name) return undefined
    const url = httpUrl(options.job?.url)
    return fact('Job', url ? link(url, name) : escapeCardHtml(clip(name)), 'work')
  },
  matrix: ({ options }) => {
    const text = matrixText(options.matrix)
    return text ? fact('Matrix', escapeCardHtml(text), 'grid_view') : undefined
  },
  duration: ({ durationMs, options }) => {
    // The workflow card's is the run's, from its jobs; elsewhere, from runStartedAt until now when given.
    const ms = durationMs ?? durationBetween(options.runStartedAt, options.now ?? Date.now())
    const text = ms === undefined ? '' : formatDuration(ms)
    return text ? fact('Duration', text, 'timer') : undefined
  },
  'pull-request': ({ run }) => {
    const pr = run.pullRequest
    if (!pr) return undefined
    return fact('Pull request', `${link(pr.url, `#${pr.number}`)} ${escapeCardHtml(clip(pr.title))}`, 'merge')
  },
  state: ({ run }) => {
    const state = run.pullRequestDetails?.state
    if (!state) return undefined
    const look = PR_STATES[state]
    return fact('State', `<font color="${look.color}"><b>${look.label}</b></font>`, look.icon)
  },
  branches: ({ run }) => {
    const details = run.pullRequestDetails
    if (!details?.baseRef || !details.headRef) return undefined
    const base = link(`${run.repositoryUrl}/tree/${encodePath(details.baseRef)}`, details.baseRef)
    // A fork's branch is not in this repository: shown as owner:branch, without a link.
    const head = details.headLabel
      ? escapeCardHtml(clip(details.headLabel))
      : link(`${run.repositoryUrl}/tree/${encodePath(details.headRef)}`, details.headRef)
    return fact('Branches', `${base} ← ${head}`, 'call_merge')
  },
  labels: ({ run }) => {
    const labels = run.pullRequestDetails?.labels ?? []
    if (labels.length === 0) return undefined
    const shown = labels.slice(0, MAX_LABELS).map((label) => escapeCardHtml(clip(label, 50)))
    const more = labels.length > MAX_LABELS ? ` and ${labels.length - MAX_LABELS} more` : ''
    return fact('Labels', shown.join(', ') + more, 'label')
  },
  environment: ({ run, options }) => {
    const environment = deployEnvironment(run, options)
    return environment ? fact('Environment', escapeCardHtml(clip(environment)), 'cloud') : undefined
  },
  url: ({ run, options }) => {
    const raw = deployUrl(run, options)
    if (!raw) return undefined
    const url = httpUrl(raw)
    return fact('URL', url ? link(url, url) : escapeCardHtml(clip(raw)), 'link')
  },
  version: ({ run, options }) => {
    const version = deployVersion(run, options)
    if (!version) return undefined
    return fact(
      version.label,
      version.url ? link(version.url, version.value) : escapeCardHtml(clip(version.value)),
      version.icon,
    )
  },
  'deployment-state': ({ run }) => {
    const state = run.deploymentStatus?.state
    if (!state) return undefined
    const color = DEPLOYMENT_COLORS[state] ?? '#5f6368'
    const label = state.replace(/_/g, ' ')
    return fact(
      'Deployment',
      `<font color="${color}"><b>${escapeCardHtml(clip(label, 40))}</b></font>`,
      'rocket_launch',
    )
  },
  tag: ({ run, options }) => {
    const tag = releaseTag(run, options)
    if (!tag) return undefined
    const release = releaseFor(run, tag)
    const kind = release?.draft ? ' (draft)' : release?.prerelease ? ' (pre-release)' : ''
    return fact('Tag', `${link(releaseUrl(run, tag), tag)}${kind}`, 'sell')
  },
}

const PR_STATES = {
  open: { label: 'Open', color: '#1a7f37', icon: 'merge' },
  draft: { label: 'Draft', color: '#5f6368', icon: 'edit_note' },
  merged: { label: 'Merged', color: '#8250df', icon: 'merge' },
  closed: { label: 'Closed', color: '#d93025', icon: 'close' },
} as const

const DEPLOYMENT_COLORS: Record<string, string> = {
  success: '#188038',
  failure: '#d93025',
  error: '#d93025',
  in_progress: '#1a73e8',
  queued: '#1a73e8',
  pending: '#1a73e8',
  inactive: '#5f6368',
}

// Defaults from the event. Each takes the user's option first, then the payload, then the run.

export function deployEnvironment(run: RunContext, options: CardOptions): string | undefined {
  return options.environment || run.deploymentStatus?.environment || run.deployment?.environment || undefined
}

/** The environment's URL as given (the caller checks it is http(s) before linking it). */
export function deployUrl(run: RunContext, options: CardOptions): string | undefined {
  return (
    options.environmentUrl ||
    run.deploymentStatus?.environmentUrl ||
    run.deploymentStatus?.targetUrl ||
    run.deployment?.webUrl ||
    undefined
  )
}

interface Version {
  label: string
  value: string
  url?: string
  icon: string
}

function deployVersion(run: RunContext, options: CardOptions): Version | undefined {
  if (options.version) return { label: 'Version', value: options.version, icon: 'new_releases' }
  const ref = run.deployment?.ref
  if (ref) {
    // A deployment of a SHA: the commit fact says it better.
    if (/^[0-9a-f]{40}$/i.test(ref)) return undefined
    return { label: 'Ref', value: ref, url: `${run.repositoryUrl}/tree/${encodePath(ref)}`, icon: 'call_split' }
  }
  if (run.ref?.kind === 'tag') return { label: 'Version', value: run.ref.name, url: run.ref.url, icon: 'new_releases' }
  if (run.ref) return { label: 'Branch', value: run.ref.name, url: run.ref.url, icon: 'call_split' }
  return undefined
}

export function releaseTag(run: RunContext, options: CardOptions): string | undefined {
  return options.tag || run.release?.tagName || (run.ref?.kind === 'tag' ? run.ref.name : undefined)
}

/** The event's release, when it is the release of `tag` (a `tag` option may name another). */
export function releaseFor(run: RunContext, tag: string | undefined): RunContext['release'] {
  return tag && run.release?.tagName === tag ? run.release : undefined
}

export function releaseUrl(run: RunContext, tag: string | undefined): string {
  return tag ? `${run.repositoryUrl}/releases/tag/${encodePath(tag)}` : `${run.repositoryUrl}/releases`
}

/** Who the card is about: the PR's, the release's or the deployment's author, else the head commit's. */
export function author(run: RunContext, options: CardOptions): string | undefined {
  return (
    run.pullRequestDetails?.author ||
    releaseFor(run, releaseTag(run, options))?.author ||
    run.deployment?.creator ||
    run.commitAuthor?.login ||
    run.commitAuthor?.name ||
    undefined
  )
}

/** A login links to its profile (bots have none at /login); a name is text. */
function person(run: RunContext, who: string): string {
  return LOGIN.test(who) ? link(`${run.serverUrl}/${who}`, who) : escapeCardHtml(clip(who))
}

export function matrixText(matrix: CardOptions['matrix']): string {
  if (!matrix) return ''
  const text = Object.entries(matrix)
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ')
  return clip(text, MAX_MATRIX_CHARS)
}
