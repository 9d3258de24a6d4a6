import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { normalisePhone, phoneMetadata } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDBEngine } from '../duckdb/duckdb-engine'
import { normalisePhonePairs } from './phone-sql'

interface Vector {
  namespace: string
  input: string
  defaultCountry?: string
}

const vectors = (
  JSON.parse(
    readFileSync(
      fileURLToPath(new URL('../../../core/src/identity/test-vectors.json', import.meta.url)),
      'utf8',
    ),
  ) as Vector[]
).filter((v) => v.namespace === 'phone')

const examples = createRequire(import.meta.url)('libphonenumber-js/examples.mobile.json') as Record<
  string,
  string
>

const DEMO = ['FR', 'DE', 'GB', 'US', 'ES', 'IT', 'NL', 'BE']
const PUNCTUATION = [' ', ' ', '-', '.', '/', '(', ')']

/** A deterministic stream of phone numbers shaped like real input: valid, nearly valid and broken ones. */
export function phoneSample(size: number, seed = 1): { raw: string; country: string }[] {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!
  const { plans } = phoneMetadata()
  const all = [...plans.keys()]
  const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('')
  const punctuate = (s: string) =>
    [...s].map((ch, i) => (i > 0 && next() < 0.25 ? pick(PUNCTUATION) + ch : ch)).join('')
  const out: { raw: string; country: string }[] = []
  while (out.length < size) {
    const home = next() < 0.7 ? pick(DEMO) : pick(all)
    const plan = plans.get(home)!
    const example = examples[home]
    // A national significant number: the country's example with some digits replaced, or random digits.
    let nsn: string
    if (example && next() < 0.8) {
      const keep = Math.max(1, example.length - 1 - int(Math.min(7, example.length)))
      nsn = example.slice(0, keep) + digits(example.length - keep + (next() < 0.1 ? int(3) - 1 : 0))
    } else nsn = digits(4 + int(10))
    const prefix = plan.nationalPrefixForParsing && /^\d+$/.test(plan.nationalPrefixForParsing)
    const roll = next()
    let raw: string
    if (roll < 0.4) raw = `+${plan.callingCode}${nsn}`
    else if (roll < 0.5) raw = `00${plan.callingCode}${nsn}`
    else if (roll < 0.55) raw = `+${plan.callingCode} (0)${nsn}`
    else if (roll < 0.8) raw = prefix ? `${plan.nationalPrefixForParsing}${nsn}` : nsn
    else if (roll < 0.9) raw = nsn
    else if (roll < 0.93) raw = `${plan.callingCode}${nsn}`
    else if (roll < 0.95) raw = `+${digits(1 + int(3))}${nsn}`
    else raw = digits(1 + int(16))
    if (next() < 0.5) raw = raw.startsWith('+') ? `+${punctuate(raw.slice(1))}` : punctuate(raw)
    const noise = next()
    if (noise < 0.01) raw = `${raw}x`
    else if (noise < 0.02) raw = `${raw.slice(0, 2)}+${raw.slice(2)}`
    else if (noise < 0.025) raw = `${raw}\u00a05`
    else if (noise < 0.03) raw = `+${raw}`
    const country = next() < 0.85 ? home : pick(['', 'UK', pick(all), pick(DEMO)])
    out.push({ raw, country })
  }
  return out
}

async function both(engine: DuckDBEngine, pairs: { raw: string; country: string }[]) {
  // Temp tables live in one session.
  const { counts, rows } = await engine.withSession(async (s) => {
    await s.run('CREATE TEMP TABLE _pairs (raw VARCHAR, country VARCHAR)')
    await s.appendTextColumns('_pairs', [pairs.map((p) => p.raw), pairs.map((p) => p.country)], {
      temp: true,
    })
    const counts = await normalisePhonePairs(s, 'SELECT DISTINCT raw, country FROM _pairs', '_phones')
    const rows = await s.query<{ raw: string; country: string; e164: string | null }>(
      'SELECT _raw_in AS raw, _country_in AS country, _e164 AS e164 FROM _phones',
    )
    await s.run('DROP TABLE _pairs')
    await s.run('DROP TABLE _phones')
    return { counts, rows }
  })
  const mismatches = rows.flatMap((r) => {
    const js = normalisePhone(r.raw, r.country || undefined)
    const expected = js.ok ? js.value : null
    return expected === r.e164 ? [] : [{ ...r, expected }]
  })
  return { counts, rows, mismatches }
}

// SQL is only an accelerator: every answer must be the TypeScript normaliser's (the reference).
describe('phone normalisation in SQL agrees with normalisePhone', () => {
  let engine: DuckDBEngine
  beforeAll(async () => {
    engine = await DuckDBEngine.open({ path: ':memory:' })
  })
  afterAll(() => engine.close())

  it('on the published vectors', async () => {
    const pairs = vectors.map((v) => ({
      raw: v.input.trim(),
      country: (v.defaultCountry ?? '').toUpperCase(),
    }))
    const { rows, mismatches } = await both(engine, pairs)
    expect(rows.length).toBe(new Set(pairs.map((p) => `${p.raw}\u0000${p.country}`)).size)
    expect(mismatches).toEqual([])
  })

  it('on 100 000 generated numbers, deciding nearly all of them in SQL', async () => {
    const { counts, rows, mismatches } = await both(engine, phoneSample(100_000))
    expect(mismatches.slice(0, 20)).toEqual([])
    expect(rows.filter((r) => r.e164 !== null).length).toBeGreaterThan(rows.length / 4)
    // The sample over-represents the shapes left to JavaScript (national numbers starting with the calling code, NBSP).
    expect(counts.js).toBeLessThan(rows.length / 10)
  }, 120_000)

  it('on every country example, in international and national form', async () => {
    const pairs = Object.entries(examples).flatMap(([country, nsn]) => {
      const plan = phoneMetadata().plans.get(country)!
      return [
        { raw: `+${plan.callingCode}${nsn}`, country: '' },
        { raw: nsn, country },
        { raw: `${plan.nationalPrefixForParsing ?? ''}${nsn}`, country },
      ]
    })
    const { rows, mismatches } = await both(engine, pairs)
    expect(mismatches).toEqual([])
    expect(rows.filter((r) => r.e164 !== null).length).toBeGreaterThan(pairs.length / 2)
  })

  it('with no number at all (a column left empty), and with only numbers of no known code', async () => {
    expect(await both(engine, [])).toMatchObject({ counts: { sql: 0, js: 0 }, rows: [], mismatches: [] })
    const odd = await both(engine, [
      { raw: '+999 123 456', country: '' },
      { raw: '12', country: 'ZZ' },
    ])
    expect(odd.mismatches).toEqual([])
    expect(odd.rows.map((r) => r.e164)).toEqual([null, null])
  })

  it('as libphonenumber on edge shapes: spaces at either end, tabs, control characters, a bare +', async () => {
    const raws = [
      ' +33 6 12 34 56 78',
      '+33 6 12 34 56 78 ',
      '06 12 34 56 78',
      '06\t12 34 56 78',
      '+33612345678\u0007',
      '+',
      '++33612345678',
      '0033612345678',
      '+33(0)612345678',
      '+33-6-12-34-56-78',
      '+330612345678',
    ]
    const { rows, mismatches } = await both(
      engine,
      raws.map((raw) => ({ raw, country: 'FR' })),
    )
    expect(rows).toHaveLength(raws.length)
    expect(mismatches).toEqual([])
    expect(rows.filter((r) => r.e164 === '+33612345678').length).toBeGreaterThan(3)
  })
})
