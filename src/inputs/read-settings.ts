// Every input, read once, parsed and validated into one Settings object (src/domain.ts). Nothing downstream
// reads inputs; each mistake is an InputError naming the input and the form it expects.
import {
  AUTH_MODES,
  NOTIFICATIONS,
  type Notification,
  type Operation,
  type Settings,
  type Thread,
  type WebhookUrl,
} from '../domain.ts'
import { InputError } from '../errors.ts'
import { parseCard, parseFields, parseMatrix } from './card-options.ts'
import { readCustomMessageSource } from './custom-message.ts'
import { readMentionConfig } from './mentions.ts'
import { parseNotifyOnUpdate } from './notify-on-update.ts'
import { parseOperation, parseThread, type InputReader } from './operation.ts'
import { parseSpaces, SPACE_FORMS } from './spaces.ts'
import { parseBoolean, parseChoice, parseSeconds, parseStatus } from './values.ts'
import { assertWebhookSupports, parseWebhookUrl } from './webhook-url.ts'
import type { FileAccess } from './workspace-file.ts'

export type { InputReader } from './operation.ts'

/** Reads and checks every input; file inputs (message-file, user-map) are read from `files.workspace`. */
export function readSettings(input: InputReader, files?: FileAccess): Settings {
  const optional = (name: string): string | undefined => input(name).trim() || undefined
  const dryRun = parseBoolean('dry-run', input('dry-run'), false)
  const webhook = input('webhook-url').trim() ? parseWebhookUrl(input('webhook-url')) : undefined
  const spaces = webhook ? [webhook.space] : parseSpaces(input('space'))
  if (!dryRun && spaces.length === 0) throw new InputError('space', `is empty; ${SPACE_FORMS}`)
  const operation = parseOperation(input)
  const thread = parseThread(input, spaces)
  const notification = parseChoice('notification', input('notification'), NOTIFICATIONS, 'default')
  if (webhook) checkWebhookMode(webhook, parseSpaces(input('space')), operation, thread, notification)
  const followJob = parseBoolean('follow-job', input('follow-job'), false)
  if (followJob) checkFollowJob(webhook, spaces, operation)
  const message = input('message')
  const messageFile = input('message-file')
  if (message.trim() && messageFile.trim()) {
    throw new InputError('message-file', "cannot be combined with 'message': give the message inline or as a file")
  }
  const settings: Omit<Settings, 'custom'> = {
    credentials: input('credentials'),
    webhook,
    auth: parseChoice('auth', input('auth'), AUTH_MODES, 'token'),
    spaces,
    notification,
    status: parseStatus(input('status')),
    title: input('title').trim(),
    text: input('text'),
    card: parseCard(input('card')),
    fields: parseFields(input('fields')),
    matrix: parseMatrix(input('matrix')),
    environment: optional('environment'),
    environmentUrl: optional('environment-url'),
    version: optional('version'),
    tag: optional('tag'),
    previousTag: optional('previous-tag'),
    githubToken: input('github-token').trim(),
    mentions: readMentionConfig(
      { mention: input('mention'), mentionOn: input('mention-on'), userMap: input('user-map') },
      files,
    ),
    notifyOnUpdate: parseNotifyOnUpdate(input('notify-on-update')),
    followJob,
    operation,
    thread,
    timeoutMs: parseSeconds('timeout', input('timeout'), 60) * 1000,
    failOnError: parseBoolean('fail-on-error', input('fail-on-error'), false),
    dryRun,
  }
  // Last, once every other input is known good; a delete sends no message, so its file is not read.
  const custom =
    operation.kind === 'delete' ? undefined : readCustomMessageSource({ message, messageFile }, files?.workspace)
  return { ...settings, custom }
}

/** follow-job posts one card and updates it when the job ends: it needs the Chat app, one space, and a create. */
function checkFollowJob(webhook: WebhookUrl | undefined, spaces: string[], operation: Operation): void {
  if (webhook) {
    throw new InputError('follow-job', 'cannot be used with webhook-url: a webhook cannot update the card it posted')
  }
  if (operation.kind !== 'create') {
    throw new InputError('follow-job', `cannot be combined with '${operation.kind}': follow-job posts its own card`)
  }
  if (spaces.length > 1) {
    throw new InputError('follow-job', 'follows one card in one space: give a single space, or one step per space')
  }
}

/** An incoming webhook can only post: anything that needs the Chat app is refused with the reason. */
function checkWebhookMode(
  webhook: WebhookUrl,
  givenSpaces: string[],
  operation: Operation,
  thread: Thread | undefined,
  notification: Notification,
): void {
  if (givenSpaces.length > 0 && !givenSpaces.includes(webhook.space)) {
    throw new InputError('space', "names another space than webhook-url's: leave space empty with a webhook")
  }
  if (operation.kind === 'update') assertWebhookSupports('update')
  if (operation.kind === 'delete') assertWebhookSupports('delete')
  if (operation.kind === 'create' && operation.clientMessageId) assertWebhookSupports('message-id')
  if (thread?.name) {
    throw new InputError('thread-name', 'cannot be used with webhook-url: reply by thread-key instead')
  }
  if (notification !== 'default') {
    throw new InputError(
      'notification',
      'cannot be used with webhook-url: silent and forced notifications need the Chat app',
    )
  }
}
