import { assertNever, type ResolvedRelationship } from '@ahub/core'
import type { AudienceTarget, SqlParam } from '../context'
import type { Expr } from '../expr/ast'
import type { NodeInfo } from '../expr/check'
import type { FieldRef } from '../schema-scope'
import type { Comparison } from './ast'
import type { Bound } from './validate'

export type CoreCmp = '=' | '<>' | '<' | '<=' | '>' | '>='

/** The small core every rule lowers to: no sugar, no filters, no relative dates. */
export type Core =
  | { kind: 'cmp'; field: FieldRef; op: CoreCmp; param: SqlParam }
  | { kind: 'in'; field: FieldRef; params: SqlParam[] }
  | { kind: 'isNull'; field: FieldRef }
  | { kind: 'text'; fn: 'startsWith' | 'contains' | 'like'; field: FieldRef; param: SqlParam }
  /** SQL NOT: an unknown (NULL) stays unknown, so a negated test never matches an empty value. */
  | { kind: 'not'; child: Core }
  /** Set complement: true exactly where `child` is not true (NULL counts as false). */
  | { kind: 'without'; child: Core }
  | { kind: 'and' | 'or'; children: Core[] }
  | {
      kind: 'exists'
      rel: ResolvedRelationship
      where: Core | undefined
      having: Having | undefined
      negate: boolean
    }
  | { kind: 'audience'; target: AudienceTarget; negate: boolean }
  | { kind: 'expr'; expr: Expr; info: Map<Expr, NodeInfo> }

/** `fn(field) op value` over the linked rows of one parent. */
export interface Having {
  fn: 'count' | 'sum' | 'avg' | 'min' | 'max'
  field: FieldRef | undefined
  op: CoreCmp
  param: SqlParam
}

const CMP: Record<Comparison, CoreCmp> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }
const NEGATED: Record<CoreCmp, CoreCmp> = { '=': '<>', '<>': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' }

function holds(a: number, op: CoreCmp, b: number): boolean {
  switch (op) {
    case '=':
      return a === b
    case '<>':
      return a !== b
    case '<':
      return a < b
    case '<=':
      return a <= b
    case '>':
      return a > b
    case '>=':
      return a >= b
  }
}

function isEmpty(field: FieldRef): Core {
  const isNull: Core = { kind: 'isNull', field }
  return field.type === 'string'
    ? {
        kind: 'or',
        children: [isNull, { kind: 'cmp', field, op: '=', param: { value: '', type: 'string' } }],
      }
    : isNull
}

/** Lowers a bound rule to the core: between, not in, relative periods, empties and except become plain logic. */
export function lower(b: Bound): Core {
  switch (b.kind) {
    case 'condition': {
      const { field, values } = b
      const v = values[0]!
      if (b.period !== undefined) {
        const parts: Core[] = []
        if (b.period.start) parts.push({ kind: 'cmp', field, op: '>=', param: b.period.start })
        if (b.period.end) parts.push({ kind: 'cmp', field, op: '<', param: b.period.end })
        const within: Core =
          parts.length === 0
            ? { kind: 'not', child: { kind: 'isNull', field } }
            : { kind: 'and', children: parts }
        return b.op === '=' ? within : { kind: 'not', child: within }
      }
      // '' counts as empty for every operator on text: a blank literal is `null`, and every test that
      // '' could pass (a negation, an order, a pattern) also requires the value to be filled.
      const text = field.type === 'string' && field.def.type !== 'enum'
      const blank = (p: SqlParam) => p.value === null || (text && p.value === '')
      const filled = (c: Core): Core =>
        text
          ? {
              kind: 'and',
              children: [c, { kind: 'cmp', field, op: '<>', param: { value: '', type: 'string' } }],
            }
          : c
      const textTest = (fn: 'startsWith' | 'contains' | 'like'): Core => ({
        kind: 'text',
        fn,
        field,
        param: v,
      })
      switch (b.op) {
        case '=':
          return blank(v) ? isEmpty(field) : { kind: 'cmp', field, op: '=', param: v }
        case '!=':
          return blank(v)
            ? { kind: 'not', child: isEmpty(field) }
            : filled({ kind: 'cmp', field, op: '<>', param: v })
        case '>':
        case '<':
        case '>=':
        case '<=':
          return filled({ kind: 'cmp', field, op: b.op, param: v })
        case 'between':
          return filled({
            kind: 'and',
            children: [
              { kind: 'cmp', field, op: '>=', param: v },
              { kind: 'cmp', field, op: '<=', param: values[1]! },
            ],
          })
        case 'in':
        case 'not in': {
          const present = values.filter((p) => !blank(p))
          const parts: Core[] = present.length > 0 ? [{ kind: 'in', field, params: present }] : []
          if (present.length < values.length) parts.push(isEmpty(field))
          const test: Core = parts.length === 1 ? parts[0]! : { kind: 'or', children: parts }
          return b.op === 'in' ? test : filled({ kind: 'not', child: test })
        }
        case 'is empty':
          return isEmpty(field)
        case 'is not empty':
          return { kind: 'not', child: isEmpty(field) }
        case 'starts with':
          return v.value === '' ? filled(textTest('startsWith')) : textTest('startsWith')
        case 'does not start with':
          return filled({ kind: 'not', child: textTest('startsWith') })
        case 'contains':
          return v.value === '' ? filled(textTest('contains')) : textTest('contains')
        case 'does not contain':
          return filled({ kind: 'not', child: textTest('contains') })
        case 'like':
          return filled(textTest('like'))
        case 'not like':
          return filled({ kind: 'not', child: textTest('like') })
        default:
          return assertNever(b)
      }
    }
    case 'group': {
      const children = b.children.map(lower)
      if (b.op !== 'except') return { kind: b.op, children }
      const [first, ...rest] = children
      if (rest.length === 0) return first!
      return { kind: 'and', children: [first!, { kind: 'without', child: { kind: 'or', children: rest } }] }
    }
    case 'link': {
      const where = b.where === undefined ? undefined : lower(b.where)
      if (b.fn === 'exists' || b.fn === 'not exists')
        return { kind: 'exists', rel: b.rel, where, having: undefined, negate: b.fn === 'not exists' }
      const op = CMP[b.op!]
      const param = b.value!
      // Parents without linked rows have count 0 and sum 0: when 0 satisfies the test, select the
      // parents whose rows fail it and take the complement, so they are included.
      if (
        (b.fn === 'count' || b.fn === 'sum') &&
        typeof param.value === 'number' &&
        holds(0, op, param.value)
      )
        return {
          kind: 'exists',
          rel: b.rel,
          where,
          having: { fn: b.fn, field: b.field, op: NEGATED[op], param },
          negate: true,
        }
      return {
        kind: 'exists',
        rel: b.rel,
        where,
        having: { fn: b.fn, field: b.field, op, param },
        negate: false,
      }
    }
    case 'audience':
      return { kind: 'audience', target: b.target, negate: b.negate }
    case 'expression':
      return { kind: 'expr', expr: b.expr, info: b.info }
    default:
      return assertNever(b)
  }
}
