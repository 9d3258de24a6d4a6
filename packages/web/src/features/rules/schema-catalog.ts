import type { FieldType } from './rule-model'

/** A table as the schemas API returns it (the parts the builder reads). */
export interface TableDefinition {
  label?: string
  primaryKey: string[]
  fields: Record<
    string,
    { type: FieldType; label?: string; values?: string[]; identity?: { namespace: string } }
  >
  relationships?: Record<string, { target: string; cardinality: '1-1' | '1-N' | 'N-1'; inverse?: string }>
}

export type Tables = Record<string, TableDefinition>

export interface FieldInfo {
  /** The field path a condition uses: `country`, or `profile.country` through an N-1 link. */
  path: string
  label: string
  type: FieldType
  values?: string[]
}

export interface LinkInfo {
  name: string
  target: string
  cardinality: '1-1' | '1-N' | 'N-1'
}

const FLIP = { '1-1': '1-1', '1-N': 'N-1', 'N-1': '1-N' } as const

/** The relationships seen from `table`: its own and the inverses declared on the other side. */
export function linksOf(tables: Tables, table: string): LinkInfo[] {
  const links: LinkInfo[] = []
  for (const [name, rel] of Object.entries(tables[table]?.relationships ?? {}))
    links.push({ name, target: rel.target, cardinality: rel.cardinality })
  for (const [other, def] of Object.entries(tables))
    for (const rel of Object.values(def.relationships ?? {}))
      if (rel.target === table && rel.inverse && !links.some((l) => l.name === rel.inverse))
        links.push({ name: rel.inverse, target: other, cardinality: FLIP[rel.cardinality] })
  return links
}

/** The 1-N links of a table: what a link condition aggregates over. */
export function manyLinksOf(tables: Tables, table: string): LinkInfo[] {
  return linksOf(tables, table).filter((l) => l.cardinality === '1-N')
}

/** The fields a condition on `table` may use: its own, then one step through 1-1 / N-1 links. */
export function fieldsOf(tables: Tables, table: string): FieldInfo[] {
  const own = (t: string, prefix: string, labelPrefix: string): FieldInfo[] =>
    Object.entries(tables[t]?.fields ?? {}).map(([name, f]) => ({
      path: `${prefix}${name}`,
      label: `${labelPrefix}${f.label ?? name}`,
      type: f.type,
      values: f.values,
    }))
  const fields = own(table, '', '')
  for (const link of linksOf(tables, table))
    if (link.cardinality !== '1-N') fields.push(...own(link.target, `${link.name}.`, `${link.name} › `))
  return fields
}

/** The field at a path, if the schema has it. */
export function fieldInfo(tables: Tables, table: string, path: string): FieldInfo | undefined {
  return fieldsOf(tables, table).find((f) => f.path === path)
}
