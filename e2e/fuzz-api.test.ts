import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeErrors, type FuzzTarget, runFuzz, startFuzzTarget } from './support/fuzz-api'

/**
 * fast-check over rule JSON, expressions, campaign definitions and upload parameters through the
 * HTTP API, with a fixed seed: no answer may be a 5xx. `npm run fuzz` runs longer (FUZZ_RUNS,
 * FUZZ_SEED).
 */
describe('fuzzing the HTTP API (fixed seed)', () => {
  let target: FuzzTarget
  beforeAll(async () => {
    target = await startFuzzTarget()
  })
  afterAll(async () => target?.close())

  it('answers every generated request and every known bad shape without a 5xx', async () => {
    const result = await runFuzz(target, { runs: 60, seed: 20_261_203 })
    expect(result.requests).toBeGreaterThan(500)
    expect(result.errors, describeErrors(result)).toEqual([])
  }, 300_000)
})
