// Shared fixtures for the unit tests of the pure layers (inputs, context, key parsing, message builders).
import { generateKeyPairSync } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { chat_v1 } from '@googleapis/chat'
import { describeRun, type GitHubContextLike, type RunContext } from '../../src/github/run-context.ts'
import type { WorkflowJob } from '../../src/github/workflow-jobs.ts'
import { InputError } from '../../src/errors.ts'
import type { Settings } from '../../src/domain.ts'

export const SHA = '0123456789abcdef0123456789abcdef01234567'

/** A lone (unpaired) UTF-16 surrogate: what a careless cut through an emoji leaves behind. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export interface KeyFile {
  /** The file as Google Cloud downloads it: pretty-printed JSON with 2 spaces. */
  json: string
  privateKey: string
  privateKeyId: string
  fields: Record<string, string>
}

let cachedKeyFile: KeyFile | undefined

/** A realistic service-account key file with a freshly generated 2048-bit RSA key (generated once per file). */
export function keyFile(): KeyFile {
  if (cachedKeyFile) return cachedKeyFile
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  const privateKeyId = '4f1c0a9b8e7d6c5b4a39281706f5e4d3c2b1a098'
  const email = 'chat-notify@my-project-123456.iam.gserviceaccount.com'
  const fields: Record<string, string> = {
    type: 'service_account',
    project_id: 'my-project-123456',
    private_key_id: privateKeyId,
    private_key: privateKey,
    client_email: email,
    client_id: '104729834756283947561',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
    universe_domain: 'googleapis.com',
  }
  cachedKeyFile = { json: `${JSON.stringify(fields, null, 2)}\n`, privateKey, privateKeyId, fields }
  return cachedKeyFile
}

/** What `base64 -w 76` prints (wrapCols 0: `base64 -w 0`). */
export function base64Wrapped(text: string, wrapCols: number): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64')
  if (wrapCols === 0) return encoded
  return `${encoded.match(new RegExp(`.{1,${wrapCols}}`, 'g'))?.join('\n')}\n`
}

export function settings(overrides: Partial<Settings> = {}): Pick<Settings, 'status' | 'title' | 'text' | 'card'> {
  return { status: 'success', title: '', text: '', card: 'status', ...overrides }
}

export function githubContext(overrides: Partial<GitHubContextLike> = {}): GitHubContextLike {
  return {
    payload: {},
    eventName: 'push',
    sha: SHA,
    ref: 'refs/heads/main',
    workflow: 'CI',
    job: 'build',
    actor: 'octocat',
    runId: 1234567890,
    runNumber: 42,
    runAttempt: 1,
    serverUrl: 'https://github.com',
    ...overrides,
  }
}

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  const repositoryUrl = 'https://github.com/octo-org/octo-repo'
  return {
    serverUrl: 'https://github.com',
    repository: 'octo-org/octo-repo',
    repositoryUrl,
    workflow: 'CI',
    job: 'build',
    runId: '1234567890',
    runNumber: '42',
    runAttempt: 1,
    runUrl: `${repositoryUrl}/actions/runs/1234567890`,
    eventName: 'push',
    actor: 'octocat',
    ref: { name: 'main', kind: 'branch', url: `${repositoryUrl}/tree/main` },
    commit: { sha: SHA, shortSha: SHA.slice(0, 7), url: `${repositoryUrl}/commit/${SHA}`, title: 'Fix the build' },
    pullRequest: undefined,
    ...overrides,
  }
}

type Card = chat_v1.Schema$GoogleAppsCardV1Card
type Widget = chat_v1.Schema$GoogleAppsCardV1Widget

function widgetsOf(card: Card | undefined): Widget[] {
  const all: Widget[] = []
  const visit = (widget: Widget): void => {
    all.push(widget)
    for (const column of widget.columns?.columnItems ?? []) for (const inner of column.widgets ?? []) visit(inner)
  }
  for (const section of card?.sections ?? []) for (const widget of section.widgets ?? []) visit(widget)
  return all
}

/** Every card string Chat renders: header title and subtitle, decorated text, paragraphs, button labels. */
export function cardTexts(message: chat_v1.Schema$Message): string[] {
  const texts: string[] = []
  for (const { card } of message.cardsV2 ?? []) {
    if (card?.header?.title) texts.push(card.header.title)
    if (card?.header?.subtitle) texts.push(card.header.subtitle)
    for (const widget of widgetsOf(card)) {
      if (widget.decoratedText?.text) texts.push(widget.decoratedText.text)
      if (widget.decoratedText?.topLabel) texts.push(widget.decoratedText.topLabel)
      if (widget.textParagraph?.text) texts.push(widget.textParagraph.text)
      for (const button of widget.buttonList?.buttons ?? []) if (button.text) texts.push(button.text)
    }
  }
  return texts
}

/** Card HTML only (decorated text and paragraphs), where Chat interprets tags. */
export function cardHtml(message: chat_v1.Schema$Message): string[] {
  const html: string[] = []
  for (const { card } of message.cardsV2 ?? []) {
    for (const widget of widgetsOf(card)) {
      if (widget.decoratedText?.text) html.push(widget.decoratedText.text)
      if (widget.textParagraph?.text) html.push(widget.textParagraph.text)
    }
  }
  return html
}

/** Every URL in the cards: button links and href attributes (HTML entities decoded as Chat would). */
export function cardUrls(message: chat_v1.Schema$Message): string[] {
  const urls: string[] = []
  for (const { card } of message.cardsV2 ?? []) {
    for (const widget of widgetsOf(card)) {
      for (const button of widget.buttonList?.buttons ?? []) {
        const url = button.onClick?.openLink?.url
        if (url !== undefined && url !== null) urls.push(url)
      }
    }
  }
  for (const html of cardHtml(message)) {
    for (const match of html.matchAll(/href="([^"]*)"/g)) urls.push(decodeEntities(match[1] as string))
  }
  return urls
}

export function widgetCount(message: chat_v1.Schema$Message, index = 0): number {
  return widgetsOf(message.cardsV2?.[index]?.card).length
}

export function decodeEntities(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

export function byteLength(message: unknown): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8')
}

// Webhook examples and workflow jobs, for the preset tests.

/** A webhook payload as JSON gives it: any shape (tests narrow it where they read it). */
export type WebhookPayload = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export interface WebhookDefinition {
  name: string
  examples: WebhookPayload[]
}

const requireFromHere = createRequire(import.meta.url)
const examplesRoot = dirname(requireFromHere.resolve('@octokit/webhooks-examples/package.json'))

/** The examples GitHub documents for one source: `api.github.com` or a GHES release such as `ghes-35`. */
export function webhookDefinitions(source = 'api.github.com'): WebhookDefinition[] {
  return JSON.parse(readFileSync(join(examplesRoot, source, 'index.json'), 'utf8')) as WebhookDefinition[]
}

/** The sources in the package: api.github.com and each GHES release. */
export function webhookSources(): string[] {
  return readdirSync(examplesRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && (entry.name === 'api.github.com' || entry.name.startsWith('ghes-')))
    .map((entry) => entry.name)
    .sort()
}

/** One example (a deep copy, free to edit): the first of `event` that `pick` accepts. */
export function webhookExample(
  event: string,
  pick: (payload: WebhookPayload) => boolean = () => true,
  source = 'api.github.com',
): WebhookPayload {
  const found = webhookDefinitions(source)
    .find((definition) => definition.name === event)
    ?.examples.find(pick)
  if (!found) throw new Error(`no ${event} example in ${source}`)
  return structuredClone(found)
}

/** The run as describeRun sees it when the runner hands the action this event (GITHUB_* as the runner sets them). */
export function runFromEvent(
  event: string,
  payload: WebhookPayload,
  options: { serverUrl?: string; runAttempt?: number; job?: string } = {},
): RunContext {
  const serverUrl = options.serverUrl ?? 'https://github.com'
  const ref =
    typeof payload.ref === 'string' && payload.ref.startsWith('refs/')
      ? payload.ref
      : event === 'release' && payload.release?.tag_name
        ? `refs/tags/${payload.release.tag_name}`
        : payload.deployment?.ref
          ? `refs/heads/${payload.deployment.ref}`
          : 'refs/heads/main'
  const env: Record<string, string> = {
    GITHUB_SERVER_URL: serverUrl,
    GITHUB_REPOSITORY: payload.repository?.full_name ?? 'octo-org/octo-repo',
  }
  if (event.startsWith('pull_request') && payload.pull_request?.head?.ref)
    env.GITHUB_HEAD_REF = payload.pull_request.head.ref
  return describeRun(
    {
      payload,
      eventName: event,
      sha: payload.after || payload.pull_request?.head?.sha || payload.deployment?.sha || SHA,
      ref,
      workflow: 'CI',
      job: options.job ?? 'notify',
      actor: payload.sender?.login ?? 'octocat',
      runId: 1658821493,
      runNumber: 42,
      runAttempt: options.runAttempt ?? 1,
      serverUrl,
    },
    env,
  )
}

export const RUN_START = Date.parse('2024-05-01T10:00:00Z')

/**
 * `count` jobs as fetchWorkflowJobs returns them: the first `failed` fail, the next `cancelled` are cancelled, the
 * next `skipped` are skipped, the rest succeed. Job i starts i seconds after RUN_START and runs (i + 1) minutes.
 */
export function workflowJobs(
  count: number,
  shape: { failed?: number; cancelled?: number; skipped?: number; serverUrl?: string; repository?: string } = {},
): WorkflowJob[] {
  const { failed = 0, cancelled = 0, skipped = 0 } = shape
  const base = `${shape.serverUrl ?? 'https://github.com'}/${shape.repository ?? 'octo-org/octo-repo'}/actions/runs/1658821493/job`
  return Array.from({ length: count }, (_, i) => {
    const conclusion =
      i < failed
        ? 'failure'
        : i < failed + cancelled
          ? 'cancelled'
          : i < failed + cancelled + skipped
            ? 'skipped'
            : 'success'
    const started = RUN_START + i * 1000
    const completed = conclusion === 'skipped' ? started : started + (i + 1) * 60_000
    return {
      id: 9000 + i,
      name: `test (shard ${i + 1})`,
      status: 'completed',
      conclusion,
      createdAt: new Date(RUN_START).toISOString(),
      startedAt: new Date(started).toISOString(),
      completedAt: new Date(completed).toISOString(),
      htmlUrl: `${base}/${9000 + i}`,
      runAttempt: 1,
    }
  })
}

/** The InputError `fn` throws; any other error fails the test as it is, and no error at all fails it too. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError, nothing was thrown')
}
