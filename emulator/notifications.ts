// Who a new message notifies. Chat notifies for new messages only: the first message of a thread reaches the
// space's members (per their notification settings), a reply reaches the thread's followers, a mention reaches
// the user mentioned (`<users/123>` in the text) or everyone (`<users/all>`). Sources: Chat API reference,
// `SpaceNotificationSetting` ("ALL", "MAIN_CONVERSATIONS", "FOR_YOU") and "Mention users" in "Format messages".
// Nothing documents an edit notifying anyone, and tools that edit in place report edits as silent (FACTS.md):
// patch/update log nothing. `createMessageNotificationOptions.notificationType` (discovery doc, `create`):
// NOTIFICATION_TYPE_SILENT notifies no one; NOTIFICATION_TYPE_FORCE_NOTIFY bypasses users' settings.

export type NotificationType = 'NOTIFICATION_TYPE_NONE' | 'NOTIFICATION_TYPE_FORCE_NOTIFY' | 'NOTIFICATION_TYPE_SILENT'

export interface ChatNotification {
  time: string
  space: string
  /** The created message's name. */
  message: string
  thread: string
  /** The caller that created it: `apps/<project>` or `webhooks/<id>`. */
  sentBy: string
  /** As requested on create; `NOTIFICATION_TYPE_NONE` when not given (the default behaviour). */
  notificationType: NotificationType
  /**
   * Who is notified: `space` (a new thread: the space's members), `thread` (a reply: the thread's followers),
   * `users/all` and `users/<id>` (mentions). Empty for a silent message.
   */
  recipients: string[]
  /** True when the message bypasses users' notification settings (FORCE_NOTIFY). */
  forced: boolean
}

export interface NotificationFilter {
  space?: string
  message?: string
  thread?: string
  recipient?: string
}

const MENTION = /<(users\/[^<>\s]+)>/g

export class NotificationLog {
  #entries: ChatNotification[] = []

  /** Records what a new message notifies. */
  created(input: {
    space: string
    message: string
    thread: string
    sentBy: string
    reply: boolean
    text?: string
    notificationType?: string
  }): ChatNotification {
    const notificationType = (input.notificationType ?? 'NOTIFICATION_TYPE_NONE') as NotificationType
    const silent = notificationType === 'NOTIFICATION_TYPE_SILENT'
    const mentions = [...(input.text ?? '').matchAll(MENTION)].map((m) => m[1]!)
    const recipients = silent ? [] : [...new Set([input.reply ? 'thread' : 'space', ...mentions])]
    const entry: ChatNotification = {
      time: new Date().toISOString(),
      space: input.space,
      message: input.message,
      thread: input.thread,
      sentBy: input.sentBy,
      notificationType,
      recipients,
      forced: notificationType === 'NOTIFICATION_TYPE_FORCE_NOTIFY',
    }
    this.#entries.push(entry)
    return entry
  }

  list(filter: NotificationFilter = {}): ChatNotification[] {
    return structuredClone(
      this.#entries.filter(
        (n) =>
          (!filter.space || n.space === filter.space) &&
          (!filter.message || n.message === filter.message) &&
          (!filter.thread || n.thread === filter.thread) &&
          (!filter.recipient || n.recipients.includes(filter.recipient)),
      ),
    )
  }

  reset(): void {
    this.#entries = []
  }
}
