import type { RuleNode } from '@ahub/query'
import fc from 'fast-check'

const STRING_OPS = [
  '=',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'starts with',
  'does not start with',
  'contains',
  'does not contain',
  'like',
  'not like',
] as const
const ORDER_OPS = ['=', '!=', '>', '<', '>=', '<='] as const
const EMPTY_OPS = ['is empty', 'is not empty'] as const

/** Values that occur in the conformance data set (or are close to it), per field of the profiles table. */
const STRINGS: Record<string, string[]> = {
  city: ['Paris', 'Lyon', 'München', 'Zürich', '', ' Paris ', 'B', 'M', 'a', 'É', '😀', 'ﬀ'],
  last_name: [
    'Ma',
    'M',
    'Schäfer',
    "O'Brien",
    'son',
    '%',
    '_',
    '\\',
    'é',
    'Leroy',
    '50\\%%',
    '%\\_%',
    'back\\\\%',
  ],
  first_name: ['A', 'Marie', 'Léa', '', '100%', 'T'],
  email: ['gmail', '@orange.fr', 'a.', '.fr', 'example'],
  phone: ['+33', '+49', '0'],
}
const ENUMS: Record<string, string[]> = {
  country: ['FR', 'DE', 'GB', 'US', 'ES', 'IT', 'NL', 'BE'],
  loyalty_tier: ['bronze', 'silver', 'gold', 'platinum'],
  gender: ['f', 'm', 'x'],
}
const DATES = ['1960-03-01', '1970-01-01', '1985-06-15', '1992-07-05', '2000-01-01']
const TIMESTAMPS = [
  '2021-01-01T00:00:00Z',
  '2024-06-30T12:00:00Z',
  '2025-10-18T17:43:25Z',
  '2026-10-01T00:00:00Z',
]

const condition = (field: string, op: string, extra: Record<string, unknown>): RuleNode =>
  ({ kind: 'condition', field, op, ...extra }) as RuleNode

const stringCondition = fc.constantFrom(...Object.keys(STRINGS)).chain((field) => {
  const values = fc.constantFrom(...(STRINGS[field] as string[]))
  return fc.oneof(
    fc.tuple(fc.constantFrom(...STRING_OPS), values).map(([op, value]) => condition(field, op, { value })),
    fc.constantFrom(...EMPTY_OPS).map((op) => condition(field, op, {})),
    fc
      .tuple(fc.constantFrom('in', 'not in'), fc.uniqueArray(values, { minLength: 1, maxLength: 3 }))
      .map(([op, vs]) => condition(field, op, { values: vs })),
    fc.tuple(values, values).map((pair) => {
      const [from, to] = pair.sort()
      return condition(field, 'between', { from, to })
    }),
  )
})

const enumCondition = fc.constantFrom(...Object.keys(ENUMS)).chain((field) => {
  const values = fc.constantFrom(...(ENUMS[field] as string[]))
  return fc.oneof(
    fc.tuple(fc.constantFrom('=', '!='), values).map(([op, value]) => condition(field, op, { value })),
    fc.constantFrom(...EMPTY_OPS).map((op) => condition(field, op, {})),
    fc
      .tuple(fc.constantFrom('in', 'not in'), fc.uniqueArray(values, { minLength: 1, maxLength: 3 }))
      .map(([op, vs]) => condition(field, op, { values: vs })),
  )
})

const booleanCondition = fc.oneof(
  fc
    .tuple(fc.constantFrom('=', '!='), fc.boolean())
    .map(([op, value]) => condition('marketing_consent', op, { value })),
  fc.constantFrom(...EMPTY_OPS).map((op) => condition('marketing_consent', op, {})),
)

const relativeDate = fc.oneof(
  fc.record({
    preset: fc.constantFrom('last', 'before', 'next'),
    n: fc.integer({ min: 0, max: 40 }),
    unit: fc.constantFrom('days', 'weeks', 'months', 'years'),
  }),
  fc.record({
    preset: fc.constantFrom(
      'today',
      'yesterday',
      'this week',
      'this month',
      'this year',
      'last week',
      'last month',
      'last year',
    ),
  }),
)

const timeCondition = (field: string, values: string[]) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...ORDER_OPS), fc.constantFrom(...values))
      .map(([op, value]) => condition(field, op, { value })),
    fc.tuple(fc.constantFrom(...values), fc.constantFrom(...values)).map((pair) => {
      const [from, to] = pair.sort()
      return condition(field, 'between', { from, to })
    }),
    relativeDate.map((date) => condition(field, '=', { date })),
  )

const dateCondition = fc.oneof(
  timeCondition('birth_date', DATES),
  timeCondition('created_at', TIMESTAMPS),
  timeCondition('updated_at', TIMESTAMPS),
)

const purchaseCondition: fc.Arbitrary<RuleNode> = fc.oneof(
  fc
    .tuple(fc.constantFrom('=', '!='), fc.constantFrom('books', 'electronics', 'toys', 'grocery'))
    .map(([op, value]) => condition('category', op, { value })),
  fc.constantFrom('web', 'store', 'app').map((value) => condition('channel', '=', { value })),
  fc
    .tuple(fc.constantFrom(...ORDER_OPS), fc.constantFrom(5, 20, 25.91, 100, 300, 0, -1e-300, 1e308))
    .map(([op, value]) => condition('amount', op, { value })),
  timeCondition('purchased_at', TIMESTAMPS),
)

const aggregate = fc.oneof(
  fc.constantFrom({ fn: 'exists' }, { fn: 'not exists' }),
  fc
    .tuple(
      fc.constantFrom(...ORDER_OPS),
      fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(Number.MAX_SAFE_INTEGER)),
    )
    .map(([op, value]) => ({ fn: 'count', op, value })),
  fc
    .tuple(
      fc.constantFrom('sum', 'avg', 'min', 'max'),
      fc.constantFrom(...ORDER_OPS),
      fc.constantFrom(5, 50, 300, 1500, -1e300, 1e300),
    )
    .map(([fn, op, value]) => ({ fn, field: 'amount', op, value })),
)

const purchaseLink: fc.Arbitrary<RuleNode> = fc
  .tuple(aggregate, fc.option(purchaseCondition, { nil: undefined }))
  .map(
    ([agg, where]) =>
      ({ kind: 'link', link: 'purchases', aggregate: agg, ...(where ? { where } : {}) }) as RuleNode,
  )

const leaf: fc.Arbitrary<RuleNode> = fc.oneof(
  { weight: 3, arbitrary: stringCondition },
  { weight: 3, arbitrary: enumCondition },
  { weight: 1, arbitrary: booleanCondition },
  { weight: 2, arbitrary: dateCondition },
  { weight: 2, arbitrary: purchaseLink },
  {
    weight: 1,
    arbitrary: fc.boolean().map((negate) => ({ kind: 'audience', audience: 'vip', negate }) as RuleNode),
  },
)

/** Random rules over the demo schema's profiles, up to two levels of nested groups. */
export const ruleArbitrary: fc.Arbitrary<RuleNode> = fc.letrec<{ node: RuleNode; group: RuleNode }>(
  (tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('group')),
    group: fc
      .tuple(fc.constantFrom('and', 'or', 'except'), fc.array(tie('node'), { minLength: 1, maxLength: 3 }))
      .map(([op, children]) => ({ kind: 'group', op, children }) as RuleNode),
  }),
).node
