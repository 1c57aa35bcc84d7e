import { createHash } from 'node:crypto'

// Chat's rules for a client-assigned message id: `client-`, then lowercase letters, digits and hyphens,
// 63 characters in all.
const PREFIX = 'client-'
const MAX_LENGTH = 63
const VALID = /^client-[a-z0-9-]+$/

/**
 * Turns any id a user picks (`deploy-${{ github.run_id }}`, `Release v1.2/eu`) into a valid client id.
 * Ids that are already valid are kept as they are (so they can be used in Chat URLs and the API);
 * any other id is normalised and suffixed with a hash of the original, so two different ids never collide.
 */
export function clientMessageId(userId: string): string {
  const original = userId.trim()
  const bare = original.startsWith(PREFIX) ? original.slice(PREFIX.length) : original
  const candidate = PREFIX + bare
  if (VALID.test(candidate) && candidate.length <= MAX_LENGTH && !candidate.endsWith('-')) return candidate
  const hash = createHash('sha256').update(original).digest('hex').slice(0, 12)
  const normalised = bare
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  const room = MAX_LENGTH - PREFIX.length - hash.length - 1
  const head = normalised.slice(0, room).replace(/-+$/, '')
  return `${PREFIX}${head ? `${head}-` : ''}${hash}`
}
