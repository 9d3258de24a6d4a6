import { randomBytes } from 'node:crypto'
import { AppError } from '@ahub/core'
import type { CredentialRepository, User, UserRepository } from '@ahub/store'
import { type Algorithm, hash, verify } from '@node-rs/argon2'
import { LoginThrottle } from './login-throttle'

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

/**
 * How much argon2 work may run at once: each check holds 64 MiB, so a flood of sign-ins must not
 * exhaust memory. Beyond `inFlight` checks, up to `waiting` more wait their turn; further ones are
 * refused at once with SIGNIN_BUSY (503). `AHUB_ARGON2_IN_FLIGHT` and `AHUB_ARGON2_WAITING` set them.
 */
export interface Argon2Limits {
  inFlight: number
  waiting: number
}

export function argon2LimitsFromEnv(env: NodeJS.ProcessEnv = process.env): Argon2Limits {
  const int = (v: string | undefined, d: number) => (v && /^[1-9]\d{0,3}$/.test(v) ? Number(v) : d)
  return { inFlight: int(env.AHUB_ARGON2_IN_FLIGHT, 4), waiting: int(env.AHUB_ARGON2_WAITING, 16) }
}

/** A counting semaphore with a bounded queue, for argon2 work. */
class Argon2Gate {
  private running = 0
  private readonly queue: (() => void)[] = []

  constructor(private readonly limits: Argon2Limits) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.inFlight) {
      if (this.queue.length >= this.limits.waiting)
        throw new AppError('SIGNIN_BUSY', 'Too many password checks at once; try again in a moment', {
          details: { retryAfterSeconds: 1 },
        })
      await new Promise<void>((resolve) => this.queue.push(resolve))
    } else this.running++
    try {
      return await work()
    } finally {
      const next = this.queue.shift()
      if (next) next()
      else this.running--
    }
  }
}

/** Local passwords of the built-in provider: set, and check against the stored argon2id hash. */
export class PasswordService {
  // Checked when the e-mail is unknown or has no password, so every failure costs one argon2 run.
  private readonly dummy: Promise<string> = hashPassword(randomPassword())
  private readonly gate: Argon2Gate

  constructor(
    private readonly users: UserRepository,
    private readonly credentials: CredentialRepository,
    /** One throttle for every place a password is checked (the sign-in form, password changes). */
    readonly throttle: LoginThrottle = new LoginThrottle(),
    limits: Argon2Limits = argon2LimitsFromEnv(),
  ) {
    this.gate = new Argon2Gate(limits)
  }

  /**
   * A throttled check, for every place a person types a password: the attempt is counted before
   * the check (RATE_LIMITED with `details.retryAfterSeconds` when the account or address has used
   * its attempts), and given back when the password is right.
   */
  async attempt(email: string, password: string, ip: string): Promise<User | null> {
    const wait = this.throttle.reserve(email, ip)
    if (wait > 0)
      throw new AppError(
        'RATE_LIMITED',
        `Too many failed attempts; try again in ${Math.ceil(wait / 60)} minute(s)`,
        {
          details: { retryAfterSeconds: wait },
        },
      )
    const user = await this.check(email, password)
    if (user) this.throttle.succeeded(email, ip)
    return user
  }

  /** Sets (or resets) a user's password. */
  async set(userId: string, password: string): Promise<void> {
    assertPasswordAcceptable(password)
    await this.users.get(userId)
    await this.credentials.setPasswordHash(userId, await this.gate.run(() => hashPassword(password)))
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
    const dummy = await this.dummy
    const ok = await this.gate.run(() => verify(stored ?? dummy, password).catch(() => false))
    if (!user || !stored || !ok || user.disabled) return null
    if (
      !stored.includes(
        `$m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}$`,
      )
    )
      await this.credentials.setPasswordHash(user.id, await this.gate.run(() => hashPassword(password)))
    return user
  }
}
