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
  RULE_INVALID: 400,
  RULE_MALFORMED: 400,
  RULE_UNKNOWN_DIMENSION: 400,
  RULE_UNKNOWN_FIELD: 400,
  RULE_TYPE_MISMATCH: 400,
  RULE_BAD_OPERATOR: 400,
  RULE_NOT_A_LINK: 400,
  RULE_UNKNOWN_AUDIENCE: 400,
  RULE_CIRCULAR_AUDIENCE: 400,
  RULE_BAD_DATE: 400,
  RULE_VALUE_TOO_LARGE: 400,
  RULE_TOO_DEEP: 400,
  RULE_UNKNOWN_FILTER: 400,
  RULE_CIRCULAR_FILTER: 400,
  RULE_FILTER_PARAM: 400,
  EXPR_PARSE: 400,
  EXPR_UNKNOWN_FUNCTION: 400,
  EXPR_TYPE: 400,
  AUDIENCE_TYPE_NOT_ALLOWED: 400,
  AUDIENCE_FILE_EMPTY: 400,
  AUDIENCE_EXPORT_FORMAT: 400,
  AUDIENCE_SCHEDULE_INVALID: 400,
  AUDIENCE_NOT_FOUND: 404,
  AUDIENCE_VERSION_NOT_FOUND: 404,
  AUDIENCE_LABEL_TAKEN: 409,
  AUDIENCE_EXPIRED: 409,
  AUDIENCE_BUSY: 409,
  AUDIENCE_IN_USE: 409,
  CAMPAIGN_INVALID: 400,
  CAMPAIGN_SAVE_INCOMPATIBLE: 400,
  CAMPAIGN_BAD_PARAMETERS: 400,
  CAMPAIGN_CHANNEL_UNAVAILABLE: 409,
  CAMPAIGN_SHARE_UNAVAILABLE: 503,
  CAMPAIGN_NOT_FOUND: 404,
  CAMPAIGN_RUN_NOT_FOUND: 404,
  CAMPAIGN_TRANSITION_NOT_FOUND: 404,
  CAMPAIGN_ALREADY_RUNNING: 409,
  CAMPAIGN_READ_ONLY: 409,
  CAMPAIGN_BAD_STATE: 409,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_REVOKED: 401,
  TOKEN_NOT_FOUND: 404,
  USER_EXISTS: 409,
  USER_NOT_FOUND: 404,
  USER_DISABLED: 403,
  LAST_ADMIN: 409,
  PASSWORD_ALREADY_SET: 409,
  PASSWORD_MISMATCH: 403,
  BODY_TOO_LARGE: 413,
  BAD_JSON: 400,
  OIDC_LOGIN_FAILED: 400,
  OIDC_NOT_INVITED: 401,
  OIDC_PROVIDER_UNAVAILABLE: 502,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ORG_NOT_FOUND: 404,
  SCHEMA_NOT_FOUND: 404,
  CONFLICT: 409,
  SCHEMA_FIELD_IN_USE: 409,
  SCHEMA_DESTRUCTIVE_CHANGE: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  // sharing
  SHARE_GOVERNANCE_BLOCKED: 409,
  SHARE_AUDIENCE_UNSUITABLE: 400,
  SHARE_CONSENT_FIELD: 400,
  SHARE_DATA_SOURCE_MISMATCH: 400,
  SHARE_NOT_OWNER: 403,
  SHARE_NOT_SHARED: 404,
  SHARE_ALREADY_IMPORTED: 409,
  SHARE_IMPORT_NOT_FOUND: 404,
  SHARE_SOURCE_DELETED: 410,
  SHARE_HUB_UNAVAILABLE: 503,
  SHARE_JOB_NOT_FOUND: 404,
  SHARE_REPORT_NOT_FOUND: 404,
  // the shared audience hub (when hub errors reach the installation's API)
  DATASOURCE_KEY_INVALID: 400,
  HUB_PUBLISH_EMPTY: 400,
  HUB_ID_TOO_LONG: 400,
  HUB_PUBLISH_INVALID: 400,
  HUB_TOKEN_INVALID: 502,
  HUB_NOT_OWNER: 403,
  HUB_NOT_FOUND: 404,
  HUB_VERSION_NOT_FOUND: 404,
  HUB_NAME_TAKEN: 409,
  HUB_AUDIENCE_DELETED: 410,
  HUB_MASTER_KEY_INVALID: 500,
  HUB_UNAVAILABLE: 503,
  STORE_LOCKED: 503,
  STORE_UNSUPPORTED: 501,
  BATCHFILE_BAD_NAME: 400,
  BATCHFILE_NOT_FOUND: 400,
  BATCHFILE_EMPTY: 400,
  BATCHFILE_GZIP_CORRUPT: 400,
  BATCHFILE_BAD_HEADER: 400,
  BATCHFILE_OPTIONS_INVALID: 400,
  BATCHFILE_OUTPUT_EXISTS: 400,
  BATCHFILE_REJECTED_LINES: 400,
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
    return { status: 413, body: { error: { code: 'BODY_TOO_LARGE', message: 'The JSON body exceeds 1 MB' } } }
  }
  if (fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { status: 400, body: { error: { code: 'BAD_JSON', message: 'The body is not valid JSON' } } }
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
