import { CredentialRepository, Store, UserRepository } from '@ahub/store'
import { verify } from '@node-rs/argon2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LoginThrottle } from './login-throttle'
import { ARGON2_PARAMS, hashPassword, PasswordService, randomPassword } from './passwords'

describe('local passwords', () => {
  let store: Store
  let passwords: PasswordService
  let credentials: CredentialRepository
  let users: UserRepository

  beforeAll(async () => {
    store = await Store.open({ dataDir: ':memory:' })
    users = new UserRepository(store.engine)
    credentials = new CredentialRepository(store.engine)
    passwords = new PasswordService(users, credentials)
  })
  afterAll(() => store.close())

  it('hashes with argon2id, 64 MiB, 3 passes, 4 lanes and a fresh salt', async () => {
    const a = await hashPassword('correct horse battery staple')
    const b = await hashPassword('correct horse battery staple')
    expect(a).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/)
    expect(a).not.toBe(b)
    expect(await verify(a, 'correct horse battery staple')).toBe(true)
    expect(ARGON2_PARAMS).toMatchObject({ memoryCost: 65_536, timeCost: 3, parallelism: 4 })
  })

  it('checks the right password, refuses wrong, unknown and disabled alike', async () => {
    const user = await users.create({ email: 'cat@example.com' })
    await passwords.set(user.id, 'correct horse battery staple')
    expect((await credentials.passwordHash(user.id))?.includes('correct')).toBe(false)
    expect((await passwords.check('CAT@example.com', 'correct horse battery staple'))?.id).toBe(user.id)
    expect(await passwords.check('cat@example.com', 'wrong horse battery staple')).toBeNull()
    expect(await passwords.check('nobody@example.com', 'correct horse battery staple')).toBeNull()
    await users.setDisabled(user.id, true)
    expect(await passwords.check('cat@example.com', 'correct horse battery staple')).toBeNull()
  })

  it('refuses passwords that are too short, and makes random ones long enough', async () => {
    const user = await users.create({ email: 'dan@example.com' })
    await expect(passwords.set(user.id, 'short')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(randomPassword()).toMatch(/^[A-Za-z0-9_-]{24}$/)
  })

  it('re-hashes a password stored with older parameters on the next sign-in', async () => {
    const user = await users.create({ email: 'eve@example.com' })
    const { hash } = await import('@node-rs/argon2')
    await credentials.setPasswordHash(
      user.id,
      await hash('an old but fine password', { memoryCost: 19_456, timeCost: 2, parallelism: 1 }),
    )
    expect(await passwords.check('eve@example.com', 'an old but fine password')).not.toBeNull()
    expect(await credentials.passwordHash(user.id)).toMatch(/m=65536,t=3,p=4/)
  })

  it('bounds concurrent argon2 work: beyond the checks in flight and waiting, SIGNIN_BUSY at once', async () => {
    const tight = new PasswordService(users, credentials, new LoginThrottle(), { inFlight: 1, waiting: 2 })
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => tight.check('nobody@example.com', `guess ${i}`)),
    )
    const busy = outcomes.filter((o) => o.status === 'rejected' && o.reason?.code === 'SIGNIN_BUSY')
    expect(busy).toHaveLength(5)
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === null)).toHaveLength(3)
    // Once the flood is over, checks run again.
    expect(await tight.check('nobody@example.com', 'later')).toBeNull()
  })

  it('counts an attempt before checking it, so concurrent guesses cannot pass the limit', async () => {
    const user = await users.create({ email: 'dee@example.com' })
    await passwords.set(user.id, 'the right password')
    const guarded = new PasswordService(
      users,
      credentials,
      new LoginThrottle({ perAccount: 5, perAddress: 100, windowMs: 60_000 }),
    )
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => guarded.attempt('dee@example.com', `guess ${i}`, '10.0.0.1')),
    )
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5)
    const limited = outcomes.filter((o) => o.status === 'rejected' && o.reason?.code === 'RATE_LIMITED')
    expect(limited).toHaveLength(15)
    await expect(guarded.attempt('dee@example.com', 'the right password', '10.0.0.1')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: expect.any(Number) },
    })
  })
})
