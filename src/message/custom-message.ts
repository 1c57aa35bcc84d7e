// A whole Chat message written by the user: the `message` input (JSON or YAML) or `message-file` (a .json, .yaml or
// .yml file in the workspace). Parsed first, then placeholders are filled in string values only (see template.ts),
// so a value from the run can never change the message's structure.
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { extname, isAbsolute, relative, resolve } from 'node:path'
import { isCollection, isScalar, LineCounter, parseDocument, visit } from 'yaml'
import type { chat_v1 } from '@googleapis/chat'
import { InputError } from '../errors.ts'
import { oneLine } from '../text.ts'
import type { TemplateContext } from './template/context.ts'
import { fillTemplates } from './template/fill.ts'

export type CustomMessageInput = 'message' | 'message-file'

export interface CustomMessageInputs {
  /** The `message` input as given (may be empty). */
  message: string
  /** The `message-file` input as given (may be empty). */
  messageFile: string
}

export interface CustomMessageSource {
  /** Which input the message came from, for error messages. */
  input: CustomMessageInput
  text: string
  /** json for .json files; yaml for .yaml/.yml files and for the `message` input (YAML reads JSON too). */
  format: 'json' | 'yaml'
  /** The file's absolute path (message-file only). */
  path?: string
}

export interface BuildCustomMessageOptions extends CustomMessageInputs {
  /** GITHUB_WORKSPACE: message-file is resolved in it and may not leave it. Defaults to the working directory. */
  workspace: string | undefined
  context: TemplateContext
}

/** Larger than any message Chat accepts (32,000 bytes), small enough never to be a problem to read. */
const MAX_FILE_BYTES = 1024 * 1024
const EXTENSIONS: Record<string, 'json' | 'yaml'> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' }

/** True when the user asked for a custom message (either input set). */
/** Reads whichever input is set; undefined when neither is. Refuses both at once and files outside the workspace. */
export function readCustomMessageSource(
  inputs: CustomMessageInputs,
  workspace: string | undefined,
): CustomMessageSource | undefined {
  const message = inputs.message.trim()
  const file = inputs.messageFile.trim()
  if (message && file) throw new InputError('message', 'and message-file are both set: use one of them')
  if (message) return { input: 'message', text: inputs.message, format: 'yaml' }
  if (!file) return undefined
  const path = resolveInWorkspace(file, workspace)
  const format = EXTENSIONS[extname(path).toLowerCase()]
  if (!format) {
    throw new InputError('message-file', `must be a .json, .yaml or .yml file, got ${JSON.stringify(file)}`)
  }
  return { input: 'message-file', text: readFileSync(path, 'utf8'), format, path }
}

function resolveInWorkspace(file: string, workspace: string | undefined): string {
  const root = resolve(workspace || process.cwd())
  const escapes = (base: string, target: string) => {
    const rel = relative(base, target)
    return rel === '' || rel.startsWith('..') || isAbsolute(rel)
  }
  const path = resolve(root, file)
  const outside = `is outside the workspace (${root}): give a path inside the repository checkout, e.g. .github/chat/deploy.yaml`
  if (escapes(root, path)) throw new InputError('message-file', `${JSON.stringify(file)} ${outside}`)
  let real: string
  try {
    real = realpathSync(path)
  } catch {
    throw new InputError(
      'message-file',
      `${JSON.stringify(file)} does not exist in the workspace (${root}); did the job check out the repository (actions/checkout) first?`,
    )
  }
  // A symlink in the checkout may point anywhere: the file it resolves to must be in the workspace too.
  if (escapes(realpathSync(root), real)) throw new InputError('message-file', `${JSON.stringify(file)} ${outside}`)
  const stat = statSync(real)
  if (!stat.isFile()) throw new InputError('message-file', `${JSON.stringify(file)} is not a file`)
  if (stat.size > MAX_FILE_BYTES) {
    throw new InputError(
      'message-file',
      `${JSON.stringify(file)} is ${stat.size} bytes; a Chat message is at most 32,000`,
    )
  }
  return real
}

const SHAPE_HINT =
  'expected a Chat message object, e.g. {"text": "Deployed {{ github.sha }}"} or, in YAML, text: Deployed {{ github.sha }}'

/** Parses the text as a Chat message object (before placeholders are filled). */
export function parseCustomMessage(
  source: Pick<CustomMessageSource, 'input' | 'text' | 'format'>,
): Record<string, unknown> {
  const { input, text } = source
  if (!text.trim()) throw new InputError(input, `is empty; ${SHAPE_HINT}`)
  const value = source.format === 'json' ? parseJson(input, text) : parseYaml(input, text)
  if (value === null || value === undefined) throw new InputError(input, `is empty; ${SHAPE_HINT}`)
  if (Array.isArray(value)) throw new InputError(input, `is a list; ${SHAPE_HINT}`)
  if (typeof value !== 'object') {
    throw new InputError(input, `is ${typeof value === 'string' ? 'plain text' : `a ${typeof value}`}; ${SHAPE_HINT}`)
  }
  return value as Record<string, unknown>
}

function parseJson(input: CustomMessageInput, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputError(input, `is not valid JSON: ${reason((error as Error).message)}`)
  }
}

function parseYaml(input: CustomMessageInput, text: string): unknown {
  // JSON first when it looks like JSON: its errors are the clearer ones for JSON text.
  const trimmed = text.trim()
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      return JSON.parse(trimmed)
    } catch {
      // Not JSON: a YAML flow mapping, or a mistake the YAML parser will describe.
    }
  }
  const lines = new LineCounter()
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, logLevel: 'error', lineCounter: lines })
  const [error] = doc.errors
  if (error) {
    const { line, col } = lines.linePos(error.pos[0])
    throw new InputError(input, `is not valid YAML or JSON: ${reason(error.message)} at line ${line}, column ${col}`)
  }
  // `text: {{ github.sha }}` unquoted is a YAML mapping whose key is a mapping, not a placeholder.
  let collectionKey: string | undefined
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key) || (pair.key && !isScalar(pair.key))) {
        collectionKey ??= String(pair.key)
        return visit.BREAK
      }
      return undefined
    },
  })
  if (collectionKey !== undefined) {
    throw new InputError(
      input,
      `has a YAML mapping where a value was meant (${JSON.stringify(reason(collectionKey))}): quote values that start with {{, e.g. text: '{{ github.sha }}'`,
    )
  }
  return doc.toJS({ maxAliasCount: 100 })
}

/** A parser's reason on one line, without the trailing colon some of them end with. */
function reason(value: string): string {
  return oneLine(value.replace(/:\s*$/, ''), 200)
}

/**
 * The custom message from `message` or `message-file`, parsed and with its placeholders filled; undefined when
 * neither input is set. Throws InputError naming the input for every user mistake. The result is not yet checked
 * against Chat's schema: pass it to validate-message.ts's assertValidMessage before sending.
 */
export function buildCustomMessage(
  options: BuildCustomMessageOptions,
): { message: chat_v1.Schema$Message; input: CustomMessageInput } | undefined {
  const source = readCustomMessageSource(options, options.workspace)
  if (!source) return undefined
  if (source.input === 'message-file' && /\$\{\{/.test(source.text)) {
    throw new InputError(
      'message-file',
      'uses ${{ … }}, which the runner does not evaluate inside files: write placeholders without the $, e.g. {{ github.sha }} or {{ env.NAME }}',
    )
  }
  const parsed = parseCustomMessage(source)
  const message = fillTemplates(parsed, options.context, { input: source.input }) as chat_v1.Schema$Message
  return { message, input: source.input }
}
