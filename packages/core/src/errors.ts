/**
 * Stable error codes. Every error a user can see carries one of these codes;
 * docs/errors.md explains each. The HTTP status mapping lives in the server only.
 */
export const ERROR_CODES = {
  // generic
  VALIDATION_FAILED: 'Input did not match the expected shape; details.issues lists every problem.',
  NOT_FOUND: 'The object does not exist in this organisation.',
  CONFLICT: 'The object already exists or was changed concurrently.',
  INTERNAL: 'An unexpected error; the request id identifies it in the server log.',
  UNAUTHENTICATED: 'No valid credentials were presented.',
  FORBIDDEN: 'The caller may not perform this action.',
  PAYLOAD_TOO_LARGE: 'The request body exceeds the size limit.',
  RATE_LIMITED: 'Too many requests; retry later.',
  // identifiers and organisations
  INVALID_IDENTIFIER: 'A name is not a valid identifier ([a-z][a-z0-9_]*, at most 63 characters).',
  ORG_NOT_FOUND: 'The organisation does not exist.',
  // schemas
  SCHEMA_INVALID: 'The schema definition has problems; details.issues lists every one with its path.',
  SCHEMA_PARSE_ERROR: 'The schema file is not valid JSON or YAML.',
  SCHEMA_FIELD_IN_USE:
    'A destructive change touches fields that saved objects use; details.users names them.',
  SCHEMA_DESTRUCTIVE_CHANGE: 'Removing or retyping fields needs an explicit migration (allowDestructive).',
  SCHEMA_NOT_FOUND: 'No schema (table) with that name in this organisation.',
  SCHEMA_INFER_FAILED: 'A schema could not be inferred from the file.',
  // ingestion
  INGEST_FILE_NOT_FOUND: 'The file to ingest does not exist or cannot be read.',
  INGEST_EMPTY_FILE: 'The file is empty.',
  INGEST_UNSUPPORTED_FORMAT: 'The file format is not CSV, NDJSON or Parquet (optionally gzip-compressed).',
  INGEST_HEADER_MISMATCH: 'The header names columns the schema does not have, or lacks required ones.',
  INGEST_MALFORMED_FILE: 'The file cannot be parsed at all with the given options.',
  INGEST_OPTIONS_INVALID: 'The ingestion options are not valid (delimiter, quote, encoding, ...).',
  INGEST_FAILED: 'The batch failed and was rolled back; the dataset is as it was before.',
  // identities
  IDENTITY_INVALID: 'A value is not valid for its identity namespace.',
  IDENTITY_UNKNOWN_NAMESPACE: 'The identity namespace is not known.',
  IDENTITY_UNKNOWN_PROFILE: 'The destination hashing profile is not known.',
  // storage
  STORE_LOCKED: 'Another process owns the data directory.',
  STORE_ERROR: 'The storage engine reported an error.',
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/** One problem found while validating, located by its path in the input. */
export interface Issue {
  path: (string | number)[]
  code: string
  message: string
}

/** An error a user can act on: a stable code, a message, and structured details. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: Record<string, unknown> | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}

/** Exhaustiveness check for switches over discriminated unions. */
export function assertNever(x: never): never {
  throw new AppError('INTERNAL', `Unexpected value: ${JSON.stringify(x)}`)
}
