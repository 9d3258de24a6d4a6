import { type EngineName, type FieldDef, isAppError, type TableDef } from '@ahub/core'
import { compileRule, type RuleNode } from '@ahub/query'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseContext } from './compile'
import { type ConformanceSetup, memberKeys, openConformanceEngines } from './harness'
import { evaluateRule, likeMatch, parseTimestamp, type RefRow, type RefValue } from './reference-evaluator'
import { ruleArbitrary } from './rule-arbitrary'

/**
 * The reference evaluator against every engine: the same random rules, the member set computed in
 * memory from docs/rules.md and by each engine from the compiled SQL. `npm test` runs a fast, fixed
 * seed; `npm run test:rules-long` runs AHUB_RULES_RUNS rules (default 2000) with a random seed.
 */
const RUNS = Number(process.env.AHUB_RULES_RUNS ?? 60)
const SEED = process.env.AHUB_RULES_RUNS ? Date.now() : 20261203

/** A stored value as the evaluator holds it, from the engine's text form. */
function fromText(text: string | null, def: FieldDef): RefValue {
  if (text === null) return null
  switch (def.type) {
    case 'integer':
    case 'number':
      return Number(text)
    case 'boolean':
      return text === 'true'
    case 'timestamp':
      return parseTimestamp(text)
    default:
      return text
  }
}

describe('the reference evaluator', () => {
  it('reads like patterns as docs/rules.md says', () => {
    expect(likeMatch('100%', '100\\%')).toBe(true)
    expect(likeMatch('1000', '100\\%')).toBe(false)
    expect(likeMatch('back\\slash', 'back\\\\slash')).toBe(true)
    expect(likeMatch('Ørsted', '_rsted')).toBe(true)
    expect(likeMatch('a\nb', 'a%b')).toBe(true)
  })
})

describe('rules: the reference evaluator and every engine select the same members', () => {
  let setup: ConformanceSetup
  const data: Record<string, RefRow[]> = {}
  const audiences: Record<string, Set<string>> = {}

  beforeAll(async () => {
    setup = await openConformanceEngines()
    const duck = setup.engines.duckdb!
    const tables: Record<string, TableDef> = setup.tables
    for (const [name, def] of Object.entries(tables)) {
      const rows = await duck.query<Record<string, string | null>>(
        `SELECT CAST(COLUMNS(*) AS VARCHAR) FROM "${setup.namespace}"."${name}"`,
      )
      data[name] = rows.map((r) =>
        Object.fromEntries(Object.entries(def.fields).map(([f, fd]) => [f, fromText(r[f] ?? null, fd)])),
      )
    }
    const vip = await duck.query<{ profile_id: string }>(
      `SELECT profile_id FROM "${setup.namespace}"."aud_vip"`,
    )
    audiences.vip = new Set(vip.map((r) => r.profile_id))
  }, 180_000)
  afterAll(async () => {
    await setup?.close()
  })

  it(`agree on ${RUNS} random rules (seed ${SEED})`, async () => {
    let compared = 0
    let agreed = 0
    let refused = 0
    await fc.assert(
      fc.asyncProperty(ruleArbitrary, async (rule: RuleNode) => {
        // A rule validation refuses (a like pattern with a stray escape) is refused for every engine.
        const refusals = Object.keys(setup.engines).map((dialect) => {
          try {
            compileRule(rule, caseContext(dialect as EngineName, {}, setup))
            return 'compiled'
          } catch (e) {
            if (!isAppError(e)) throw e
            return e.code
          }
        })
        expect(new Set(refusals).size, JSON.stringify(rule)).toBe(1)
        if (refusals[0] !== 'compiled') {
          expect(refusals[0]).toBe('RULE_INVALID')
          refused++
          return
        }
        const expected = [
          ...evaluateRule(rule, {
            tables: setup.tables,
            data,
            dimension: 'profiles',
            asOf: setup.asOf,
            audiences,
          }),
        ].sort()
        for (const [dialect, engine] of Object.entries(setup.engines)) {
          const compiled = compileRule(rule, caseContext(dialect as EngineName, {}, setup))
          const got = await memberKeys(
            engine,
            compiled.sql,
            compiled.params.map((p) => p.value),
          )
          const missing = expected.filter((k) => !got.includes(k)).slice(0, 5)
          const extra = got.filter((k) => !expected.includes(k)).slice(0, 5)
          expect(
            { size: got.length, missing, extra },
            `${dialect} differs from the reference evaluator for ${JSON.stringify(rule)}`,
          ).toEqual({ size: expected.length, missing: [], extra: [] })
        }
        compared++
        agreed++
      }),
      { numRuns: RUNS, seed: SEED },
    )
    expect(agreed).toBe(compared)
    console.info(
      `reference evaluator: ${compared} rules compared on ${Object.keys(setup.engines).join(', ')}, ${agreed} agreed, ${refused} refused by validation on every engine`,
    )
  }, 3_600_000)
})
