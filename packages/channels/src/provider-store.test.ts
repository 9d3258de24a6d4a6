import { SecretBox } from '@ahub/hub'
import { DuckDBEngine, type Engine } from '@ahub/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrateChannels } from './migrations'
import { ProviderStore } from './provider-store'

const KEY = Buffer.from('b2'.repeat(32), 'hex')
let engine: Engine
let store: ProviderStore

beforeEach(async () => {
  engine = await DuckDBEngine.open({ path: ':memory:' })
  await migrateChannels(engine)
  store = new ProviderStore(new SecretBox(KEY))
})
afterEach(async () => engine.close())

const SETTINGS = {
  kind: 'email',
  host: 'smtp.example.org',
  port: 587,
  user: 'mailer',
  password: 'hunter2-secret',
  dkim: { domainName: 'example.org', keySelector: 's1', privateKey: '-----BEGIN PRIVATE KEY-----secretkey' },
}

describe('provider settings', () => {
  it('are sealed at rest and write-only: info and list name the configured settings, never their values', async () => {
    const info = await store.put(engine, 'acme', 'mail', SETTINGS)
    expect(info).toMatchObject({ id: 'mail', kind: 'email' })
    expect(info.configured).toEqual(expect.arrayContaining(['host', 'password', 'dkim', 'user']))
    const everything = JSON.stringify([info, await store.list(engine, 'acme')])
    for (const secret of ['hunter2-secret', 'secretkey', 'smtp.example.org'])
      expect(everything).not.toContain(secret)

    const raw = JSON.stringify(await engine.query('SELECT * FROM meta.channel_providers'))
    for (const secret of ['hunter2-secret', 'secretkey', 'mailer']) expect(raw).not.toContain(secret)

    expect(await store.open(engine, 'acme', 'mail')).toMatchObject({ password: 'hunter2-secret', port: 587 })
  })

  it('a sealed value does not open under another org, and not with another master key', async () => {
    await store.put(engine, 'acme', 'mail', SETTINGS)
    const sealed = (
      await engine.query<{ settings: string }>('SELECT settings FROM meta.channel_providers')
    )[0]!.settings
    await engine.run(
      `INSERT INTO meta.channel_providers VALUES ('other', 'mail', 'email', $1, now(), now())`,
      [sealed],
    )
    await expect(store.open(engine, 'other', 'mail')).rejects.toMatchObject({
      code: 'HUB_MASTER_KEY_INVALID',
    })
    const stranger = new ProviderStore(new SecretBox(Buffer.alloc(32, 7)))
    await expect(stranger.open(engine, 'acme', 'mail')).rejects.toMatchObject({
      code: 'HUB_MASTER_KEY_INVALID',
    })
  })

  it('replaces settings in place, keeps orgs apart and refuses bad input with coded errors', async () => {
    await store.put(engine, 'acme', 'mail', SETTINGS, new Date('2026-01-01T00:00:00Z'))
    const again = await store.put(
      engine,
      'acme',
      'mail',
      { kind: 'email', host: 'relay2' },
      new Date('2026-02-01T00:00:00Z'),
    )
    expect(again.createdAt).toBe('2026-01-01T00:00:00.000Z')
    expect(again.updatedAt).toBe('2026-02-01T00:00:00.000Z')
    expect((await store.open(engine, 'acme', 'mail')).host).toBe('relay2')
    expect(await store.list(engine, 'beta')).toEqual([])
    await expect(store.open(engine, 'beta', 'mail')).rejects.toMatchObject({
      code: 'CHANNEL_PROVIDER_NOT_FOUND',
    })

    const bad = store.put(engine, 'acme', 'm2', {
      kind: 'email',
      host: '',
      port: 70_000,
      password: 'leak-me',
      extra: 1,
    })
    await expect(bad).rejects.toMatchObject({ code: 'CHANNEL_PROVIDER_INVALID' })
    const err = await bad.catch((e: unknown) => e)
    expect(JSON.stringify(err)).not.toContain('leak-me')
    await expect(store.put(engine, 'acme', 'Bad-Id', SETTINGS)).rejects.toMatchObject({
      code: 'INVALID_IDENTIFIER',
    })

    await store.remove(engine, 'acme', 'mail')
    expect(await store.list(engine, 'acme')).toEqual([])
  })
})
