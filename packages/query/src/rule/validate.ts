import { type IssueCode, isAppError, normaliseIdentity, type ResolvedRelationship } from '@ahub/core'
import type { z } from 'zod'
import type { AudienceTarget, CompileContext, RuleIssue, SqlParam } from '../context'
import type { Expr } from '../expr/ast'
import { checkExpression, type NodeInfo } from '../expr/check'
import { parseExpression } from '../expr/parser'
import { type FieldRef, SchemaView } from '../schema-scope'
import { type AggregateFn, type Comparison, NODE_SHAPES, type Operator, type Scalar } from './ast'
import { isTextOperator } from './operators'
import { periodToDays, resolveRelativeDate } from './relative-date'
import {
  convertValue,
  formatDate,
  formatTimestamp,
  MAX_LIST_VALUES,
  MAX_STRING_VALUE,
  OPERATORS_BY_TYPE,
} from './values'

/** Deepest nesting of rule nodes (groups, links) accepted. */
export const MAX_RULE_DEPTH = 64
/** Most nodes a rule may hold once saved filters are inlined. */
export const MAX_RULE_NODES = 10_000
const MAX_JSON_DEPTH = MAX_RULE_DEPTH * 3 + 8
const MAX_FILTER_NESTING = 8

type Path = (string | number)[]

/** A rule after binding: names resolved against the schema, values converted to parameters, filters inlined. */
export type Bound =
  | {
      kind: 'condition'
      field: FieldRef
      op: Operator
      values: SqlParam[]
      period: { start?: SqlParam; end?: SqlParam } | undefined
    }
  | { kind: 'group'; op: 'and' | 'or' | 'except'; children: Bound[] }
  | {
      kind: 'link'
      rel: ResolvedRelationship
      where: Bound | undefined
      fn: AggregateFn
      field: FieldRef | undefined
      op: Comparison | undefined
      value: SqlParam | undefined
    }
  | { kind: 'audience'; target: AudienceTarget; negate: boolean }
  | { kind: 'expression'; expr: Expr; info: Map<Expr, NodeInfo> }

/**
 * Walks raw JSON without recursion: refuses nesting deeper than the limit (so 10 000 nested
 * groups cannot overflow a stack) and values too large to be reasonable.
 */
export function precheck(raw: unknown, base: Path = []): RuleIssue[] {
  const issues: RuleIssue[] = []
  const stack: { v: unknown; path: Path; depth: number }[] = [{ v: raw, path: base, depth: 0 }]
  let count = 0
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!
    if (++count > MAX_RULE_NODES * 20) {
      return [{ path: base, code: 'RULE_VALUE_TOO_LARGE', message: `The rule is too large` }]
    }
    if (depth > MAX_JSON_DEPTH) {
      return [
        {
          path: path.slice(0, 12),
          code: 'RULE_TOO_DEEP',
          message: `The rule nests deeper than ${MAX_RULE_DEPTH} levels`,
        },
      ]
    }
    if (typeof v === 'string' && v.length > MAX_STRING_VALUE) {
      issues.push({
        path,
        code: 'RULE_VALUE_TOO_LARGE',
        message: `A value is longer than ${MAX_STRING_VALUE} characters`,
      })
    } else if (Array.isArray(v)) {
      if (v.length > MAX_LIST_VALUES) {
        issues.push({
          path,
          code: 'RULE_VALUE_TOO_LARGE',
          message: `A list holds more than ${MAX_LIST_VALUES} items`,
        })
        continue
      }
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i], depth: depth + 1 })
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!
        stack.push({ v: child, path: [...path, k], depth: depth + 1 })
      }
    }
  }
  return issues
}

/**
 * Depth of any JSON document that embeds rules (a campaign definition), walked without recursion:
 * deeper than a rule may nest (plus `margin` levels of the document around it) is RULE_TOO_DEEP.
 * Unlike `precheck`, it leaves sizes to the document's own schema (a campaign's message templates
 * may be long).
 */
export function checkJsonDepth(raw: unknown, margin = 16): RuleIssue[] {
  const stack: { v: unknown; path: Path }[] = [{ v: raw, path: [] }]
  while (stack.length > 0) {
    const { v, path } = stack.pop()!
    if (path.length > MAX_JSON_DEPTH + margin)
      return [
        {
          path: path.slice(0, 12),
          code: 'RULE_TOO_DEEP',
          message: `The document nests deeper than a rule may (${MAX_RULE_DEPTH} levels)`,
        },
      ]
    if (typeof v !== 'object' || v === null) continue
    for (const [k, child] of Object.entries(v))
      if (typeof child === 'object' && child !== null)
        stack.push({ v: child, path: [...path, Array.isArray(v) ? Number(k) : k] })
  }
  return []
}

function zodIssues(error: z.ZodError, path: Path): RuleIssue[] {
  return error.issues.map((i) => {
    const last = i.path[i.path.length - 1]
    const code =
      last === 'op' || last === 'fn'
        ? 'RULE_BAD_OPERATOR'
        : last === 'n' && (i.code === 'too_big' || i.code === 'too_small')
          ? 'RULE_VALUE_OUT_OF_RANGE'
          : 'RULE_MALFORMED'
    return {
      path: [...path, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))],
      code,
      message: i.message,
    }
  })
}

function isParamRef(v: unknown): v is { param: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof (v as { param?: unknown }).param === 'string'
  )
}

/** Replaces `{ "param": name }` placeholders by arguments, iteratively; unknown names are reported. */
function substitute(raw: unknown, args: Record<string, Scalar>, onUnknown: (name: string) => void): unknown {
  const root: { v: unknown } = { v: raw }
  const stack: { holder: Record<string | number, unknown>; key: string | number }[] = [
    { holder: root as Record<string, unknown>, key: 'v' },
  ]
  while (stack.length > 0) {
    const { holder, key } = stack.pop()!
    const v = holder[key]
    if (isParamRef(v)) {
      if (Object.hasOwn(args, v.param)) holder[key] = args[v.param]
      else onUnknown(v.param)
    } else if (Array.isArray(v)) {
      const copy = [...v]
      holder[key] = copy
      for (let i = 0; i < copy.length; i++)
        stack.push({ holder: copy as unknown as Record<number, unknown>, key: i })
    } else if (typeof v === 'object' && v !== null) {
      const copy = { ...(v as Record<string, unknown>) }
      holder[key] = copy
      for (const k of Object.keys(copy)) stack.push({ holder: copy, key: k })
    }
  }
  return root.v
}

class Binder {
  readonly issues: RuleIssue[] = []
  readonly schema: SchemaView
  private nodes = 0
  private readonly filterStack: string[] = []

  constructor(readonly ctx: CompileContext) {
    this.schema = new SchemaView(ctx.tables)
  }

  issue(path: Path, code: IssueCode, message: string, extra: Record<string, unknown> = {}): undefined {
    this.issues.push({ path, code, message, ...extra })
    return undefined
  }

  node(raw: unknown, path: Path, table: string, depth: number): Bound | undefined {
    if (++this.nodes > MAX_RULE_NODES)
      return this.issue(path, 'RULE_VALUE_TOO_LARGE', `The rule holds more than ${MAX_RULE_NODES} nodes`)
    if (depth > MAX_RULE_DEPTH)
      return this.issue(path, 'RULE_TOO_DEEP', `The rule nests deeper than ${MAX_RULE_DEPTH} levels`)
    const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined
    if (typeof kind !== 'string' || !Object.hasOwn(NODE_SHAPES, kind))
      return this.issue(
        [...path, 'kind'],
        'RULE_MALFORMED',
        `Expected a rule node with kind one of ${Object.keys(NODE_SHAPES).join(', ')}`,
      )
    const parsed = NODE_SHAPES[kind as keyof typeof NODE_SHAPES].safeParse(raw)
    if (!parsed.success) {
      this.issues.push(...zodIssues(parsed.error, path))
      return undefined
    }
    const n = parsed.data
    switch (n.kind) {
      case 'condition':
        return this.condition(n, path, table)
      case 'group': {
        if (n.children.length === 0)
          return this.issue([...path, 'children'], 'RULE_MALFORMED', 'A group needs at least one child')
        const children = n.children.map((c, i) => this.node(c, [...path, 'children', i], table, depth + 1))
        return children.every((c) => c !== undefined) ? { kind: 'group', op: n.op, children } : undefined
      }
      case 'link':
        return this.link(n, path, table, depth)
      case 'audience':
        return this.audience(n.audience, n.negate ?? false, path, table)
      case 'filter':
        return this.filter(n.name, n.params ?? {}, path, table, depth)
      case 'expression':
        return this.expression(n.expression, [...path, 'expression'], table)
    }
  }

  private value(raw: unknown, field: FieldRef, path: Path, canonical = false): SqlParam | undefined {
    if (isParamRef(raw))
      return this.issue(path, 'RULE_FILTER_PARAM', `Parameter "${raw.param}" used outside a saved filter`)
    const c = convertValue(raw as Scalar, field.type)
    if (!c.ok) return this.issue(path, c.code, c.message)
    if (canonical && typeof c.param.value === 'string') {
      const value = canonicalIdentity(field, c.param.value)
      if (value !== undefined) return { ...c.param, value }
    }
    if (
      field.def.type === 'enum' &&
      typeof raw === 'string' &&
      field.def.values &&
      !field.def.values.includes(raw)
    )
      return this.issue(
        path,
        'RULE_TYPE_MISMATCH',
        `"${raw.slice(0, 40)}" is not one of the values of ${field.column}`,
      )
    return c.param
  }

  private condition(n: z.infer<typeof NODE_SHAPES.condition>, path: Path, table: string): Bound | undefined {
    const f = this.schema.field(table, n.field)
    if (!f.ok) return this.issue([...path, 'field'], f.code, f.message)
    const field = f.value
    const allowed = OPERATORS_BY_TYPE[field.def.type === 'enum' ? 'enum' : field.type]
    if (!allowed.includes(n.op))
      return this.issue(
        [...path, 'op'],
        'RULE_TYPE_MISMATCH',
        `Operator "${n.op}" does not apply to ${field.def.type} field "${n.field}"`,
      )
    const textual = isTextOperator(n.op)
    const stringField: FieldRef = textual
      ? { ...field, type: 'string', def: { ...field.def, type: 'string' } }
      : field
    if (n.date !== undefined) {
      if (field.type !== 'date' && field.type !== 'timestamp')
        return this.issue(
          [...path, 'date'],
          'RULE_TYPE_MISMATCH',
          `Relative dates apply to date and timestamp fields, not ${field.type}`,
        )
      if (n.op !== '=' && n.op !== '!=')
        return this.issue(
          [...path, 'op'],
          'RULE_BAD_OPERATOR',
          `A relative date takes "=" (within the period) or "!=" (outside it)`,
        )
      let p = resolveRelativeDate(n.date, this.ctx.asOf)
      const fmt = field.type === 'date' ? formatDate : formatTimestamp
      if (field.type === 'date') p = periodToDays(p)
      const bound = (d: Date | undefined): SqlParam | undefined =>
        d === undefined ? undefined : { value: fmt(d), type: field.type }
      const period: { start?: SqlParam; end?: SqlParam } = {}
      const start = bound(p.start)
      const end = bound(p.end)
      if (start) period.start = start
      if (end) period.end = end
      return { kind: 'condition', field, op: n.op, values: [], period }
    }
    switch (n.op) {
      case 'is empty':
      case 'is not empty':
        return { kind: 'condition', field, op: n.op, values: [], period: undefined }
      case 'in':
      case 'not in': {
        if (n.values === undefined || n.values.length === 0)
          return this.issue(
            [...path, 'values'],
            'RULE_BAD_OPERATOR',
            `"${n.op}" needs a non-empty "values" list`,
          )
        const values = n.values.map((v, i) => this.value(v, field, [...path, 'values', i], true))
        return values.every((v) => v !== undefined)
          ? { kind: 'condition', field, op: n.op, values, period: undefined }
          : undefined
      }
      case 'between': {
        if (n.from === undefined || n.to === undefined)
          return this.issue(path, 'RULE_BAD_OPERATOR', '"between" needs "from" and "to"')
        const from = this.value(n.from, field, [...path, 'from'])
        const to = this.value(n.to, field, [...path, 'to'])
        if (from?.value === null || to?.value === null)
          return this.issue(path, 'RULE_TYPE_MISMATCH', '"between" bounds cannot be null')
        return from && to
          ? { kind: 'condition', field, op: n.op, values: [from, to], period: undefined }
          : undefined
      }
      default: {
        if (n.value === undefined)
          return this.issue([...path, 'value'], 'RULE_BAD_OPERATOR', `"${n.op}" needs a "value"`)
        const v = this.value(n.value, stringField, [...path, 'value'], n.op === '=' || n.op === '!=')
        if (v === undefined) return undefined
        if (v.value === null && n.op !== '=' && n.op !== '!=')
          return this.issue([...path, 'value'], 'RULE_TYPE_MISMATCH', `"${n.op}" cannot compare with null`)
        if ((n.op === 'like' || n.op === 'not like') && typeof v.value === 'string') {
          const bad = badLikeEscape(v.value)
          if (bad !== undefined)
            return this.issue(
              [...path, 'value'],
              'RULE_BAD_PATTERN',
              bad === v.value.length - 1
                ? `The like pattern ends with the escape character \\ (write \\\\ for a backslash)`
                : `In the like pattern, \\ at character ${bad + 1} escapes neither %, _ nor \\`,
              { offset: bad },
            )
        }
        return { kind: 'condition', field, op: n.op, values: [v], period: undefined }
      }
    }
  }

  private link(
    n: z.infer<typeof NODE_SHAPES.link>,
    path: Path,
    table: string,
    depth: number,
  ): Bound | undefined {
    const l = this.schema.link(table, n.link)
    if (!l.ok) return this.issue([...path, 'link'], l.code, l.message)
    const rel = l.value
    const where =
      n.where === undefined ? undefined : this.node(n.where, [...path, 'where'], rel.target, depth + 1)
    const { fn } = n.aggregate
    const apath = [...path, 'aggregate']
    let field: FieldRef | undefined
    if (n.aggregate.field !== undefined) {
      const f = this.schema.field(rel.target, n.aggregate.field)
      if (!f.ok) return this.issue([...apath, 'field'], f.code, f.message)
      field = f.value
    }
    if (fn === 'exists' || fn === 'not exists') {
      if (n.aggregate.op !== undefined || n.aggregate.value !== undefined)
        return this.issue(apath, 'RULE_BAD_OPERATOR', `"${fn}" takes no "op" or "value"`)
      if (n.where !== undefined && where === undefined) return undefined
      return { kind: 'link', rel, where, fn, field: undefined, op: undefined, value: undefined }
    }
    if (fn !== 'count' && field === undefined)
      return this.issue([...apath, 'field'], 'RULE_BAD_OPERATOR', `"${fn}" needs a "field" of ${rel.target}`)
    if ((fn === 'sum' || fn === 'avg') && field && field.type !== 'integer' && field.type !== 'number')
      return this.issue(
        [...apath, 'field'],
        'RULE_TYPE_MISMATCH',
        `"${fn}" needs a numeric field, "${n.aggregate.field}" is ${field.type}`,
      )
    if ((fn === 'min' || fn === 'max') && field?.type === 'boolean')
      return this.issue([...apath, 'field'], 'RULE_TYPE_MISMATCH', `"${fn}" does not apply to boolean fields`)
    if (n.aggregate.op === undefined || n.aggregate.value === undefined)
      return this.issue(apath, 'RULE_BAD_OPERATOR', `"${fn}" needs "op" and "value"`)
    const valueField: FieldRef =
      fn === 'count'
        ? { steps: [], table: rel.target, column: '', def: { type: 'integer' }, type: 'integer' }
        : fn === 'avg' || (fn === 'sum' && field!.type === 'number')
          ? { ...field!, type: 'number', def: { type: 'number' } }
          : { ...field!, def: { ...field!.def, type: field!.type === 'string' ? 'string' : field!.def.type } }
    const value = this.value(n.aggregate.value, valueField, [...apath, 'value'])
    if (value === undefined) return undefined
    if (value.value === null)
      return this.issue(
        [...apath, 'value'],
        'RULE_TYPE_MISMATCH',
        'An aggregate cannot be compared with null',
      )
    if (n.where !== undefined && where === undefined) return undefined
    return { kind: 'link', rel, where, fn, field, op: n.aggregate.op, value }
  }

  private audience(id: string, negate: boolean, path: Path, table: string): Bound | undefined {
    const resolve = this.ctx.audiences
    const target = resolve?.(id)
    if (target === undefined)
      return this.issue(
        [...path, 'audience'],
        'RULE_UNKNOWN_AUDIENCE',
        `Unknown audience "${id.slice(0, 80)}"`,
      )
    const self = this.ctx.selfAudience
    if (self !== undefined) {
      const seen = new Set<string>()
      const todo = [id]
      while (todo.length > 0) {
        const a = todo.pop()!
        if (a === self)
          return this.issue(
            [...path, 'audience'],
            'RULE_CIRCULAR_AUDIENCE',
            `Audience "${id}" depends on "${self}", which is being defined`,
          )
        if (seen.has(a) || seen.size > 10_000) continue
        seen.add(a)
        todo.push(...(resolve?.(a)?.dependsOn ?? []))
      }
    }
    const pk = this.schema.table(table)?.primaryKey ?? []
    if (target.keyColumns.length !== pk.length)
      return this.issue(
        [...path, 'audience'],
        'RULE_TYPE_MISMATCH',
        `Audience "${id}" holds members of another dimension than ${table}`,
      )
    return { kind: 'audience', target, negate }
  }

  private filter(
    name: string,
    args: Record<string, unknown>,
    path: Path,
    table: string,
    depth: number,
  ): Bound | undefined {
    const def = this.ctx.filters?.(name)
    if (def === undefined)
      return this.issue(
        [...path, 'name'],
        'RULE_UNKNOWN_FILTER',
        `Unknown saved filter "${name.slice(0, 80)}"`,
      )
    if (this.filterStack.includes(name) || this.filterStack.length >= MAX_FILTER_NESTING)
      return this.issue(
        [...path, 'name'],
        'RULE_CIRCULAR_FILTER',
        `Saved filter "${name}" uses itself: ${[...this.filterStack, name].join(' -> ')}`,
      )
    const values: Record<string, Scalar> = {}
    let ok = true
    for (const key of Object.keys(args)) {
      if (!def.params.some((p) => p.name === key)) {
        ok = false
        this.issue(
          [...path, 'params', key],
          'RULE_FILTER_PARAM',
          `Saved filter "${name}" has no parameter "${key}"`,
        )
      }
    }
    for (const p of def.params) {
      const given = Object.hasOwn(args, p.name) ? args[p.name] : p.default
      if (given === undefined) {
        ok = false
        this.issue(
          [...path, 'params'],
          'RULE_FILTER_PARAM',
          `Saved filter "${name}" needs parameter "${p.name}"`,
        )
        continue
      }
      const c = convertValue(given as Scalar, p.type)
      if (!c.ok || isParamRef(given)) {
        ok = false
        this.issue(
          [...path, 'params', p.name],
          'RULE_FILTER_PARAM',
          `Parameter "${p.name}" of "${name}" must be a ${p.type}`,
        )
        continue
      }
      values[p.name] = given as Scalar
    }
    if (!ok) return undefined
    const inner = precheck(def.rule, [...path, 'rule'])
    if (inner.length > 0) {
      this.issues.push(...inner)
      return undefined
    }
    const rule = substitute(def.rule, values, (p) =>
      this.issue(
        [...path, 'rule'],
        'RULE_FILTER_PARAM',
        `Saved filter "${name}" uses undeclared parameter "${p}"`,
      ),
    )
    this.filterStack.push(name)
    const bound = this.node(rule, [...path, 'rule'], table, depth + 1)
    this.filterStack.pop()
    return bound
  }

  private expression(text: string, path: Path, table: string): Bound | undefined {
    let expr: Expr
    try {
      expr = parseExpression(text)
    } catch (e) {
      if (!isAppError(e)) throw e
      return this.issue(path, e.code, e.message, { ...e.details })
    }
    const checked = checkExpression(expr, { schema: this.schema, table, allowWindow: false })
    for (const i of checked.issues)
      this.issue(path, i.code, `${i.message} at line ${i.pos.line}, column ${i.pos.column}`, {
        line: i.pos.line,
        column: i.pos.column,
      })
    if (checked.issues.length > 0) return undefined
    if (checked.type !== 'boolean')
      return this.issue(path, 'EXPR_TYPE', `A condition expression must be boolean, got ${checked.type}`, {
        line: 1,
        column: 1,
      })
    return { kind: 'expression', expr, info: checked.info }
  }
}

/**
 * The canonical form of a literal compared (`=`, `!=`, `in`, `not in`) with an identity field, as
 * ingestion stores it: ` Foo@Example.COM` finds `foo@example.com`, a phone in national format finds
 * its E.164 form (read with the field's default country). A value that is not a valid identity
 * stays as written (it then matches nothing).
 */
function canonicalIdentity(field: FieldRef, raw: string): string | undefined {
  const identity = field.def.identity
  if (identity === undefined) return undefined
  try {
    const r = normaliseIdentity(identity.namespace, raw, {
      defaultCountry: identity.defaultCountry,
      allowCustom: true,
    })
    return r.ok ? r.value : undefined
  } catch (e) {
    // A namespace the normalisers do not know: the value is compared as written.
    if (isAppError(e)) return undefined
    throw e
  }
}

/**
 * Where a like pattern misuses its escape character `\`, or undefined: it may only escape `%`,
 * `_` or itself. The engines disagree on anything else (DuckDB and PostgreSQL refuse a trailing
 * escape, ClickHouse reads it literally), so such patterns are refused before they run.
 */
export function badLikeEscape(pattern: string): number | undefined {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') continue
    const next = pattern[i + 1]
    if (next !== '%' && next !== '_' && next !== '\\') return i
    i++
  }
  return undefined
}

/** Checks and binds a rule: every issue at once, and the bound tree when there is none. */
export function bindRule(
  raw: unknown,
  ctx: CompileContext,
): { issues: RuleIssue[]; bound: Bound | undefined } {
  const pre = precheck(raw)
  if (pre.length > 0) return { issues: pre, bound: undefined }
  const b = new Binder(ctx)
  if (b.schema.table(ctx.dimension) === undefined) {
    return {
      issues: [{ path: [], code: 'RULE_UNKNOWN_FIELD', message: `Unknown dimension "${ctx.dimension}"` }],
      bound: undefined,
    }
  }
  const bound = b.node(raw, [], ctx.dimension, 1)
  return { issues: b.issues, bound: b.issues.length === 0 ? bound : undefined }
}

/** Validates a rule against the schema and returns every issue with its JSON path (empty when valid). */
export function validateRule(rule: unknown, ctx: CompileContext): RuleIssue[] {
  return bindRule(rule, ctx).issues
}
