/** Mixes a 32-bit value (murmur3 finaliser): close values give unrelated results. */
export function mix32(x: number): number {
  let h = x | 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** Derives the seed of one independent stream (profiles, purchases, ...) from the user's seed. */
export function streamSeed(seed: number, stream: number): number {
  const lo = seed >>> 0
  const hi = Math.floor(seed / 4294967296) >>> 0
  return mix32(mix32(lo ^ mix32(hi + 0x9e3779b9)) + Math.imul(stream + 1, 0x9e3779b9))
}

/**
 * A small seeded PRNG (mulberry32): fast, 32-bit state, good enough for demo data.
 * Never Math.random, so the same seed always gives the same files.
 */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed | 0
  }

  /** The next unsigned 32-bit integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** A float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296
  }

  /** An integer in [0, n), n at most 2^32. */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  /** A standard normal variate (Box-Muller, one of the pair). */
  normal(): number {
    const u = 1 - this.float()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float())
  }
}

/** Picks indexes in proportion to fixed weights, in O(1) per draw (a lookup table of 4096 slots). */
export class WeightedPicker {
  private readonly table: Uint8Array

  constructor(weights: readonly number[]) {
    const total = weights.reduce((a, b) => a + b, 0)
    this.table = new Uint8Array(4096)
    let slot = 0
    let cumulative = 0
    weights.forEach((w, i) => {
      cumulative += w
      const end = Math.round((cumulative / total) * 4096)
      for (; slot < end; slot++) this.table[slot] = i
    })
  }

  /** An index drawn with the picker's weights. */
  pick(random: Random): number {
    return this.table[random.u32() >>> 20]!
  }
}

/** Independent random streams, one per part of the demo, so each file can change without moving the others. */
export const STREAM = {
  population: 1,
  profiles: 2,
  visitorLinks: 3,
  purchases: 4,
  amounts: 5,
  crmIds: 6,
} as const
