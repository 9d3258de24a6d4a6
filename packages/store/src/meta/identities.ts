import type { Engine } from '../engine'

/** A user's account at an OpenID provider: the provider's issuer and its subject for the user. */
export interface Identity {
  issuer: string
  subject: string
  userId: string
  email: string | null
  createdAt: string
  lastSignInAt: string | null
}

interface IdentityRow {
  issuer: string
  subject: string
  user_id: string
  email: string | null
  created_at: string
  last_sign_in_at: string | null
}

const toIdentity = (r: IdentityRow): Identity => ({
  issuer: r.issuer,
  subject: r.subject,
  userId: r.user_id,
  email: r.email,
  createdAt: String(r.created_at),
  lastSignInAt: r.last_sign_in_at === null ? null : String(r.last_sign_in_at),
})

/** Maps (issuer, subject) from a verified token to a user; e-mail is never the key after linking. */
export class IdentityRepository {
  constructor(private readonly engine: Engine) {}

  /** The identity an issuer's subject is linked to, if any. */
  async find(issuer: string, subject: string): Promise<Identity | undefined> {
    const rows = await this.engine.query<IdentityRow>(
      'SELECT * FROM meta.identities WHERE issuer = $1 AND subject = $2',
      [issuer, subject],
    )
    return rows[0] && toIdentity(rows[0])
  }

  /** Links an issuer's subject to a user; linking the same pair again keeps the first link. */
  async link(issuer: string, subject: string, userId: string, email: string | null): Promise<Identity> {
    await this.engine.run(
      `INSERT INTO meta.identities (issuer, subject, user_id, email, created_at)
       VALUES ($1, $2, $3, $4, current_timestamp) ON CONFLICT DO NOTHING`,
      [issuer, subject, userId, email],
    )
    return (await this.find(issuer, subject))!
  }

  /** Records a successful sign-in. */
  async touch(issuer: string, subject: string): Promise<void> {
    await this.engine.run(
      'UPDATE meta.identities SET last_sign_in_at = current_timestamp WHERE issuer = $1 AND subject = $2',
      [issuer, subject],
    )
  }

  /** Every identity linked to a user. */
  async ofUser(userId: string): Promise<Identity[]> {
    const rows = await this.engine.query<IdentityRow>(
      'SELECT * FROM meta.identities WHERE user_id = $1 ORDER BY issuer, subject',
      [userId],
    )
    return rows.map(toIdentity)
  }
}
