import { assertNever, type FieldDef } from '@ahub/core'

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
