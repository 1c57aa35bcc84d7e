// The action's first stage: main.ts reads every input through here, and nothing downstream imports it.
export { followJobStart } from './follow-job.ts'
export { readSettings, type InputReader } from './read-settings.ts'
export { secretsInWebhookUrl } from './webhook-url.ts'
export type { FileAccess } from './workspace-file.ts'
