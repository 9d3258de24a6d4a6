/**
 * Counts lines per user ID in bounded memory, for the inbound rule "at most 200 lines per user ID
 * per file" and the distinct-user count of a report.
 *
 * IDs are kept as 64-bit fingerprints in an open-addressing table of typed arrays (9 bytes a slot),
 * not as strings, so a file with millions of users costs tens of MB, not GB. The table stops
 * growing at `maxUsers`; after that, new users are not tracked (their line limit is not checked)
 * and the distinct count becomes a HyperLogLog estimate (about 1% error). `exact` says which.
 */
export class UserTracker {
  private keysA: Uint32Array
  private keysB: Uint32Array
  private counts: Uint8Array
  private mask: number
  private size = 0
  private readonly maxSlots: number
  private overflowed = false
  private readonly hll = new Uint8Array(1 << HLL_BITS)

  constructor(maxUsers = 2_000_000) {
    this.maxSlots = nextPow2(Math.ceil(maxUsers / LOAD))
    const slots = Math.min(1 << 16, this.maxSlots)
    this.keysA = new Uint32Array(slots)
    this.keysB = new Uint32Array(slots)
    this.counts = new Uint8Array(slots)
    this.mask = slots - 1
  }

  /**
   * Records `n` more lines of `id`; returns how many lines the user has had so far, these
   * included (saturating at 255), or 0 when the user is not tracked (table full).
   */
  add(id: string, n = 1): number {
    hash2(id)
    const a = HASH[0]!
    const b = a === 0 && HASH[1] === 0 ? 1 : HASH[1]!
    this.addToHll(a, b)
    return this.bump(a, b, n)
  }

  /** Lines recorded for `id` so far (0 when unknown or untracked). */
  get(id: string): number {
    hash2(id)
    const a = HASH[0]!
    const b = a === 0 && HASH[1] === 0 ? 1 : HASH[1]!
    const i = this.find(a, b)
    return this.keysA[i] === a && this.keysB[i] === b ? this.counts[i]! : 0
  }

  private find(a: number, b: number): number {
    let i = a & this.mask
    for (;;) {
      const ka = this.keysA[i]!
      const kb = this.keysB[i]!
      if ((ka === a && kb === b) || (ka === 0 && kb === 0)) return i
      i = (i + 1) & this.mask
    }
  }

  private bump(a: number, b: number, n: number): number {
    let i = this.find(a, b)
    if (this.keysA[i] === a && this.keysB[i] === b) {
      const c = Math.min(255, this.counts[i]! + n)
      this.counts[i] = c
      return c
    }
    if (this.size + 1 > this.keysA.length * LOAD) {
      if (this.keysA.length >= this.maxSlots) {
        this.overflowed = true
        return 0
      }
      this.grow()
      i = this.find(a, b)
    }
    this.keysA[i] = a
    this.keysB[i] = b
    this.counts[i] = Math.min(255, n)
    this.size++
    return this.counts[i]!
  }

  /** True while every user fits in the table: counts and line limits are exact. */
  get exact(): boolean {
    return !this.overflowed
  }

  /** Distinct users: exact while `exact`, a HyperLogLog estimate after. */
  get users(): number {
    return this.overflowed ? Math.max(this.size, this.estimate()) : this.size
  }

  private grow(): void {
    const oldA = this.keysA
    const oldB = this.keysB
    const oldC = this.counts
    const slots = oldA.length * 2
    this.keysA = new Uint32Array(slots)
    this.keysB = new Uint32Array(slots)
    this.counts = new Uint8Array(slots)
    this.mask = slots - 1
    for (let j = 0; j < oldA.length; j++) {
      const a = oldA[j]!
      const b = oldB[j]!
      if (a === 0 && b === 0) continue
      let i = a & this.mask
      while (this.keysA[i] !== 0 || this.keysB[i] !== 0) i = (i + 1) & this.mask
      this.keysA[i] = a
      this.keysB[i] = b
      this.counts[i] = oldC[j]!
    }
  }

  private addToHll(a: number, b: number): void {
    const j = b >>> (32 - HLL_BITS)
    const rank = Math.clz32(a) + 1
    if (rank > this.hll[j]!) this.hll[j] = rank
  }

  private estimate(): number {
    const m = this.hll.length
    let sum = 0
    let zeros = 0
    for (let j = 0; j < m; j++) {
      const r = this.hll[j]!
      sum += 2 ** -r
      if (r === 0) zeros++
    }
    const e = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum
    return Math.round(e <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : e)
  }
}

const LOAD = 0.7
const HLL_BITS = 14

function nextPow2(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}

const HASH = new Uint32Array(2)

/** Two 32-bit hashes of a string in one pass (murmur3-style mixing over UTF-16 code units), into HASH. */
function hash2(s: string): void {
  let h = 0x9747b28c ^ s.length
  let g = 0x3c6ef372 ^ s.length
  for (let i = 0; i < s.length; i++) {
    let k = Math.imul(s.charCodeAt(i), 0xcc9e2d51)
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593)
    h ^= k
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
    g ^= k
    g = (g << 17) | (g >>> 15)
    g = (Math.imul(g, 9) + 0x7f4a7c15) | 0
  }
  HASH[0] = fmix(h)
  HASH[1] = fmix(g ^ 0x5bd1e995)
}

function fmix(x: number): number {
  let h = x
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
