import { AppError, type TableDef } from '@ahub/core'
import { sourceNamespaces } from './ids-sql'

/** Governance labels that forbid sharing a field or dataset through the hub (docs/sharing.md). */
export const NO_SHARE_LABELS: ReadonlySet<string> = new Set(['no-share', 'no_share'])

/** A dataset or field the export would read that a label forbids sharing. */
export interface BlockedSource {
  table: string
  field?: string
  label: string
}

/**
 * The datasets and fields an export of `dimension` under `namespace` reads, that carry a label
 * forbidding sharing: the dimension itself, and each identity field of the namespace (or the one it
 * hashes) in the dimension or in an identity-link dataset pointing at it.
 */
export function blockedSources(
  tables: Record<string, TableDef>,
  dimension: string,
  namespace: string,
): BlockedSource[] {
  const namespaces = new Set(sourceNamespaces(namespace))
  const blocked: BlockedSource[] = []
  const forbidding = (labels: string[] | undefined) => labels?.find((l) => NO_SHARE_LABELS.has(l))
  for (const [name, table] of Object.entries(tables)) {
    const feeds = name === dimension || table.linksTo?.table === dimension
    if (!feeds) continue
    const fields = Object.entries(table.fields).filter(
      ([, f]) => f.identity && namespaces.has(f.identity.namespace),
    )
    if (name !== dimension && fields.length === 0) continue
    const tableLabel = forbidding(table.labels)
    if (tableLabel) blocked.push({ table: name, label: tableLabel })
    for (const [field, f] of fields) {
      const label = forbidding(f.labels)
      if (label) blocked.push({ table: name, field, label })
    }
  }
  return blocked
}

/** Throws SHARE_GOVERNANCE_BLOCKED naming every blocked dataset and field. */
export function assertShareable(
  tables: Record<string, TableDef>,
  dimension: string,
  namespace: string,
): void {
  const blocked = blockedSources(tables, dimension, namespace)
  if (blocked.length === 0) return
  const names = blocked.map((b) => (b.field ? `${b.table}.${b.field}` : b.table))
  throw new AppError(
    'SHARE_GOVERNANCE_BLOCKED',
    `Sharing is forbidden by governance labels on ${names.join(', ')}`,
    { details: { blocked, namespace } },
  )
}
