/**
 * `npm run fuzz`: the API fuzzer of e2e/fuzz-api.test.ts, longer. FUZZ_RUNS (default 500, per
 * property weight) and FUZZ_SEED (default: random) choose the run; the seed is printed so a
 * failure can be replayed with FUZZ_SEED.
 */
import { describeErrors, runFuzz, startFuzzTarget } from '../e2e/support/fuzz-api'

const runs = Number(process.env.FUZZ_RUNS ?? 500)
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31)
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  process.stderr.write('FUZZ_RUNS must be a positive integer and FUZZ_SEED an integer\n')
  process.exit(2)
}
process.stdout.write(`fuzzing the HTTP API: FUZZ_RUNS=${runs} FUZZ_SEED=${seed}\n`)
const target = await startFuzzTarget()
const started = Date.now()
try {
  const result = await runFuzz(target, { runs, seed })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (result.errors.length) {
    process.stdout.write(`${describeErrors(result)}\nreplay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs}\n`)
    process.exitCode = 1
  } else {
    process.stdout.write(`${result.requests} requests in ${seconds} s, no response >= 500 (seed ${seed})\n`)
  }
} finally {
  await target.close()
}
