import { type Role, Role as RoleSchema } from '@ahub/core'
import type { Engine } from '../engine'
import { toUser, type User } from './users'

/**
 * The state of one person's membership of one organisation (ADR 0015): `active`; `invited` when an
 * admin added a person who already had an account, until that person accepts; `disabled` when an
 * admin of that organisation shut them out of it (their other organisations are not touched).
 */
export type MembershipStatus = 'active' | 'invited' | 'disabled'

export interface Membership {
  org: string
  role: Role
  status: MembershipStatus
}

/** Who belongs to which organisation with which role (`meta.memberships`). */
export class MembershipRepository {
  constructor(private readonly engine: Engine) {}

  /**
   * Gives a user a role in an organisation, replacing any role they had there. A new membership
   * gets `status` (active unless said); an existing one keeps its status unless one is given.
   */
  async set(
    org: string,
    userId: string,
    role: Role,
    options: { status?: MembershipStatus; invitedBy?: string } = {},
  ): Promise<void> {
    RoleSchema.parse(role)
    await this.engine.transaction(async (s) => {
      const [current] = await s.query<{ status: MembershipStatus | null; invited_by: string | null }>(
        'SELECT status, invited_by FROM meta.memberships WHERE org = $1 AND user_id = $2',
        [org, userId],
      )
      await s.run('DELETE FROM meta.memberships WHERE org = $1 AND user_id = $2', [org, userId])
      await s.run(
        'INSERT INTO meta.memberships (org, user_id, role, status, invited_by) VALUES ($1, $2, $3, $4, $5)',
        [
          org,
          userId,
          role,
          options.status ?? current?.status ?? 'active',
          options.invitedBy ?? current?.invited_by ?? null,
        ],
      )
    })
  }

  /** Changes the status of an existing membership (nothing happens when there is none). */
  async setStatus(org: string, userId: string, status: MembershipStatus): Promise<void> {
    await this.engine.run('UPDATE meta.memberships SET status = $3 WHERE org = $1 AND user_id = $2', [
      org,
      userId,
      status,
    ])
  }

  /** Removes a user from an organisation (nothing happens when they were not a member). */
  async remove(org: string, userId: string): Promise<void> {
    await this.engine.run('DELETE FROM meta.memberships WHERE org = $1 AND user_id = $2', [org, userId])
  }

  /** The user's role in the organisation, or null when they are not an active member of it. */
  async roleIn(userId: string, org: string): Promise<Role | null> {
    const m = await this.of(userId, org)
    return m?.status === 'active' ? m.role : null
  }

  /** The user's membership of the organisation in any status, or null. */
  async of(userId: string, org: string): Promise<Membership | null> {
    const rows = await this.engine.query<{ role: Role; status: MembershipStatus | null }>(
      'SELECT role, status FROM meta.memberships WHERE user_id = $1 AND org = $2',
      [userId, org],
    )
    return rows[0] ? { org, role: rows[0].role, status: rows[0].status ?? 'active' } : null
  }

  /** Who invited the user to the organisation (a user id), when they were invited. */
  async invitedBy(userId: string, org: string): Promise<string | null> {
    const rows = await this.engine.query<{ invited_by: string | null }>(
      'SELECT invited_by FROM meta.memberships WHERE user_id = $1 AND org = $2',
      [userId, org],
    )
    return rows[0]?.invited_by ?? null
  }

  /** Every membership of a user (active, invited and disabled), by organisation. */
  async ofUser(userId: string): Promise<Membership[]> {
    const rows = await this.engine.query<{ org: string; role: Role; status: MembershipStatus | null }>(
      'SELECT org, role, status FROM meta.memberships WHERE user_id = $1 ORDER BY org',
      [userId],
    )
    return rows.map((r) => ({ org: r.org, role: r.role, status: r.status ?? 'active' }))
  }

  /** The members of an organisation (in any status), with their role. */
  async ofOrg(org: string): Promise<{ user: User; role: Role; status: MembershipStatus }[]> {
    const rows = await this.engine.query<{
      id: string
      email: string
      name: string | null
      disabled: boolean
      created_at: string
      role: Role
      status: MembershipStatus | null
    }>(
      `SELECT u.id, u.email, u.name, u.disabled, u.created_at, m.role, m.status
       FROM meta.memberships m JOIN meta.users u ON u.id = m.user_id WHERE m.org = $1 ORDER BY u.email`,
      [org],
    )
    return rows.map((r) => ({ user: toUser(r), role: r.role, status: r.status ?? 'active' }))
  }
}
