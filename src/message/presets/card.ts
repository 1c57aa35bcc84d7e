// Assembles a preset's card: header, facts, extra sections, buttons.
import type { chat_v1 } from '@googleapis/chat'
import type { RunContext } from '../../github/run-context.ts'
import { truncate } from '../../text.ts'
import { TRUNCATION_MARKER } from '../limits.ts'
import { statusLook } from '../status.ts'
import type { CardOptions } from './options.ts'
import { MAX_HEADER_CHARS, plainText, type Button, type Section, type Widget } from './shared.ts'

export interface PresetCard {
  card: chat_v1.Schema$CardWithId
  /**
   * One plain line for notifications and clients without cards (the message's fallbackText): the headline, the
   * user's title as written, a generated one with '<' made inert like the card header.
   */
  fallbackText: string
}

/** The headline: the user's title as written, else the generated one (which holds user data, made inert). */
function headlineOf(options: CardOptions, generated: string): string {
  return truncate(options.title || generated, MAX_HEADER_CHARS, TRUNCATION_MARKER)
}

export function assemble(
  cardId: string,
  run: RunContext,
  options: CardOptions,
  generated: string,
  parts: { facts: Widget[]; sections?: Section[]; buttons: Button[] },
): PresetCard {
  const headline = headlineOf(options, generated)
  // Plain text everywhere: the user's own title as written, a generated one (with user data) with '<' made inert.
  const plain = options.title ? headline : plainText(headline)
  const sections: Section[] = []
  if (parts.facts.length) sections.push({ widgets: parts.facts })
  sections.push(...(parts.sections ?? []).filter((section) => section.widgets?.length))
  if (parts.buttons.length) sections.push({ widgets: [{ buttonList: { buttons: parts.buttons } }] })
  return {
    card: {
      cardId,
      card: {
        header: {
          title: plain,
          // Only trusted text in the subtitle: the repository name.
          subtitle: truncate(run.repository, MAX_HEADER_CHARS, TRUNCATION_MARKER),
        },
        sections,
      },
    },
    fallbackText: plain,
  }
}

/** "✅ Deploy to production succeeded", with the success wording a preset prefers ("✅ Deployed to production"). */
export function statusHeadline(options: CardOptions, subject: string, onSuccess?: string): string {
  const look = statusLook(options.status)
  if (options.status === 'success' && onSuccess) return `${look.emoji} ${onSuccess}`
  return `${look.emoji} ${subject} ${look.verb}`
}
