import { type EngineName, isAppError } from '@ahub/core'
import { compileRule } from '@ahub/query'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseContext } from './compile'
import { type ConformanceSetup, memberKeys, openConformanceEngines } from './harness'
import { ruleArbitrary } from './rule-arbitrary'

const title = 'random rules'

describe(title, () => {
  const compile = compileRule
  let setup: ConformanceSetup

  beforeAll(async () => {
    setup = await openConformanceEngines()
  }, 120_000)
  afterAll(async () => {
    await setup?.close()
  })

  it('select the same members on every engine', async () => {
    await fc.assert(
      fc.asyncProperty(ruleArbitrary, async (rule) => {
        const answers: [string, string[], string][] = []
        for (const [dialect, engine] of Object.entries(setup.engines)) {
          let compiled: ReturnType<typeof compile>
          try {
            compiled = compile(rule, caseContext(dialect as EngineName, {}, setup))
          } catch (e) {
            // Refused by validation (a like pattern with a stray escape): the same for every engine.
            if (isAppError(e) && e.code === 'RULE_INVALID') return
            throw e
          }
          const keys = await memberKeys(
            engine,
            compiled.sql,
            compiled.params.map((p) => p.value),
          )
          answers.push([dialect, keys, compiled.sql])
        }
        const [reference, expected] = answers[0] as [string, string[], string]
        for (const [dialect, got, sql] of answers.slice(1)) {
          expect(got.length, `${dialect} vs ${reference}\n${sql}`).toBe(expected.length)
          expect(got, `${dialect} vs ${reference}`).toEqual(expected)
        }
      }),
      { numRuns: 50, seed: 20261101 },
    )
  }, 300_000)
})
