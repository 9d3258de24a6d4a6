import type { Clock } from './clock'
import type { ChunkedFileWriter } from './csv'
import { profileIdWidth } from './ids'
import type { Population } from './population'
import { Random, STREAM, streamSeed } from './random'
import { IdCounter } from './row-buffer'

export const VISITOR_LINK_FIELDS = ['visitor_id', 'profile_id', 'seen_at'] as const

const YEAR = 365 * 86_400
/** Share of visitor links whose device is shared with another profile (a family computer). */
const SHARED_DEVICE_RATE = 0.002
const COMMA = 0x2c
const NEWLINE = 0x0a

/** 19 digits below 9 000 000 000 000 000 000, so always at most 9223372036854775807. */
function ecidHalf(random: Random): string {
  return random.int(9) + String(random.int(1e9)).padStart(9, '0') + String(random.int(1e9)).padStart(9, '0')
}

/** A random valid ECID: 38 digits, two 19-digit halves that each fit a signed 64-bit integer. */
export function randomEcid(random: Random): string {
  return ecidHalf(random) + ecidHalf(random)
}

/**
 * Writes visitor_links.csv: the visitor IDs the population gives each profile, last seen within a year (and
 * not before the profile existed). A few IDs (0.2% of links) are shared by two profiles. Returns the row count.
 */
export async function writeVisitorLinks(
  writer: ChunkedFileWriter,
  population: Population,
  clock: Clock,
  seed: number,
  progress: (rows: number) => void,
): Promise<number> {
  const random = new Random(streamSeed(seed, STREAM.visitorLinks))
  const profileIds = new IdCounter(',p', profileIdWidth(population.size))
  const asOf = clock.asOf
  const out = writer.out
  out.ascii(`${VISITOR_LINK_FIELDS.join(',')}\n`)
  let rows = 0
  let lastEcid = ''
  let lastOwner = -1

  for (let i = 0; i < population.size; i++) {
    const profileId = profileIds.next()
    const count = population.visitorLinks[i]!
    if (count === 0) continue
    const span = Math.min(YEAR, asOf - population.createdAt[i]!)
    for (let k = 0; k < count; k++) {
      const shared = lastOwner !== i && lastOwner >= 0 && random.chance(SHARED_DEVICE_RATE)
      const ecid = shared ? lastEcid : randomEcid(random)
      // the ID now belongs to this profile too, so its next links cannot repeat it
      lastEcid = ecid
      lastOwner = i
      // recent visits are more likely
      const seen = asOf - 1 - Math.floor(span * random.float() ** 2)
      out.ascii(ecid)
      out.bytes(profileId)
      out.byte(COMMA)
      clock.writeTimestamp(out, seen)
      out.byte(NEWLINE)
      rows++
      if (out.full) {
        await writer.flush()
        progress(rows)
      }
    }
  }
  progress(rows)
  return rows
}
