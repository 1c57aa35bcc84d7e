// Limits on the inputs that hold JSON or YAML (`message`, `message-file`, `matrix`), checked on the text before any
// parser sees it: parsers recurse on nesting (a few thousand levels overflow the stack) and YAML's slows down badly
// on deep compact nesting, so a deep or huge value is one input error up front, in one linear pass.
import { MAX_NESTING } from '../domain.ts'
import { InputError } from '../errors.ts'

export interface StructuredTextLimits {
  maxBytes: number
  /** json: brackets only. yaml: indentation, `- ` and `? ` too. */
  format: 'json' | 'yaml'
}

export function assertStructuredTextWithin(input: string, text: string, limits: StructuredTextLimits): void {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > limits.maxBytes) {
    throw new InputError(input, `is ${formatBytes(bytes)}, more than the ${formatBytes(limits.maxBytes)} it may hold`)
  }
  const flowOnly = limits.format === 'json' || /^\s*[[{]/.test(text)
  if (nestingDepth(text, flowOnly) > MAX_NESTING) {
    throw new InputError(
      input,
      `is nested more than ${MAX_NESTING} levels deep (objects and lists within each other), more than any Chat message needs: check what generated it`,
    )
  }
}

/**
 * An upper bound on how deep the text nests, in one pass: open brackets not yet closed (strings included, so a
 * string full of brackets counts too), plus for YAML the block levels a line opens: one per deeper indentation
 * still open, and one per compact `- ` or `? ` at the start of the line. Stops counting past the limit.
 */
function nestingDepth(text: string, flowOnly: boolean): number {
  let deepest = 0
  let flow = 0
  let block = 0
  const indents: number[] = []
  const length = text.length
  let i = 0
  while (i < length && deepest <= MAX_NESTING) {
    // At the start of a line (outside brackets, for YAML): the block levels it opens.
    if (!flowOnly && flow === 0) {
      let at = i
      while (text.charCodeAt(at) === SPACE) at++
      const first = text.charCodeAt(at)
      if (at < length && first !== NEWLINE && first !== CARRIAGE_RETURN && first !== HASH) {
        const indent = at - i
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop()
        indents.push(indent)
        let compact = 0
        while (compact <= MAX_NESTING && isCompactIndicator(text.charCodeAt(at)) && isBlank(text.charCodeAt(at + 1))) {
          compact++
          at += 2
          while (isBlank(text.charCodeAt(at))) at++
        }
        block = indents.length + compact
        deepest = Math.max(deepest, block)
      }
      i = at
    }
    // The rest of the line: brackets.
    for (; i < length; i++) {
      const ch = text.charCodeAt(i)
      if (ch === OPEN_SQUARE || ch === OPEN_CURLY) {
        flow++
        if (block + flow > deepest) deepest = block + flow
        if (deepest > MAX_NESTING) break
      } else if ((ch === CLOSE_SQUARE || ch === CLOSE_CURLY) && flow > 0) {
        flow--
      } else if (ch === NEWLINE) {
        i++
        break
      }
    }
  }
  return deepest
}

const SPACE = 0x20
const TAB = 0x09
const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d
const HASH = 0x23
const OPEN_SQUARE = 0x5b
const CLOSE_SQUARE = 0x5d
const OPEN_CURLY = 0x7b
const CLOSE_CURLY = 0x7d

function isCompactIndicator(ch: number): boolean {
  return ch === 0x2d /* - */ || ch === 0x3f /* ? */
}

function isBlank(ch: number): boolean {
  return ch === SPACE || ch === TAB
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MB`
    : bytes >= 1024
      ? `${Math.ceil(bytes / 1024)} kB`
      : `${bytes} bytes`
}
