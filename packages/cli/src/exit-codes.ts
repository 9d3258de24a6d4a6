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

export function exitCodeFor(code: ErrorCode): number {
  if (code === 'NOT_FOUND' || code === 'ORG_NOT_FOUND' || code === 'SCHEMA_NOT_FOUND') return EXIT.notFound
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return EXIT.auth
  if (code === 'STORE_LOCKED' || code === 'STORE_ERROR') return EXIT.unavailable
  if (code === 'INTERNAL') return EXIT.internal
  return EXIT.input
}
