// `node scripts/preview-page.ts in.json out.html [title]`: a Message (or an array of Messages, or an object with
// a `messages` array, as the emulator's control API lists them) as a standalone HTML page, for quick looks
// and screenshots. The page needs no network: inline CSS, installed fonts (scripts/fonts.ts), no scripts.
import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { chat_v1 } from '@googleapis/chat'
import { renderPageHtml } from '../emulator/preview-page.ts'

const [input, output, title] = process.argv.slice(2)
if (!input || !output) {
  console.error('usage: node scripts/preview-page.ts in.json out.html [title]')
  process.exit(2)
}

const parsed = JSON.parse(readFileSync(input, 'utf8')) as unknown
const messages = (
  Array.isArray(parsed)
    ? parsed
    : Array.isArray((parsed as { messages?: unknown }).messages)
      ? (parsed as { messages: unknown[] }).messages
      : [parsed]
) as chat_v1.Schema$Message[]
if (!messages.every((m) => m !== null && typeof m === 'object')) {
  console.error(`${input}: expected a Message object or an array of them`)
  process.exit(1)
}
writeFileSync(output, renderPageHtml(title ?? basename(input, '.json'), messages))
console.log(`${output}: ${messages.length} message(s)`)
