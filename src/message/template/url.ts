// Placeholders in URL fields (button links, image URLs). Where a placeholder lands decides what its value may be:
// one that starts the URL gives the whole URL (scheme and host); one in the host may only fill in a label before
// the rest of the domain; one in the path is path data (each part between slashes percent-encoded, never `.` or
// `..`); one in the query or fragment is encoded whole. The filled URL must be http(s), and its origin must be the
// one the template's own text gives, so a branch name such as `evil.example/x` can never move a link to another host.

export type UrlPart = 'start' | 'scheme' | 'host' | 'path' | 'query' | 'fragment'

const HOST_LABEL = /^[A-Za-z0-9-]{1,63}$/
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i

/** The value to write for a placeholder in `part`, or why it cannot go there. `raw` skips the encoding only. */
export function urlValue(part: UrlPart, value: string, raw: boolean): { value: string; problem?: string } {
  switch (part) {
    case 'start':
      return { value }
    case 'scheme':
      return {
        value: '',
        problem:
          'is inside the URL’s scheme: a placeholder either starts the URL (and gives all of it) or comes after the host',
      }
    case 'host':
      return HOST_LABEL.test(value)
        ? { value }
        : {
            value: '',
            problem:
              'is in the URL’s host, where it may only be letters, digits and hyphens (one label, e.g. https://{{ env.APP }}.example.com); put event values in the path or the query',
          }
    case 'path':
      return { value: raw ? value : value.toWellFormed().split('/').map(encodeURIComponent).join('/') }
    default:
      return { value: raw ? value : encodeURIComponent(value.toWellFormed()) }
  }
}

interface Placed {
  from: number
  to: number
  part: UrlPart
}

/**
 * Follows a URL as it is filled, left to right: which part the next placeholder lands in (`partAt`, scanning only
 * the text added since the last call, so a field costs one pass), where each value was put (`add`), and the final
 * check (`check`).
 */
export class UrlTemplate {
  private part: UrlPart = 'start'
  private scanned = 0
  private readonly placed: Placed[] = []

  get placeholders(): number {
    return this.placed.length
  }

  partAt(out: string): UrlPart {
    let i = this.scanned
    while (i < out.length) {
      const ch = out[i] as string
      if (this.part === 'start') {
        if (!/\s/.test(ch)) this.part = 'scheme'
        else i++
        continue
      }
      if (this.part === 'scheme') {
        const at = out.indexOf('://', Math.max(i - 2, 0))
        if (at < 0) {
          i = out.length
          break
        }
        this.part = 'host'
        i = at + 3
        continue
      }
      if (ch === '#') this.part = 'fragment'
      else if (ch === '?' && this.part !== 'fragment') this.part = 'query'
      else if ((ch === '/' || ch === '\\') && this.part === 'host') this.part = 'path'
      i++
    }
    this.scanned = i
    return this.part
  }

  add(from: number, value: string, part: UrlPart): void {
    this.placed.push({ from, to: from + value.length, part })
  }

  /** Why the filled URL `out` is refused, or undefined when it is an http(s) URL on the template's own origin. */
  check(out: string): string | undefined {
    let url: URL
    try {
      url = new URL(out)
    } catch {
      return `does not make a valid URL (got ${JSON.stringify(out.length > 120 ? `${out.slice(0, 119)}…` : out)})`
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return `must make an http(s) URL, got a ${url.protocol.replace(/:$/, '')}: URL`
    }
    for (const { from, to, part } of this.placed) {
      if (part === 'host' && out[to] !== '.') {
        return 'has a placeholder at the end of the host: it may only fill in a label followed by the rest of the domain, e.g. https://{{ env.APP }}.example.com'
      }
      if (part === 'path' && this.makesDotSegment(out, from, to)) {
        return 'has a placeholder that makes a . or .. path segment, which would climb the path'
      }
    }
    if (this.placed.some(({ part }) => part === 'start')) return undefined
    // The template's own origin: the URL without what the path, query and fragment placeholders put in.
    let own = ''
    let last = 0
    for (const { from, to, part } of this.placed) {
      if (part === 'host') continue
      own += out.slice(last, from)
      last = to
    }
    own += out.slice(last)
    let expected: string
    try {
      expected = new URL(own).origin
    } catch {
      return undefined
    }
    return url.origin === expected ? undefined : `points to ${url.origin}, not to the template's ${expected}`
  }

  /** Whether a path segment that holds (part of) out[from, to) is `.` or `..` (also as %2e). */
  private makesDotSegment(out: string, from: number, to: number): boolean {
    let start = from
    while (start > 0 && !'/\\'.includes(out[start - 1] as string)) start--
    let end = from
    for (;;) {
      while (end < out.length && !'/\\?#'.includes(out[end] as string)) end++
      if (DOT_SEGMENT.test(out.slice(start, end))) return true
      if (end >= to || end >= out.length || '?#'.includes(out[end] as string)) return false
      start = ++end
    }
  }
}

/** Which part of the URL a placeholder lands in, given the filled text before it (for one-off use and tests). */
export function urlPart(before: string): UrlPart {
  return new UrlTemplate().partAt(before)
}
