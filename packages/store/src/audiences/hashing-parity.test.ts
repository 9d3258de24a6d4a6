import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { getHashingProfile, type HashingProfileName, prepareForDestination } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDBEngine } from '../duckdb/duckdb-engine'
import { hashedSql } from './export'

interface Vector {
  namespace: string
  input: string
  defaultCountry?: string
}

const vectors = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../core/src/identity/test-vectors.json', import.meta.url)),
    'utf8',
  ),
) as Vector[]

let engine: DuckDBEngine

beforeAll(async () => {
  engine = await DuckDBEngine.open({ path: ':memory:' })
})
afterAll(() => engine.close())

// Exports hash in SQL (streamed by COPY); every destination profile must give exactly what the
// identity package gives in JavaScript, for every test vector, valid or not.
describe('hashed exports match the identity package', () => {
  for (const profile of ['generic', 'google', 'meta'] as HashingProfileName[]) {
    for (const namespace of ['email', 'phone']) {
      it(`for ${namespace} with the ${profile} profile`, async () => {
        const cases = vectors.filter((v) => v.namespace === namespace)
        const expr = hashedSql('raw', namespace, getHashingProfile(profile), false, 'country')
        const rows = await engine.withSession(async (s) => {
          await s.run('CREATE TEMP TABLE v (i VARCHAR, raw VARCHAR, country VARCHAR)')
          await s.appendTextColumns(
            'v',
            [
              cases.map((_, i) => String(i)),
              cases.map((c) => c.input),
              cases.map((c) => c.defaultCountry ?? null),
            ],
            { temp: true },
          )
          return s.query<{ h: string | null }>(`SELECT ${expr} AS h FROM v ORDER BY CAST(i AS INTEGER)`)
        })
        const expected = cases.map((c) => {
          const r = prepareForDestination(profile, namespace, c.input, {
            hash: true,
            defaultCountry: c.defaultCountry,
          })
          return r.ok ? r.value : null
        })
        expect(rows.map((r) => r.h)).toEqual(expected)
      })
    }
  }
})
