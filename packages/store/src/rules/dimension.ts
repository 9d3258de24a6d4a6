import { AppError, type TableDef } from '@ahub/core'

/**
 * The table (dimension) a rule or an audience is about: the one named, else `profiles`, else the
 * only table; RULE_UNKNOWN_DIMENSION when the name is unknown or the choice is ambiguous.
 * `what` ends the message: "Say which table the rule selects from".
 */
export function pickDimension(
  tables: Record<string, TableDef>,
  wanted: string | undefined,
  what = 'the rule selects from',
): string {
  const names = Object.keys(tables)
  if (wanted !== undefined) {
    if (!Object.hasOwn(tables, wanted))
      throw new AppError('RULE_UNKNOWN_DIMENSION', `No table "${wanted}" to select from`, {
        details: { dimension: wanted, tables: names },
      })
    return wanted
  }
  if (Object.hasOwn(tables, 'profiles')) return 'profiles'
  if (names.length === 1) return names[0]!
  throw new AppError('RULE_UNKNOWN_DIMENSION', `Say which table ${what} (dimension)`, {
    details: { tables: names },
  })
}
