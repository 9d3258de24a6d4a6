import { describe, expect, it } from 'vitest'
import { checkSchedule, nextLaunches, parseCron } from './schedule'

const after = new Date('2026-03-27T12:00:00Z')
const iso = (ds: Date[]) => ds.map((d) => d.toISOString())

describe('schedules', () => {
  it('previews the next 10 launches of a daily schedule in a time zone, across a DST change', () => {
    const got = iso(
      nextLaunches({ config: { kind: 'daily', times: ['09:00'] }, timeZone: 'Europe/Paris' }, after),
    )
    expect(got).toHaveLength(10)
    expect(got[0]).toBe('2026-03-28T08:00:00.000Z')
    expect(got[1]).toBe('2026-03-29T07:00:00.000Z') // summer time from 29 March
  })

  it('follows the documented DST rule in Europe/Paris on both changes of 2026, as audience schedules do', () => {
    const cron = (after: string) =>
      iso(
        nextLaunches(
          { config: { kind: 'cron', expression: '30 2 * * *' }, timeZone: 'Europe/Paris' },
          new Date(after),
          3,
        ),
      )
    // 29 March: 02:30 does not exist; it runs at 03:00 CEST (01:00Z) rather than skip the day.
    expect(cron('2026-03-28T00:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ])
    // 25 October: 02:30 happens twice; it runs once, at the first (CEST, 00:30Z).
    expect(cron('2026-10-24T00:00:00Z')).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ])
    // The daily form of the same time behaves the same.
    expect(
      iso(
        nextLaunches(
          { config: { kind: 'daily', times: ['02:30'] }, timeZone: 'Europe/Paris' },
          new Date('2026-03-28T00:00:00Z'),
          3,
        ),
      ),
    ).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'])
  })

  it('runs when either day field matches, when both are restricted (Vixie cron)', () => {
    expect(
      iso(
        nextLaunches(
          { config: { kind: 'cron', expression: '0 0 13 * fri' }, timeZone: 'UTC' },
          new Date('2026-04-01T00:00:00Z'),
          4,
        ),
      ),
    ).toEqual([
      '2026-04-03T00:00:00.000Z',
      '2026-04-10T00:00:00.000Z',
      '2026-04-13T00:00:00.000Z',
      '2026-04-17T00:00:00.000Z',
    ])
    expect(() => parseCron('0 0 0 * * *')).toThrow(/5 fields/)
  })

  it('runs several times a day, weekly, monthly and by cron', () => {
    expect(
      iso(nextLaunches({ config: { kind: 'daily', times: ['18:00', '06:30'] }, timeZone: 'UTC' }, after, 3)),
    ).toEqual(['2026-03-27T18:00:00.000Z', '2026-03-28T06:30:00.000Z', '2026-03-28T18:00:00.000Z'])
    expect(
      iso(
        nextLaunches({ config: { kind: 'weekly', days: ['mon'], time: '10:00' }, timeZone: 'UTC' }, after, 2),
      ),
    ).toEqual(['2026-03-30T10:00:00.000Z', '2026-04-06T10:00:00.000Z'])
    expect(
      iso(
        nextLaunches({ config: { kind: 'monthly', days: [31], time: '00:00' }, timeZone: 'UTC' }, after, 2),
      ),
    ).toEqual(['2026-03-31T00:00:00.000Z', '2026-05-31T00:00:00.000Z'])
    expect(
      iso(
        nextLaunches({ config: { kind: 'cron', expression: '*/20 13 * * fri' }, timeZone: 'UTC' }, after, 4),
      ),
    ).toEqual([
      '2026-03-27T13:00:00.000Z',
      '2026-03-27T13:20:00.000Z',
      '2026-03-27T13:40:00.000Z',
      '2026-04-03T13:00:00.000Z',
    ])
  })

  it('respects the validity window and one-off launches', () => {
    const s = {
      config: { kind: 'daily' as const, times: ['09:00'] },
      timeZone: 'UTC',
      validFrom: '2026-04-01T00:00:00Z',
      validUntil: '2026-04-03T00:00:00Z',
    }
    expect(iso(nextLaunches(s, after))).toEqual(['2026-04-01T09:00:00.000Z', '2026-04-02T09:00:00.000Z'])
    expect(
      iso(nextLaunches({ config: { kind: 'once', at: '2026-01-01T00:00:00Z' }, timeZone: 'UTC' }, after)),
    ).toEqual([])
  })

  it('reports bad cron expressions, unknown zones and empty windows', () => {
    expect(() => parseCron('* * *')).toThrow()
    expect(() => parseCron('0 25 * * *')).toThrow()
    const issues = checkSchedule({
      config: { kind: 'cron', expression: '0 0 32 * *' },
      timeZone: 'Mars/Olympus',
      validFrom: '2026-02-01T00:00:00Z',
      validUntil: '2026-01-01T00:00:00Z',
    })
    expect(issues.map((i) => i.path.join('.'))).toEqual(['timeZone', 'schedule.expression', 'validUntil'])
  })
})
