import type { Status } from '../domain.ts'

export interface StatusLook {
  emoji: string
  /** Past tense or progress words for a headline: "CI succeeded". */
  verb: string
  /** Short label for a field: "Succeeded". */
  label: string
  color: string
  /** A Material Symbols name for the card's status line. */
  icon: string
}

const LOOKS: Record<Status, StatusLook> = {
  success: { emoji: '✅', verb: 'succeeded', label: 'Succeeded', color: '#188038', icon: 'check_circle' },
  failure: { emoji: '❌', verb: 'failed', label: 'Failed', color: '#d93025', icon: 'cancel' },
  cancelled: { emoji: '⚪', verb: 'was cancelled', label: 'Cancelled', color: '#5f6368', icon: 'block' },
  skipped: { emoji: '⏭️', verb: 'was skipped', label: 'Skipped', color: '#5f6368', icon: 'skip_next' },
  started: { emoji: '🚀', verb: 'started', label: 'Started', color: '#1a73e8', icon: 'play_circle' },
  in_progress: { emoji: '⏳', verb: 'is in progress', label: 'In progress', color: '#1a73e8', icon: 'pending' },
}

export function statusLook(status: Status): StatusLook {
  return LOOKS[status]
}
