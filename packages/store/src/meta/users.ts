import { AppError, newId } from '@ahub/core'
import type { Engine } from '../engine'

/** A person who can sign in; roles come from memberships, one per organisation. */
export interface User {
  id: string
  email: string
  name: string | null
  disabled: boolean
  createdAt: string
}

interface UserRow {
  id: string
  email: string
  name: string | null
  disabled: boolean
  created_at: string | Date
}

/** Turns a stored row into a User. */
export function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    disabled: r.disabled,
    createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
  }
}

/**
 * The local part of a user's address: letters and digits of any script, and the other characters
 * RFC 5322 allows unquoted, in dot-separated words. No controls, no invisible or direction-changing
 * characters (U+202E), no markup (`<`, `>`, quotes): an address is shown to other people.
 */
const USER_LOCAL_PART = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u
/** The domain: ASCII labels (IDNs in their xn-- form); one label (`localhost`) is allowed. */
const USER_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/

/** Lower-cases and checks a user's e-mail address; throws VALIDATION_FAILED when it is not one. */
export function normaliseUserEmail(email: string): string {
  const e = email.trim().toLowerCase()
  const at = e.lastIndexOf('@')
  if (e.length > 254 || at < 1 || !USER_LOCAL_PART.test(e.slice(0, at)) || !USER_DOMAIN.test(e.slice(at + 1)))
    throw new AppError('VALIDATION_FAILED', `Not an e-mail address: ${JSON.stringify(email.slice(0, 80))}`, {
      details: {
        issues: [
          {
            path: ['email'],
            message: 'an address local@domain, without control, invisible or markup characters',
          },
        ],
      },
    })
  return e
}

const COLUMNS = 'id, email, name, disabled, created_at'

/** Users in `meta.users`; e-mail addresses are stored lower-cased and unique. */
export class UserRepository {
  constructor(private readonly engine: Engine) {}

  /** Creates a user; USER_EXISTS when the (lower-cased) e-mail is taken. */
  async create(input: { email: string; name?: string | null }): Promise<User> {
    const email = normaliseUserEmail(input.email)
    if (await this.findByEmail(email))
      throw new AppError('USER_EXISTS', `A user with e-mail ${email} already exists`, { details: { email } })
    const id = newId('u')
    await this.engine.run('INSERT INTO meta.users (id, email, name) VALUES ($1, $2, $3)', [
      id,
      email,
      input.name ?? null,
    ])
    return this.get(id)
  }

  /** The user with this id; USER_NOT_FOUND otherwise. */
  async get(id: string): Promise<User> {
    const user = await this.find(id)
    if (!user) throw new AppError('USER_NOT_FOUND', `No user "${id}"`, { details: { user: id } })
    return user
  }

  /** The user with this id, or null when there is none (a failing database throws, never null). */
  async find(id: string): Promise<User | null> {
    const rows = await this.engine.query<UserRow>(`SELECT ${COLUMNS} FROM meta.users WHERE id = $1`, [id])
    return rows[0] ? toUser(rows[0]) : null
  }

  /** The user with this e-mail address (any case), or null. */
  async findByEmail(email: string): Promise<User | null> {
    const rows = await this.engine.query<UserRow>(`SELECT ${COLUMNS} FROM meta.users WHERE email = $1`, [
      email.trim().toLowerCase(),
    ])
    return rows[0] ? toUser(rows[0]) : null
  }

  /** Every user, ordered by e-mail. */
  async list(): Promise<User[]> {
    const rows = await this.engine.query<UserRow>(`SELECT ${COLUMNS} FROM meta.users ORDER BY email`)
    return rows.map(toUser)
  }

  /** Disables (or enables again) a user; a disabled user's sign-ins and tokens are refused. */
  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.get(id)
    await this.engine.run('UPDATE meta.users SET disabled = $2 WHERE id = $1', [id, disabled])
  }
}
