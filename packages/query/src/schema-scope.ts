import {
  type FieldDef,
  type IssueCode,
  type ResolvedRelationship,
  resolveRelationships,
  type TableDef,
} from '@ahub/core'

/** Value types of the query language; `enum` fields are strings with a closed set of values. */
export type ValueType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp'

/** A field reached from a table, possibly through 1-1 / N-1 links. */
export interface FieldRef {
  steps: ResolvedRelationship[]
  table: string
  column: string
  def: FieldDef
  type: ValueType
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; code: IssueCode; message: string }

/** The schema seen by the compiler: tables and relationships by name, lookups safe against prototype keys. */
export class SchemaView {
  private readonly rels = new Map<string, Map<string, ResolvedRelationship>>()

  constructor(readonly tables: Record<string, TableDef>) {
    for (const r of resolveRelationships(tables)) {
      const m = this.rels.get(r.from) ?? new Map<string, ResolvedRelationship>()
      m.set(r.name, r)
      this.rels.set(r.from, m)
    }
  }

  /** The table definition, or undefined (own keys only). */
  table(name: string): TableDef | undefined {
    return Object.hasOwn(this.tables, name) ? this.tables[name] : undefined
  }

  /** A relationship of `table` by name, declared on either side. */
  relationship(table: string, name: string): ResolvedRelationship | undefined {
    return this.rels.get(table)?.get(name)
  }

  /** Resolves `a.b.field` from `table`: every step but the last must be a 1-1 or N-1 link. */
  field(table: string, path: string): Resolved<FieldRef> {
    const parts = path.split('.')
    const steps: ResolvedRelationship[] = []
    let current = table
    for (const [i, part] of parts.entries()) {
      const def = this.table(current)
      if (def === undefined)
        return { ok: false, code: 'RULE_UNKNOWN_FIELD', message: `Unknown table "${current}"` }
      if (i === parts.length - 1) {
        if (!Object.hasOwn(def.fields, part))
          return { ok: false, code: 'RULE_UNKNOWN_FIELD', message: `Unknown field "${path}" on ${table}` }
        const f = def.fields[part]!
        return {
          ok: true,
          value: { steps, table: current, column: part, def: f, type: f.type === 'enum' ? 'string' : f.type },
        }
      }
      const rel = this.relationship(current, part)
      if (rel === undefined)
        return {
          ok: false,
          code: 'RULE_UNKNOWN_FIELD',
          message: `Unknown link "${part}" in "${path}" on ${table}`,
        }
      if (rel.cardinality === '1-N')
        return {
          ok: false,
          code: 'RULE_NOT_A_LINK',
          message: `"${part}" is a 1-N link: use a link condition or an aggregate, not a field path ("${path}")`,
        }
      steps.push(rel)
      current = rel.target
    }
    return { ok: false, code: 'RULE_UNKNOWN_FIELD', message: `Empty field path on ${table}` }
  }

  /** A 1-N link of `table` by name. */
  link(table: string, name: string): Resolved<ResolvedRelationship> {
    const rel = this.relationship(table, name)
    if (rel === undefined) {
      const def = this.table(table)
      if (def !== undefined && Object.hasOwn(def.fields, name))
        return {
          ok: false,
          code: 'RULE_NOT_A_LINK',
          message: `"${name}" is a field of ${table}, not a 1-N link`,
        }
      return { ok: false, code: 'RULE_UNKNOWN_FIELD', message: `Unknown link "${name}" on ${table}` }
    }
    if (rel.cardinality !== '1-N')
      return {
        ok: false,
        code: 'RULE_NOT_A_LINK',
        message: `"${name}" is a ${rel.cardinality} link, not 1-N`,
      }
    return { ok: true, value: rel }
  }
}
