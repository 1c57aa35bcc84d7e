// The fonts the preview draws with, checked before pictures are taken: a picture drawn without them is full of
// empty boxes or icon names spelt out. Chromium on Linux finds fonts through fontconfig, so `fc-list` answers both
// questions: is each family installed, and does some installed font have each character the page shows.
import { execFileSync } from 'node:child_process'

/** Family → the Debian package that provides it. */
export const REQUIRED_FONTS: Record<string, string> = {
  Roboto: 'fonts-roboto',
  'Noto Color Emoji': 'fonts-noto-color-emoji',
  'Material Icons': 'fonts-material-design-icons-iconfont',
}

function fcList(pattern: string): string {
  try {
    return execFileSync('fc-list', [pattern, 'family'], { encoding: 'utf8' })
  } catch {
    throw new Error('fc-list (fontconfig) is not installed: apt-get install -y fontconfig')
  }
}

/** Required families fontconfig does not know. */
export function missingFamilies(): string[] {
  const installed = new Set(
    fcList(':')
      .split('\n')
      .flatMap((line) => line.split(','))
      .map((family) => family.trim()),
  )
  return Object.keys(REQUIRED_FONTS).filter((family) => !installed.has(family))
}

// Characters drawn without a glyph of their own: joiners, variation selectors, spaces and controls (and skin-tone
// modifiers, drawn as part of the emoji before them).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zs}\p{Zl}\p{Zp}\u{fe00}-\u{fe0f}]/u
const isSkinTone = (code: number) => code >= 0x1f3fb && code <= 0x1f3ff

/** The characters of `text` that no installed font has (one fc-list per distinct non-ASCII character). */
export function missingGlyphs(text: string): string[] {
  const distinct = new Set(
    [...text].filter((ch) => ch.codePointAt(0)! > 0x7e && !INVISIBLE.test(ch) && !isSkinTone(ch.codePointAt(0)!)),
  )
  return [...distinct].filter((ch) => !fcList(`:charset=${ch.codePointAt(0)!.toString(16)}`).trim())
}

/** The apt-get line that installs what is missing. */
export function installCommand(families: readonly string[]): string {
  return `apt-get install -y ${[...new Set(families.map((f) => REQUIRED_FONTS[f]))].join(' ')}`
}
