/** Which rule an invalid demo row breaks. */
export type InvalidField = 'email' | 'birth_date' | 'country'

/** A profile row made invalid on purpose, so ingestion has something to reject. */
export interface InvalidProfileRow {
  /** 0-based data row (the header is not counted). */
  index: number
  field: InvalidField
  /** What is wrong with the value. */
  reason: string
}

const KINDS: readonly { field: InvalidField; reason: string }[] = [
  { field: 'email', reason: 'e-mail without @, e.g. `jean.dupont(at)gmail.com`' },
  { field: 'birth_date', reason: 'day and month swapped, e.g. `1985-23-07` (no month 23)' },
  { field: 'country', reason: 'country `UK`, not an ISO code and not in the enum (GB is)' },
]

/**
 * The invalid rows of a demo profiles file: about one per 20 000 rows (at least one from 1 000 rows), spread
 * evenly, cycling through a malformed e-mail, an unparseable birth date and an unknown country code.
 * Every other column of those rows is valid. Positions depend only on the profile count, not on the seed.
 */
export function invalidProfileRows(profiles: number): InvalidProfileRow[] {
  if (profiles < 1000) return []
  const count = Math.max(1, Math.round(profiles / 20_000))
  return Array.from({ length: count }, (_, k) => ({
    index: Math.floor(((k + 0.5) * profiles) / count),
    ...KINDS[k % KINDS.length]!,
  }))
}
