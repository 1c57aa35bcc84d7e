import type { chat_v1 } from '@googleapis/chat'
import type { RunContext } from '../context.ts'
import type { Settings } from '../inputs.ts'
import { fitToChatLimits } from './limits.ts'
import { headline, statusCard, statusText } from './status-card.ts'

export type ChatMessage = chat_v1.Schema$Message

/** A pure function of the settings and the run: the message as Chat will receive it. */
export function buildMessage(
  settings: Pick<Settings, 'status' | 'title' | 'text' | 'card'>,
  run: RunContext,
): ChatMessage {
  const options = { status: settings.status, title: settings.title }
  // Chat apps differ in their default markup (new apps: Markdown); say which one our text uses.
  const message: ChatMessage = { markupSyntax: 'MARKUP_SYNTAX_CHAT' }
  if (settings.card === 'none') {
    message.text = settings.text || statusText(run, options)
  } else {
    if (settings.text) message.text = settings.text
    message.cardsV2 = [statusCard(run, options)]
    // Shown in notifications and by clients that cannot render cards.
    message.fallbackText = headline(run, options)
  }
  return fitToChatLimits(message)
}
