// The `notify-on-update` input: which statuses, when an update (message-id upsert, `update:`, follow-job's post step)
// leaves the card in them, also get a reply in the card's thread. An edit notifies no one; a new message does.
import { InputError } from '../errors.ts'
import { STATUSES, type Status } from '../domain.ts'

/** `failure`, the default: the bad outcomes, failure and cancelled. */
export const NOTIFY_ON_UPDATE_DEFAULT: readonly Status[] = ['failure', 'cancelled']

const EXPECTED = `expected failure (the default: failure and cancelled), always, never, or a comma-separated list of ${STATUSES.join(', ')}`

/**
 * `failure` (or empty): failure and cancelled. `always`: every status. `never`: none. Otherwise a list of statuses,
 * separated by commas, spaces or new lines, each taken as written (`failure, skipped` is those two).
 */
export function parseNotifyOnUpdate(raw: string, input = 'notify-on-update'): readonly Status[] {
  const entries = raw
    .split(/[\s,]+/)
    .map((entry) => entry.toLowerCase().replace(/-/g, '_'))
    .filter(Boolean)
  if (entries.length === 0 || (entries.length === 1 && entries[0] === 'failure')) return NOTIFY_ON_UPDATE_DEFAULT
  if (entries.length === 1 && entries[0] === 'always') return STATUSES
  if (entries.length === 1 && entries[0] === 'never') return []
  const statuses: Status[] = []
  for (const entry of entries) {
    if (!(STATUSES as readonly string[]).includes(entry)) {
      const shown = entry.length > 40 ? `${entry.slice(0, 40)}…` : entry
      throw new InputError(input, `has an unknown value ${JSON.stringify(shown)}; ${EXPECTED}`)
    }
    if (!statuses.includes(entry as Status)) statuses.push(entry as Status)
  }
  return statuses
}
