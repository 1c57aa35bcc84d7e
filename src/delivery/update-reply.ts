// The reply that follows an update to a bad status. Chat notifies people of new messages only: an edit (patch)
// takes no notification options and pings no one, not even the users its new text mentions. So when the plan asks
// for it, a short new message goes into the updated card's thread; that create notifies, honours `notification`
// and is idempotent (its own requestId, distinct from the card's).
import type { chat_v1 } from '@googleapis/chat/build/v1.js'
import type { Notification } from '../domain.ts'
import { explainChatError } from './explain-error.ts'
import { lastError } from './retry.ts'

/** Chat's createMessageNotificationOptions.notificationType for each `notification` choice (creates only). */
export const NOTIFICATION_TYPE: Record<Notification, string | undefined> = {
  default: undefined,
  silent: 'NOTIFICATION_TYPE_SILENT',
  force: 'NOTIFICATION_TYPE_FORCE_NOTIFY',
}

export interface UpdateReplyPlan {
  /** Chat-formatted text: what happened, a link, the mentions (buildUpdateReply). */
  text: string
  /** Chat's idempotency key for the reply, per space; never the card's own. */
  requestId: (space: string) => string
}

/** What became of the reply: its name, or why it could not be posted (the card was updated either way). */
export type UpdateReplyResult = { replyName: string } | { replyError: string }

type Call = <T>(what: string, request: (timeoutMs: number) => Promise<T>) => Promise<T>

/** Posts `reply` in `threadName` (the updated card's thread), with the plan's notification type. Never throws. */
export async function replyInThread(
  messages: chat_v1.Resource$Spaces$Messages,
  call: Call,
  target: { space: string; threadName: string },
  reply: UpdateReplyPlan,
  notification: Notification | undefined,
): Promise<UpdateReplyResult> {
  const { space, threadName } = target
  if (!threadName) return { replyError: 'the updated card’s thread is not known, so no reply was posted' }
  try {
    const { data } = await call('Replying', (timeout) =>
      messages.create(
        {
          parent: space,
          requestBody: { text: reply.text, markupSyntax: 'MARKUP_SYNTAX_CHAT', thread: { name: threadName } },
          requestId: reply.requestId(space),
          // The thread exists (the card is in it); should it be gone, a new thread still carries the news.
          messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
          'createMessageNotificationOptions.notificationType': NOTIFICATION_TYPE[notification ?? 'default'],
        },
        { timeout, retry: false },
      ),
    )
    return { replyName: data.name ?? '' }
  } catch (error) {
    return {
      replyError: `the card was updated, but the reply that notifies was not posted: ${explainChatError(lastError(error), space)}`,
    }
  }
}
