import type { Role } from '@ahub/core'
import {
  type Logger,
  type Membership,
  type MembershipRepository,
  silentLogger,
  type User,
  type UserRepository,
} from '@ahub/store'

/** How long a user and their memberships are trusted from memory; changes here evict at once. */
const CACHE_MS = 10_000

interface Entry {
  user: User | null
  /** Every membership, whatever its status. */
  memberships: Membership[]
  until: number
}

/**
 * Users and their memberships as the auth hook reads them on every request, cached briefly so an
 * authenticated request costs no query; every change made through this process forgets the user
 * at once. (With several server processes, another process's change shows within CACHE_MS.)
 */
export class AccessCache {
  private readonly entries = new Map<string, { value: Entry | null; loading: Promise<Entry> | null }>()

  constructor(
    readonly users: UserRepository,
    readonly memberships: MembershipRepository,
    private readonly logger: Logger = silentLogger,
  ) {}

  private async entry(userId: string): Promise<Entry> {
    const slot = this.entries.get(userId)
    const now = Date.now()
    if (slot?.value && slot.value.until > now) return slot.value
    // Past its time, an entry is still served while one reload runs in the background, so a busy
    // user's requests never queue behind the database together (changes here evict at once anyway).
    if (slot?.value) {
      this.load(userId, slot).catch((err) =>
        this.logger.error({ err, user: userId }, 'reloading a user and their memberships failed'),
      )
      return slot.value
    }
    return this.load(userId, slot ?? this.slot(userId))
  }

  private slot(userId: string): { value: Entry | null; loading: Promise<Entry> | null } {
    const slot = { value: null, loading: null }
    this.entries.set(userId, slot)
    return slot
  }

  /** One load per user at a time, however many requests arrive together. */
  private load(
    userId: string,
    slot: { value: Entry | null; loading: Promise<Entry> | null },
  ): Promise<Entry> {
    slot.loading ??= (async () => {
      try {
        const entry = {
          user: await this.users.find(userId),
          memberships: await this.memberships.ofUser(userId),
          until: Date.now() + CACHE_MS,
        }
        // A `forget` during the load replaced the slot: this answer may predate the change.
        if (this.entries.get(userId) === slot) slot.value = entry
        return entry
      } finally {
        slot.loading = null
      }
    })()
    return slot.loading
  }

  /** The user, or null when there is no such user. */
  async user(userId: string): Promise<User | null> {
    return (await this.entry(userId)).user
  }

  /** The organisations a user is an active member of, with their role in each. */
  async membershipsOf(userId: string): Promise<{ org: string; role: Role }[]> {
    return (await this.entry(userId)).memberships
      .filter((m) => m.status === 'active')
      .map((m) => ({ org: m.org, role: m.role }))
  }

  /** The user's membership of `org` in any status (active, invited, disabled), or null. */
  async membershipIn(userId: string, org: string): Promise<Membership | null> {
    return (await this.entry(userId)).memberships.find((m) => m.org === org) ?? null
  }

  /** The user's role in `org`, or null when they are not an active member of it. */
  async roleIn(userId: string, org: string): Promise<Role | null> {
    const m = await this.membershipIn(userId, org)
    return m?.status === 'active' ? m.role : null
  }

  /** True when the user is disabled or does not exist. */
  async isDisabled(userId: string): Promise<boolean> {
    const user = await this.user(userId)
    return !user || user.disabled
  }

  /** Drops what is cached about a user, after their memberships or account changed. */
  forget(userId: string): void {
    this.entries.delete(userId)
  }
}
