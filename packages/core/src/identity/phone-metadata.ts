import { createRequire } from 'node:module'

/**
 * The parts of one country's phone numbering plan (libphonenumber-js `max` metadata) that parsing
 * and validating a number need, so that an engine can run the same rules in SQL.
 */
export interface PhonePlan {
  /** ISO 3166 alpha-2 code. */
  country: string
  /** Country calling code, without `+`. */
  callingCode: string
  /** Position among the countries sharing the calling code; 0 is the code's main country. */
  order: number
  /** International (IDD) prefix pattern, e.g. `00` or `011`. */
  iddPrefix: string
  /** Pattern every national significant number of the country matches. */
  nationalNumberPattern: string
  /** Possible lengths of a national significant number, ascending. */
  possibleLengths: number[]
  /** Pattern of the national prefix (and carrier code) stripped when parsing, if any. */
  nationalPrefixForParsing: string | null
  /** Replacement for the national prefix in `$n` syntax, if any. */
  nationalPrefixTransformRule: string | null
  /** Capturing groups in `nationalPrefixForParsing`. */
  prefixGroups: number
  /** Leading digits that pick this country among those sharing a calling code, if any. */
  leadingDigits: string | null
  /** Number types (mobile, fixed line, toll free, ...): a number is valid when it matches one. Null without types. */
  types: { pattern: string; possibleLengths: number[] }[] | null
}

/** Plans by country, and the countries of each calling code in libphonenumber's order (`001` for non-geographic codes). */
export interface PhoneMetadata {
  plans: Map<string, PhonePlan>
  callingCodes: Map<string, string[]>
}

type RawPlan = [
  string,
  string,
  string,
  number[] | undefined,
  unknown,
  string | undefined,
  unknown,
  string | undefined,
  string | undefined,
  unknown,
  string | undefined,
  ([string, number[]?] | 0 | undefined)[] | undefined,
]

interface RawMetadata {
  country_calling_codes: Record<string, string[]>
  countries: Record<string, RawPlan>
  nonGeographic?: Record<string, unknown>
}

let cached: PhoneMetadata | undefined

/**
 * Compiles libphonenumber-js `max` metadata (the metadata `normalisePhone` uses) into plain plans.
 * Field positions follow libphonenumber-js's own `metadata.js` (format version 4).
 */
export function phoneMetadata(): PhoneMetadata {
  if (cached) return cached
  const raw = createRequire(import.meta.url)('libphonenumber-js/metadata.max.json') as RawMetadata
  const plans = new Map<string, PhonePlan>()
  const callingCodes = new Map<string, string[]>()
  for (const [code, countries] of Object.entries(raw.country_calling_codes)) {
    callingCodes.set(code, countries)
    countries.forEach((country, order) => {
      const m = raw.countries[country]
      if (!m) return
      const nationalPrefix = m[5] ?? null
      const forParsing = m[7] || nationalPrefix || null
      const lengths = m[3] ?? []
      // libphonenumber lists fixed line first, then mobile; a number is valid when any type matches,
      // so mobile (what customer records mostly hold) is tried first.
      const listed = m[11]
      const types = listed && listed.length > 0 ? [listed[1], listed[0], ...listed.slice(2)] : listed
      plans.set(country, {
        country,
        callingCode: m[0],
        order,
        iddPrefix: m[1],
        nationalNumberPattern: m[2],
        possibleLengths: lengths,
        nationalPrefixForParsing: forParsing,
        nationalPrefixTransformRule: m[8] || null,
        prefixGroups: forParsing ? (new RegExp(`${forParsing}|`).exec('')?.length ?? 1) - 1 : 0,
        leadingDigits: m[10] || null,
        types:
          types && types.length > 0
            ? types.flatMap((t) =>
                Array.isArray(t) && t[0] ? [{ pattern: t[0], possibleLengths: t[1] ?? lengths }] : [],
              )
            : null,
      })
    })
  }
  // Non-geographic calling codes (+800, +882, ...) belong to the pseudo-country 001, which has no plan here.
  for (const code of Object.keys(raw.nonGeographic ?? {}))
    if (!callingCodes.has(code)) callingCodes.set(code, ['001'])
  cached = { plans, callingCodes }
  return cached
}
