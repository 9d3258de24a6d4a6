import { randomBytes } from 'node:crypto'
import { AppError } from '@ahub/core'
import type { CredentialRepository, User, UserRepository } from '@ahub/store'
import { type Algorithm, hash, verify } from '@node-rs/argon2'

/**
 * argon2id with RFC 9106's second recommended setting (64 MiB, 3 passes, 4 lanes); ADR 0006 says
 * why. The parameters travel in each PHC string, so raising them later re-hashes on sign-in.
 */
export const ARGON2_PARAMS = {
  algorithm: 2 as Algorithm, // argon2id (a const enum in the typings, so spelled as its value)
  memoryCost: 65_536,
  timeCost: 3,
  parallelism: 4,
  outputLen: 32,
} as const

const MIN_PASSWORD = 12
const MAX_PASSWORD = 1024

/** Hashes a password with argon2id and a fresh salt; returns the PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS)
}

/** A random password for the first admin: 24 characters of base64url (144 bits). */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url')
}

/** Checks a new password's length; throws VALIDATION_FAILED otherwise. */
export function assertPasswordAcceptable(password: string): void {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD)
    throw new AppError('VALIDATION_FAILED', `A password has ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`, {
      details: { issues: [{ path: ['password'], message: `${MIN_PASSWORD} to ${MAX_PASSWORD} characters` }] },
    })
}

/** Local passwords of the built-in provider: set, and check against the stored argon2id hash. */
export class PasswordService {
  // Checked when the e-mail is unknown or has no password, so every failure costs one argon2 run.
  private readonly dummy: Promise<string> = hashPassword(randomPassword())

  constructor(
    private readonly users: UserRepository,
    private readonly credentials: CredentialRepository,
  ) {}

  /** Sets (or resets) a user's password. */
  async set(userId: string, password: string): Promise<void> {
    assertPasswordAcceptable(password)
    await this.users.get(userId)
    await this.credentials.setPasswordHash(userId, await hashPassword(password))
  }

  /** True when the user has a local password. */
  async has(userId: string): Promise<boolean> {
    return (await this.credentials.passwordHash(userId)) !== undefined
  }

  /**
   * The user with this e-mail and password, or null. Unknown e-mail, no password, wrong password
   * and disabled user all answer null after the same amount of hashing work.
   */
  async check(email: string, password: string): Promise<User | null> {
    if (password.length > MAX_PASSWORD) return null
    const user = await this.users.findByEmail(email)
    const stored = user ? await this.credentials.passwordHash(user.id) : undefined
    const ok = await verify(stored ?? (await this.dummy), password).catch(() => false)
    if (!user || !stored || !ok || user.disabled) return null
    if (
      !stored.includes(
        `$m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}$`,
      )
    )
      await this.credentials.setPasswordHash(user.id, await hashPassword(password))
    return user
  }
}
