/** Counts of a sync job (the API's `counts`). */
export interface JobCounts {
  received: number
  matched: number
  unmatched: number
  invalid: number
  ambiguous: number
  exported?: number
  unmapped?: number
}

export interface ReportPart {
  key: 'matched' | 'unmatched' | 'invalid' | 'ambiguous'
  label: string
  count: number
  /** Share of what was received, 0..1. */
  share: number
}

const PARTS = [
  ['matched', 'Matched'],
  ['unmatched', 'Unmatched'],
  ['invalid', 'Invalid'],
  ['ambiguous', 'Ambiguous'],
] as const

/**
 * The parts of an import's match report, each with its share of what was received, and whether
 * they add up to it (a report that does not is shown as such, never scaled to look whole).
 */
export function matchReport(c: JobCounts): { parts: ReportPart[]; total: number; addsUp: boolean } {
  const total = PARTS.reduce((n, [k]) => n + c[k], 0)
  const base = Math.max(c.received, total, 1)
  return {
    parts: PARTS.map(([key, label]) => ({ key, label, count: c[key], share: c[key] / base })),
    total,
    addsUp: total === c.received,
  }
}
