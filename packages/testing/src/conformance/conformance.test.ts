import type { EngineName } from '@ahub/core'
import { compileRule } from '@ahub/query'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONFORMANCE_CASES, type ConformanceCase } from './cases'
import { caseContext } from './compile'
import { CONFORMANCE_AS_OF } from './fixtures'
import { type ConformanceSetup, memberKeys, openConformanceEngines } from './harness'

const DIALECTS: EngineName[] = ['duckdb', 'postgres', 'clickhouse']

/** Cases whose printed SQL is pinned per dialect. */
const SNAPSHOT_CASES = [
  'enum in',
  'contains % literally',
  'relative: last 30 days',
  'spend in 365 days > 500',
  'nested and / or / except',
  'in audience',
  'expr lower of non-ASCII',
]

const title = 'conformance suite'

describe(title, () => {
  const compile = compileRule
  let setup: ConformanceSetup
  const totals: Record<string, number> = {}
  const sizes = new Map<string, { size: number; total: number }>()

  beforeAll(async () => {
    setup = await openConformanceEngines()
    const duck = setup.engines.duckdb!
    for (const t of ['profiles', 'purchases', 'visitor_links']) {
      const [row] = await duck.query<{ n: number }>(`SELECT count(*) AS n FROM "${setup.namespace}"."${t}"`)
      totals[t] = row?.n ?? 0
    }
  }, 120_000)
  afterAll(async () => {
    await setup?.close()
  })

  it('has at least 80 uniquely named cases', () => {
    expect(CONFORMANCE_CASES.length).toBeGreaterThanOrEqual(80)
    expect(new Set(CONFORMANCE_CASES.map((k) => k.name)).size).toBe(CONFORMANCE_CASES.length)
  })

  it.each(CONFORMANCE_CASES.map((k) => [k.name, k] as const))('%s', async (_name, kase: ConformanceCase) => {
    const answers: Partial<Record<EngineName, string[]>> = {}
    for (const dialect of DIALECTS) {
      const engine = setup.engines[dialect]
      if (!engine || kase.skip?.[dialect]) continue
      const compiled = compile(kase.rule, caseContext(dialect, kase, setup))
      answers[dialect] = await memberKeys(
        engine,
        compiled.sql,
        compiled.params.map((p) => p.value),
      ).catch((e: Error) => {
        throw new Error(`${dialect}: ${e.message}\n${compiled.sql}`, { cause: e })
      })
    }
    for (const [dialect, got] of Object.entries(answers)) {
      for (const key of kase.includes ?? []) expect(got, `${dialect} includes ${key}`).toContain(key)
      for (const key of kase.excludes ?? []) expect(got, `${dialect} excludes ${key}`).not.toContain(key)
    }
    const ran = Object.entries(answers)
    expect(ran.length, 'at least two engines run each case').toBeGreaterThanOrEqual(2)
    const [reference, expected] = ran[0] as [string, string[]]
    for (const [dialect, got] of ran.slice(1)) {
      const missing = expected.filter((k) => !got.includes(k)).slice(0, 5)
      const extra = got.filter((k) => !expected.includes(k)).slice(0, 5)
      expect(
        { size: got.length, missing, extra },
        `${dialect} differs from ${reference} (${expected.length} members)`,
      ).toEqual({ size: expected.length, missing: [], extra: [] })
    }
    sizes.set(kase.name, { size: expected.length, total: totals[kase.dimension ?? 'profiles'] ?? 0 })
  })

  it('selects a non-trivial set (not none, not all) for most cases', () => {
    const trivial = [...sizes].filter(([, s]) => s.size === 0 || s.size === s.total).map(([n]) => n)
    // Judged over the cases that ran through: a failing case already fails on its own.
    expect(sizes.size).toBeGreaterThan(0)
    expect(trivial.length, `trivial cases: ${trivial.join(', ')}`).toBeLessThanOrEqual(
      Math.floor(sizes.size * 0.1),
    )
  })

  it.each([
    [{ kind: 'condition', field: 'first_name', op: 'like', value: '%\\' }, 'RULE_BAD_PATTERN'],
    [{ kind: 'condition', field: 'first_name', op: 'not like', value: 'A%\\' }, 'RULE_BAD_PATTERN'],
    [
      { kind: 'expression', expression: "dateAdd('day', 999999999999, birth_date) > birth_date" },
      'RULE_VALUE_OUT_OF_RANGE',
    ],
    [
      { kind: 'expression', expression: 'length(first_name) * 3037000500 * 3037000500 > 0' },
      'RULE_VALUE_OUT_OF_RANGE',
    ],
    [
      { kind: 'expression', expression: 'substr(first_name, 99999999999) = first_name' },
      'RULE_VALUE_OUT_OF_RANGE',
    ],
  ])('refuses %j before any engine runs it (%s)', (rule, code) => {
    for (const dialect of DIALECTS) {
      let thrown: unknown
      try {
        compile(rule as ConformanceCase['rule'], caseContext(dialect, {}, setup))
      } catch (e) {
        thrown = e
      }
      expect(thrown, dialect).toMatchObject({
        code: 'RULE_INVALID',
        details: { issues: [expect.objectContaining({ code })] },
      })
    }
  })

  it.each(SNAPSHOT_CASES)('prints the SQL of "%s" for every dialect', (name) => {
    const kase = CONFORMANCE_CASES.find((k) => k.name === name)!
    const fixed = { namespace: 'org_demo', tables: setup.tables, asOf: CONFORMANCE_AS_OF }
    for (const dialect of DIALECTS) {
      const compiled = compile(kase.rule, caseContext(dialect, kase, fixed))
      expect(compiled, dialect).toMatchSnapshot(dialect)
    }
  })
})
