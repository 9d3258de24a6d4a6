import type { TableDef } from '@ahub/core'
import { type RelativeDate, type RuleNode, resolveRelativeDate } from '@ahub/query'

/**
 * A reference evaluator of rules, written from docs/rules.md alone and independent of the SQL
 * compiler: it computes a rule's member set from rows in memory. The property test compares it
 * with every engine, so the engines and the documented meaning cannot drift apart.
 *
 * Values in memory: text and enums as strings, integers and numbers as numbers, booleans as
 * booleans, dates as 'YYYY-MM-DD', timestamps as milliseconds since the epoch (UTC), NULL as null.
 * Only relative periods come from @ahub/query (`resolveRelativeDate`: plain calendar arithmetic
 * in JavaScript, documented in the table of docs/rules.md, no SQL).
 */
export type RefValue = string | number | boolean | null
export type RefRow = Record<string, RefValue>

export interface RefContext {
  tables: Record<string, TableDef>
  /** Rows of each table. */
  data: Record<string, RefRow[]>
  dimension: string
  asOf: Date
  /** Member keys of each audience. */
  audiences: Record<string, Set<string>>
}

/** Three-valued logic: true, false, or unknown (null). */
type Tri = boolean | null

const and3 = (a: Tri, b: Tri): Tri =>
  a === false || b === false ? false : a === null || b === null ? null : true
const or3 = (a: Tri, b: Tri): Tri =>
  a === true || b === true ? true : a === null || b === null ? null : false
const not3 = (a: Tri): Tri => (a === null ? null : !a)

const utf8 = (s: string) => Buffer.from(s, 'utf8')
/** Text order is byte order of UTF-8, as the engines compare (C collation). */
const compareText = (a: string, b: string) => Buffer.compare(utf8(a), utf8(b))

/** The member keys (primary-key values joined by `|`) of the rows `rule` selects. */
export function evaluateRule(rule: RuleNode, ctx: RefContext): Set<string> {
  const def = ctx.tables[ctx.dimension]!
  const members = new Set<string>()
  const index = linkIndex(ctx)
  for (const row of ctx.data[ctx.dimension] ?? []) {
    if (node(rule, row, ctx.dimension, ctx, index) === true) members.add(keyOf(row, def))
  }
  return members
}

export function keyOf(row: RefRow, def: TableDef): string {
  return def.primaryKey.map((k) => String(row[k])).join('|')
}

type LinkIndex = Map<string, Map<string, RefRow[]>>

/** For every 1-N relationship, the linked rows grouped by the parent's join key. */
function linkIndex(ctx: RefContext): LinkIndex {
  const out: LinkIndex = new Map()
  for (const [table, def] of Object.entries(ctx.tables)) {
    for (const [name, rel] of Object.entries(def.relationships ?? {})) {
      if (rel.cardinality !== '1-N') continue
      const childCols = Object.values(rel.on)
      const groups = new Map<string, RefRow[]>()
      for (const r of ctx.data[rel.target] ?? []) {
        if (childCols.some((c) => r[c] === null)) continue
        const k = childCols.map((c) => String(r[c])).join('|')
        const list = groups.get(k)
        if (list) list.push(r)
        else groups.set(k, [r])
      }
      out.set(`${table}.${name}`, groups)
    }
  }
  return out
}

function node(n: RuleNode, row: RefRow, table: string, ctx: RefContext, index: LinkIndex): Tri {
  switch (n.kind) {
    case 'group': {
      const values = n.children.map((c) => node(c, row, table, ctx, index))
      if (n.op === 'and') return values.reduce<Tri>(and3, true)
      if (n.op === 'or') return values.reduce<Tri>(or3, false)
      // except: members of the first child that are not definitely in the others.
      const [first, ...rest] = values
      return and3(first!, !rest.some((v) => v === true))
    }
    case 'condition':
      return condition(n, row, table, ctx)
    case 'link': {
      const def = ctx.tables[table]!
      const rel = def.relationships![n.link]!
      const parentKey = Object.keys(rel.on)
        .map((c) => String(row[c]))
        .join('|')
      const linked = Object.keys(rel.on).some((c) => row[c] === null)
        ? []
        : (index.get(`${table}.${n.link}`)?.get(parentKey) ?? [])
      const rows = n.where ? linked.filter((r) => node(n.where!, r, rel.target, ctx, index) === true) : linked
      const { fn, field, op, value } = n.aggregate
      if (fn === 'exists') return rows.length > 0
      if (fn === 'not exists') return rows.length === 0
      let agg: RefValue
      const vals: RefValue[] =
        field === undefined ? [] : rows.map((r) => r[field] ?? null).filter((v) => v !== null)
      switch (fn) {
        case 'count':
          agg = field === undefined ? rows.length : vals.length
          break
        case 'sum':
          // Over no rows (or only empty values) a sum is 0.
          agg = (vals as number[]).reduce((a, b) => a + b, 0)
          break
        case 'avg':
          agg = vals.length === 0 ? null : (vals as number[]).reduce((a, b) => a + b, 0) / vals.length
          break
        case 'min':
        case 'max': {
          if (vals.length === 0) agg = null
          else {
            const sorted = [...vals].sort((a, b) => order(a, b))
            agg = (fn === 'min' ? sorted[0] : sorted[sorted.length - 1]) ?? null
          }
          break
        }
      }
      if (agg === null) return null
      const target = field === undefined ? 'integer' : ctx.tables[rel.target]!.fields[field]!.type
      return compare(agg, op!, literal(value as RefValue, target))
    }
    case 'audience': {
      const members = ctx.audiences[n.audience] ?? new Set()
      const inside = members.has(keyOf(row, ctx.tables[table]!))
      return n.negate ? !inside : inside
    }
    case 'filter':
    case 'expression':
      throw new Error(`the reference evaluator does not evaluate ${n.kind} nodes`)
  }
}

/** A rule literal as a value in memory, for a field type. */
function literal(v: RefValue, type: string): RefValue {
  if (v === null) return null
  if (type === 'timestamp' && typeof v === 'string') return parseTimestamp(v)
  return v
}

/** Timestamps: ISO 8601 with a zone, or without one (UTC), or a date (midnight UTC). */
export function parseTimestamp(text: string): number {
  const t = text.trim().replace(' ', 'T')
  const withZone = /(Z|[+-]\d\d:\d\d)$/.test(t) ? t : `${t.length === 10 ? `${t}T00:00:00` : t}Z`
  return Date.parse(withZone)
}

function order(a: RefValue, b: RefValue): number {
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b)
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
}

function compare(a: RefValue, op: string, b: RefValue): Tri {
  if (a === null || b === null) return null
  const c = order(a, b)
  switch (op) {
    case '=':
      return typeof a === 'boolean' ? a === b : c === 0
    case '!=':
      return typeof a === 'boolean' ? a !== b : c !== 0
    case '<':
      return c < 0
    case '<=':
      return c <= 0
    case '>':
      return c > 0
    case '>=':
      return c >= 0
  }
  throw new Error(`unknown comparison ${op}`)
}

/** `like`: `%` any run of characters, `_` one character, `\` escapes the next one. */
export function likeMatch(text: string, pattern: string): boolean {
  let re = ''
  const chars = [...pattern]
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    if (ch === '\\') re += escapeRegex(chars[++i] ?? '')
    else if (ch === '%') re += '.*'
    else if (ch === '_') re += '.'
    else re += escapeRegex(ch)
  }
  return new RegExp(`^${re}$`, 'su').test(text)
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')

function condition(
  n: Extract<RuleNode, { kind: 'condition' }>,
  row: RefRow,
  table: string,
  ctx: RefContext,
): Tri {
  const def = ctx.tables[table]!.fields[n.field]
  if (def === undefined)
    throw new Error(`the reference evaluator reads fields of the table only, not ${n.field}`)
  const type = def.type
  const text = type === 'string'
  const raw = row[n.field] ?? null
  // '' counts as empty for every operator on text fields.
  const v: RefValue = text && raw === '' ? null : raw
  const empty = v === null || (type === 'enum' && raw === '')
  const blank = (x: unknown) => x === null || (text && x === '')
  if (n.date !== undefined) {
    const p = resolveRelativeDate(n.date as RelativeDate, ctx.asOf)
    if (v === null) return null
    const at = type === 'date' ? Date.parse(`${v}T00:00:00Z`) : (v as number)
    const within =
      (p.start === undefined || at >= p.start.getTime()) && (p.end === undefined || at < p.end.getTime())
    return n.op === '=' ? within : !within
  }
  const lit = (x: unknown) => literal(x as RefValue, type)
  switch (n.op) {
    case 'is empty':
      return empty
    case 'is not empty':
      return !empty
    case '=':
      return blank(n.value) ? empty : compare(v, '=', lit(n.value))
    case '!=':
      return blank(n.value) ? !empty : compare(v, '!=', lit(n.value))
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(v, n.op, lit(n.value))
    case 'between':
      return and3(compare(v, '>=', lit(n.from)), compare(v, '<=', lit(n.to)))
    case 'in':
    case 'not in': {
      const values = n.values ?? []
      let inside: Tri = values.some(blank) && empty
      for (const x of values) if (!blank(x)) inside = or3(inside, compare(v, '=', lit(x)))
      return n.op === 'in' ? inside : not3(inside)
    }
    case 'starts with':
    case 'does not start with':
    case 'contains':
    case 'does not contain':
    case 'like':
    case 'not like': {
      if (v === null) return null
      const s = String(v)
      const p = String(n.value)
      const hit = n.op.includes('start')
        ? s.startsWith(p)
        : n.op.includes('contain')
          ? s.includes(p)
          : likeMatch(s, p)
      return n.op.startsWith('does not') || n.op === 'not like' ? !hit : hit
    }
  }
}
