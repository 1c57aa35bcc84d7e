import type { chat_v1 } from '@googleapis/chat'
import type { Settings } from '../domain.ts'
import type { RunContext } from '../github/run-context.ts'
import type { WorkflowJob } from '../github/workflow-jobs.ts'
import { fitToChatLimits } from './limits.ts'
import type { PresetCard } from './presets/card.ts'
import type { CardOptions, JobFacts, Preset } from './presets/options.ts'
import { statusCard, statusText } from './status-card.ts'

export type ChatMessage = chat_v1.Schema$Message

export type MessageSettings = Pick<Settings, 'status' | 'title' | 'text' | 'card'> &
  Partial<Pick<Settings, 'fields' | 'matrix' | 'environment' | 'environmentUrl' | 'version' | 'tag' | 'previousTag'>>

export interface MessageExtras {
  /** The preset renderer, loaded by the caller only when needsPresets() says so (it carries a Markdown parser). */
  renderPreset?: (preset: Preset, run: RunContext, options: CardOptions) => PresetCard
  /** The run's jobs for the workflow card, or why they could not be listed. */
  jobs?: readonly WorkflowJob[]
  jobsUnavailable?: string
  /** This job, from GitHub's jobs API, when it was read. */
  job?: JobFacts
  /** Mentions from the configuration (never from event data), put first in the text: Chat notifies from text. */
  mentionText?: string
  now?: number
}

/** The status card is built in the startup bundle; every other preset needs the preset module. */
export function needsPresets(settings: MessageSettings): boolean {
  return settings.card !== 'none' && settings.card !== 'status'
}

export function cardOptions(settings: MessageSettings, extras: MessageExtras = {}): CardOptions {
  return {
    status: settings.status,
    title: settings.title,
    fields: settings.fields,
    matrix: settings.matrix,
    environment: settings.environment,
    environmentUrl: settings.environmentUrl,
    version: settings.version,
    tag: settings.tag,
    previousTag: settings.previousTag,
    job: extras.job,
    jobs: extras.jobs,
    jobsUnavailable: extras.jobsUnavailable,
    now: extras.now,
  }
}

/** A pure function of the settings and the run: the message as Chat will receive it. */
export function buildMessage(settings: MessageSettings, run: RunContext, extras: MessageExtras = {}): ChatMessage {
  const text = [extras.mentionText, settings.text].filter(Boolean).join(' ')
  // Chat apps differ in their default markup (new apps: Markdown); say which one our text uses.
  const message: ChatMessage = { markupSyntax: 'MARKUP_SYNTAX_CHAT' }
  if (settings.card === 'none') {
    message.text = settings.text
      ? text
      : [extras.mentionText, statusText(run, { status: settings.status, title: settings.title })]
          .filter(Boolean)
          .join('\n')
  } else {
    if (text) message.text = text
    const { card, fallbackText } = renderCard(settings.card, run, cardOptions(settings, extras), extras)
    message.cardsV2 = [card]
    // Shown in notifications and by clients that cannot render cards.
    message.fallbackText = fallbackText
  }
  return fitToChatLimits(message)
}

/** The status card from the startup bundle; any other from the preset renderer the caller loaded. */
function renderCard(preset: Preset, run: RunContext, options: CardOptions, extras: MessageExtras): PresetCard {
  if (preset === 'status') return statusCard(run, options)
  if (!extras.renderPreset) throw new Error(`the ${preset} card needs the preset renderer`)
  return extras.renderPreset(preset, run, options)
}
