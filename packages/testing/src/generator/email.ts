import type { Random } from './random'
import { WeightedPicker } from './random'
import { GLOBAL_DOMAINS, GMAIL_TAGS } from './vocabulary'

/** Lower-case ASCII letters only: `Lefèvre` -> `lefevre`, `O'Brien` -> `obrien`, `de Jong` -> `dejong`. */
export function asciiName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
}

type Pattern = (first: string, last: string) => string

const PATTERNS: readonly [Pattern, number][] = [
  [(f, l) => `${f}.${l}`, 30],
  [(f, l) => f + l, 14],
  [(f, l) => `${f.charAt(0)}.${l}`, 10],
  [(f, l) => f.charAt(0) + l, 10],
  [(f, l) => `${f}_${l}`, 8],
  [(f, l) => `${l}.${f}`, 8],
  [(f) => f, 8],
  [(f, l) => `${f}.${l.charAt(0)}`, 6],
  [(f, l) => `${f}-${l}`, 6],
]
const patternPicker = new WeightedPicker(PATTERNS.map(([, w]) => w))

/** Share of re-used addresses: rows minus distinct (trimmed, lower-cased) addresses is about 1%. */
export const SHARED_EMAIL_RATE = 0.01
const RECENT = 1024

/**
 * A 32-bit fingerprint (FNV-1a) of an address's identity: Gmail ignores dots in the local part (and `+tags`,
 * which are added after this check).
 */
function fingerprint(local: string, domain: string): number {
  const skipDots = domain === 'gmail.com'
  let h = 0x811c9dc5
  for (let i = 0; i < local.length; i++) {
    const c = local.charCodeAt(i)
    if (c === 0x2e && skipDots) continue
    h = Math.imul(h ^ c, 0x01000193)
  }
  h = Math.imul(h ^ 0x40, 0x01000193)
  for (let i = 0; i < domain.length; i++) h = Math.imul(h ^ domain.charCodeAt(i), 0x01000193)
  return h >>> 0 || 1
}

/**
 * A set of fingerprints (open addressing). Much faster than a Set of strings for millions of addresses;
 * a false "already taken" (one lookup in ~4 000 at a million addresses) only costs a retry.
 */
class FingerprintSet {
  private slots = new Uint32Array(1 << 12)
  private size = 0

  /** Adds a fingerprint; false if it was already there. */
  add(value: number): boolean {
    if (this.size * 2 >= this.slots.length) this.grow()
    const mask = this.slots.length - 1
    for (let at = value & mask; ; at = (at + 1) & mask) {
      const slot = this.slots[at]!
      if (slot === value) return false
      if (slot === 0) {
        this.slots[at] = value
        this.size++
        return true
      }
    }
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Uint32Array(old.length * 2)
    this.size = 0
    for (const value of old) if (value !== 0) this.add(value)
  }
}

/**
 * Makes realistic e-mail addresses from names. Fresh addresses never collide with earlier ones (not even
 * after Gmail normalisation); `reuse` hands out an earlier one, which is how shared addresses appear.
 */
export class EmailFactory {
  private readonly taken = new FingerprintSet()
  private readonly recent: string[] = []
  private recentNext = 0

  constructor(private readonly random: Random) {}

  /** A new, lower-case address for a person. */
  fresh(first: string, last: string, localDomains: readonly string[], birthYear: number): string {
    const random = this.random
    const roll = random.float()
    const domain =
      roll < 0.35 ? 'gmail.com' : roll < 0.55 ? random.pick(GLOBAL_DOMAINS) : random.pick(localDomains)
    const base = PATTERNS[patternPicker.pick(random)]![0](first, last)
    let local = base
    if (random.chance(0.3))
      local += random.chance(0.5) ? String(birthYear % 100).padStart(2, '0') : random.int(100)
    for (let attempt = 0; !this.taken.add(fingerprint(local, domain)); attempt++) {
      const digits = Math.min(9, 2 + attempt)
      local = base + (random.chance(0.2) ? '.' : '') + random.int(10 ** digits)
    }
    if (domain === 'gmail.com' && random.chance(0.1)) local += `+${random.pick(GMAIL_TAGS)}`
    const address = `${local}@${domain}`
    this.recent[this.recentNext] = address
    this.recentNext = (this.recentNext + 1) % RECENT
    return address
  }

  /** One of the recently made addresses, or undefined before the first one. */
  reuse(): string | undefined {
    return this.recent.length === 0 ? undefined : this.recent[this.random.int(this.recent.length)]
  }

  /** How people type their address: sometimes capitalised or upper-case, sometimes with stray spaces. */
  decorate(address: string): string {
    const random = this.random
    let typed = address
    const roll = random.float()
    if (roll < 0.01) typed = typed.toUpperCase()
    else if (roll < 0.025)
      typed = typed.replace(/(^|[._@-])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase())
    if (random.chance(0.01)) {
      const where = random.int(3)
      typed = where === 0 ? ` ${typed}` : where === 1 ? `${typed} ` : `  ${typed} `
    }
    return typed
  }
}
