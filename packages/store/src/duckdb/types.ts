import { assertNever, type FieldDef } from '@ahub/core'
import { literal } from '../engine'

/** The DuckDB column type that stores a field. */
export function duckdbType(field: FieldDef): string {
  switch (field.type) {
    case 'string':
    case 'enum':
      return 'VARCHAR'
    case 'integer':
      return 'BIGINT'
    case 'number':
      return 'DOUBLE'
    case 'boolean':
      return 'BOOLEAN'
    case 'date':
      return 'DATE'
    case 'timestamp':
      return 'TIMESTAMP'
    default:
      return assertNever(field.type)
  }
}

/**
 * The DuckDB column type a dataset table stores a field in: as `duckdbType`, except that an enum
 * field is a DuckDB ENUM (one byte a value instead of a string: a tenth of the cost to write and
 * scan). Its values are in byte order, so sorting, min and max give what they give on text.
 */
export function duckdbStorageType(field: FieldDef): string {
  if (field.type === 'enum' && (field.values?.length ?? 0) > 0) return enumTypeSql(field.values!)
  return duckdbType(field)
}

/** `ENUM(...)` of the given values, deduplicated and in UTF-8 byte order (the order of VARCHAR). */
export function enumTypeSql(values: Iterable<string>): string {
  const sorted = [...new Set(values)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  return `ENUM(${sorted.map(literal).join(', ')})`
}
