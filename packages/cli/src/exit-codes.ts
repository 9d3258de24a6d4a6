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

const AUTH = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TOKEN_EXPIRED',
  'TOKEN_REVOKED',
  'USER_DISABLED',
  'OIDC_NOT_INVITED',
  'OIDC_LOGIN_FAILED',
  'HUB_TOKEN_INVALID',
])

/** Unreachable servers: the data directory's owner, or the hub. */
const UNAVAILABLE = new Set<string>([
  'STORE_LOCKED',
  'STORE_ERROR',
  'ENGINE_NOT_INSTALLED',
  'HUB_UNAVAILABLE',
  'SHARE_HUB_UNAVAILABLE',
])

export function exitCodeFor(code: ErrorCode): number {
  // Every `*_NOT_FOUND` code (AUDIENCE_, CAMPAIGN_RUN_, HUB_, SHARE_JOB_, ...) is a not-found.
  if (code === 'NOT_FOUND' || code.endsWith('_NOT_FOUND')) return EXIT.notFound
  if (AUTH.has(code)) return EXIT.auth
  if (UNAVAILABLE.has(code)) return EXIT.unavailable
  if (code === 'INTERNAL') return EXIT.internal
  return EXIT.input
}
