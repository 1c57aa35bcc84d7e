// Shapes shared by the proxy, the emulated services and the public API.
import type { IncomingHttpHeaders } from 'node:http'
import type { FaultKind } from './faults.ts'

/** A request as an emulated service sees it, already read and decoded by the proxy. */
export interface EmulatorRequest {
  host: string
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  rawBody: string
}

export interface EmulatorResponse {
  status: number
  headers?: Record<string, string>
  /** Objects are sent as JSON, strings as they are. */
  body?: unknown
}

export type Handler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>

export interface RecordedRequest {
  time: string
  host: string
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  rawBody: string
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown
  status: number
  /** True when the request came through a CONNECT tunnel (TLS), false for plain HTTP. */
  tunneled: boolean
  /** The injected fault this request met, if any; `status` is 0 when the connection was dropped instead. */
  fault?: FaultKind
}

export interface ChatThread {
  name: string
  threadKey?: string
}

/** A Chat API `Message` as stored and returned by the emulator. */
export interface ChatMessage {
  name: string
  sender: { name: string; type: string }
  createTime: string
  lastUpdateTime?: string
  text?: string
  cardsV2?: unknown[]
  thread: ChatThread
  space: { name: string }
  clientAssignedMessageId?: string
  threadReply?: boolean
  [field: string]: unknown
}
