import { OPERATORS } from '@ahub/query'
import { CONFORMANCE_CASES } from '@ahub/testing'
import { describe, expect, it } from 'vitest'
import {
  addTo,
  allPaths,
  emptyRule,
  issueNodePath,
  nodeAt,
  OPERATORS_BY_TYPE,
  operatorChoiceOf,
  type RuleNode,
  removeAt,
  updateAt,
  withAggregate,
  withField,
  withOperator,
} from './rule-model'

const fr: RuleNode = { kind: 'condition', field: 'country', op: '=', value: 'FR' }
const recent: RuleNode = {
  kind: 'link',
  link: 'purchases',
  where: { kind: 'condition', field: 'purchased_at', op: '=', date: { preset: 'last', n: 30, unit: 'days' } },
  aggregate: { fn: 'exists' },
}

describe('the rule editing model', () => {
  it('builds "country is FR and at least one purchase in the last 30 days" as docs/rules.md writes it', () => {
    let rule: RuleNode = emptyRule()
    rule = addTo(rule, [], { kind: 'condition', field: 'country', op: '=', value: 'FR' })
    rule = addTo(rule, [], { kind: 'link', link: 'purchases', aggregate: { fn: 'exists' } })
    rule = updateAt(
      rule,
      [1],
      (l) =>
        ({
          ...l,
          where: withField(
            { kind: 'condition', field: 'amount', op: '>', value: 3 },
            'purchased_at',
            'timestamp',
            undefined,
            'number',
          ),
        }) as RuleNode,
    )
    expect(rule).toEqual({ kind: 'group', op: 'and', children: [fr, recent] })
  })

  it('adds to a single condition by wrapping it in an AND group, and removes nodes and wheres', () => {
    expect(addTo(fr, [], recent)).toEqual({ kind: 'group', op: 'and', children: [fr, recent] })
    const rule: RuleNode = { kind: 'group', op: 'or', children: [fr, recent] }
    expect(removeAt(rule, [0])).toEqual({ kind: 'group', op: 'or', children: [recent] })
    expect(nodeAt(removeAt(rule, [1, 'where']), [1])).toEqual({
      kind: 'link',
      link: 'purchases',
      aggregate: { fn: 'exists' },
    })
    expect(removeAt(rule, [])).toEqual(emptyRule())
    expect(rule.kind === 'group' && rule.children.length).toBe(2)
  })

  it('keeps a value across operators of the same shape and converts between shapes', () => {
    const c = { kind: 'condition' as const, field: 'country', op: '=' as const, value: 'FR' }
    expect(withOperator(c, '!=')).toEqual({ ...c, op: '!=' })
    expect(withOperator(c, 'in')).toEqual({ kind: 'condition', field: 'country', op: 'in', values: ['FR'] })
    expect(withOperator(c, 'is empty')).toEqual({ kind: 'condition', field: 'country', op: 'is empty' })
    expect(withOperator(c, 'between')).toEqual({
      kind: 'condition',
      field: 'country',
      op: 'between',
      from: 'FR',
      to: '',
    })
    const period = withOperator(
      { kind: 'condition', field: 'purchased_at', op: '>', value: '2026-01-01' },
      'not in period',
    )
    expect(period).toEqual({
      kind: 'condition',
      field: 'purchased_at',
      op: '!=',
      date: { preset: 'last', n: 30, unit: 'days' },
    })
    expect(operatorChoiceOf(period)).toBe('not in period')
  })

  it('gives a new field a fitting operator and value when its type changes', () => {
    const c = { kind: 'condition' as const, field: 'country', op: 'starts with' as const, value: 'F' }
    expect(withField(c, 'city', 'string', undefined, 'string')).toEqual({ ...c, field: 'city' })
    expect(withField(c, 'age', 'integer', undefined, 'string')).toEqual({
      kind: 'condition',
      field: 'age',
      op: '=',
      value: 0,
    })
    expect(withField(c, 'loyalty_tier', 'enum', ['bronze'], 'string')).toEqual({
      kind: 'condition',
      field: 'loyalty_tier',
      op: '=',
      value: 'bronze',
    })
  })

  it('sets link aggregates with the parts each needs', () => {
    const l = { kind: 'link' as const, link: 'purchases', aggregate: { fn: 'exists' as const } }
    expect(withAggregate(l, 'count').aggregate).toEqual({ fn: 'count', op: '>=', value: 1 })
    expect(withAggregate(l, 'sum', 'amount').aggregate).toEqual({
      fn: 'sum',
      field: 'amount',
      op: '>=',
      value: 1,
    })
    expect(withAggregate(withAggregate(l, 'sum', 'amount'), 'not exists').aggregate).toEqual({
      fn: 'not exists',
    })
  })

  it('maps an issue path to the node it is about', () => {
    expect(issueNodePath(['children', 1, 'where', 'field'])).toEqual([1, 'where'])
    expect(issueNodePath(['children', 0, 'children', 2, 'value'])).toEqual([0, 2])
    expect(issueNodePath(['field'])).toEqual([])
  })

  it('offers only operators the rule language has', () => {
    for (const ops of Object.values(OPERATORS_BY_TYPE)) for (const op of ops) expect(OPERATORS).toContain(op)
  })
})

describe('round trip of every conformance rule through the editing model', () => {
  for (const c of CONFORMANCE_CASES) {
    it(c.name, () => {
      const before = JSON.stringify(c.rule)
      let rule = c.rule
      // Every node replaced by itself, as an edit that changes nothing does: same JSON, key order included.
      for (const path of allPaths(rule)) rule = updateAt(rule, path, (n) => ({ ...n }))
      expect(JSON.stringify(rule)).toBe(before)
      expect(JSON.stringify(c.rule)).toBe(before)
    })
  }
})
