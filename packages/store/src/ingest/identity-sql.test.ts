import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type FieldDef, isBuiltInNamespace, normaliseIdentity } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDBEngine } from '../duckdb/duckdb-engine'
import { normalisedIdentitySql, SqlBuilder, trimmedSql } from './checks'

interface Vector {
  namespace: string
  profile?: string
  input: string
  defaultCountry?: string
  expected?: string
  invalid?: boolean
}

const vectors = (
  JSON.parse(
    readFileSync(
      fileURLToPath(new URL('../../../core/src/identity/test-vectors.json', import.meta.url)),
      'utf8',
    ),
  ) as Vector[]
)
  // Phones are normalised by the TypeScript normaliser itself during ingestion (phones.ts), so only the
  // rules written in SQL need this check.
  .filter((v) => !v.profile && isBuiltInNamespace(v.namespace) && v.namespace !== 'phone')

// Ingestion normalises identities in SQL; it must agree with the published TypeScript normalisers.
describe('identity normalisation in SQL agrees with the published vectors', () => {
  let engine: DuckDBEngine
  beforeAll(async () => {
    engine = await DuckDBEngine.open({ path: ':memory:' })
  })
  afterAll(() => engine.close())

  it('has vectors for every built-in namespace', () => {
    expect(new Set(vectors.map((v) => v.namespace)).size).toBeGreaterThanOrEqual(5)
  })

  for (const v of vectors) {
    it(`${v.namespace} ${JSON.stringify(v.input)}${v.defaultCountry ? ` (${v.defaultCountry})` : ''}`, async () => {
      const def: FieldDef = {
        type: 'string',
        identity: {
          namespace: v.namespace,
          ...(v.defaultCountry ? { defaultCountry: v.defaultCountry } : {}),
        },
      }
      const b = new SqlBuilder()
      const input = b.bind(v.input)
      const expr = normalisedIdentitySql(trimmedSql('value'), def)
      const rows = await engine.query<{ n: string | null }>(
        `SELECT ${expr} AS n FROM (SELECT ${input}::VARCHAR AS value)`,
        b.params,
      )
      const js = normaliseIdentity(v.namespace, v.input, { defaultCountry: v.defaultCountry })
      const sql = rows[0]?.n ?? null
      expect(sql).toBe(js.ok ? js.value : null)
      expect(sql).toBe(v.invalid ? null : (v.expected ?? null))
    })
  }
})
