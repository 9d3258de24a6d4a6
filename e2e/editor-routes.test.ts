import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp, openCampaigns, TokenRepository } from '@ahub/server'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SCHEMA = `
tables:
  profiles:
    primaryKey: [id]
    fields:
      id: { type: string, nullable: false }
      score: { type: integer }
      email: { type: string }
`

// Issue 15: the canvas's schedule editor and expression editor check as the user types; nothing saved.
describe('schedule preview and expression validation routes', () => {
  let dir: string
  let store: Store
  let app: App
  let reader = ''

  async function post(url: string, body: unknown, bearer = reader) {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/orgs/acme${url}`,
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      payload: body as object,
    })
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON answers, checked by the assertions
    return { status: res.statusCode, json: JSON.parse(res.body) as any }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahub-e2e-editors-'))
    store = await Store.open({ dataDir: join(dir, 'data') })
    await store.createOrg('acme', 'acme')
    await store.catalog.apply('acme', parseSchemaText(SCHEMA))
    const first = await bootstrapAdmin(store, 'acme', true)
    reader = (
      await new TokenRepository(store.engine).create({
        org: 'acme',
        userId: first.user.id,
        name: 'reader',
        scopes: ['read'],
      })
    ).secret
    app = await buildApp({ store, rateLimit: false, campaigns: await openCampaigns(store) })
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
    await store?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('gives the next five launches of a weekly schedule in its time zone, across a DST change', async () => {
    const r = await post('/campaigns/schedule-preview', {
      schedule: { kind: 'weekly', days: ['mon', 'thu'], time: '09:30' },
      timeZone: 'Europe/Paris',
    })
    expect(r.status).toBe(200)
    expect(r.json.next).toHaveLength(5)
    const times = r.json.next.map((s: string) => new Date(s))
    for (let i = 1; i < times.length; i++) expect(times[i].getTime()).toBeGreaterThan(times[i - 1].getTime())
    for (const t of times) {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      }).format(t)
      expect(local).toMatch(/^(Mon|Thu) 09:30$/)
    }
  })

  it('stops at the validity window and gives one launch for a one-off', async () => {
    const now = Date.now()
    const daily = await post('/campaigns/schedule-preview', {
      schedule: { kind: 'daily', times: ['08:00'] },
      timeZone: 'UTC',
      validUntil: new Date(now + 2.5 * 86_400_000).toISOString(),
    })
    expect(daily.status).toBe(200)
    expect(daily.json.next.length).toBeGreaterThanOrEqual(2)
    expect(daily.json.next.length).toBeLessThanOrEqual(3)
    const at = new Date(now + 86_400_000).toISOString()
    const once = await post('/campaigns/schedule-preview', {
      schedule: { kind: 'once', at },
      timeZone: 'UTC',
    })
    expect(once.json.next).toEqual([at])
  })

  it('answers 400 with a coded error for a bad cron, an unknown zone or a malformed schedule', async () => {
    const cron = await post('/campaigns/schedule-preview', {
      schedule: { kind: 'cron', expression: '61 * * * *' },
      timeZone: 'Mars/Olympus',
    })
    expect(cron.status).toBe(400)
    expect(cron.json.error.code).toBe('CAMPAIGN_INVALID')
    const issues = cron.json.error.details.issues
    expect(issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual([
      'schedule.expression',
      'timeZone',
    ])
    expect(issues.every((i: { code: string }) => i.code === 'CAMPAIGN_BAD_SCHEDULE')).toBe(true)
    const shape = await post('/campaigns/schedule-preview', {
      schedule: { kind: 'daily', times: ['25:00'] },
      timeZone: 'UTC',
    })
    expect(shape.status).toBe(400)
    expect(shape.json.error.code).toBe('VALIDATION_FAILED')
  })

  it('validates an expression with line and column, and needs a token', async () => {
    expect((await post('/expressions/validate', { expression: 'score * 2' })).json).toEqual({
      valid: true,
      issues: [],
    })
    const parse = await post('/expressions/validate', { expression: 'score *\n  (2 +' })
    expect(parse.status).toBe(200)
    expect(parse.json.valid).toBe(false)
    expect(parse.json.issues[0]).toMatchObject({ code: 'EXPR_PARSE', line: 2 })
    const typed = await post('/expressions/validate', { expression: "score + 'a'", dimension: 'profiles' })
    expect(typed.json.issues[0]).toMatchObject({ code: 'EXPR_TYPE', line: 1, column: expect.any(Number) })
    const unknown = await post('/expressions/validate', { expression: 'nope + 1' })
    expect(unknown.json.issues[0].code).toMatch(/UNKNOWN/)
    expect((await post('/expressions/validate', { expression: '1' }, '')).status).toBe(401)
    expect((await post('/campaigns/schedule-preview', { schedule: {}, timeZone: 'UTC' }, '')).status).toBe(
      401,
    )
  })
})
