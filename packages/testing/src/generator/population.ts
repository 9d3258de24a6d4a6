import { invalidProfileRows } from './invalid-rows'
import { Random, STREAM, streamSeed, WeightedPicker } from './random'
import { COUNTRIES, COUNTRY_WEIGHTS } from './vocabulary'

const DAY = 86_400
const YEAR = 365.25 * DAY
/** Profiles were created over the six years before asOf. */
const CREATION_SPAN = Math.round(6 * YEAR)
/** Purchases cover the two years before asOf. */
export const PURCHASE_WINDOW = 730 * DAY
/** Share of profiles that never buy. */
const NEVER_BUY = 0.2

/** What several files need to agree on about each profile, decided before any file is written. */
export interface Population {
  size: number
  /** Index into COUNTRIES. */
  country: Uint8Array
  /** Creation time, seconds since the epoch. */
  createdAt: Float64Array
  /** How many purchases each profile has; sums to the requested purchase count. */
  purchases: Uint32Array
  /** Average purchase count of profiles that buy (for loyalty tiers). */
  meanPurchases: number
  /** How many visitor IDs each profile has (0 to 3). */
  visitorLinks: Uint8Array
  /** Sum of visitorLinks. */
  visitorLinkCount: number
}

/** Draws the country, creation time and purchase count of every profile. */
export function buildPopulation(size: number, purchaseCount: number, seed: number, asOf: number): Population {
  const random = new Random(streamSeed(seed, STREAM.population))
  const countries = new WeightedPicker(COUNTRY_WEIGHTS)
  const country = new Uint8Array(size)
  const createdAt = new Float64Array(size)
  const weight = new Float64Array(size)
  const visitorLinks = new Uint8Array(size)
  let visitorLinkCount = 0
  const windowStart = asOf - PURCHASE_WINDOW
  let total = 0
  for (let i = 0; i < size; i++) {
    country[i] = countries.pick(random)
    const created = asOf - 3600 - random.int(CREATION_SPAN)
    createdAt[i] = created
    // heavy-tailed appetite (a few profiles buy a lot), scaled by how long the profile existed in the window
    const appetite = random.chance(NEVER_BUY) ? 0 : Math.exp(1.1 * random.normal())
    const w = (appetite * (asOf - Math.max(created, windowStart))) / PURCHASE_WINDOW
    weight[i] = w
    total += w
    // about 60% of profiles were seen on 1 to 3 devices
    const links = random.float()
    const count = links < 0.4 ? 0 : links < 0.73 ? 1 : links < 0.91 ? 2 : 3
    visitorLinks[i] = count
    visitorLinkCount += count
  }
  // the invalid country row is written as `UK`, so its profile lives in GB (city, phone, currency)
  for (const row of invalidProfileRows(size))
    if (row.field === 'country') country[row.index] = COUNTRIES.indexOf('GB')

  const purchases = new Uint32Array(size)
  if (purchaseCount > 0) {
    if (total === 0) {
      weight.fill(1)
      total = size
    }
    // largest-remainder style allocation on the running sum: exact total, zero weight gets zero purchases
    let cumulative = 0
    let allocated = 0
    for (let i = 0; i < size; i++) {
      cumulative += weight[i]!
      const target = Math.min(purchaseCount, Math.floor((cumulative / total) * purchaseCount))
      purchases[i] = target - allocated
      allocated = target
    }
    for (let i = size - 1; allocated < purchaseCount; i--) {
      if (weight[i]! > 0) {
        purchases[i] = purchases[i]! + purchaseCount - allocated
        allocated = purchaseCount
      }
    }
  }
  let buyers = 0
  for (let i = 0; i < size; i++) if (purchases[i]! > 0) buyers++
  const meanPurchases = buyers === 0 ? 0 : purchaseCount / buyers
  return { size, country, createdAt, purchases, meanPurchases, visitorLinks, visitorLinkCount }
}
