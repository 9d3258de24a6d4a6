import { AppError } from '@ahub/core'
import { describe, expect, it } from 'vitest'
import { compileRule } from '../compile'
import type { AudienceTarget, SavedFilter } from '../context'
import { demoContext } from '../test-support/demo'
import { checkJsonDepth, validateRule } from './validate'

const AUDIENCES: Record<string, AudienceTarget> = {
  vip: { namespace: 'org_demo', table: 'aud_vip', keyColumns: ['profile_id'], dependsOn: [] },
  loyal: {
    namespace: 'org_demo',
    table: 'aud_loyal',
    keyColumns: ['profile_id'],
    dependsOn: ['vip', 'self'],
  },
  self: { namespace: 'org_demo', table: 'aud_self', keyColumns: ['profile_id'], dependsOn: ['loyal'] },
}
const FILTERS: Record<string, SavedFilter> = {
  bigSpender: {
    params: [
      { name: 'minAmount', type: 'number' },
      { name: 'days', type: 'integer', default: 365 },
    ],
    rule: {
      kind: 'link',
      link: 'purchases',
      aggregate: { fn: 'sum', field: 'amount', op: '>=', value: { param: 'minAmount' } },
    },
  },
  loopA: { params: [], rule: { kind: 'filter', name: 'loopB' } },
  loopB: { params: [], rule: { kind: 'filter', name: 'loopA' } },
  broken: { params: [], rule: { kind: 'condition', field: 'nope', op: '=', value: 1 } },
}

const ctx = demoContext('duckdb', {
  audiences: (id) => (Object.hasOwn(AUDIENCES, id) ? AUDIENCES[id] : undefined),
  filters: (name) => (Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined),
  selfAudience: 'self',
})

const cond = (field: string, op: string, extra: Record<string, unknown> = {}) => ({
  kind: 'condition',
  field,
  op,
  ...extra,
})
const codes = (rule: unknown) => validateRule(rule, ctx).map((i) => i.code)

describe('validateRule', () => {
  it('accepts the benchmark rules', () => {
    expect(
      validateRule(
        {
          kind: 'group',
          op: 'and',
          children: [
            cond('country', '=', { value: 'FR' }),
            {
              kind: 'link',
              link: 'purchases',
              where: cond('purchased_at', '=', { date: { preset: 'last', n: 30, unit: 'days' } }),
              aggregate: { fn: 'exists' },
            },
          ],
        },
        ctx,
      ),
    ).toEqual([])
  })

  it('reports every issue at once, each with its path', () => {
    const issues = validateRule(
      {
        kind: 'group',
        op: 'and',
        children: [
          cond('nope', '=', { value: 'x' }),
          cond('birth_date', 'contains', { value: 'x' }),
          {
            kind: 'group',
            op: 'or',
            children: [
              cond('created_at', '>', { value: 'yesterday-ish' }),
              cond('country', 'is', { value: 'FR' }),
            ],
          },
          { kind: 'link', link: 'country', aggregate: { fn: 'exists' } },
          { kind: 'audience', audience: 'ghost' },
          { kind: 'filter', name: 'missing' },
          { kind: 'expression', expression: 'frobnicate(1) = 1' },
        ],
      },
      ctx,
    )
    expect(issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['RULE_UNKNOWN_FIELD', 'children.0.field'],
      ['RULE_TYPE_MISMATCH', 'children.1.op'],
      ['RULE_BAD_DATE', 'children.2.children.0.value'],
      ['RULE_BAD_OPERATOR', 'children.2.children.1.op'],
      ['RULE_NOT_A_LINK', 'children.3.link'],
      ['RULE_UNKNOWN_AUDIENCE', 'children.4.audience'],
      ['RULE_UNKNOWN_FILTER', 'children.5.name'],
      ['EXPR_UNKNOWN_FUNCTION', 'children.6.expression'],
    ])
  })

  it.each([
    ['condition on a link name', cond('purchases', '=', { value: 1 }), 'RULE_UNKNOWN_FIELD'],
    [
      'number compared with a string',
      { kind: 'link', link: 'purchases', aggregate: { fn: 'count', op: '>', value: 'many' } },
      'RULE_TYPE_MISMATCH',
    ],
    ['integer value for a string', cond('city', '=', { value: 3 }), 'RULE_TYPE_MISMATCH'],
    ['string for a boolean', cond('marketing_consent', '=', { value: 'yes' }), 'RULE_TYPE_MISMATCH'],
    ['enum value not in the list', cond('country', '=', { value: 'XX' }), 'RULE_TYPE_MISMATCH'],
    ['ordering on an enum', cond('country', '>', { value: 'FR' }), 'RULE_TYPE_MISMATCH'],
    ['missing value', cond('city', '='), 'RULE_BAD_OPERATOR'],
    ['in without values', cond('city', 'in', { values: [] }), 'RULE_BAD_OPERATOR'],
    ['between without to', cond('birth_date', 'between', { from: '2000-01-01' }), 'RULE_BAD_OPERATOR'],
    ['impossible date', cond('birth_date', '=', { value: '2026-02-30' }), 'RULE_BAD_DATE'],
    ['relative date on a string', cond('city', '=', { date: { preset: 'today' } }), 'RULE_TYPE_MISMATCH'],
    ['relative date with >', cond('created_at', '>', { date: { preset: 'today' } }), 'RULE_BAD_OPERATOR'],
    ['unknown preset', cond('created_at', '=', { date: { preset: 'someday' } }), 'RULE_MALFORMED'],
    ['path across a 1-N link', cond('purchases.amount', '>', { value: 1 }), 'RULE_NOT_A_LINK'],
    ['unknown key', { kind: 'condition', field: 'city', op: '=', value: 'x', extra: 1 }, 'RULE_MALFORMED'],
    ['unknown kind', { kind: 'magic' }, 'RULE_MALFORMED'],
    ['not an object', 42, 'RULE_MALFORMED'],
    ['empty group', { kind: 'group', op: 'and', children: [] }, 'RULE_MALFORMED'],
    [
      'unknown group op',
      { kind: 'group', op: 'xor', children: [cond('city', 'is empty')] },
      'RULE_BAD_OPERATOR',
    ],
    [
      'aggregate on a field',
      { kind: 'link', link: 'city', aggregate: { fn: 'count', op: '>', value: 1 } },
      'RULE_NOT_A_LINK',
    ],
    [
      'sum of a string',
      { kind: 'link', link: 'purchases', aggregate: { fn: 'sum', field: 'currency', op: '>', value: 1 } },
      'RULE_TYPE_MISMATCH',
    ],
    [
      'sum without op',
      { kind: 'link', link: 'purchases', aggregate: { fn: 'sum', field: 'amount' } },
      'RULE_BAD_OPERATOR',
    ],
    [
      'unknown aggregate',
      { kind: 'link', link: 'purchases', aggregate: { fn: 'median', field: 'amount' } },
      'RULE_BAD_OPERATOR',
    ],
    [
      'unknown link field',
      { kind: 'link', link: 'purchases', aggregate: { fn: 'max', field: 'nope', op: '>', value: 1 } },
      'RULE_UNKNOWN_FIELD',
    ],
    ['circular audience', { kind: 'audience', audience: 'loyal' }, 'RULE_CIRCULAR_AUDIENCE'],
    ['itself', { kind: 'audience', audience: 'self' }, 'RULE_CIRCULAR_AUDIENCE'],
    ['unknown filter', { kind: 'filter', name: 'nope' }, 'RULE_UNKNOWN_FILTER'],
    ['circular filter', { kind: 'filter', name: 'loopA' }, 'RULE_CIRCULAR_FILTER'],
    ['missing filter param', { kind: 'filter', name: 'bigSpender' }, 'RULE_FILTER_PARAM'],
    [
      'unknown filter param',
      { kind: 'filter', name: 'bigSpender', params: { minAmount: 1, foo: 2 } },
      'RULE_FILTER_PARAM',
    ],
    [
      'filter param of the wrong type',
      { kind: 'filter', name: 'bigSpender', params: { minAmount: 'lots' } },
      'RULE_FILTER_PARAM',
    ],
    ['param outside a filter', cond('city', '=', { value: { param: 'x' } }), 'RULE_FILTER_PARAM'],
    ['bad rule inside a filter', { kind: 'filter', name: 'broken' }, 'RULE_UNKNOWN_FIELD'],
    ['expression parse error', { kind: 'expression', expression: 'a +' }, 'EXPR_PARSE'],
    ['expression type error', { kind: 'expression', expression: 'city + 1 > 2' }, 'EXPR_TYPE'],
    ['non-boolean expression', { kind: 'expression', expression: 'length(city)' }, 'EXPR_TYPE'],
    [
      'window function in a condition',
      { kind: 'expression', expression: 'rank() over (order by city) = 1' },
      'EXPR_TYPE',
    ],
    ['unknown field in an expression', { kind: 'expression', expression: 'nope = 1' }, 'RULE_UNKNOWN_FIELD'],
    [
      'bad date literal in an expression',
      { kind: 'expression', expression: "birth_date > date'2020-13-01'" },
      'RULE_BAD_DATE',
    ],
  ])('%s', (_name, rule, code) => {
    expect(codes(rule)).toEqual([code])
  })

  it('gives line and column of expression problems', () => {
    expect(
      validateRule({ kind: 'expression', expression: "city = 'x' and\n  length(city) > 'a'" }, ctx),
    ).toEqual([expect.objectContaining({ path: ['expression'], code: 'EXPR_TYPE', line: 2, column: 16 })])
  })

  it('inlines saved filters with their parameters and defaults', () => {
    expect(validateRule({ kind: 'filter', name: 'bigSpender', params: { minAmount: 100 } }, ctx)).toEqual([])
  })

  it('refuses 10 000 nested groups with a code, without recursion', () => {
    let rule: unknown = cond('city', 'is empty')
    for (let i = 0; i < 10_000; i++) rule = { kind: 'group', op: 'and', children: [rule] }
    const issues = validateRule(rule, ctx)
    expect(issues.map((i) => i.code)).toEqual(['RULE_TOO_DEEP'])
    expect(() => compileRule(rule, ctx)).toThrow(AppError)
  })

  it('accepts 40 nested groups', () => {
    let rule: unknown = cond('city', 'is empty')
    for (let i = 0; i < 40; i++) rule = { kind: 'group', op: i % 2 ? 'and' : 'or', children: [rule] }
    expect(validateRule(rule, ctx)).toEqual([])
  })

  it('refuses a 1 MB value and a huge list', () => {
    expect(codes(cond('city', '=', { value: 'x'.repeat(1_000_000) }))).toEqual(['RULE_VALUE_TOO_LARGE'])
    expect(codes(cond('city', 'in', { values: Array.from({ length: 20_000 }, (_, i) => `c${i}`) }))).toEqual([
      'RULE_VALUE_TOO_LARGE',
    ])
  })

  it('treats injection attempts in names as unknown names and in values as data', () => {
    const evil = `city" = '' OR 1=1; DROP TABLE profiles; --`
    expect(codes(cond(evil, '=', { value: 'x' }))).toEqual(['RULE_UNKNOWN_FIELD'])
    expect(codes(cond('__proto__', '=', { value: 'x' }))).toEqual(['RULE_UNKNOWN_FIELD'])
    expect(codes(cond('constructor', '=', { value: 'x' }))).toEqual(['RULE_UNKNOWN_FIELD'])
    expect(codes({ kind: 'link', link: 'toString', aggregate: { fn: 'exists' } })).toEqual([
      'RULE_UNKNOWN_FIELD',
    ])
    expect(codes({ kind: 'audience', audience: "x'); DROP TABLE t; --" })).toEqual(['RULE_UNKNOWN_AUDIENCE'])
    expect(codes({ kind: 'expression', expression: 'city; DROP TABLE profiles' })).toEqual(['EXPR_PARSE'])
    const q = compileRule(cond('city', '=', { value: "x' OR '1'='1" }), ctx)
    expect(q.sql).not.toContain("'1'='1")
    expect(q.params).toEqual([{ value: "x' OR '1'='1", type: 'string' }])
  })

  it('throws RULE_INVALID with the issues when compiling an invalid rule', () => {
    try {
      compileRule(cond('nope', '=', { value: 1 }), ctx)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(AppError)
      expect((e as AppError).code).toBe('RULE_INVALID')
      expect((e as AppError).details).toEqual({
        issues: [
          { path: ['field'], code: 'RULE_UNKNOWN_FIELD', message: 'Unknown field "nope" on profiles' },
        ],
      })
    }
  })
})

describe('the limits docs/rules.md states, each with its code', () => {
  const plain = demoContext('duckdb')
  const cond = (field: string, op: string, extra: Record<string, unknown>) => ({
    kind: 'condition',
    field,
    op,
    ...extra,
  })
  const expr = (expression: string) => ({ kind: 'expression', expression })
  it.each([
    ['like ending with the escape', cond('first_name', 'like', { value: '%\\' }), 'RULE_BAD_PATTERN'],
    ['like of a lone escape', cond('first_name', 'not like', { value: '\\' }), 'RULE_BAD_PATTERN'],
    ['like escaping a letter', cond('first_name', 'like', { value: 'a\\b' }), 'RULE_BAD_PATTERN'],
    ['in of no values', cond('country', 'in', { values: [] }), 'RULE_BAD_OPERATOR'],
    [
      'count compared with a fraction',
      { kind: 'link', link: 'purchases', aggregate: { fn: 'count', op: '>', value: 2.5 } },
      'RULE_TYPE_MISMATCH',
    ],
    [
      'relative date n over 100000',
      cond('created_at', '=', { date: { preset: 'last', n: 100_001, unit: 'days' } }),
      'RULE_VALUE_OUT_OF_RANGE',
    ],
    ['a date before year 100', cond('birth_date', '<', { value: '0099-12-31' }), 'RULE_BAD_DATE'],
    ['a +hh offset', cond('created_at', '<', { value: '2026-01-01T00:00:00+02' }), 'RULE_BAD_DATE'],
    ['% of a number', expr('year(birth_date) % 2.5 = 0'), 'EXPR_TYPE'],
    [
      'dateAdd of more than 10000 years',
      expr("dateAdd('year', 10001, birth_date) > birth_date"),
      'RULE_VALUE_OUT_OF_RANGE',
    ],
    [
      'dateAdd out of any range',
      expr("dateAdd('day', 999999999999, birth_date) > birth_date"),
      'RULE_VALUE_OUT_OF_RANGE',
    ],
    ['substr from 0', expr("substr(first_name, 0) = 'a'"), 'RULE_VALUE_OUT_OF_RANGE'],
    ['substr far away', expr('substr(first_name, 99999999999) = first_name'), 'RULE_VALUE_OUT_OF_RANGE'],
    ['substr of a negative length', expr("substr(first_name, 1, -1) = ''"), 'RULE_VALUE_OUT_OF_RANGE'],
    [
      'integer literal factors over 2^53',
      expr('length(first_name) * 3037000500 * 3037000500 > 0'),
      'RULE_VALUE_OUT_OF_RANGE',
    ],
    ['an expression 101 levels deep', expr(`${'1 + '.repeat(100)}1 > 0`), 'RULE_TOO_DEEP'],
  ])('%s', (_name, rule, code) => {
    expect(validateRule(rule, plain).map((i) => i.code)).toEqual([code])
  })

  it.each([
    ['like with every escape', cond('first_name', 'like', { value: '100\\%\\_\\\\%' })],
    ['dateAdd of 10000 years', expr("dateAdd('year', -10000, birth_date) < birth_date")],
    ['substr of a computed start', expr("substr(first_name, length(last_name) - 3) = 'a'")],
    ['integer literal factors up to 2^53', expr('length(first_name) * 94906265 * 94906265 > 0')],
    ['an expression 100 levels deep', expr(`${'1 + '.repeat(98)}1 > 0`)],
  ])('accepts %s', (_name, rule) => {
    expect(validateRule(rule, plain)).toEqual([])
  })
})

describe('checkJsonDepth (documents embedding rules, such as campaign definitions)', () => {
  it('refuses a document deeper than a rule may nest, without recursion, and leaves sizes alone', () => {
    let deep: unknown = { kind: 'condition', field: 'city', op: 'is empty' }
    for (let i = 0; i < 10_000; i++) deep = { kind: 'group', op: 'and', children: [deep] }
    expect(checkJsonDepth({ activities: [{ options: { rule: deep } }] }).map((i) => i.code)).toEqual([
      'RULE_TOO_DEEP',
    ])
    const long = { activities: [{ options: { html: 'x'.repeat(200_000), values: Array(20_000).fill(1) } }] }
    expect(checkJsonDepth(long)).toEqual([])
  })
})
