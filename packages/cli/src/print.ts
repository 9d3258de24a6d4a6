import type { BatchReport } from '@ahub/core'

/** Prints rows as an aligned text table. */
export function printTable(rows: Record<string, unknown>[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n')
    return
  }
  const cols = Object.keys(rows[0]!)
  const text = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en') : String(v)
    return s.length > 40 ? `${s.slice(0, 39)}…` : s
  }
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)))
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`
  process.stdout.write(line(cols))
  for (const r of rows) process.stdout.write(line(cols.map((c) => text(r[c]))))
}

/** Prints a batch report the way a person reads it. */
export function printReport(r: BatchReport): void {
  const n = (x: number) => x.toLocaleString('en')
  process.stdout.write(
    `batch ${r.batchId}: ${r.file} -> ${r.table} (${r.format}) ${r.status} in ${(r.durationMs / 1000).toFixed(2)} s\n`,
  )
  printTable([
    {
      received: r.received,
      inserted: r.inserted,
      updated: r.updated,
      deleted: r.deleted,
      unchanged: r.unchanged,
      superseded: r.superseded,
      rejected: r.rejected,
    },
  ])
  if (r.identities) {
    process.stdout.write(
      `identity links: ${n(r.identities.linked)} added, ${n(r.identities.removed)} removed, ${n(r.identities.overCap)} over cap, ${n(r.identities.flagged)} flagged\n`,
    )
  }
  if (r.rejected > 0) {
    process.stdout.write(`rejected rows are in ${r.rejectFile}; first ones:\n`)
    for (const e of r.rejectSample.slice(0, 5)) {
      process.stdout.write(
        `  line ${e.line ?? '?'}${e.column ? ` [${e.column}]` : ''} ${e.code}: ${e.reason}\n`,
      )
    }
  }
}
