// Card presets: pure functions of the run and the options, each a cardsV2 card and a fallback line.
//
//   const { card, fallbackText } = renderPreset('deploy', run, { status: 'success', environment: 'production' })
//   message.cardsV2 = [card]; message.fallbackText = fallbackText
//
// The workflow preset lists the run's jobs from `options.jobs` (fetchWorkflowJobs in src/github/workflow-jobs.ts,
// imported lazily by the caller); every other preset needs nothing but the run and the options.
import type { RunContext } from '../../github/run-context.ts'
import type { PresetCard } from './card.ts'
import { deployPreset } from './deploy.ts'
import type { CardOptions, Preset } from './options.ts'
import { pullRequestPreset } from './pull-request.ts'
import { releasePreset } from './release.ts'
import { statusCard } from '../status-card.ts'
import { workflowPreset } from './workflow.ts'

export type { PresetCard } from './card.ts'
export { FACT_NAMES, PRESETS } from '../../domain.ts'
export type { CardOptions, FactName, Preset } from './options.ts'
export { DEPLOY_FIELDS } from './deploy.ts'
export { PULL_REQUEST_FIELDS } from './pull-request.ts'
export { RELEASE_FIELDS, RELEASE_NOTES_CHARS } from './release.ts'
export { MAX_LISTED_JOBS, WORKFLOW_FIELDS, summarizeRun, type RunSummary } from './workflow.ts'

const BUILDERS: Record<Preset, (run: RunContext, options: CardOptions) => PresetCard> = {
  status: statusCard,
  deploy: deployPreset,
  release: releasePreset,
  'pull-request': pullRequestPreset,
  workflow: workflowPreset,
}

/** The preset's card and its fallback line (the headline, plain text). */
export function renderPreset(preset: Preset, run: RunContext, options: CardOptions): PresetCard {
  return BUILDERS[preset](run, options)
}
