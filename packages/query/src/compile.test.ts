import type { EngineName } from '@ahub/core'
import { describe, expect, it } from 'vitest'
import { compileCount, compileDistribution, compileExpression, compileRule } from './compile'
import type { CompileContext } from './context'
import { demoContext } from './test-support/demo'
import { SAMPLE_RULES } from './test-support/rules'

const DIALECTS: EngineName[] = ['duckdb', 'postgres', 'clickhouse']

function ctxFor(dialect: EngineName, rule: string): CompileContext {
  return demoContext(dialect, {
    dimension: rule.includes('from purchases') ? 'purchases' : 'profiles',
    audiences: (id) =>
      id === 'vip' ? { namespace: 'org_demo', table: 'aud_vip', keyColumns: ['profile_id'] } : undefined,
  })
}

describe.each(DIALECTS)('%s SQL', (dialect) => {
  it.each(Object.keys(SAMPLE_RULES))('rule: %s', (name) => {
    expect(compileRule(SAMPLE_RULES[name], ctxFor(dialect, name))).toMatchSnapshot()
  })

  it('count and distribution', () => {
    const ctx = ctxFor(dialect, '')
    const rule = SAMPLE_RULES['FR with a purchase in the last 30 days']
    expect(compileCount(rule, ctx)).toMatchSnapshot()
    expect(compileDistribution(rule, 'loyalty_tier', ctx, 5)).toMatchSnapshot()
    expect(compileDistribution(null, 'city', ctx)).toMatchSnapshot()
  })

  it('expressions', () => {
    const ctx = ctxFor(dialect, '')
    for (const text of [
      "concat(upper(first_name), ' ', substr(last_name, 1, 1), '.')",
      'round(sum(purchases.amount) / 3, 2)',
      'case when marketing_consent then sha256(normaliseEmail(email)) else null end',
      "normalisePhone(phone, '33')",
      "dateAdd('month', 1, truncate('month', created_at))",
      'rowNumber() over (partition by country order by created_at desc)',
    ]) {
      expect(compileExpression(text, ctx).select).toMatchSnapshot(text)
    }
  })
})

describe('compiled SQL', () => {
  it('uses semi-joins for the benchmark questions, never correlated scalar subqueries', () => {
    const fr = compileRule(SAMPLE_RULES['FR with a purchase in the last 30 days'], demoContext('postgres'))
    expect(fr.sql).toBe(
      'SELECT "t0"."profile_id" AS "profile_id" FROM "org_demo"."profiles" AS "t0" WHERE (("t0"."country" = $1::text) AND (EXISTS (SELECT 1 FROM "org_demo"."purchases" AS "t1" WHERE ("t1"."purchased_at" >= $2::timestamp) AND ("t1"."profile_id" = "t0"."profile_id"))))',
    )
    expect(fr.params).toEqual([
      { value: 'FR', type: 'string' },
      { value: '2026-02-13 10:30:00.000', type: 'timestamp' },
    ])
    const ch = compileRule(
      SAMPLE_RULES['spent over 500 in 365 days and never bought electronics'],
      demoContext('clickhouse'),
    )
    expect(ch.sql).toContain(
      '`t0`.`profile_id` IN (SELECT `t1`.`profile_id` FROM `org_demo`.`purchases` AS `t1` WHERE',
    )
    expect(ch.sql).toContain('GROUP BY `t1`.`profile_id` HAVING (sum(`t1`.`amount`) > {p2:Float64})')
    expect(ch.sql).toContain('`t0`.`profile_id` NOT IN (SELECT `t2`.`profile_id`')
  })

  it('uses tuples for composite keys', () => {
    const ctx = demoContext('clickhouse', {
      audiences: () => ({
        namespace: 'org_demo',
        table: 'aud_links',
        keyColumns: ['visitor_id', 'profile_id'],
      }),
      dimension: 'visitor_links',
    })
    expect(compileRule({ kind: 'audience', audience: 'x' }, ctx).sql).toContain(
      '((`t0`.`visitor_id`, `t0`.`profile_id`) IN (SELECT `t1`.`visitor_id`, `t1`.`profile_id` FROM `org_demo`.`aud_links` AS `t1`))',
    )
  })
})
