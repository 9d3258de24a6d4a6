import type { DialectName } from '../context'
import { clickhouse } from './clickhouse'
import type { Dialect } from './dialect'
import { duckdb } from './duckdb'
import { postgres } from './postgres'

export type { Dialect } from './dialect'

const DIALECTS: Record<DialectName, Dialect> = { duckdb, postgres, clickhouse }

/** The dialect hooks of an engine. */
export function dialectFor(name: DialectName): Dialect {
  return DIALECTS[name]
}
