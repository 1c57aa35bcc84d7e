// esbuild's `inject` file for dist/ (scripts/build.ts): every bundled module that names one of these globals gets
// this module's export instead, so the Google libraries never touch Node's fetch stack (undici and web streams) for
// a header map and two `instanceof` checks. It imports nothing: esbuild shares it with every entry point (the post
// step's included), so the transport stays in google-fetch.ts, loaded only with the Google clients.
export type HeadersInit = Iterable<readonly [string, string]> | Record<string, string> | Headers

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Leading and trailing HTTP whitespace (tab, line feed, carriage return, space) is not part of a value.
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g

function headerName(name: string): string {
  const text = String(name)
  if (!TOKEN.test(text)) throw new TypeError(`Header name must be a valid HTTP token ["${text}"]`)
  return text.toLowerCase()
}

function headerValue(name: string, value: string): string {
  const text = String(value).replace(EDGE_WHITESPACE, '')
  if (/[\0\r\n]/.test(text)) throw new TypeError(`Invalid header value for "${name}"`)
  return text
}

/** The WHATWG Headers class, as Node's own behaves: names case-insensitive, sorted when iterated, set-cookie kept apart. */
export class Headers {
  readonly #values = new Map<string, string[]>()

  constructor(init?: HeadersInit | null) {
    if (init === undefined || init === null) return
    if (typeof init !== 'object') throw new TypeError('Headers: init must be an object, an iterable or a Headers')
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<readonly [string, string]>) {
        if (pair.length !== 2) throw new TypeError('Headers: each header pair must hold a name and a value')
        this.append(pair[0], pair[1])
      }
    } else {
      for (const [name, value] of Object.entries(init)) this.append(name, value)
    }
  }

  append(name: string, value: string): void {
    const key = headerName(name)
    const values = this.#values.get(key)
    if (values) values.push(headerValue(key, value))
    else this.#values.set(key, [headerValue(key, value)])
  }

  set(name: string, value: string): void {
    const key = headerName(name)
    this.#values.set(key, [headerValue(key, value)])
  }

  get(name: string): string | null {
    return this.#values.get(headerName(name))?.join(', ') ?? null
  }

  has(name: string): boolean {
    return this.#values.has(headerName(name))
  }

  delete(name: string): void {
    this.#values.delete(headerName(name))
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])]
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this)
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const values = this.#values.get(name) as string[]
      if (name === 'set-cookie') for (const value of values) yield [name, value]
      else yield [name, values.join(', ')]
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }

  get [Symbol.toStringTag](): string {
    return 'Headers'
  }

  /** Node's own Headers (other bundled code's, via `inject`) count as Headers too, told by their brand. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Headers]'
  }
}

/**
 * Node's own FormData or ReadableStream, loaded only when one is really made. The Google libraries only test request
 * bodies against them (`instanceof`), which a brand check answers without loading Node's fetch stack; esbuild's
 * `inject` hands these to every bundled module, so other code (Octokit's) that makes one gets Node's own.
 */
function deferredGlobal(name: 'FormData' | 'ReadableStream'): new (...args: never[]) => object {
  const Deferred = class {
    constructor(...args: unknown[]) {
      const Real = globalThis[name] as unknown as new (...args: unknown[]) => object
      return new Real(...args)
    }
    static [Symbol.hasInstance](value: unknown): boolean {
      return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === `[object ${name}]`
    }
  }
  Object.defineProperty(Deferred, 'name', { value: name })
  return Deferred
}
export const FormData = deferredGlobal('FormData')
export const ReadableStream = deferredGlobal('ReadableStream')
