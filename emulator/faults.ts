// Fault injection for requests routed to emulated hosts: canned error statuses, connection resets, slow
// responses and responses lost after the service acted, matched by host + method + path. Probabilistic rules
// draw from a seeded PRNG so that random soak runs can be replayed.
import type { EmulatorResponse } from './types.ts'

export type Fault =
  /** Answer with this status without calling the service. */
  | { kind: 'status'; status: number; body?: unknown; retryAfterSeconds?: number }
  /** Destroy the connection without a response. */
  | { kind: 'reset' }
  /** Call the service, then hold its response for `ms`. */
  | { kind: 'delay'; ms: number }
  /** Call the service (so its effect happens), then destroy the connection instead of answering. */
  | { kind: 'lose-response' }

export type FaultKind = Fault['kind']

export interface FaultRule {
  /** Default: any emulated host. */
  host?: string
  /** Default: any method. */
  method?: string
  /** A string matches the path (without query) exactly; a RegExp is tested against it. Default: any path. */
  path?: string | RegExp
  /** Fault the next N matching requests (default 1, or Infinity with `probability`); Infinity allowed. */
  times?: number
  /** 0..1: fault each matching request with this probability (seeded PRNG) instead of the first N. */
  probability?: number
  fault: Fault
}

/** A FaultRule as sent to the control API: JSON has no RegExp or Infinity. */
export interface FaultRuleJson extends Omit<FaultRule, 'path' | 'times'> {
  path?: string | { regex: string; flags?: string }
  times?: number | 'Infinity' | null
}

export interface FaultTarget {
  host: string
  method: string
  path: string
}

interface ActiveRule {
  host?: string
  method?: string
  path?: string | RegExp
  remaining: number
  probability?: number
  fault: Fault
}

/** mulberry32: a tiny, fast 32-bit PRNG; good enough to pick which requests fail. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DEFAULT_ERRORS: Record<number, [status: string, message: string]> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: ['UNAUTHENTICATED', 'Request had invalid authentication credentials.'],
  403: ['PERMISSION_DENIED', 'The caller does not have permission'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  409: ['ALREADY_EXISTS', 'Requested entity already exists'],
  429: ['RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'],
  500: ['INTERNAL', 'Internal error encountered.'],
  501: ['UNIMPLEMENTED', 'Operation is not implemented, or supported, or enabled.'],
  502: ['UNAVAILABLE', 'Bad Gateway'],
  503: ['UNAVAILABLE', 'The service is currently unavailable.'],
  504: ['DEADLINE_EXCEEDED', 'The request timed out. Please try again.'],
}

/** The response a `status` fault sends: the given body, or Google's error shape for the status. */
export function faultResponse(fault: Extract<Fault, { kind: 'status' }>): EmulatorResponse {
  const [status, message] = DEFAULT_ERRORS[fault.status] ?? [
    fault.status >= 500 ? 'INTERNAL' : 'UNKNOWN',
    `Injected fault: HTTP ${fault.status}`,
  ]
  const body = fault.body !== undefined ? fault.body : { error: { code: fault.status, message, status } }
  const headers: Record<string, string> = {}
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds)
  return { status: fault.status, headers, body }
}

function checkRule(rule: FaultRule): void {
  const { fault, times, probability } = rule
  if (times !== undefined && !(times === Infinity || (Number.isInteger(times) && times >= 1))) {
    throw new Error(`FaultRule.times must be a positive integer or Infinity, got ${times}`)
  }
  if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
    throw new Error(`FaultRule.probability must be between 0 and 1, got ${probability}`)
  }
  switch (fault?.kind) {
    case 'status':
      if (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) {
        throw new Error(`status fault needs an HTTP status (100-599), got ${fault.status}`)
      }
      if (fault.retryAfterSeconds !== undefined && !(fault.retryAfterSeconds >= 0)) {
        throw new Error(`retryAfterSeconds must be >= 0, got ${fault.retryAfterSeconds}`)
      }
      return
    case 'delay':
      if (!(typeof fault.ms === 'number' && fault.ms >= 0 && Number.isFinite(fault.ms))) {
        throw new Error(`delay fault needs ms >= 0, got ${fault.ms}`)
      }
      return
    case 'reset':
    case 'lose-response':
      return
    default:
      throw new Error(`unknown fault kind ${JSON.stringify((fault as { kind?: unknown } | undefined)?.kind)}`)
  }
}

/** A FaultRule from its JSON form (control API); throws on anything invalid. */
export function faultRuleFromJson(value: unknown): FaultRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('expected a FaultRule object')
  const json = value as FaultRuleJson
  const rule: FaultRule = { ...json, path: undefined, times: undefined }
  if (typeof json.path === 'string') rule.path = json.path
  else if (json.path && typeof json.path === 'object') rule.path = new RegExp(json.path.regex, json.path.flags)
  else if (json.path !== undefined) throw new Error('path must be a string or {regex, flags?}')
  if (json.times === 'Infinity' || json.times === null) rule.times = Infinity
  else rule.times = json.times
  checkRule(rule)
  return rule
}

export class FaultInjector {
  #rules: ActiveRule[] = []
  #random: () => number
  /** How many requests have been faulted so far. */
  injected = 0

  constructor(seed = Math.floor(Math.random() * 2 ** 32)) {
    this.#random = mulberry32(seed)
  }

  /** Restarts the PRNG, so the same requests in the same order get the same faults. */
  seed(seed: number): void {
    this.#random = mulberry32(seed)
  }

  inject(rule: FaultRule): void {
    checkRule(rule)
    // A global regex would keep lastIndex between tests; match with a stateless copy.
    const path =
      rule.path instanceof RegExp ? new RegExp(rule.path.source, rule.path.flags.replace(/[gy]/g, '')) : rule.path
    this.#rules.push({
      host: rule.host,
      method: rule.method?.toUpperCase(),
      path,
      remaining: rule.times ?? (rule.probability === undefined ? 1 : Infinity),
      probability: rule.probability,
      fault: structuredClone(rule.fault),
    })
  }

  clear(): void {
    this.#rules = []
  }

  /** Rules still able to fire. */
  get pending(): number {
    return this.#rules.length
  }

  /** The fault for this request, if any; consumes one use of the first rule that fires. */
  match(target: FaultTarget): Fault | undefined {
    for (const rule of this.#rules) {
      if (rule.host !== undefined && rule.host !== target.host) continue
      if (rule.method !== undefined && rule.method !== target.method.toUpperCase()) continue
      if (typeof rule.path === 'string' && rule.path !== target.path) continue
      if (rule.path instanceof RegExp && !rule.path.test(target.path)) continue
      if (rule.probability !== undefined && !(this.#random() < rule.probability)) continue
      rule.remaining--
      if (rule.remaining <= 0) this.#rules.splice(this.#rules.indexOf(rule), 1)
      this.injected++
      return rule.fault
    }
    return undefined
  }
}
