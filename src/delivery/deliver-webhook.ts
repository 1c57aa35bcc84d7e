// Webhook mode: post through an incoming webhook, with the same retry policy as the app. Loaded lazily and
// without the Google client libraries, so a webhook run stays light.
import { MESSAGE_REPLY_OPTION, type Thread, type WebhookUrl } from '../domain.ts'
import type { ChatMessage } from '../message/build.ts'
import type { SpaceResult } from './deliver.ts'
import { describeFailure, gaveUp, lastError, policyFor, realClock, withRetries, type RetryClock } from './retry.ts'
import { postToWebhook } from './webhook.ts'

export interface WebhookPlan {
  webhook: WebhookUrl
  message: ChatMessage
  thread?: Pick<Thread, 'key' | 'reply'>
  timeoutMs: number
  log: (line: string) => void
  clock?: RetryClock
}

/**
 * One POST, retried on 429/5xx/dropped connections within the budget. An incoming webhook takes no request id,
 * so a response lost after Chat stored the message can, unlike in app mode, end in a second copy.
 */
export async function deliverToWebhook(plan: WebhookPlan): Promise<SpaceResult[]> {
  const clock = plan.clock ?? realClock
  const started = clock.now()
  const space = plan.webhook.space
  try {
    const posted = await withRetries(
      (timeoutMs) =>
        postToWebhook({
          url: plan.webhook,
          message: plan.message,
          threadKey: plan.thread?.key,
          replyOption: plan.thread?.key ? MESSAGE_REPLY_OPTION[plan.thread.reply] : undefined,
          timeoutMs,
        }),
      policyFor(plan.timeoutMs),
      clock,
      (error, attempt, delayMs) =>
        plan.log(
          `Posting to the webhook: attempt ${attempt} failed (${describeFailure(error)}); retrying in ${Math.round(delayMs)} ms`,
        ),
    )
    return [
      {
        space,
        ok: true,
        action: 'created',
        messageName: posted.messageName,
        messageId: '',
        threadName: posted.threadName,
      },
    ]
  } catch (error) {
    const reason = (lastError(error) as Error).message ?? String(error)
    return [{ space, ok: false, error: reason + gaveUp(error, clock.now() - started) }]
  }
}
