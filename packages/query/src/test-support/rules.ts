/** Representative rules over the demo schema, shared by snapshot and engine tests. */
const cond = (field: string, op: string, extra: Record<string, unknown> = {}) => ({
  kind: 'condition',
  field,
  op,
  ...extra,
})

export const BENCHMARK_RULES = {
  'FR with a purchase in the last 30 days': {
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
  'spent over 500 in 365 days and never bought electronics': {
    kind: 'group',
    op: 'and',
    children: [
      {
        kind: 'link',
        link: 'purchases',
        where: cond('purchased_at', '=', { date: { preset: 'last', n: 365, unit: 'days' } }),
        aggregate: { fn: 'sum', field: 'amount', op: '>', value: 500 },
      },
      {
        kind: 'link',
        link: 'purchases',
        where: cond('category', '=', { value: 'electronics' }),
        aggregate: { fn: 'not exists' },
      },
    ],
  },
} as const

export const SAMPLE_RULES: Record<string, unknown> = {
  ...BENCHMARK_RULES,
  'every operator': {
    kind: 'group',
    op: 'or',
    children: [
      cond('city', '!=', { value: 'Paris' }),
      cond('country', 'in', { values: ['FR', 'DE'] }),
      cond('country', 'not in', { values: ['US'] }),
      cond('gender', 'is empty'),
      cond('birth_date', 'is not empty'),
      cond('email', 'starts with', { value: 'a.' }),
      cond('email', 'does not start with', { value: 'z' }),
      cond('city', 'contains', { value: 'ar' }),
      cond('city', 'does not contain', { value: 'x' }),
      cond('email', 'like', { value: '%@gmail.com' }),
      cond('email', 'not like', { value: 'a\\_%' }),
      cond('birth_date', 'between', { from: '1980-01-01', to: '1989-12-31' }),
      cond('created_at', '>=', { value: '2025-01-01T00:00:00Z' }),
      cond('marketing_consent', '=', { value: true }),
    ],
  },
  'except with audience and count': {
    kind: 'group',
    op: 'except',
    children: [
      { kind: 'link', link: 'purchases', aggregate: { fn: 'count', op: '>=', value: 3 } },
      { kind: 'audience', audience: 'vip' },
      { kind: 'link', link: 'purchases', aggregate: { fn: 'count', op: '<', value: 5 } },
    ],
  },
  'expression condition': {
    kind: 'expression',
    expression:
      "lower(city) = 'paris' and daysBetween(birth_date, now()) > 365 * 30 and count(purchases where amount > 100) >= 1",
  },
  'N-1 path from purchases': cond('profile.country', '=', { value: 'FR' }),
}
