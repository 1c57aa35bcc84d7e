// The release preset: the release's name and tag, its author, its notes as card HTML, and where to read more.
import type { RunContext } from '../../github/run-context.ts'
import { markdownToCardHtml } from '../markdown.ts'
import { assemble, statusHeadline, type PresetCard } from './card.ts'
import { facts, releaseFor, releaseTag, releaseUrl } from './facts.ts'
import type { CardOptions, FactName } from './options.ts'
import { button, clip, encodePath, type Button, type Section } from './shared.ts'

export const RELEASE_FIELDS: readonly FactName[] = ['status', 'tag', 'author', 'commit', 'workflow', 'matrix']

/** Release notes budget in card HTML characters: readable at a glance, far under Chat's 32,000-byte message. */
export const RELEASE_NOTES_CHARS = 3000

export function releasePreset(run: RunContext, options: CardOptions): PresetCard {
  const tag = releaseTag(run, options)
  const release = releaseFor(run, tag)
  const name = clip(release?.name || tag || '', 100)
  const subject = name ? `Release ${name}` : 'Release'
  const generated =
    options.status === 'success' && name
      ? `🎉 Released ${name}${release?.prerelease ? ' (pre-release)' : ''}`
      : statusHeadline(options, subject)
  const page = releaseUrl(run, tag)

  const sections: Section[] = []
  if (release?.body) {
    const notes = markdownToCardHtml(release.body, { maxChars: RELEASE_NOTES_CHARS, readMoreUrl: page })
    if (notes.html) sections.push({ header: 'Release notes', widgets: [{ textParagraph: { text: notes.html } }] })
  }

  const buttons: Button[] = [button(tag ? 'View release' : 'View releases', page)]
  if (tag && options.previousTag && options.previousTag !== tag) {
    buttons.push(
      button('Compare', `${run.repositoryUrl}/compare/${encodePath(options.previousTag)}...${encodePath(tag)}`),
    )
  }
  buttons.push(button('View run', run.runUrl))
  return assemble('release', run, options, generated, {
    facts: facts(options.fields ?? RELEASE_FIELDS, { run, options, status: options.status }),
    sections,
    buttons,
  })
}
