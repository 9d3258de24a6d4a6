import type { Clock } from './clock'
import { type ChunkedFileWriter, csvField } from './csv'
import { asciiName, EmailFactory, SHARED_EMAIL_RATE } from './email'
import { profileIdWidth } from './ids'
import { type InvalidField, invalidProfileRows } from './invalid-rows'
import type { Population } from './population'
import { mix32, Random, STREAM, streamSeed } from './random'
import { IdCounter, utf8 } from './row-buffer'
import { COUNTRIES, type CountryVocabulary, LOYALTY_TIERS, VOCABULARY } from './vocabulary'

export const PROFILE_FIELDS = [
  'profile_id',
  'email',
  'phone',
  'crm_id',
  'first_name',
  'last_name',
  'country',
  'city',
  'birth_date',
  'gender',
  'loyalty_tier',
  'marketing_consent',
  'created_at',
  'updated_at',
] as const

const YEAR = 365.25 * 86_400
const COMMA = 0x2c
const NEWLINE = 0x0a

interface Name {
  /** UTF-8 bytes as written in the CSV file (quoted if needed). */
  csv: Uint8Array
  /** Folded to lower-case ASCII, for e-mail addresses. */
  ascii: string
}

interface PreparedCountry {
  code: string
  vocabulary: CountryVocabulary
  female: Name[]
  male: Name[]
  last: Name[]
  cities: Uint8Array[]
}

const names = (list: readonly string[]): Name[] =>
  list.map((n) => ({ csv: utf8(csvField(n)), ascii: asciiName(n) }))

function prepareCountries(): PreparedCountry[] {
  return COUNTRIES.map((code) => {
    const vocabulary = VOCABULARY[code]
    return {
      code,
      vocabulary,
      female: names(vocabulary.female),
      male: names(vocabulary.male),
      last: names(vocabulary.last),
      cities: vocabulary.cities.map((city) => utf8(csvField(city))),
    }
  })
}

/** A mobile number valid for the country: mostly E.164, sometimes in the national format. */
function phoneNumber(random: Random, vocabulary: CountryVocabulary, e164: boolean): string {
  const plan = vocabulary.phone
  const [prefix, digits] = random.pick(plan.prefixes)
  const rest = 10 ** (digits - 1)
  const nsn = prefix + (2 + random.int(8)) + String(random.int(rest)).padStart(digits - 1, '0')
  return e164 ? `+${plan.callingCode}${nsn}` : plan.national(nsn)
}

/** Loyalty follows spending, with some noise: heavy buyers are mostly gold or platinum. */
function loyaltyTier(random: Random, purchases: number, mean: number): number {
  if (random.chance(0.1)) return random.int(4)
  const ratio = mean === 0 ? 0 : purchases / mean
  return ratio >= 4 ? 3 : ratio >= 1.8 ? 2 : ratio >= 0.8 ? 1 : 0
}

/** Writes profiles.csv; returns the row count. Calls `progress` after each chunk with rows written so far. */
export async function writeProfiles(
  writer: ChunkedFileWriter,
  population: Population,
  clock: Clock,
  seed: number,
  progress: (rows: number) => void,
): Promise<number> {
  const random = new Random(streamSeed(seed, STREAM.profiles))
  const emails = new EmailFactory(random)
  const countries = prepareCountries()
  const invalid = new Map<number, InvalidField>(
    invalidProfileRows(population.size).map((r) => [r.index, r.field]),
  )
  const profileIds = new IdCounter('p', profileIdWidth(population.size))
  const crmSalt = streamSeed(seed, STREAM.crmIds)
  const tiers = LOYALTY_TIERS.map((tier) => utf8(`,${tier},`))
  const consent = [utf8('false,'), utf8('true,')]
  const asOf = clock.asOf
  const out = writer.out
  out.ascii(`${PROFILE_FIELDS.join(',')}\n`)

  for (let i = 0; i < population.size; i++) {
    const country = countries[population.country[i]!]!
    const broken = invalid.get(i)

    const genderRoll = random.float()
    const gender = genderRoll < 0.48 ? 'f' : genderRoll < 0.94 ? 'm' : genderRoll < 0.96 ? 'x' : ''
    const female = gender === 'f' || (gender !== 'm' && random.chance(0.5))
    const first = random.pick(female ? country.female : country.male)
    const last = random.pick(country.last)

    // ages 18 to 80, most between 25 and 55
    const age = 18 + 62 * ((random.float() + random.float()) / 2) * (0.6 + 0.4 * random.float())
    const birth = asOf - Math.floor(age * YEAR) - random.int(86_400)
    const hasBirthDate = !random.chance(0.04)

    const shared = i > 0 && random.chance(SHARED_EMAIL_RATE) ? emails.reuse() : undefined
    let email = emails.decorate(
      shared ?? emails.fresh(first.ascii, last.ascii, country.vocabulary.domains, clock.year(birth)),
    )

    const hasPhone = random.chance(0.9)
    const e164 = random.chance(0.85)
    let phone = hasPhone ? phoneNumber(random, country.vocabulary, e164) : ''
    const hasCrm = random.chance(0.9)

    let countryCode = country.code
    let birthDate: string | undefined
    if (broken === 'email') email = email.replace('@', '(at)')
    else if (broken === 'birth_date') {
      const date = clock.date(birth)
      birthDate = `${date.slice(0, 4)}-${13 + random.int(16)}-${date.slice(5, 7)}`
    } else if (broken === 'country') {
      countryCode = 'UK'
      // with an unknown country, only an international number can be read
      phone = phoneNumber(random, country.vocabulary, true)
    }

    const created = population.createdAt[i]!
    const updated = random.chance(0.3) ? created : created + random.int(asOf - created)

    out.bytes(profileIds.next())
    out.byte(COMMA)
    out.ascii(email)
    out.byte(COMMA)
    out.ascii(phone)
    out.byte(COMMA)
    if (hasCrm) {
      out.ascii('CRM')
      out.padded(mix32(i ^ crmSalt), 10)
    }
    out.byte(COMMA)
    out.bytes(first.csv)
    out.byte(COMMA)
    out.bytes(last.csv)
    out.byte(COMMA)
    out.ascii(countryCode)
    out.byte(COMMA)
    out.bytes(random.pick(country.cities))
    out.byte(COMMA)
    if (birthDate !== undefined) out.ascii(birthDate)
    else if (hasBirthDate) clock.writeDate(out, birth)
    out.byte(COMMA)
    out.ascii(gender)
    out.bytes(tiers[loyaltyTier(random, population.purchases[i]!, population.meanPurchases)]!)
    out.bytes(consent[random.chance(0.62) ? 1 : 0]!)
    clock.writeTimestamp(out, created)
    out.byte(COMMA)
    clock.writeTimestamp(out, updated)
    out.byte(NEWLINE)

    if (out.full) {
      await writer.flush()
      progress(i + 1)
    }
  }
  progress(population.size)
  return population.size
}
