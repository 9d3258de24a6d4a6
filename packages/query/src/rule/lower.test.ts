import { describe, expect, it } from 'vitest'
import { demoContext } from '../test-support/demo'
import { type Core, lower } from './lower'
import { bindRule } from './validate'

const ctx = demoContext()

/** Lowers a rule and renders the core compactly: fields by column, params by value. */
function lowered(rule: unknown): string {
  const { bound, issues } = bindRule(rule, ctx)
  if (bound === undefined) throw new Error(JSON.stringify(issues))
  return show(lower(bound))
}

function show(c: Core): string {
  switch (c.kind) {
    case 'cmp':
      return `${c.field.column} ${c.op} ${JSON.stringify(c.param.value)}`
    case 'in':
      return `${c.field.column} in ${JSON.stringify(c.params.map((p) => p.value))}`
    case 'isNull':
      return `${c.field.column} is null`
    case 'text':
      return `${c.fn}(${c.field.column}, ${JSON.stringify(c.param.value)})`
    case 'not':
      return `not(${show(c.child)})`
    case 'without':
      return `without(${show(c.child)})`
    case 'and':
    case 'or':
      return `${c.kind}(${c.children.map(show).join(', ')})`
    case 'exists': {
      const having = c.having
        ? ` having ${c.having.fn}(${c.having.field?.column ?? '*'}) ${c.having.op} ${c.having.param.value}`
        : ''
      return `${c.negate ? 'not ' : ''}exists ${c.rel.name}[${c.where ? show(c.where) : ''}]${having}`
    }
    case 'audience':
      return `${c.negate ? 'not ' : ''}in ${c.target.table}`
    case 'expr':
      return 'expr'
  }
}

const cond = (field: string, op: string, extra: Record<string, unknown> = {}) => ({
  kind: 'condition',
  field,
  op,
  ...extra,
})

describe('lower', () => {
  it.each([
    [
      cond('birth_date', 'between', { from: '1990-01-01', to: '1999-12-31' }),
      'and(birth_date >= "1990-01-01", birth_date <= "1999-12-31")',
    ],
    [cond('country', 'not in', { values: ['FR', 'DE'] }), 'not(country in ["FR","DE"])'],
    [cond('gender', 'in', { values: ['f', null] }), 'or(gender in ["f"], or(gender is null, gender = ""))'],
    [cond('city', 'is empty'), 'or(city is null, city = "")'],
    [cond('birth_date', 'is not empty'), 'not(birth_date is null)'],
    [cond('city', '=', { value: null }), 'or(city is null, city = "")'],
    [cond('city', '!=', { value: 'Paris' }), 'and(city <> "Paris", city <> "")'],
    [cond('city', 'does not contain', { value: 'ar' }), 'and(not(contains(city, "ar")), city <> "")'],
    [
      cond('email', 'not like', { value: '%@gmail.com' }),
      'and(not(like(email, "%@gmail.com")), email <> "")',
    ],
    [
      cond('created_at', '=', { date: { preset: 'last', n: 30, unit: 'days' } }),
      'and(created_at >= "2026-02-13 10:30:00.000")',
    ],
    [
      cond('created_at', '=', { date: { preset: 'today' } }),
      'and(created_at >= "2026-03-15 00:00:00.000", created_at < "2026-03-16 00:00:00.000")',
    ],
    [
      cond('created_at', '!=', { date: { preset: 'last month' } }),
      'not(and(created_at >= "2026-02-01 00:00:00.000", created_at < "2026-03-01 00:00:00.000"))',
    ],
    [
      cond('birth_date', '=', { date: { preset: 'before', n: 18, unit: 'years' } }),
      'and(birth_date < "2008-03-16")',
    ],
    [
      cond('created_at', '=', { date: { preset: 'this week' } }),
      'and(created_at >= "2026-03-09 00:00:00.000", created_at < "2026-03-16 00:00:00.000")',
    ],
    [
      {
        kind: 'group',
        op: 'except',
        children: [
          cond('country', '=', { value: 'FR' }),
          cond('city', '=', { value: 'Paris' }),
          cond('city', '=', { value: 'Lyon' }),
        ],
      },
      'and(country = "FR", without(or(city = "Paris", city = "Lyon")))',
    ],
    [
      { kind: 'link', link: 'purchases', aggregate: { fn: 'count', op: '>=', value: 2 } },
      'exists purchases[] having count(*) >= 2',
    ],
    [
      { kind: 'link', link: 'purchases', aggregate: { fn: 'count', op: '<', value: 3 } },
      'not exists purchases[] having count(*) >= 3',
    ],
    [
      { kind: 'link', link: 'purchases', aggregate: { fn: 'sum', field: 'amount', op: '<=', value: 100 } },
      'not exists purchases[] having sum(amount) > 100',
    ],
    [
      { kind: 'link', link: 'purchases', aggregate: { fn: 'avg', field: 'amount', op: '<=', value: 100 } },
      'exists purchases[] having avg(amount) <= 100',
    ],
    [
      {
        kind: 'link',
        link: 'purchases',
        where: cond('category', '=', { value: 'electronics' }),
        aggregate: { fn: 'not exists' },
      },
      'not exists purchases[category = "electronics"]',
    ],
  ])('%j', (rule, core) => {
    expect(lowered(rule)).toBe(core)
  })

  it('inlines saved filters with their arguments', () => {
    const withFilter = demoContext('duckdb', {
      filters: (name) =>
        name === 'fromCountry'
          ? {
              params: [{ name: 'c', type: 'string', default: 'FR' }],
              rule: cond('country', '=', { value: { param: 'c' } }),
            }
          : undefined,
    })
    const { bound } = bindRule({ kind: 'filter', name: 'fromCountry', params: { c: 'DE' } }, withFilter)
    expect(show(lower(bound!))).toBe('country = "DE"')
    const { bound: byDefault } = bindRule({ kind: 'filter', name: 'fromCountry' }, withFilter)
    expect(show(lower(byDefault!))).toBe('country = "FR"')
  })
})
