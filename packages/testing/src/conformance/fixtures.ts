import { PROFILE_FIELDS } from '../generator/profiles'

/** The evaluation time of the conformance data set and of every case without its own `asOf`. */
export const CONFORMANCE_AS_OF = new Date('2026-11-01T00:00:00Z')

/** Size and seed of the generated conformance data set. */
export const CONFORMANCE_DATA = { profiles: 2000, purchases: 20_000, seed: 42 } as const

/**
 * Profiles added to the generated ones, holding values that engines are known to treat differently:
 * quotes, LIKE wildcards, backslashes, empty strings, non-ASCII case pairs, NULL booleans.
 */
export const TRICKY_PROFILES: Record<string, string | null>[] = [
  { profile_id: 'x0000001', first_name: 'Seán', last_name: "O'Brien", city: 'Saint-Étienne', country: 'FR' },
  { profile_id: 'x0000002', first_name: '100%', last_name: 'under_score', city: 'Lyon', country: 'FR' },
  { profile_id: 'x0000003', first_name: 'Back', last_name: 'back\\slash', city: '', country: 'BE' },
  { profile_id: 'x0000004', first_name: '', last_name: 'ÉLODIE', city: 'ÉCOLE', country: 'FR' },
  { profile_id: 'x0000005', first_name: 'Dq', last_name: 'quote"double', city: 'Zürich', country: 'DE' },
  { profile_id: 'x0000006', first_name: 'Pct', last_name: '50%_off', city: ' Paris ', country: 'FR' },
  {
    profile_id: 'x0000007',
    first_name: 'Ωmega',
    last_name: 'Ørsted',
    city: 'Århus',
    country: 'NL',
    crm_id: '',
  },
].map((p, i) => ({
  email: `tricky${i + 1}@example.com`,
  phone: null,
  crm_id: null,
  birth_date: `19${70 + i}-0${(i % 9) + 1}-1${i}`,
  gender: i % 2 === 0 ? null : 'x',
  loyalty_tier: 'platinum',
  marketing_consent: i % 3 === 0 ? null : 'true',
  created_at: `2026-10-2${i} 12:00:00`,
  updated_at: `2026-10-2${i} 12:00:00`,
  ...p,
}))

/** The tricky profiles as CSV lines (no header) in the column order of the profiles file. */
export function trickyProfilesCsv(): string {
  const cell = (v: string | null | undefined) =>
    v === null || v === undefined ? '' : `"${v.replaceAll('"', '""')}"`
  return `${TRICKY_PROFILES.map((p) => PROFILE_FIELDS.map((f) => cell(p[f])).join(',')).join('\n')}\n`
}

/** Members of the audience `vip` used by membership cases: every 7th generated profile plus one tricky one. */
export function vipMembers(profileIds: string[]): string[] {
  return [...profileIds.filter((_, i) => i % 7 === 3), 'x0000004']
}
