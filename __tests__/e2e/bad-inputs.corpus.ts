// Issue 11's corpus: bad inputs, mistaken and hostile, each with the one line the bundled action must give for it.
// Run by bad-inputs.test.ts through `node dist/index.js` against the emulator. `<workspace>` in a line or an env value stands
// for the run's GITHUB_WORKSPACE; `pending` marks a case another change fixes (the test is test.failing until merged).
import type { RunResult } from '../../scripts/simulate-runner.ts'

export const ACTION = 'google-chat-notify'
export const FAKE_KEY = 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI'
export const FAKE_TOKEN = 'q1W2e3R4t5Y6u7I8o9P0aSdFgHjKl_zXcVbNm-AbCdE%3D'
const SPACE_ID = 'AAAAmember1'
const HOOK = `https://chat.googleapis.com/v1/spaces/${SPACE_ID}/messages`

const SPACE_FORMS =
  "expected 'spaces/AAAA…', the bare id 'AAAA…', or a Chat URL like https://mail.google.com/chat/u/0/#chat/space/AAAA… or https://chat.google.com/room/AAAA…"
const WEBHOOK_FORM =
  'expected https://chat.googleapis.com/v1/spaces/AAAA/messages?key=…&token=… as copied from the space (space name > Apps & integrations > Webhooks)'
const STATUSES = 'success, failure, cancelled, skipped, started, in_progress'
const NOTHING_TO_DELIVER =
  "Input 'credentials' is empty, webhook-url too, and no keyless sign-in was set up, so nothing was sent. Secrets are not passed to workflows run for pull requests from forks or by Dependabot; elsewhere, set credentials: ${{ secrets.GOOGLE_CHAT_CREDENTIALS }} or webhook-url: ${{ secrets.GOOGLE_CHAT_WEBHOOK }}, or sign in keyless with google-github-actions/auth before this step."
const PLACEHOLDER_HINT =
  '. If a ${{ … }} expression put event text into the message, use a {{ … }} placeholder instead (e.g. {{ github.event.head_commit.message }}): placeholders are filled after parsing and escaped'
const TOO_DEEP = (input: string) =>
  `Input '${input}' is nested more than 64 levels deep (objects and lists within each other), more than any Chat message needs: check what generated it`
const DRY_RUN = `Dry run: nothing was sent (spaces/${SPACE_ID}).`

/** A workflow command's data as @actions/core writes it: % and line breaks escaped. */
const commandData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
export const error = (text: string) => `::error::${ACTION}: ${commandData(text)}`
const webhookError = (why: string) =>
  error(`Input 'webhook-url' is not a Google Chat incoming webhook URL: ${why}; ${WEBHOOK_FORM}`)

/** What each case may use from the test's fixture: the registered key in its mangled forms. */
export interface CorpusFixture {
  keyJson: string
  privateKey: string
  keyFields: Record<string, string>
}

export interface BadInput {
  name: string
  /** On top of the defaults: the registered key as credentials, the member space. */
  inputs?: Record<string, string>
  env?: Record<string, string>
  event?: unknown
  eventName?: string
  /** Exit code: 1 for input errors, 0 for notices, warnings and accepted (repaired) inputs. */
  code: 0 | 1
  /** The exact line the run must give (after `<workspace>` is replaced), or a pattern for one that names an id. */
  line: string | RegExp
  /** Further properties of the run. */
  check?: (result: RunResult) => void
  /** Fixed on another branch of issue 11: named here, test.failing in this branch until merged. */
  pending?: string
}

const deepJson = (depth: number) => `{"text": "x", "a": ${'['.repeat(depth)}${']'.repeat(depth)}}`
const aliasBomb = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'text: hi',
  'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
].join('\n')
const buttonTo = (url: string) =>
  `cardsV2:\n  - cardId: c\n    card:\n      sections:\n        - widgets:\n            - buttonList:\n                buttons:\n                  - text: Open\n                    onClick:\n                      openLink:\n                        url: "${url}"\n`

/** The message JSON a dry run printed (between ::group:: and ::endgroup::). */
export function dryRunMessage(result: RunResult): Record<string, unknown> {
  const [, json = '{}'] = /::group::Google Chat message \(dry run\)\n([\s\S]*?)\n::endgroup::/.exec(result.log) ?? []
  return JSON.parse(json) as Record<string, unknown>
}

function openLinkUrls(message: unknown): string[] {
  return [...JSON.stringify(message).matchAll(/"url":"([^"]*)"/g)].map((match) => match[1]!)
}

export function corpus(f: CorpusFixture): BadInput[] {
  const withKey = (privateKey: string) => JSON.stringify({ ...f.keyFields, private_key: privateKey })
  const app = { credentials: '', space: '' }
  return [
    // §1 The mistakes real users make -----------------------------------------------------------------------------
    {
      name: 'fork PR of a webhook user: nothing configured',
      inputs: { ...app },
      code: 0,
      line: `::notice::${ACTION}: ${NOTHING_TO_DELIVER}`,
    },
    {
      name: 'fork PR of an app user: space set, credentials empty',
      inputs: { credentials: '' },
      code: 0,
      line: `::notice::${ACTION}: ${NOTHING_TO_DELIVER}`,
    },
    {
      name: 'nothing configured, fail-on-error',
      inputs: { ...app, 'fail-on-error': 'true' },
      code: 1,
      line: error(NOTHING_TO_DELIVER),
    },
    {
      name: 'nothing configured, card none',
      inputs: { ...app, card: 'none', text: 'hi' },
      code: 0,
      line: `::notice::${ACTION}: ${NOTHING_TO_DELIVER}`,
    },
    {
      name: 'keyless set up but no space',
      inputs: { ...app },
      env: { GOOGLE_APPLICATION_CREDENTIALS: '<workspace>/gha-creds.json' },
      code: 1,
      line: error(`Input 'space' is empty; ${SPACE_FORMS}`),
    },
    {
      name: 'credentials set but no space',
      inputs: { space: '' },
      code: 1,
      line: error(`Input 'space' is empty; ${SPACE_FORMS}`),
    },
    ...[
      `${HOOK}?key=${FAKE_KEY}&token=${FAKE_TOKEN}`,
      `${HOOK}?token=${FAKE_TOKEN}&key=${FAKE_KEY}`,
      `spaces/${SPACE_ID}/messages?key=${FAKE_KEY}&token=${FAKE_TOKEN}`,
    ].map((space, i) => ({
      name: `webhook URL pasted into space (${i + 1})`,
      inputs: { credentials: '', space },
      code: 1 as const,
      line: error(
        "Input 'space' is an incoming-webhook URL: pass it as webhook-url (stored as a secret) and leave space empty; space takes a space name like spaces/AAAA…",
      ),
    })),
    {
      name: 'private_key newlines escaped twice: repaired',
      inputs: { credentials: withKey(f.privateKey.replace(/\n/g, '\\n')), 'dry-run': 'true' },
      code: 0,
      line: DRY_RUN,
    },
    {
      name: 'private_key newlines turned into spaces: repaired and delivered',
      inputs: { credentials: withKey(f.privateKey.replace(/\n/g, ' ')) },
      code: 0,
      line: /^Created spaces\/AAAAmember1\/messages\/[\w.-]+\.$/,
    },
    {
      name: 'key file unescaped into real line breaks: repaired',
      inputs: { credentials: f.keyJson.replace(/\\n/g, '\n'), 'dry-run': 'true' },
      code: 0,
      line: DRY_RUN,
    },
    {
      name: 'key file JSON-encoded twice: read',
      inputs: { credentials: JSON.stringify(f.keyJson), 'dry-run': 'true' },
      code: 0,
      line: DRY_RUN,
    },
    {
      name: 'PEM body that does not decode (dry run reports it too)',
      inputs: { credentials: withKey(f.privateKey.replace(/\n(.)(.)(.)/, '\n$3$2$1')), 'dry-run': 'true' },
      code: 1,
      line: error(
        `Input 'credentials' has a "private_key" that does not decode as a private key (cut short or altered): create a new JSON key for the service account and store the whole file, or its base64 encoding (base64 -w0 key.json)`,
      ),
    },
    {
      name: 'PEM with characters that are not base64',
      inputs: { credentials: withKey(f.privateKey.replace(/\nM/, '\n%')) },
      code: 1,
      line: error(
        `Input 'credentials' has a "private_key" whose PEM text is damaged (no -----END PRIVATE KEY----- line, or characters that are not base64 between the markers): store the key file exactly as downloaded, or its base64 encoding (base64 -w0 key.json)`,
      ),
    },
    ...[
      './key.json',
      '/home/runner/work/repo/key.json',
      '${{ github.workspace }}/sa.json'.replace('${{ github.workspace }}', '/home/runner/work/repo'),
    ].map((path) => ({
      name: `key file path in credentials: ${path}`,
      inputs: { credentials: path },
      code: 1 as const,
      line: error(
        "Input 'credentials' holds a file path, not a key: the secret must hold the key file's content (the JSON itself, or its base64 encoding), because the runner has no copy of your file; or leave credentials empty and sign in keyless with google-github-actions/auth",
      ),
    })),
    {
      name: 'credentials that are not a key at all',
      inputs: { credentials: 'hunter2-not-a-key' },
      code: 1,
      line: error(
        "Input 'credentials' is not valid JSON (nor base64-encoded JSON): paste the service-account key file exactly as Google Cloud downloads it (JSON), or its base64 encoding",
      ),
    },
    {
      name: 'trailing slash on a space',
      inputs: { space: `spaces/${SPACE_ID}/`, 'dry-run': 'true' },
      code: 0,
      line: DRY_RUN,
    },
    {
      name: 'whitespace around a space',
      inputs: { space: `  spaces/${SPACE_ID} \n`, 'dry-run': 'true' },
      code: 0,
      line: DRY_RUN,
    },
    {
      name: 'a space that is not one',
      inputs: { space: 'Team chat' },
      code: 1,
      line: error(`Input 'space' is not a Google Chat space: "Team chat"; ${SPACE_FORMS}`),
    },
    {
      name: 'status canceled (US spelling)',
      inputs: { status: 'canceled', 'dry-run': 'true' },
      code: 0,
      line: DRY_RUN,
      check: (r) => expectIn(r.log, 'CI was cancelled'),
    },
    {
      name: 'status failed',
      inputs: { status: 'failed', 'dry-run': 'true' },
      code: 0,
      line: DRY_RUN,
      check: (r) => expectIn(r.log, '❌ CI failed'),
    },
    {
      name: 'status typo',
      inputs: { status: 'sucess' },
      code: 1,
      line: error(
        `Input 'status' has an unknown value "sucess"; did you mean success?; expected one of ${STATUSES} (default: \${{ job.status }})`,
      ),
    },
    {
      name: 'status empty',
      inputs: { status: '' },
      code: 1,
      line: error(`Input 'status' is empty; expected one of ${STATUSES} (default: \${{ job.status }})`),
    },
    {
      name: 'card typo',
      inputs: { card: 'deplyo' },
      code: 1,
      line: error(
        `Input 'card' has an unknown value "deplyo"; did you mean deploy?; expected one of status, deploy, release, pull-request, workflow or none`,
      ),
    },
    {
      name: 'notification typo',
      inputs: { notification: 'silnet' },
      code: 1,
      line: error(
        `Input 'notification' has an unknown value "silnet"; did you mean silent?; expected one of default, silent, force`,
      ),
    },
    {
      name: 'message with card, title and fields: warned',
      inputs: { message: 'text: hi', card: 'deploy', title: 'Deployed', fields: 'status', 'dry-run': 'true' },
      code: 0,
      line: `::warning::${ACTION}: Inputs 'card', 'title' and 'fields' are ignored: 'message' replaces the whole card (write what you need into the message; {{ inputs.title }} gives the title)`,
    },
    {
      name: '${{ }} paste of a commit message breaks the YAML',
      inputs: { message: 'text: Deployed: fix: handle "quotes" [ci skip]\n' },
      code: 1,
      line: error(
        `Input 'message' is not valid YAML or JSON: Nested mappings are not allowed in compact mappings at line 1, column 7${PLACEHOLDER_HINT}`,
      ),
    },
    {
      name: '${{ }} paste breaks the JSON',
      inputs: { message: '{"text": "Merged "feature" branch"}' },
      code: 1,
      line: error(
        `Input 'message' is not valid YAML or JSON: Unexpected scalar at node end at line 1, column 19${PLACEHOLDER_HINT}`,
      ),
    },
    {
      name: '{{ }} unquoted in YAML',
      inputs: { message: 'text: {{ github.sha }}' },
      code: 1,
      line: error(
        `Input 'message' has a YAML mapping where a value was meant ("{\\"github.sha\\":null}"): quote values that start with {{, e.g. text: '{{ github.sha }}'`,
      ),
    },
    {
      name: 'message and message-file both',
      inputs: { message: 'text: a', 'message-file': 'm.yaml' },
      code: 1,
      line: error("Input 'message-file' cannot be combined with 'message': give the message inline or as a file"),
    },
    {
      name: 'message is a list',
      inputs: { message: '- a\n- b' },
      code: 1,
      line: error(
        'Input \'message\' is a list; expected a Chat message object, e.g. {"text": "Deployed {{ github.sha }}"} or, in YAML, text: Deployed {{ github.sha }}',
      ),
    },
    {
      name: 'fail-on-error not a boolean',
      inputs: { 'fail-on-error': 'maybe' },
      code: 1,
      line: error(`Input 'fail-on-error' must be true or false, got "maybe"`),
    },
    {
      name: 'timeout out of range',
      inputs: { timeout: '0' },
      code: 1,
      line: error('Input \'timeout\' must be a number of seconds between 1 and 3600, got "0"'),
    },
    {
      name: 'fields typo',
      inputs: { fields: 'status, comit' },
      code: 1,
      line: error(
        `Input 'fields' has an unknown field "comit"; did you mean commit?; expected a comma-separated list of: status, repository, branch, commit, author, actor, event, workflow, job, matrix, duration, pull-request, state, branches, labels, environment, url, version, deployment-state, tag`,
      ),
    },
    {
      name: 'matrix not JSON',
      inputs: { matrix: 'os: ubuntu' },
      code: 1,
      line: error(
        'Input \'matrix\' is not JSON; expected ${{ toJSON(matrix) }}, e.g. {"os": "ubuntu-latest", "node": 24}',
      ),
    },
    {
      name: 'message-id and delete together',
      inputs: { 'message-id': 'a', delete: 'b' },
      code: 1,
      line: error(
        "Input 'delete' cannot be combined with 'message-id': set only one of message-id (create or update), update, delete",
      ),
    },
    {
      name: 'thread-name not a thread',
      inputs: { 'thread-name': 'threads/abc' },
      code: 1,
      line: error(
        "Input 'thread-name' is not a thread name: expected spaces/…/threads/… (e.g. an earlier step's thread-name output)",
      ),
    },
    {
      name: 'self-signed-jwt with keyless',
      inputs: { credentials: '', auth: 'self-signed-jwt' },
      env: { GOOGLE_APPLICATION_CREDENTIALS: '<workspace>/gha-creds.json' },
      code: 1,
      line: error(
        "Input 'auth' self-signed-jwt signs with a service-account key: set credentials, or leave auth at token for keyless sign-in",
      ),
    },

    // §2 Hostile input ------------------------------------------------------------------------------------------------
    ...markdownCases(),
    ...urlPlaceholderCases(),
    {
      name: 'HTML in a branch name stays out of the dry-run summary markup',
      pending: 'summary escaping (src/dry-run.ts)',
      inputs: {
        'dry-run': 'true',
        message: 'cardsV2:\n  - cardId: c\n    card:\n      header:\n        title: "{{ github.ref_name }}"\n',
      },
      env: {
        GITHUB_REF: 'refs/heads/x</code></pre><img/src=x/onerror=alert(1)>',
        GITHUB_REF_NAME: 'x</code></pre><img/src=x/onerror=alert(1)>',
      },
      code: 0,
      line: DRY_RUN,
      check: (r) => expectNotIn(r.summary, '<img/src=x/onerror=alert(1)>'),
    },
    // Webhook URLs with typos: errors quote none of it.
    {
      name: 'webhook-url: & where ? belongs',
      inputs: { ...app, 'webhook-url': `${HOOK}&key=${FAKE_KEY}&token=${FAKE_TOKEN}` },
      code: 1,
      line: webhookError("its parameters start with '&' where '?' belongs"),
    },
    {
      name: 'webhook-url: ? percent-encoded',
      inputs: { ...app, 'webhook-url': `${HOOK}%3Fkey=${FAKE_KEY}%26token=${FAKE_TOKEN}` },
      code: 1,
      line: webhookError("its '?' is percent-encoded (%3F): paste the URL exactly as copied"),
    },
    {
      name: 'webhook-url: token before the ?',
      inputs: { ...app, 'webhook-url': `${HOOK};token=${FAKE_TOKEN}?key=${FAKE_KEY}` },
      code: 1,
      line: webhookError('its key or token is in the path, not after the ?'),
    },
    {
      name: 'webhook-url: parameter misspelt',
      inputs: { ...app, 'webhook-url': `${HOOK}?kye=${FAKE_KEY}&token=${FAKE_TOKEN}` },
      code: 1,
      line: webhookError('it has a parameter other than key, token, threadKey, messageReplyOption'),
    },
    {
      name: 'webhook-url: no token',
      inputs: { ...app, 'webhook-url': `${HOOK}?key=${FAKE_KEY}` },
      code: 1,
      line: webhookError('it has no token parameter'),
    },
    {
      name: 'webhook-url: another host',
      inputs: {
        ...app,
        'webhook-url': `https://chat.evil.example/v1/spaces/${SPACE_ID}/messages?key=${FAKE_KEY}&token=${FAKE_TOKEN}`,
      },
      code: 1,
      line: webhookError('its host is not chat.googleapis.com'),
    },
    {
      name: 'webhook-url: http',
      inputs: { ...app, 'webhook-url': `${HOOK.replace('https', 'http')}?key=${FAKE_KEY}&token=${FAKE_TOKEN}` },
      code: 1,
      line: webhookError('it does not start with https://'),
    },
    {
      name: 'webhook-url: a space inside',
      inputs: { ...app, 'webhook-url': `${HOOK}?key=${FAKE_KEY} &token=${FAKE_TOKEN}` },
      code: 1,
      line: webhookError('it has a space or line break in it: paste it on one line, as copied'),
    },
    {
      name: 'webhook-url: just the key',
      inputs: { ...app, 'webhook-url': FAKE_KEY },
      code: 1,
      line: webhookError('it is not a URL'),
    },
    {
      name: 'webhook-url with notification',
      inputs: { ...app, 'webhook-url': `${HOOK}?key=${FAKE_KEY}&token=${FAKE_TOKEN}`, notification: 'silent' },
      code: 1,
      line: error(
        "Input 'notification' cannot be used with webhook-url: silent and forced notifications need the Chat app",
      ),
    },
    // Depth, size, aliases: input errors, not warnings.
    {
      name: 'message nested 5000 deep (JSON)',
      inputs: { message: deepJson(5000) },
      code: 1,
      line: error(TOO_DEEP('message')),
    },
    {
      name: 'message nested 100 deep (YAML flow)',
      inputs: { message: `text: x\na: ${'['.repeat(100)}${']'.repeat(100)}` },
      code: 1,
      line: error(TOO_DEEP('message')),
    },
    {
      name: 'message nested 20000 deep (YAML compact)',
      inputs: { message: `${'- '.repeat(20000)}x` },
      code: 1,
      line: error(TOO_DEEP('message')),
    },
    {
      name: 'message nested deep (YAML ? keys)',
      inputs: { message: `${'? '.repeat(20000)}x` },
      code: 1,
      line: error(TOO_DEEP('message')),
    },
    {
      name: 'matrix nested 5000 deep',
      inputs: { matrix: `{"os": ${'['.repeat(5000)}${']'.repeat(5000)}}` },
      code: 1,
      line: error(TOO_DEEP('matrix')),
    },
    {
      name: 'matrix over 64 kB',
      inputs: { matrix: JSON.stringify({ os: 'x'.repeat(70_000) }) },
      code: 1,
      line: error("Input 'matrix' is 69 kB, more than the 64 kB it may hold"),
    },
    {
      name: 'YAML alias bomb',
      inputs: { message: aliasBomb },
      code: 1,
      line: error("Input 'message' has YAML aliases (*name) that expand past 100 nodes: write the values out instead"),
    },
    {
      name: 'message-file nested deep',
      inputs: { 'message-file': 'deep.json' },
      code: 1,
      line: error(TOO_DEEP('message-file')),
    },
    // Files outside the workspace, or not files.
    {
      name: 'user-map ../ out of the workspace',
      inputs: { 'user-map': '../../etc/passwd' },
      code: 1,
      line: error(
        `Input 'user-map' names a file that is outside the workspace (<workspace>): "../../etc/passwd"; give a path inside the repository checkout, e.g. .github/chat-users.yml`,
      ),
    },
    {
      name: 'user-map symlink to /etc/passwd',
      inputs: { 'user-map': 'passwd.yml' },
      code: 1,
      line: error(
        `Input 'user-map' names a file that is outside the workspace (<workspace>): "passwd.yml"; give a path inside the repository checkout, e.g. .github/chat-users.yml`,
      ),
    },
    {
      name: 'user-map symlink to /proc/self/environ',
      inputs: { 'user-map': 'environ.yml' },
      code: 1,
      line: error(
        `Input 'user-map' names a file that is outside the workspace (<workspace>): "environ.yml"; give a path inside the repository checkout, e.g. .github/chat-users.yml`,
      ),
    },
    {
      name: 'user-map a FIFO',
      inputs: { 'user-map': 'fifo.yml' },
      code: 1,
      line: error(`Input 'user-map' names something that is not a file: "fifo.yml" (a named pipe)`),
    },
    {
      name: 'user-map a directory',
      inputs: { 'user-map': 'dir.yml' },
      code: 1,
      line: error(`Input 'user-map' names something that is not a file: "dir.yml" (a directory)`),
    },
    {
      name: 'message-file 2 MB',
      inputs: { 'message-file': 'huge.yaml' },
      code: 1,
      line: error(
        `Input 'message-file' names a file that is too large: "huge.yaml" has 2097152 bytes, more than 1048576`,
      ),
    },
    {
      name: 'message-file symlink to /dev/zero',
      inputs: { 'message-file': 'zero.yaml' },
      code: 1,
      line: error(
        `Input 'message-file' names a file that is outside the workspace (<workspace>): "zero.yaml"; give a path inside the repository checkout, e.g. .github/chat/deploy.yaml`,
      ),
    },
    {
      name: 'message-file with ${{ }}',
      inputs: { 'message-file': 'expr.yaml' },
      code: 1,
      line: error(
        "Input 'message-file' uses ${{ … }}, which the runner does not evaluate inside files: write placeholders without the $, e.g. {{ github.sha }} or {{ env.NAME }}",
      ),
    },
    // Cutting stays linear: 120 kB of '<' (the runner passes inputs in the environment: 128 kB at most each) is cut fast.
    {
      name: "120 kB of '<' in the title",
      inputs: { title: '<'.repeat(120_000), 'dry-run': 'true' },
      code: 0,
      line: DRY_RUN,
      check: (r) => expectBelow(r.durationMs, 10_000),
    },
    {
      name: "120 kB of '<a' in the text",
      inputs: { text: '<a'.repeat(60_000), 'dry-run': 'true' },
      code: 0,
      line: DRY_RUN,
      check: (r) => expectBelow(r.durationMs, 10_000),
    },
    // Keyless credentials files that name their own universe or token URL.
    {
      name: 'keyless file with its own universe domain and token URL',
      inputs: { credentials: '' },
      env: { GOOGLE_APPLICATION_CREDENTIALS: '<workspace>/evil-universe.json' },
      code: 1,
      line: error(
        "Input 'credentials' is empty and the credentials file <workspace>/evil-universe.json names a universe_domain other than googleapis.com: this action signs in to Google's own endpoints only",
      ),
      check: (r) => expectNotIn(r.log, 'evil.example'),
    },
    {
      name: 'keyless file impersonating through another host',
      inputs: { credentials: '' },
      env: { GOOGLE_APPLICATION_CREDENTIALS: '<workspace>/evil-iam.json' },
      code: 1,
      line: error(
        "Input 'credentials' is empty and the credentials file <workspace>/evil-iam.json has a service_account_impersonation_url that is not a Google IAM Credentials endpoint (https://iamcredentials.googleapis.com/…)",
      ),
    },
  ]

  function markdownCases(): BadInput[] {
    const commit =
      'fix [click me](https://evil.example/x) ![i](https://evil.example/i.png) <https://evil.example/a> **b** <users/all>'
    const noLiveLink = (r: RunResult) => {
      const json = JSON.stringify(dryRunMessage(r))
      expectNotIn(json, '](https://evil.example')
      expectNotIn(json, '<https://evil.example')
      expectNotIn(json, '<users/all>')
    }
    return [
      {
        name: 'Markdown link from a commit message in a MARKDOWN textParagraph',
        pending: 'Markdown-aware escaping (src/message/template/)',
        inputs: {
          'dry-run': 'true',
          message: `cardsV2:\n  - cardId: c\n    card:\n      sections:\n        - widgets:\n            - textParagraph:\n                textSyntax: MARKDOWN\n                text: "{{ github.event.head_commit.message }}"\n`,
        },
        event: { head_commit: { message: commit } },
        code: 0,
        line: DRY_RUN,
        check: noLiveLink,
      },
      {
        name: 'Markdown link from a commit message in text with markupSyntax MARKDOWN',
        pending: 'Markdown-aware escaping (src/message/template/)',
        inputs: {
          'dry-run': 'true',
          message: 'markupSyntax: MARKUP_SYNTAX_MARKDOWN\ntext: "{{ github.event.head_commit.message }}"\n',
        },
        event: { head_commit: { message: commit } },
        code: 0,
        line: DRY_RUN,
        check: noLiveLink,
      },
    ]
  }

  function urlPlaceholderCases(): BadInput[] {
    const sameOrigin = (origin: string) => (r: RunResult) => {
      if (r.code !== 0) return
      for (const url of openLinkUrls(dryRunMessage(r))) expectIn(new URL(url).origin, origin)
    }
    return [
      {
        name: 'a placeholder in the host cannot move it',
        pending: 'URL placeholders (src/message/template/)',
        inputs: { 'dry-run': 'true', message: buttonTo('https://{{ env.BRANCH }}.example.com/x') },
        env: { BRANCH: 'evil.example/x' },
        code: 0,
        line: DRY_RUN,
        check: sameOrigin('.example.com'),
      },
      {
        name: 'a placeholder in the path cannot climb it',
        pending: 'URL placeholders (src/message/template/)',
        inputs: { 'dry-run': 'true', message: buttonTo('https://ci.example.com/builds/{{ env.BRANCH }}/log') },
        env: { BRANCH: '../../admin' },
        code: 0,
        line: DRY_RUN,
        check: (r) => {
          for (const url of openLinkUrls(dryRunMessage(r))) expectIn(new URL(url).pathname, '/builds/')
        },
      },
    ]
  }
}

function expectIn(text: string, part: string): void {
  if (!text.includes(part)) throw new Error(`expected ${JSON.stringify(part)} in ${JSON.stringify(text.slice(0, 300))}`)
}

function expectNotIn(text: string, part: string): void {
  if (text.includes(part)) throw new Error(`expected no ${JSON.stringify(part)}, found it`)
}

function expectBelow(value: number, limit: number): void {
  if (value >= limit) throw new Error(`expected under ${limit}, got ${Math.round(value)}`)
}
