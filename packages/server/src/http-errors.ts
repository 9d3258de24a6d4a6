import { AppError, type ErrorCode } from '@ahub/core'
import type { FastifyError } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'

/** The one place where error codes become HTTP statuses. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  INVALID_IDENTIFIER: 400,
  SCHEMA_INVALID: 400,
  SCHEMA_PARSE_ERROR: 400,
  SCHEMA_INFER_FAILED: 400,
  INGEST_EMPTY_FILE: 400,
  INGEST_UNSUPPORTED_FORMAT: 400,
  INGEST_HEADER_MISMATCH: 400,
  INGEST_MALFORMED_FILE: 400,
  INGEST_OPTIONS_INVALID: 400,
  INGEST_FILE_NOT_FOUND: 400,
  IDENTITY_INVALID: 400,
  IDENTITY_UNKNOWN_NAMESPACE: 400,
  IDENTITY_UNKNOWN_PROFILE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ORG_NOT_FOUND: 404,
  SCHEMA_NOT_FOUND: 404,
  CONFLICT: 409,
  SCHEMA_FIELD_IN_USE: 409,
  SCHEMA_DESTRUCTIVE_CHANGE: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  STORE_LOCKED: 503,
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> }
}

/** Converts anything thrown in a route into a status and `{ error: { code, message, details } }`. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) return { status: STATUS[err.code] ?? 500, body: { error: err.toJSON() } }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      path: [err.validationContext ?? 'body', ...String(v.instancePath).split('/').filter(Boolean)],
      message: v.message ?? 'invalid',
    }))
    return {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: `Invalid request: ${issues[0]?.message}`,
          details: { issues },
        },
      },
    }
  }
  const fe = err as FastifyError
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body too large' } } }
  }
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      body: { error: { code: 'VALIDATION_FAILED', message: 'Unsupported content type' } },
    }
  }
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: { code: 'VALIDATION_FAILED', message: fe.message } } }
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } }
}
