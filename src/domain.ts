// The action's shared vocabulary and the shape of its settings: what every stage speaks, so that none has to
// import another's parser. src/inputs/ fills Settings; credentials/, message/ and delivery/ read it.

export const STATUSES = ['success', 'failure', 'cancelled', 'skipped', 'started', 'in_progress'] as const
export type Status = (typeof STATUSES)[number]

export const NOTIFICATIONS = ['default', 'silent', 'force'] as const
export type Notification = (typeof NOTIFICATIONS)[number]

export const AUTH_MODES = ['token', 'self-signed-jwt'] as const
export type AuthMode = (typeof AUTH_MODES)[number]

// ---------------------------------------------------------------------------------------------------------------
// Operations and threads.

/** What the step does with its message: post (or upsert with a message id), update one, or delete one. */
export type Operation =
  | { kind: 'create'; clientMessageId: string | undefined }
  | { kind: 'update'; target: string }
  | { kind: 'delete'; target: string }

export type OperationKind = Operation['kind']

export const THREAD_REPLIES = ['fallback', 'required'] as const
/** The `thread-reply` input: start a new thread when the one named is gone (fallback), or fail (required). */
export type ThreadReply = (typeof THREAD_REPLIES)[number]

/** Chat's `messageReplyOption` for each thread-reply choice (Chat ignores a thread key without one). */
export const MESSAGE_REPLY_OPTION = {
  fallback: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
  required: 'REPLY_MESSAGE_OR_FAIL',
} as const satisfies Record<ThreadReply, string>

export type MessageReplyOption = (typeof MESSAGE_REPLY_OPTION)[ThreadReply]

export interface Thread {
  key?: string
  name?: string
  reply: ThreadReply
}

// ---------------------------------------------------------------------------------------------------------------
// Cards.

export const PRESETS = ['status', 'deploy', 'release', 'pull-request', 'workflow'] as const
export type Preset = (typeof PRESETS)[number]

/** A card preset, or `none` for a text-only message. */
export type CardStyle = Preset | 'none'

/** Facts a card can show, in the vocabulary of the `fields` input. */
export const FACT_NAMES = [
  'status',
  'repository',
  'branch',
  'commit',
  'author',
  'actor',
  'event',
  'workflow',
  'job',
  'matrix',
  'duration',
  'pull-request',
  'state',
  'branches',
  'labels',
  'environment',
  'url',
  'version',
  'deployment-state',
  'tag',
] as const
export type FactName = (typeof FACT_NAMES)[number]

// ---------------------------------------------------------------------------------------------------------------
// People.

/** `users/123456789`, `users/someone@example.com` or `users/all`. */
export type ChatUserId = `users/${string}`

const NUMERIC_ID = /^[0-9]{1,30}$/
/** Strict on purpose: no '<', '>', '|', spaces or anything else that could close the mention or start markup. */
const EMAIL =
  /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/

/** A GitHub login (or an app's `name[bot]`). */
export const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/

/** True when the id is one Chat accepts in a mention and nothing else: users/ + digits, users/ + email, users/all. */
export function isChatUserId(value: string): value is ChatUserId {
  if (!value.startsWith('users/')) return false
  const id = value.slice('users/'.length)
  return id === 'all' || NUMERIC_ID.test(id) || EMAIL.test(id)
}

export interface MentionConfig {
  /** The `mention` input: always mentioned (when `on` matches). */
  mention: readonly ChatUserId[]
  /** The `mention-on` input: the statuses that mention; empty means never. Default: failure. */
  on: readonly Status[]
  /** The `user-map` input: lower-cased GitHub login → Chat user (never `users/all`). */
  userMap: Readonly<Record<string, ChatUserId>>
}

// ---------------------------------------------------------------------------------------------------------------
// Incoming webhooks.

export const WEBHOOK_HOST = 'chat.googleapis.com'

/** A validated incoming-webhook URL. `key` and `token` are secrets. */
export interface WebhookUrl {
  /** The URL to post to: https://chat.googleapis.com/v1/spaces/ID/messages?key=…&token=… */
  url: string
  /** `spaces/ID`. */
  space: string
  key: string
  token: string
  /** A threadKey the URL itself carries (Google documents adding one to the URL); the request's own wins. */
  threadKey?: string
  messageReplyOption?: MessageReplyOption
}

/** A secret as it may appear in a URL: as given, percent-encoded, and form-encoded as URLSearchParams writes it. */
export function urlSecretForms(secret: string): string[] {
  // encodeURIComponent throws on a lone surrogate; URLSearchParams writes it as U+FFFD, and so does this.
  const wellFormed = secret.toWellFormed()
  return [secret, encodeURIComponent(wellFormed), new URLSearchParams({ s: secret }).toString().slice(2)]
}

// ---------------------------------------------------------------------------------------------------------------
// The user's own message.

export type CustomMessageInput = 'message' | 'message-file'

/** How deep JSON and YAML inputs (message, message-file, matrix) may nest: far more than any Chat message needs. */
export const MAX_NESTING = 64

/** A whole Chat message of the user's own, as text: the `message` input, or `message-file` read from the workspace. */
export interface CustomMessageSource {
  /** Which input the message came from, for error messages. */
  input: CustomMessageInput
  text: string
  /** json for .json files; yaml for .yaml/.yml files and for the `message` input (YAML reads JSON too). */
  format: 'json' | 'yaml'
  /** The file's real path (message-file only). */
  path?: string
}

// ---------------------------------------------------------------------------------------------------------------
// Settings.

/** Every input, read once and validated (src/inputs/): the rest of the action never calls getInput. */
export interface Settings {
  /** Raw `credentials` input; parsed (and masked) by the credentials layer. Empty when secrets are unavailable. */
  credentials: string
  /** An incoming webhook instead of the Chat app: posts only, no credentials. */
  webhook: WebhookUrl | undefined
  /** `auth: self-signed-jwt` signs the access token locally instead of asking Google's token endpoint. */
  auth: AuthMode
  /** `spaces/AAAA…` each; empty only in a dry run without a space. */
  spaces: string[]
  /** A whole Chat message of the user's own (JSON or YAML, with {{ }} placeholders); not read for a delete. */
  custom: CustomMessageSource | undefined
  /** Chat's notification type for a created message: silent (no notification, not unread) or force. */
  notification: Notification
  status: Status
  title: string
  text: string
  card: CardStyle
  /** Which facts the card shows, in order; undefined: the preset's own choice. */
  fields: FactName[] | undefined
  matrix: Record<string, string> | undefined
  environment: string | undefined
  environmentUrl: string | undefined
  version: string | undefined
  tag: string | undefined
  previousTag: string | undefined
  /** For the workflow card's job list (GitHub API, actions: read). */
  githubToken: string
  mentions: MentionConfig
  /**
   * The `notify-on-update` input: the statuses that, when an update (`update:`, a message-id upsert, follow-job's
   * post step) leaves the card in them, also get a reply in its thread. An edit notifies no one; a new message does.
   */
  notifyOnUpdate: readonly Status[]
  /** The `follow-job` input: post the card as started now, and finish it with the job's outcome in the post step. */
  followJob: boolean
  operation: Operation
  thread: Thread | undefined
  /** Total time for the notification, retries included. */
  timeoutMs: number
  failOnError: boolean
  dryRun: boolean
}
