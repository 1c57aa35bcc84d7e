// googleapis-common builds each request's query string with `qs.stringify(params, { arrayFormat: 'repeat' })`; qs and
// the packages it brings (object-inspect, get-intrinsic, side-channel, …) are about a quarter of the code a run
// loads to send a message. In dist/ this module stands in for qs there (scripts/build.ts). It gives qs's output
// for the parameters an API call has, strings, numbers, booleans, dates, arrays and nested objects, and
// __tests__/unit/query-string.test.ts holds it to qs itself.

/** Percent-encodes as qs does (RFC 3986): everything but letters, digits and `-._~`. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function pairs(prefix: string, value: unknown, out: string[]): void {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return
  if (value === null) {
    out.push(`${encode(prefix)}=`)
  } else if (value instanceof Date) {
    out.push(`${encode(prefix)}=${encode(value.toISOString())}`)
  } else if (Array.isArray(value)) {
    // arrayFormat 'repeat': a=1&a=2
    for (const item of value) pairs(prefix, item, out)
  } else if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) pairs(`${prefix}[${key}]`, inner, out)
  } else {
    out.push(`${encode(prefix)}=${encode(String(value))}`)
  }
}

/** `qs.stringify(params, { arrayFormat: 'repeat' })`: the only way googleapis-common calls it. */
export function stringify(params: unknown, options?: { arrayFormat?: string }): string {
  if (options?.arrayFormat !== undefined && options.arrayFormat !== 'repeat') {
    throw new Error(`query-string.ts stands in for qs with arrayFormat 'repeat' only, not '${options.arrayFormat}'`)
  }
  if (typeof params !== 'object' || params === null) return ''
  const out: string[] = []
  for (const [key, value] of Object.entries(params)) pairs(key, value, out)
  return out.join('&')
}
