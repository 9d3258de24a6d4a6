import type { EngineName } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TRICKY_PROFILES } from './fixtures'
import { type ConformanceSetup, memberKeys, openConformanceEngines } from './harness'

/** Hand-written SQL per dialect for a few questions: proves the three loads hold the same data. */
const QUESTIONS: { name: string; sql: Record<EngineName, string>; params: (string | number)[] }[] = [
  {
    name: 'FR profiles with a purchase since a date',
    sql: {
      duckdb: `SELECT profile_id FROM NS.profiles WHERE country = $1 AND profile_id IN
        (SELECT profile_id FROM NS.purchases WHERE purchased_at >= $2::TIMESTAMP)`,
      postgres: `SELECT profile_id FROM NS.profiles WHERE country = $1 AND profile_id IN
        (SELECT profile_id FROM NS.purchases WHERE purchased_at >= $2::timestamp)`,
      clickhouse: `SELECT profile_id FROM NS.profiles WHERE country = {p1:String} AND profile_id IN
        (SELECT profile_id FROM NS.purchases WHERE purchased_at >= {p2:DateTime64(3)})`,
    },
    params: ['FR', '2026-10-02 00:00:00.000'],
  },
  {
    name: 'profiles with a quote, a percent sign or a backslash in a name',
    sql: {
      duckdb: `SELECT profile_id FROM NS.profiles WHERE strpos(last_name, $1) > 0 OR strpos(first_name, $2) > 0
        OR strpos(last_name, $3) > 0`,
      postgres: `SELECT profile_id FROM NS.profiles WHERE strpos(last_name, $1) > 0 OR strpos(first_name, $2) > 0
        OR strpos(last_name, $3) > 0`,
      clickhouse: `SELECT profile_id FROM NS.profiles WHERE position(last_name, {p1:String}) > 0
        OR position(first_name, {p2:String}) > 0 OR position(last_name, {p3:String}) > 0`,
    },
    params: ["'", '%', '\\'],
  },
  {
    name: 'spend over 365 days above a threshold',
    sql: {
      duckdb: `SELECT profile_id FROM NS.purchases WHERE purchased_at >= $1::TIMESTAMP
        GROUP BY profile_id HAVING sum(amount) > $2`,
      postgres: `SELECT profile_id FROM NS.purchases WHERE purchased_at >= $1::timestamp
        GROUP BY profile_id HAVING sum(amount) > $2`,
      clickhouse: `SELECT profile_id FROM NS.purchases WHERE purchased_at >= {p1:DateTime64(3)}
        GROUP BY profile_id HAVING sum(amount) > {p2:Float64}`,
    },
    params: ['2025-11-01 00:00:00.000', 500],
  },
  {
    name: 'members of the vip audience without a gender, and empty cities',
    sql: {
      duckdb: `SELECT p.profile_id FROM NS.profiles p JOIN NS.aud_vip a ON a.profile_id = p.profile_id
        WHERE p.gender IS NULL UNION ALL SELECT profile_id FROM NS.profiles WHERE city = ''`,
      postgres: `SELECT p.profile_id FROM NS.profiles p JOIN NS.aud_vip a ON a.profile_id = p.profile_id
        WHERE p.gender IS NULL UNION ALL SELECT profile_id FROM NS.profiles WHERE city = ''`,
      clickhouse: `SELECT p.profile_id FROM NS.profiles p JOIN NS.aud_vip a ON a.profile_id = p.profile_id
        WHERE p.gender IS NULL UNION ALL SELECT profile_id FROM NS.profiles WHERE city = ''`,
    },
    params: [],
  },
]

describe('conformance data set', () => {
  let setup: ConformanceSetup
  beforeAll(async () => {
    setup = await openConformanceEngines()
  }, 120_000)
  afterAll(async () => {
    await setup?.close()
  })

  it('loads the generated and the tricky profiles, without the invalid row', () => {
    expect(setup.profiles).toBe(2000 - 1 + TRICKY_PROFILES.length)
  })

  it.each(QUESTIONS)('answers "$name" identically on every engine', async (q) => {
    const answers: Record<string, string[]> = {}
    for (const [kind, engine] of Object.entries(setup.engines)) {
      const sql = q.sql[kind as EngineName].replaceAll('NS.', `"${setup.namespace}".`)
      answers[kind] = await memberKeys(engine, sql, q.params)
    }
    const [first, ...rest] = Object.values(answers)
    expect(first?.length).toBeGreaterThan(0)
    for (const other of rest) expect(other).toEqual(first)
  })

  it('keeps the tricky values byte for byte', async () => {
    for (const engine of Object.values(setup.engines)) {
      const rows = await engine.query<{ last_name: string; city: string; first_name: string }>(
        `SELECT first_name, last_name, city FROM "${setup.namespace}".profiles WHERE profile_id LIKE 'x%' ORDER BY profile_id`,
      )
      expect(rows, engine.kind).toEqual(
        TRICKY_PROFILES.map((p) => ({ first_name: p.first_name, last_name: p.last_name, city: p.city })),
      )
    }
  })
})
