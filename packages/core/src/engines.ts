/**
 * The engines Audience Hub runs on, by one name everywhere: a store's engine (`Engine.kind`), the
 * SQL dialect a rule compiles to, the engines the conformance suite compares.
 */
export const ENGINES = ['duckdb', 'postgres', 'clickhouse'] as const

export type EngineName = (typeof ENGINES)[number]
