import { type Clock, SECONDS_PER_DAY } from './clock'
import type { ChunkedFileWriter } from './csv'
import { idWidth, profileIdWidth } from './ids'
import { type Population, PURCHASE_WINDOW } from './population'
import { Random, STREAM, streamSeed, WeightedPicker } from './random'
import { ByteTable, IdCounter, utf8 } from './row-buffer'
import { CATEGORIES, CATEGORY_AMOUNTS, CHANNELS, COUNTRIES, CURRENCIES, VOCABULARY } from './vocabulary'

export const PURCHASE_FIELDS = [
  'purchase_id',
  'profile_id',
  'amount',
  'currency',
  'category',
  'channel',
  'purchased_at',
] as const

/** Share of purchases in the 30 days before asOf. */
const RECENT_SHARE = 0.03
const RECENT_WINDOW = 30 * SECONDS_PER_DAY
const CATEGORY_WEIGHTS = [10, 12, 18, 12, 10, 12, 8, 18]
const CHANNEL_WEIGHTS = [45, 35, 20]
/** Shopping hours: quiet nights, busy lunch time and evenings (UTC, close enough for a demo). */
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 10, 12, 12, 10, 9, 9, 10, 12, 14, 14, 12, 8, 4]
const AMOUNT_BITS = 14
const COMMA = 0x2c
const NEWLINE = 0x0a

/**
 * Formatted amounts per category (`,123.45,`), drawn once from a lognormal around the category's median:
 * looking an amount up is much cheaper than drawing and formatting one per row.
 */
function amountTable(seed: number): ByteTable {
  const random = new Random(streamSeed(seed, STREAM.amounts))
  const amounts = CATEGORIES.flatMap((category) => {
    const [median, sigma] = CATEGORY_AMOUNTS[category]
    return Array.from({ length: 1 << AMOUNT_BITS }, () => {
      let cents = Math.max(50, Math.round(median * Math.exp(sigma * random.normal()) * 100))
      // most shop prices end in .99, .49 or .00
      const ending = random.float()
      if (ending < 0.4) cents = cents - (cents % 100) + 99
      else if (ending < 0.55) cents = cents - (cents % 100) + 49
      else if (ending < 0.65) cents = Math.max(100, cents - (cents % 100))
      return `,${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')},`
    })
  })
  return new ByteTable(amounts)
}

/**
 * Writes purchases.csv, grouped by profile; returns the row count. Purchases fall in the two years before
 * asOf (never before the profile was created), about 3% of them in the last 30 days.
 */
export async function writePurchases(
  writer: ChunkedFileWriter,
  population: Population,
  clock: Clock,
  seed: number,
  progress: (rows: number) => void,
): Promise<number> {
  const random = new Random(streamSeed(seed, STREAM.purchases))
  const amounts = amountTable(seed)
  const categories = new WeightedPicker(CATEGORY_WEIGHTS)
  const channels = new WeightedPicker(CHANNEL_WEIGHTS)
  const hours = new WeightedPicker(HOUR_WEIGHTS)
  const categoryBytes = CATEGORIES.map((c) => utf8(`,${c},`))
  const channelBytes = CHANNELS.map((c) => utf8(c))
  const currencyBytes = CURRENCIES.map((c) => utf8(c))
  const currencyOf = COUNTRIES.map((c) => CURRENCIES.indexOf(VOCABULARY[c].currency))
  const total = population.purchases.reduce((a, b) => a + b, 0)
  const purchaseIds = new IdCounter('o', idWidth(total, 9))
  const profileIds = new IdCounter(',p', profileIdWidth(population.size))
  const asOf = clock.asOf
  const recentStart = asOf - RECENT_WINDOW
  const windowStart = asOf - PURCHASE_WINDOW
  const out = writer.out
  out.ascii(`${PURCHASE_FIELDS.join(',')}\n`)
  let n = 0

  for (let i = 0; i < population.size; i++) {
    const profileId = profileIds.next()
    const count = population.purchases[i]!
    if (count === 0) continue
    const created = population.createdAt[i]!
    const currency = currencyOf[population.country[i]!]!
    const favouriteCategory = categories.pick(random)
    const favouriteChannel = channels.pick(random)
    const olderStart = Math.max(windowStart, created)
    const recentFrom = Math.max(recentStart, created)
    for (let k = 0; k < count; k++) {
      const category = random.chance(0.4) ? favouriteCategory : categories.pick(random)
      const channel = random.chance(0.5) ? favouriteChannel : channels.pick(random)
      const cur = random.chance(0.03) ? random.int(3) : currency
      const recent = olderStart >= recentStart || random.chance(RECENT_SHARE)
      const from = recent ? recentFrom : olderStart
      const to = recent ? asOf : recentStart
      let at = from + random.int(to - from)
      // move to a likely shopping hour of the same day when that stays inside the window
      const shifted = at - (at % SECONDS_PER_DAY) + hours.pick(random) * 3600 + random.int(3600)
      if (shifted >= from && shifted < to) at = shifted
      n++
      out.bytes(purchaseIds.next())
      out.bytes(profileId)
      out.entry(amounts, (category << AMOUNT_BITS) | (random.u32() >>> (32 - AMOUNT_BITS)))
      out.bytes(currencyBytes[cur]!)
      out.bytes(categoryBytes[category]!)
      out.bytes(channelBytes[channel]!)
      out.byte(COMMA)
      clock.writeTimestamp(out, at)
      out.byte(NEWLINE)
      // checked after every row: one profile can have thousands of purchases
      if (out.full) {
        await writer.flush()
        progress(n)
      }
    }
  }
  progress(n)
  return n
}
