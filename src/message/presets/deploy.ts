// The deploy preset: where it went, what went there, how it went, and a way to open it.
import type { RunContext } from '../../github/run-context.ts'
import { assemble, statusHeadline, type PresetCard } from './card.ts'
import { deployEnvironment, deployUrl, facts } from './facts.ts'
import type { CardOptions, FactName } from './options.ts'
import { button, clip, httpUrl, type Button } from './shared.ts'

export const DEPLOY_FIELDS: readonly FactName[] = [
  'status',
  'environment',
  'url',
  'version',
  'deployment-state',
  'commit',
  'actor',
  'workflow',
  'matrix',
]

export function deployPreset(run: RunContext, options: CardOptions): PresetCard {
  const environment = deployEnvironment(run, options)
  const target = environment ? ` to ${clip(environment, 80)}` : ''
  const generated = statusHeadline(options, `Deploy${target}`, environment ? `Deployed${target}` : undefined)
  const buttons: Button[] = []
  // The environment URL is the one link that may leave GitHub: only http(s), never javascript: or the like.
  const url = httpUrl(deployUrl(run, options))
  if (url) buttons.push(button('Open app', url))
  buttons.push(button('View run', run.runUrl))
  return assemble('deploy', run, options, generated, {
    facts: facts(options.fields ?? DEPLOY_FIELDS, { run, options, status: options.status }),
    buttons,
  })
}
