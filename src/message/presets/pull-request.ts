// The pull-request preset: which PR, by whom, from where to where, in what state.
import type { RunContext } from '../../github/run-context.ts'
import { headline } from '../status-card.ts'
import { statusLook } from '../status.ts'
import { assemble, type PresetCard } from './card.ts'
import { facts } from './facts.ts'
import type { CardOptions, FactName } from './options.ts'
import { button, clip, type Button } from './shared.ts'

export const PULL_REQUEST_FIELDS: readonly FactName[] = [
  'status',
  'pull-request',
  'state',
  'author',
  'branches',
  'labels',
  'commit',
  'workflow',
  'matrix',
]

// In the headline: "#42 merged: …"; an open PR needs no word (the event may be an update, not the opening).
const STATE_WORDS = { open: '', draft: ' draft', merged: ' merged', closed: ' closed' } as const

export function pullRequestPreset(run: RunContext, options: CardOptions): PresetCard {
  const pr = run.pullRequest
  const state = run.pullRequestDetails?.state
  const look = statusLook(options.status)
  // "✅ #42 merged: Add dark mode"; without a pull request in the event, the status headline.
  const generated = pr
    ? `${look.emoji} #${pr.number}${state ? STATE_WORDS[state] : ''}: ${clip(pr.title, 150)}`
    : headline(run, { status: options.status, title: '' })
  const buttons: Button[] = []
  if (pr) buttons.push(button('View pull request', pr.url))
  buttons.push(button('View run', run.runUrl))
  return assemble('pull-request', run, options, generated, {
    facts: facts(options.fields ?? PULL_REQUEST_FIELDS, { run, options, status: options.status }),
    buttons,
  })
}
