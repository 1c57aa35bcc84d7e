// The status preset: the existing status card, with `fields` and `matrix` on top.
import type { RunContext } from '../../github/run-context.ts'
import { escapeCardHtml } from '../escape.ts'
import { headline, statusCard } from '../status-card.ts'
import { assemble, type PresetCard } from './card.ts'
import { facts, matrixText } from './facts.ts'
import type { CardOptions, FactName } from './options.ts'
import { button, fact, type Button } from './shared.ts'

export const STATUS_FIELDS: readonly FactName[] = [
  'status',
  'repository',
  'branch',
  'commit',
  'pull-request',
  'actor',
  'event',
  'workflow',
  'job',
  'matrix',
]

export function statusPreset(run: RunContext, options: CardOptions): PresetCard {
  const generated = headline(run, { status: options.status, title: '' })
  if (!options.fields) {
    // Without fields: exactly the status card, plus the matrix values after "Workflow › Job" for a matrix job.
    const card = statusCard(run, { status: options.status, title: options.title ?? '' })
    const matrix = matrixText(options.matrix)
    const factWidgets = card.card?.sections?.[0]?.widgets
    if (matrix && factWidgets) factWidgets.push(fact('Matrix', escapeCardHtml(matrix), 'grid_view'))
    // The header as statusCard wrote it: the user's title as written, else the generated one made inert.
    return { card, fallbackText: card.card?.header?.title ?? generated }
  }
  const buttons: Button[] = [button('View run', run.runUrl)]
  if (run.commit) buttons.push(button('View commit', run.commit.url))
  if (run.pullRequest) buttons.push(button('View pull request', run.pullRequest.url))
  return assemble('status', run, options, generated, {
    facts: facts(options.fields, { run, options, status: options.status }),
    buttons,
  })
}
