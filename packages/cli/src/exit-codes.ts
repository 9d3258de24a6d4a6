import type { ErrorCode } from '@ahub/core'

/** Exit codes of `ahub`, stable for scripts. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  /** The input was refused: invalid file, schema, options, or rows rejected with --fail-on-reject. */
  input: 3,
  notFound: 4,
  auth: 5,
  /** The data directory is locked by another process, or the server cannot be reached. */
  unavailable: 6,
} as const

const NOT_FOUND = new Set<ErrorCode>([
  'NOT_FOUND',
  'ORG_NOT_FOUND',
  'SCHEMA_NOT_FOUND',
  'TOKEN_NOT_FOUND',
  'USER_NOT_FOUND',
  'AUDIENCE_NOT_FOUND',
  'AUDIENCE_VERSION_NOT_FOUND',
])
const AUTH = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TOKEN_EXPIRED',
  'TOKEN_REVOKED',
  'USER_DISABLED',
  'OIDC_NOT_INVITED',
  'OIDC_LOGIN_FAILED',
])

export function exitCodeFor(code: ErrorCode): number {
  if (NOT_FOUND.has(code)) return EXIT.notFound
  if (AUTH.has(code)) return EXIT.auth
  if (code === 'STORE_LOCKED' || code === 'STORE_ERROR') return EXIT.unavailable
  if (code === 'INTERNAL') return EXIT.internal
  return EXIT.input
}
