import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AppError, parseSchemaText } from '@ahub/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../store'

let dir: string
let store: Store

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    return e as AppError
  }
  throw new Error('expected the call to fail')
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ahub-schedules-'))
  store = await Store.open({ dataDir: join(dir, 'data') })
  await store.createOrg('acme', 'Acme')
  await store.catalog.apply(
    'acme',
    parseSchemaText(`tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      score: { type: integer }
`),
  )
  writeFileSync(join(dir, 'p.csv'), 'id,score\np1,10\np2,60\np3,70\n')
  await store.ingestor.ingest('acme', 'profiles', join(dir, 'p.csv'))
})

afterAll(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

const high = { kind: 'condition', field: 'score', op: '>=', value: 50 }

describe('scheduled refresh of query audiences', () => {
  it('refreshes when the launch has come, once for launches missed while down, and moves on', async () => {
    const { audience } = await store.audiences.create('acme', { type: 'query', label: 'high', rule: high })
    const set = await store.audienceSchedules.set('acme', audience.id, {
      cron: '0 6 * * *',
      timeZone: 'Europe/Paris',
    })
    // 06:00 in Paris is 05:00 or 04:00 UTC depending on the season.
    expect(new Date(set.nextRun).getUTCHours()).toBeOneOf([4, 5])
    expect(set.lastRun).toBeNull()
    // Nothing is due before the launch.
    expect(await store.audienceSchedules.tick(new Date(Date.parse(set.nextRun) - 60_000))).toEqual({
      refreshed: [],
      failed: [],
    })
    await store.engine.run("UPDATE org_acme.profiles SET score = 90 WHERE id = 'p1'")
    // Three days later: three launches were missed; one refresh catches up.
    const later = new Date(Date.parse(set.nextRun) + 3 * 86_400_000 + 60_000)
    const tick = await store.audienceSchedules.tick(later)
    expect(tick).toEqual({ refreshed: [{ audience: audience.id, version: 2 }], failed: [] })
    expect((await store.audiences.get('acme', audience.id)).size).toBe(3)
    const after = (await store.audienceSchedules.get('acme', audience.id))!
    expect(Date.parse(after.nextRun)).toBeGreaterThan(later.getTime())
    expect(after).toMatchObject({ lastVersion: 2, lastError: null })
    expect(after.lastRun).not.toBeNull()
    expect((await store.audienceSchedules.tick(later)).refreshed).toEqual([])
  })

  it('previews launches and refuses bad cron expressions, unknown zones and non-query audiences', async () => {
    const runs = store.audienceSchedules.preview('0 */6 * * *', 'UTC', 4, new Date('2026-01-01T01:00:00Z'))
    expect(runs).toEqual([
      '2026-01-01T06:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
      '2026-01-01T18:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
    ])
    const { audience } = await store.audiences.create('acme', { type: 'query', label: 'q2', rule: high })
    for (const input of [{ cron: 'every day' }, { cron: '0 6 * * *', timeZone: 'Mars/Olympus' }])
      expect(await errorOf(store.audienceSchedules.set('acme', audience.id, input))).toMatchObject({
        code: 'AUDIENCE_SCHEDULE_INVALID',
      })
    const list = await store.audiences.create('acme', {
      type: 'list',
      label: 'l',
      dimension: 'profiles',
      members: ['p1'],
    })
    expect(
      await errorOf(store.audienceSchedules.set('acme', list.audience.id, { cron: '0 6 * * *' })),
    ).toMatchObject({
      code: 'AUDIENCE_TYPE_NOT_ALLOWED',
    })
    expect(
      await errorOf(store.audienceSchedules.set('other', audience.id, { cron: '0 6 * * *' })),
    ).toMatchObject({
      code: 'AUDIENCE_NOT_FOUND',
    })
  })

  it('follows the documented DST rule in Europe/Paris on both changes of 2026', () => {
    const paris = (after: string) =>
      store.audienceSchedules.preview('30 2 * * *', 'Europe/Paris', 3, new Date(after))
    // 29 March: 02:30 does not exist; it runs at 03:00 CEST (01:00Z).
    expect(paris('2026-03-28T00:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ])
    // 25 October: 02:30 happens twice; it runs once, at the first (CEST, 00:30Z).
    expect(paris('2026-10-24T00:00:00Z')).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ])
  })

  it('keeps the error of a failed refresh and drops the schedule of a deleted audience', async () => {
    const { audience } = await store.audiences.create('acme', {
      type: 'query',
      label: 'short-lived',
      rule: high,
      expiryDays: 1,
    })
    const set = await store.audienceSchedules.set('acme', audience.id, { cron: '*/5 * * * *' })
    // Created two days ago: past its one-day expiry.
    await store.engine.run(
      'UPDATE meta.audiences SET created_at = current_timestamp - INTERVAL 2 DAY WHERE id = $1',
      [audience.id],
    )
    const twoDays = new Date(Date.parse(set.nextRun) + 60_000)
    const tick = await store.audienceSchedules.tick(twoDays)
    expect(tick.failed).toEqual([{ audience: audience.id, code: 'AUDIENCE_EXPIRED' }])
    expect((await store.audienceSchedules.get('acme', audience.id))!.lastError).toMatchObject({
      code: 'AUDIENCE_EXPIRED',
    })
    await store.audiences.delete('acme', audience.id)
    await store.audienceSchedules.tick(twoDays)
    const left = await store.engine.query('SELECT * FROM meta.audience_schedules WHERE audience = $1', [
      audience.id,
    ])
    expect(left).toEqual([])
  })
})
