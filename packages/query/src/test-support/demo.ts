import { type EngineName, parseSchemaText, type TableDef } from '@ahub/core'
import { DEMO_SCHEMA_YAML } from '@ahub/testing'
import type { CompileContext } from '../context'

/** The demo schema's tables, as the compiler sees them. */
export const DEMO_TABLES: Record<string, TableDef> = parseSchemaText(DEMO_SCHEMA_YAML).tables

/** A compile context over the demo schema, evaluated at a fixed time. */
export function demoContext(
  dialect: EngineName = 'duckdb',
  extra: Partial<CompileContext> = {},
): CompileContext {
  return {
    dialect,
    tables: DEMO_TABLES,
    dimension: 'profiles',
    asOf: new Date('2026-03-15T10:30:00Z'),
    namespace: 'org_demo',
    ...extra,
  }
}
