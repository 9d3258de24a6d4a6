import type { CompiledQuery } from '@ahub/query'
import { ident, type SqlValue } from '@ahub/store'

/** A SQL fragment with its own `$1..$n` parameters. */
export interface Fragment {
  sql: string
  params: SqlValue[]
}

/** A compiled query as a fragment (the bound values only). */
export function fragment(q: CompiledQuery): Fragment {
  return { sql: q.sql.replace(/;\s*$/, ''), params: q.params.map((p) => p.value) }
}

/**
 * Joins fragments into one statement: each fragment's `$n` placeholders are renumbered after the
 * ones before it. Safe because compiled SQL holds no literals: values are parameters and
 * identifiers come from the schema (`[a-z][a-z0-9_]*`), so a `$` only ever starts a placeholder.
 */
export function combine(parts: (string | Fragment)[]): Fragment {
  let sql = ''
  const params: SqlValue[] = []
  for (const part of parts) {
    if (typeof part === 'string') {
      sql += part
      continue
    }
    const offset = params.length
    sql += part.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)
    params.push(...part.params)
  }
  return { sql, params }
}

/** A value as a one-parameter fragment. */
export function param(value: SqlValue): Fragment {
  return { sql: '$1', params: [value] }
}

/** `a.k1 = b.k1 AND a.k2 = b.k2` over the key columns. */
export function keyJoin(keys: string[], a: string, b: string): string {
  return keys.map((k) => `${a}.${ident(k)} = ${b}.${ident(k)}`).join(' AND ')
}

/** `alias.k1, alias.k2` (or bare names without an alias). */
export function keyList(keys: string[], alias?: string): string {
  return keys.map((k) => (alias ? `${alias}.${ident(k)}` : ident(k))).join(', ')
}

/** SQL of the text member key the audiences store uses (composite keys joined by U+001F). */
export function memberKeyText(keys: string[], alias: string): string {
  const cols = keys.map((k) => `CAST(${alias}.${ident(k)} AS VARCHAR)`)
  return cols.length === 1 ? cols[0]! : `concat_ws(chr(31), ${cols.join(', ')})`
}

/** A deterministic pseudo-random order per run: re-running an activity of the same run picks the same rows. */
export function seededOrder(keys: string[], alias: string, seed: string): Fragment {
  return { sql: `hash($1, ${keys.map((k) => `${alias}.${ident(k)}`).join(', ')})`, params: [seed] }
}
