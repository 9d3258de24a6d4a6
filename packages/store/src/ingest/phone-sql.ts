import { PHONE_MAX_LENGTH, type PhonePlan, phoneMetadata } from '@ahub/core'
import { ident, literal, type Session } from '../engine'
import { normalisePhones } from './phones'

/**
 * Phone numbers normalised in the engine: the steps of libphonenumber-js's `parsePhoneNumber` and
 * `isValid` (calling code, national prefix and its transform, the country among those sharing a
 * calling code, number type patterns and lengths) written as SQL over its own metadata, so that a
 * million numbers are validated vectorised instead of one by one in JavaScript.
 *
 * The SQL decides the numbers it reads exactly as libphonenumber does; the rare shapes it leaves to
 * JavaScript (non-ASCII text, a national number that starts with its country's calling code or
 * international prefix, fewer than four digits, non-geographic calling codes such as +800) go through `normalisePhone` itself. The patterns
 * are constants of libphonenumber's metadata inlined as literals, never input.
 */

const MIN_NSN = 2
const MAX_NSN = 17

/** What SQL made of the numbers: how many it decided, and how many went to JavaScript. */
export interface PhoneNormalisation {
  sql: number
  js: number
}

/**
 * Creates temp table `target` (`_raw_in`, `_country_in`, `_e164`) from the distinct pairs selected by
 * `pairsSql` (columns `raw`: trimmed number, `country`: upper-case country or ''), `_e164` NULL when
 * the number is not valid.
 */
export async function normalisePhonePairs(
  s: Session,
  pairsSql: string,
  target: string,
): Promise<PhoneNormalisation> {
  const { plans, callingCodes } = phoneMetadata()
  const t = ident(target)
  const a = ident(`${target}_a`)
  const b = ident(`${target}_b`)
  const c = ident(`${target}_c`)
  // Calling codes are 1 to 3 digits and none is the start of another: the number's first n digits
  // are looked up among the n-digit codes only (a list of all of them cost four times as much).
  const codeAt = (n: number) => {
    const codes = [...callingCodes.keys()].filter((c) => c.length === n)
    return codes.length === 0
      ? ''
      : `WHEN length(_d) >= ${n} AND _d[1:${n}] IN (${codes.map(literal).join(', ')}) THEN _d[1:${n}]`
  }
  const allPlans = [...plans.values()]
  // Step 1: the shape checks of normalisePhone, 00 read as +, the digits and the calling code (NULL
  // when there is none: no known code after +, or a national number without a supported country).
  await s.run(`CREATE TEMP TABLE ${a} AS
    SELECT *, CASE WHEN _st <> 'ok' THEN NULL
                   WHEN _intl THEN CASE WHEN _d[1] = '0' THEN NULL ${codeAt(1)} ${codeAt(2)} ${codeAt(3)} END
                   ELSE ${byCountry('_country_in', allPlans, (p) => literal(p.callingCode))} END AS _code
    FROM (
      SELECT _raw_in, _country_in, _intl, _d,
        CASE WHEN _st <> 'ok' THEN _st WHEN length(_d) < 4 THEN 'js' ELSE 'ok' END AS _st
      FROM (
        SELECT _raw_in, _country_in, _st,
          starts_with(_text, '+') AS _intl,
          CASE WHEN regexp_full_match(_text, '\\+?[0-9]+') THEN ltrim(_text, '+')
               ELSE regexp_replace(_text, '[^0-9]', '', 'g') END AS _d
        FROM (
          SELECT raw AS _raw_in, country AS _country_in,
            -- Most numbers have the plain shape, which also proves them printable ASCII: one test.
            -- (The engine's trim removes spaces only: a number it would change starts or ends with one.)
            CASE WHEN regexp_full_match(raw, '\\+?[0-9 ().\\-/]+')
                   THEN CASE WHEN starts_with(raw, ' ') OR ends_with(raw, ' ') THEN 'js'
                             WHEN length(raw) > ${PHONE_MAX_LENGTH} THEN 'bad' ELSE 'ok' END
                 WHEN starts_with(raw, ' ') OR ends_with(raw, ' ') OR regexp_matches(raw, '[^\\x{20}-\\x{7e}]') THEN 'js'
                 ELSE 'bad' END AS _st,
            CASE WHEN starts_with(raw, '00') THEN '+' || raw[3:] ELSE raw END AS _text
          FROM (${pairsSql}))))`)
  // No number at all (e.g. a column left empty): the CASE chains below would have nothing to test.
  const [{ n } = { n: 0 }] = await s.query<{ n: number }>(`SELECT count(*) AS n FROM ${a}`)
  if (Number(n) === 0) {
    await s.run(`DROP TABLE ${a}`)
    await s.run(`CREATE TEMP TABLE ${t} (_raw_in VARCHAR, _country_in VARCHAR, _js BOOLEAN, _e164 VARCHAR)`)
    return { sql: 0, js: 0 }
  }
  const present = await s.query<{ code: string; country: string | null }>(
    `SELECT DISTINCT _code AS code, CASE WHEN NOT _intl THEN _country_in END AS country FROM ${a} WHERE _code IS NOT NULL`,
  )
  const codeGroups = new Map<string, string[]>()
  for (const { code } of present) codeGroups.set(code, callingCodes.get(code) ?? [])
  // The plan a number is parsed with: its calling code's main country, or the row's country.
  const parseCountries = new Set(present.flatMap((p) => p.country ?? callingCodes.get(p.code)?.[0] ?? []))
  const parsePlans = [...parseCountries].flatMap((c) => plans.get(c) ?? [])
  const groupCountries = new Set(parseCountries)
  for (const list of codeGroups.values()) for (const c of list) groupCountries.add(c)
  const groupPlans = [...groupCountries].flatMap((c) => plans.get(c) ?? [])
  const mains = new Map([...codeGroups].map(([code, list]) => [code, [list[0]!]]))
  // Step 2: a national number that may hold its country's international prefix or calling code is
  // read differently by libphonenumber (stripIddPrefix, numbers missing their +), as are
  // non-geographic codes: JavaScript decides those (`_js`). Otherwise the national prefix is
  // stripped per the plan (extractNationalNumberFromPossiblyIncompleteNumber).
  const nationalOdd = byGroup(
    '_plan',
    parsePlans,
    (p) => p.iddPrefix,
    (idd) => `regexp_matches(_d, ${literal(`^(?:${idd})`)})`,
  )
  await s.run(`CREATE TEMP TABLE ${b} AS
    SELECT *, CAST(CASE WHEN _ok THEN ${exactCountry('_code', '_nn0', codeGroups, plans)} END AS VARCHAR) AS _x0
    FROM (
      SELECT *, CAST(CASE WHEN _ok THEN ${byGroup('_plan', parsePlans, prefixKey, (key) => stripPrefix('_rest', JSON.parse(key)))} END AS VARCHAR) AS _nn0
      FROM (
        SELECT _raw_in, _country_in, _plan, _code, _rest,
          _st = 'js' OR (_parsed AND NOT _ok) AS _js, _ok
        FROM (
          SELECT *, _parsed AND _plan <> '001' AND (_intl OR NOT (starts_with(_d, _code) OR coalesce(${nationalOdd}, false))) AS _ok
          FROM (
            SELECT *, _st = 'ok' AND _code IS NOT NULL AND NOT (_intl AND length(_d) = length(_code)) AS _parsed,
              CASE WHEN _intl THEN _d[length(_code) + 1:] ELSE _d END AS _rest
            FROM (
              SELECT *, CASE WHEN _intl THEN CAST(${byCode('_code', mains, (_, list) => literal(list[0]!))} AS VARCHAR) ELSE _country_in END AS _plan
              FROM ${a})))))`)
  // Step 3: the stripped prefix is kept only when the plan's pattern and the country's lengths agree
  // (extractNationalNumber); then the number's country (getCountryByCallingCode).
  const general = (x: string) =>
    byGroup(
      '_plan',
      parsePlans,
      (p) => p.nationalNumberPattern,
      (pat) => `regexp_full_match(${x}, ${literal(pat)})`,
    )
  await s.run(`CREATE TEMP TABLE ${c} AS
    SELECT _raw_in, _country_in, _code, _nn, _js, _ok,
      CASE WHEN _ok THEN coalesce(CASE WHEN _nn = _nn0 THEN _x0 ELSE ${exactCountry('_code', '_nn', codeGroups, plans)} END, _plan) END AS _x
    FROM (
      SELECT *, CASE WHEN NOT _ok THEN NULL
                     WHEN _nn0 = _rest THEN _rest
                     WHEN coalesce(${general('_rest')} AND NOT ${general('_nn0')}, false) THEN _rest
                     WHEN NOT coalesce(${byGroup(
                       'coalesce(_x0, _plan)',
                       groupPlans,
                       (p) => JSON.stringify(p.possibleLengths),
                       (key) => lengthPossible('length(_nn0)', JSON.parse(key)),
                     )}, true) THEN _rest
                     ELSE _nn0 END AS _nn
      FROM ${b})`)
  // Step 4: valid when one of the country's number types matches (getNumberType), within the lengths parse allows.
  await s.run(`CREATE TEMP TABLE ${t} AS
    SELECT _raw_in, _country_in, _js,
      CASE WHEN _ok AND length(_nn) BETWEEN ${MIN_NSN} AND ${MAX_NSN}
                AND coalesce(${byGroup('_x', groupPlans, validKey, (key) => validSql('_nn', JSON.parse(key)))}, false)
           THEN '+' || _code || _nn END AS _e164
    FROM ${c}`)
  for (const x of [a, b, c]) await s.run(`DROP TABLE ${x}`)
  const rest = await s.queryColumns(`SELECT _raw_in AS raw, _country_in AS country FROM ${t} WHERE _js`)
  const raws = (rest.raw ?? []) as string[]
  const countries = (rest.country ?? []) as string[]
  if (raws.length > 0) {
    const e164 = await normalisePhones(
      raws,
      countries.map((x) => x || null),
    )
    const fixes = `${target}_js`
    await s.run(`CREATE TEMP TABLE ${ident(fixes)} (_raw_in VARCHAR, _country_in VARCHAR, _e164 VARCHAR)`)
    await s.appendTextColumns(fixes, [raws, countries, e164], { temp: true })
    await s.run(
      `UPDATE ${t} SET _e164 = f._e164 FROM ${ident(fixes)} f WHERE f._raw_in = ${t}._raw_in AND f._country_in = ${t}._country_in`,
    )
    await s.run(`DROP TABLE ${ident(fixes)}`)
  }
  const total = await s.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)
  return { sql: Number(total[0]?.n ?? 0) - raws.length, js: raws.length }
}

/** `CASE <column> WHEN <country> THEN ... END` over the given plans. */
function byCountry(column: string, list: PhonePlan[], then: (p: PhonePlan) => string): string {
  if (list.length === 0) return 'NULL'
  return `CASE ${column} ${list.map((p) => `WHEN ${literal(p.country)} THEN ${then(p)}`).join(' ')} END`
}

function byCode(
  column: string,
  codes: Map<string, string[]>,
  then: (code: string, list: string[]) => string,
): string {
  // No calling code at all (e.g. a column of empty values): `CASE x END` would not parse.
  if (codes.size === 0) return 'NULL'
  return `CASE ${column} ${[...codes].map(([code, list]) => `WHEN ${literal(code)} THEN ${then(code, list)}`).join(' ')} END`
}

/**
 * One SQL expression per distinct `key` of the plans (countries sharing a rule share its SQL):
 * `CASE WHEN <column> IN (<countries>) THEN <sql(key)> ... END`, NULL for other countries.
 */
function byGroup(
  column: string,
  list: PhonePlan[],
  key: (p: PhonePlan) => string,
  sql: (key: string) => string,
): string {
  const groups = new Map<string, string[]>()
  for (const p of list) {
    const k = key(p)
    groups.set(k, [...(groups.get(k) ?? []), p.country])
  }
  if (groups.size === 0) return 'NULL'
  return `CASE ${[...groups].map(([k, cs]) => `WHEN ${column} IN (${cs.map(literal).join(', ')}) THEN ${sql(k)}`).join(' ')} END`
}

function prefixKey(p: PhonePlan): string {
  return JSON.stringify([p.nationalPrefixForParsing, p.nationalPrefixTransformRule, p.prefixGroups])
}

/** The number with its national prefix stripped or transformed as libphonenumber does. */
function stripPrefix(
  x: string,
  [pattern, transform, groups]: [string | null, string | null, number],
): string {
  if (!pattern) return x
  const re = literal(`^(?:${pattern})`)
  const matched = `regexp_matches(${x}, ${re})`
  const cut = `${x}[length(regexp_extract(${x}, ${re}, 0)) + 1:]`
  if (groups === 0) return `CASE WHEN ${matched} THEN ${cut} ELSE ${x} END`
  const captured = `regexp_extract(${x}, ${re}, ${groups}) <> ''`
  if (!transform) return `CASE WHEN ${matched} THEN ${cut} ELSE ${x} END`
  const replacement = literal(transform.replace(/\$(\d)/g, '\\$1'))
  return `CASE WHEN NOT ${matched} THEN ${x} WHEN ${captured} THEN regexp_replace(${x}, ${re}, ${replacement}) ELSE ${cut} END`
}

/** checkNumberLength is neither TOO_SHORT nor INVALID_LENGTH. */
function lengthPossible(len: string, lengths: number[]): string {
  if (lengths.length === 0) return 'true'
  const min = lengths[0]!
  const max = lengths[lengths.length - 1]!
  return `(${len} >= ${min} AND (${len} > ${max} OR ${len} IN (${lengths.join(', ')})))`
}

function validKey(p: PhonePlan): string {
  return JSON.stringify([p.nationalNumberPattern, p.types])
}

/** getNumberType(...) !== undefined: the general pattern and one number type with its lengths. */
function validSql(x: string, [general, types]: [string, PhonePlan['types']]): string {
  const g = `regexp_full_match(${x}, ${literal(general)})`
  if (types === null) return g
  if (types.length === 0) return 'false'
  const anyType = types
    .map(
      (t) =>
        `(length(${x}) IN (${t.possibleLengths.join(', ')}) AND regexp_full_match(${x}, ${literal(t.pattern)}))`,
    )
    .join(' OR ')
  // As a CASE condition the engine tests each part only on the rows the earlier parts left open.
  return `(CASE WHEN ${g} AND (${anyType}) THEN true ELSE false END)`
}

/** getCountryByCallingCode: the only country of a calling code, or the first of several that claims the number. */
function exactCountry(
  code: string,
  x: string,
  groups: Map<string, string[]>,
  plans: Map<string, PhonePlan>,
): string {
  if (groups.size === 0) return 'NULL'
  const whens = [...groups].map(([cc, countries]) => {
    if (countries.length === 1) return `WHEN ${literal(cc)} THEN ${literal(countries[0]!)}`
    const tests = countries.flatMap((country) => {
      const p = plans.get(country)
      if (!p) return []
      const test = p.leadingDigits
        ? `regexp_matches(${x}, ${literal(`^(?:${p.leadingDigits})`)})`
        : `coalesce(${validSql(x, JSON.parse(validKey(p)))}, false)`
      return [`WHEN ${test} THEN ${literal(country)}`]
    })
    return `WHEN ${literal(cc)} THEN ${tests.length ? `CASE ${tests.join(' ')} END` : 'NULL'}`
  })
  return `CASE ${code} ${whens.join(' ')} END`
}
