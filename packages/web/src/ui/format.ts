const numbers = new Intl.NumberFormat('en-GB')

/** 1234567 → "1,234,567". */
export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : numbers.format(n)
}

/** An ISO time as "2026-12-03 14:05" (UTC), or a dash. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`
}

/** Milliseconds as "12 ms" or "1.4 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}
