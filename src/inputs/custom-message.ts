// The user's own message: the `message` input, or `message-file` (a .json, .yaml or .yml file in the workspace)
// read here. message/custom-message.ts parses the text and fills its placeholders.
import { extname } from 'node:path'
import type { CustomMessageSource } from '../domain.ts'
import { InputError } from '../errors.ts'
import { assertStructuredTextWithin } from './structured-text.ts'
import { readWorkspaceFile } from './workspace-file.ts'

export interface CustomMessageInputs {
  /** The `message` input as given (may be empty). */
  message: string
  /** The `message-file` input as given (may be empty). */
  messageFile: string
}

/** For the message inline or as a file: larger than any message Chat accepts, small enough to read at once. */
const MAX_MESSAGE_BYTES = 1024 * 1024
const EXTENSIONS: Record<string, 'json' | 'yaml'> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' }

/** Reads whichever input is set; undefined when neither is. Refuses both at once and files outside the workspace. */
export function readCustomMessageSource(
  inputs: CustomMessageInputs,
  workspace: string | undefined,
): CustomMessageSource | undefined {
  const message = inputs.message.trim()
  const file = inputs.messageFile.trim()
  if (message && file) throw new InputError('message', 'and message-file are both set: use one of them')
  if (message) {
    assertStructuredTextWithin('message', inputs.message, { maxBytes: MAX_MESSAGE_BYTES, format: 'yaml' })
    return { input: 'message', text: inputs.message, format: 'yaml' }
  }
  if (!file) return undefined
  if (!workspace)
    throw new InputError('message-file', `names a file (${JSON.stringify(file)}) but no workspace is known`)
  const { text, path } = readWorkspaceFile('message-file', file, {
    workspace,
    maxBytes: MAX_MESSAGE_BYTES,
    example: '.github/chat/deploy.yaml',
  })
  const format = EXTENSIONS[extname(path).toLowerCase()]
  if (!format) {
    throw new InputError('message-file', `must be a .json, .yaml or .yml file, got ${JSON.stringify(file)}`)
  }
  assertStructuredTextWithin('message-file', text, { maxBytes: MAX_MESSAGE_BYTES, format })
  return { input: 'message-file', text, format, path }
}
