import type { EngineName } from '@ahub/core'
import { clickhouse } from './clickhouse'
import type { Dialect } from './dialect'
import { duckdb } from './duckdb'
import { postgres } from './postgres'

export type { Dialect } from './dialect'

const DIALECTS: Record<EngineName, Dialect> = { duckdb, postgres, clickhouse }

/** The dialect hooks of an engine. */
export function dialectFor(name: EngineName): Dialect {
  return DIALECTS[name]
}
