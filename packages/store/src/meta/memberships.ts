import { type Role, Role as RoleSchema } from '@ahub/core'
import type { Engine } from '../engine'
import { toUser, type User } from './users'

/** Who belongs to which organisation with which role (`meta.memberships`). */
export class MembershipRepository {
  constructor(private readonly engine: Engine) {}

  /** Gives a user a role in an organisation, replacing any role they had there. */
  async set(org: string, userId: string, role: Role): Promise<void> {
    RoleSchema.parse(role)
    await this.engine.transaction(async (s) => {
      await s.run('DELETE FROM meta.memberships WHERE org = $1 AND user_id = $2', [org, userId])
      await s.run('INSERT INTO meta.memberships (org, user_id, role) VALUES ($1, $2, $3)', [
        org,
        userId,
        role,
      ])
    })
  }

  /** Removes a user from an organisation (nothing happens when they were not a member). */
  async remove(org: string, userId: string): Promise<void> {
    await this.engine.run('DELETE FROM meta.memberships WHERE org = $1 AND user_id = $2', [org, userId])
  }

  /** The user's role in the organisation, or null when they are not a member. */
  async roleIn(userId: string, org: string): Promise<Role | null> {
    const rows = await this.engine.query<{ role: Role }>(
      'SELECT role FROM meta.memberships WHERE user_id = $1 AND org = $2',
      [userId, org],
    )
    return rows[0]?.role ?? null
  }

  /** The organisations a user belongs to, with their role in each. */
  async ofUser(userId: string): Promise<{ org: string; role: Role }[]> {
    return this.engine.query<{ org: string; role: Role }>(
      'SELECT org, role FROM meta.memberships WHERE user_id = $1 ORDER BY org',
      [userId],
    )
  }

  /** The members of an organisation, with their role. */
  async ofOrg(org: string): Promise<{ user: User; role: Role }[]> {
    const rows = await this.engine.query<{
      id: string
      email: string
      name: string | null
      disabled: boolean
      created_at: string
      role: Role
    }>(
      `SELECT u.id, u.email, u.name, u.disabled, u.created_at, m.role
       FROM meta.memberships m JOIN meta.users u ON u.id = m.user_id WHERE m.org = $1 ORDER BY u.email`,
      [org],
    )
    return rows.map((r) => ({ user: toUser(r), role: r.role }))
  }
}
