import { AppError } from './errors'

/** Identifiers (org, table, field, relationship names) that may reach SQL as quoted identifiers. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]{0,62}$/

export function isIdentifier(name: string): boolean {
  return IDENTIFIER_PATTERN.test(name)
}

/** Throws INVALID_IDENTIFIER unless `name` is a schema-safe identifier. */
export function assertIdentifier(name: string, what = 'name'): string {
  if (!isIdentifier(name)) {
    throw new AppError(
      'INVALID_IDENTIFIER',
      `Invalid ${what} "${name.slice(0, 80)}": use lower-case letters, digits and _ (start with a letter, at most 63 characters)`,
      { details: { name: name.slice(0, 200), what } },
    )
  }
  return name
}

/** A sortable, unique id with a readable prefix, e.g. `b_01j9...`. */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0')
  const rand = crypto.getRandomValues(new Uint8Array(8))
  let tail = ''
  for (const b of rand) tail += b.toString(36).padStart(2, '0')
  return `${prefix}_${time}${tail}`
}
