import { normaliseEmail, normalisePhone, type RejectedLine } from '@ahub/core'

/** Most invalid lines reported one by one; the count of the rest is still given. */
export const MAX_REPORTED_LINES = 1000

/** The valid, normalised, distinct values of an uploaded list and its invalid lines. */
export interface ParsedList {
  values: string[]
  rejected: RejectedLine[]
  rejectedCount: number
  duplicates: number
}

/**
 * Normalises each line of an uploaded list of e-mails or phones with the identity normalisers.
 * Blank lines are skipped; invalid ones are reported with their 1-based line number and reason.
 */
export function parseIdentityList(
  lines: string[],
  namespace: 'email' | 'phone',
  defaultCountry?: string,
): ParsedList {
  const seen = new Set<string>()
  const rejected: RejectedLine[] = []
  let rejectedCount = 0
  let duplicates = 0
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return
    const r = namespace === 'email' ? normaliseEmail(raw) : normalisePhone(raw, defaultCountry)
    if (!r.ok) {
      rejectedCount++
      if (rejected.length < MAX_REPORTED_LINES)
        rejected.push({ line: i + 1, value: raw.slice(0, 200), reason: r.reason })
      return
    }
    if (seen.has(r.value)) duplicates++
    else seen.add(r.value)
  })
  return { values: [...seen], rejected, rejectedCount, duplicates }
}

/** Splits uploaded text into lines (LF or CRLF). */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}
