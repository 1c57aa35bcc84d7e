// Small helpers for Google-shaped responses.
import type { EmulatorResponse } from './types.ts'

const STATUS_BY_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
}

export interface FieldViolation {
  field: string
  description: string
}

/** Google API error body: `{"error":{"code","message","status","details"?}}`, HTTP status = code. */
export function googleError(
  code: number,
  message: string,
  options: { status?: string; details?: unknown[] } = {},
): EmulatorResponse {
  const error: Record<string, unknown> = { code, message, status: options.status ?? STATUS_BY_CODE[code] ?? 'UNKNOWN' }
  if (options.details?.length) error.details = options.details
  return { status: code, body: { error } }
}

/** 400 INVALID_ARGUMENT carrying a `google.rpc.BadRequest` detail, as Google does for bad fields. */
export function badRequest(violations: FieldViolation[]): EmulatorResponse {
  return googleError(400, violations.map((v) => v.description).join('\n'), {
    details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }],
  })
}

export function json(status: number, body: unknown): EmulatorResponse {
  return { status, body }
}

export function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())
}

export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}
