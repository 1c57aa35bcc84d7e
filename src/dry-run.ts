import type { ChatMessage } from './message/build.ts'
import { escapeCardHtml, escapeHtmlText } from './message/escape.ts'

export interface DryRunReporter {
  info(message: string): void
  startGroup(name: string): void
  endGroup(): void
  summary: {
    addHeading(text: string, level?: number): DryRunReporter['summary']
    addRaw(text: string, addEOL?: boolean): DryRunReporter['summary']
    addCodeBlock(code: string, lang?: string): DryRunReporter['summary']
    write(): Promise<unknown>
  }
}

/** Shows the message that would be sent, in the log and (when the runner offers one) the step summary. */
export async function showDryRun(
  reporter: DryRunReporter,
  message: ChatMessage,
  space: string | undefined,
  hasSummary: boolean,
): Promise<void> {
  const json = JSON.stringify(message, null, 2)
  const target = space ?? 'no space given'
  reporter.info(`Dry run: nothing was sent (${target}).`)
  reporter.startGroup('Google Chat message (dry run)')
  reporter.info(json)
  reporter.endGroup()
  if (!hasSummary) return
  // The preview renderer is only needed here: loaded on demand, it costs nothing on a real run.
  const { renderSummaryHtml } = await import('./message/summary-html.ts')
  // The summary is Markdown with HTML, and the message carries event text (branch names, commit messages): every
  // piece is escaped here (addCodeBlock writes its text as it is), and each line opens with a block tag so that
  // Markdown reads none of it as Markdown.
  await reporter.summary
    .addHeading('Google Chat message (dry run)', 3)
    .addRaw(`<p>Nothing was sent. Target: <code>${escapeCardHtml(target)}</code></p>`, true)
    .addRaw(renderSummaryHtml(message), true)
    .addRaw('<details><summary>Message JSON</summary>', true)
    .addCodeBlock(escapeHtmlText(json), 'json')
    .addRaw('</details>', true)
    .write()
}
