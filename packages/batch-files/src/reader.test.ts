import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBatchFile, summariseBatchFile } from './reader'
import type { BatchRecord } from './types'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ahub-batch-read-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

async function all(
  path: string,
  options = {},
): Promise<{ records: BatchRecord[]; report: Awaited<ReturnType<typeof openBatchFile>>['report'] }> {
  const reader = await openBatchFile(path, options)
  const records: BatchRecord[] = []
  for await (const r of reader) records.push(r)
  return { records, report: reader.report }
}

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('reading inbound files', () => {
  it('streams the records and fills the report while reading', async () => {
    const path = await file(
      'ftp_dpm_478_1366545717.sync',
      [
        '59767559181262060060278870901087098252\td_sid=24,d_sid=26,d_sid=27,d_unsid=28,d_unsid=29',
        'e4fe9bde-caa0-47b6-908d-ffba3fa184f2\td_sid=24, d_sid=25',
        '',
        'e4fe9bde-caa0-47b6-908d-ffba3fa184f2\tic=52,product = tablet',
        'ragged line without a tab',
        'u2\td_sid=x1',
        '',
      ].join('\n'),
    )
    const reader = await openBatchFile(path)
    const seen: number[] = []
    for await (const r of reader) seen.push(reader.report.records, r.line)
    expect(seen).toEqual([1, 1, 2, 2, 3, 4])
    const report = reader.report
    expect(report).toMatchObject({
      format: 'inbound',
      name: { dpid: '478', timestamp: 1366545717, mode: 'sync', split: null, gzip: false },
      compressed: false,
      lines: 6,
      blankLines: 1,
      records: 3,
      users: 2,
      usersExact: true,
      traits: { added: 5, removed: 2, signals: 2, ignored: 0, empty: 0 },
      rejected: 2,
      ragged: 1,
      rejectsByCode: { RAGGED_LINE: 1, BAD_TRAIT: 1 },
      done: true,
    })
    expect(report.rejects).toEqual([
      {
        line: 5,
        code: 'RAGGED_LINE',
        reason: 'no TAB between the user ID and the traits',
        raw: 'ragged line without a tab',
      },
      expect.objectContaining({ line: 6, code: 'BAD_TRAIT', raw: 'u2\td_sid=x1' }),
    ])
  })

  it('reads gzip files and CRLF line ends', async () => {
    const path = await file('ftp_dpm_478_1366545717.sync.1.gz', gzipSync('u1\td_sid=1\r\nu2\td_sid=2\r\n'))
    const { records, report } = await all(path)
    expect(records.map((r) => [r.id, r.added])).toEqual([
      ['u1', ['1']],
      ['u2', ['2']],
    ])
    expect(report).toMatchObject({ compressed: true, name: { split: 1, gzip: true }, rejected: 0 })
  })

  it('keeps the first 200 lines of a user and rejects the rest, wherever they are in the file', async () => {
    const lines = Array.from({ length: 201 }, (_, i) => `heavy\td_sid=${i}`)
    lines.splice(100, 0, 'light\td_sid=1')
    const { records, report } = await all(await file('ftp_dpm_1_1366545717.sync', `${lines.join('\n')}\n`))
    expect(records).toHaveLength(201)
    expect(report.rejectsByCode).toEqual({ TOO_MANY_LINES_FOR_USER: 1 })
    expect(report.rejects[0]).toMatchObject({ line: 202, raw: 'heavy\td_sid=200' })
    expect(report.users).toBe(2)
  })

  it('rejects a line over 102 400 bytes and goes on with the next', async () => {
    const long = `big\t${Array.from({ length: 20_000 }, (_, i) => `d_sid=${i}`).join(',')}`
    expect(Buffer.byteLength(long)).toBeGreaterThan(102_400)
    const fits = `fits\td_sid=${'1'.repeat(102_400 - 'fits\td_sid='.length)}`
    expect(Buffer.byteLength(fits)).toBe(102_400)
    const { records, report } = await all(
      await file('ftp_dpm_1_1366545718.sync', `${long}\n${fits}\n${fits}x\nafter\td_sid=5`),
    )
    expect(records.map((r) => r.id)).toEqual(['fits', 'after'])
    expect(report.rejects.map((r) => [r.line, r.code])).toEqual([
      [1, 'LINE_TOO_LONG'],
      [3, 'LINE_TOO_LONG'],
    ])
    expect(report.rejects[0]!.reason).toContain('limit is 102400')
    expect(report.rejects[1]!.reason).toBe('102401 bytes; the limit is 102400')
  })

  it('rejects lines that are not UTF-8', async () => {
    const path = await file(
      'ftp_dpm_1_1366545719.sync',
      Buffer.concat([
        Buffer.from('u1\td_sid=1\nu\xff'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('\td_sid=2\n'),
      ]),
    )
    const { records, report } = await all(path)
    expect(records).toHaveLength(1)
    expect(report.rejectsByCode).toEqual({ INVALID_ENCODING: 1 })
  })

  it('ignores removals in overwrite files and counts them', async () => {
    const { records, report } = await all(
      await file('ftp_dpm_1_1366545720.overwrite', 'u1\td_sid=1,d_unsid=2\n'),
    )
    expect(records[0]).toMatchObject({ added: ['1'], removed: [] })
    expect(report.traits.ignored).toBe(1)
  })

  it('estimates users once the tracking table is full', async () => {
    const n = 20_000
    const body = Array.from({ length: n }, (_, i) => `user-${i}\td_sid=1`).join('\n')
    const { report } = await all(await file('ftp_dpm_1_1366545721.sync', body), { maxTrackedUsers: 1_000 })
    expect(report.records).toBe(n)
    expect(report.usersExact).toBe(false)
    expect(Math.abs(report.users - n) / n).toBeLessThan(0.05)
  })
})

describe('reading outbound and CSV files', () => {
  it('reads an outbound file with the published line and a split name', async () => {
    const path = await file(
      'ftp_1234_20915_iter_1486140843000001.sync',
      '59767559181262060060278870901087098252  24,26,27  25,28\nabc 1\n',
    )
    const { records, report } = await all(path)
    expect(records).toMatchObject([
      { id: '59767559181262060060278870901087098252', added: ['24', '26', '27'], removed: ['25', '28'] },
      { id: 'abc', added: ['1'], removed: [] },
    ])
    expect(report.name).toMatchObject({
      format: 'outbound',
      prefix: 'ftp_1234_20915',
      split: 1,
      timestampMs: 1486140843000,
    })
  })

  it('reads CSV with a header and reports ragged rows', async () => {
    const path = await file('ids.csv', 'id,segments\nu1,"24,26"\nu2,24,26\nu3,\n')
    const { records, report } = await all(path)
    expect(records.map((r) => [r.id, r.added])).toEqual([
      ['u1', ['24', '26']],
      ['u3', []],
    ])
    expect(report).toMatchObject({ lines: 4, records: 2, rejected: 1, ragged: 1, users: 2 })
  })

  it('refuses a CSV file with another header', async () => {
    expect(await errorCode(summariseBatchFile(await file('bad-header.csv', 'email,segments\nu1,1\n')))).toBe(
      'BATCHFILE_BAD_HEADER',
    )
  })

  it('accepts a header-only CSV as an empty list', async () => {
    const report = await summariseBatchFile(await file('none.csv', 'id\n'))
    expect(report).toMatchObject({ records: 0, lines: 1, done: true })
  })
})

describe('bad files', () => {
  it('refuses a name of no known format unless the format is given', async () => {
    const path = await file('members.txt', 'u1\td_sid=1\n')
    expect(await errorCode(openBatchFile(path))).toBe('BATCHFILE_BAD_NAME')
    const report = await summariseBatchFile(path, { format: 'inbound' })
    expect(report).toMatchObject({ name: null, records: 1 })
  })

  it('refuses an inbound name with a 9-digit timestamp', async () => {
    expect(await errorCode(openBatchFile(await file('ftp_dpm_21_123456789.sync', 'u\td_sid=1\n')))).toBe(
      'BATCHFILE_BAD_NAME',
    )
  })

  it('refuses a missing file and an empty one', async () => {
    expect(await errorCode(openBatchFile(join(dir, 'ftp_dpm_1_1366545799.sync')))).toBe('BATCHFILE_NOT_FOUND')
    expect(await errorCode(openBatchFile(dir, { format: 'csv' }))).toBe('BATCHFILE_NOT_FOUND')
    expect(await errorCode(openBatchFile(await file('ftp_dpm_1_1366545722.sync', '')))).toBe(
      'BATCHFILE_EMPTY',
    )
    expect(await errorCode(summariseBatchFile(await file('ftp_dpm_1_1366545723.sync', '\n\n')))).toBe(
      'BATCHFILE_EMPTY',
    )
    expect(
      await errorCode(summariseBatchFile(await file('ftp_dpm_1_1366545724.sync.gz', gzipSync('')))),
    ).toBe('BATCHFILE_EMPTY')
  })

  it('refuses a truncated gzip file after reading what it could', async () => {
    const body = Array.from({ length: 50_000 }, (_, i) => `user-${i}\td_sid=${i % 97}`).join('\n')
    const gz = gzipSync(body)
    const path = await file('ftp_dpm_1_1366545725.sync.gz', gz.subarray(0, Math.floor(gz.length / 2)))
    const reader = await openBatchFile(path)
    let read = 0
    let error: unknown
    try {
      for await (const _ of reader) read++
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: 'BATCHFILE_GZIP_CORRUPT' })
    expect(read).toBeGreaterThan(1_000)
    expect(read).toBeLessThan(50_000)
    expect((error as { details: { linesRead: number } }).details.linesRead).toBeGreaterThanOrEqual(read)
  })

  it('refuses a .gz file that is not gzip', async () => {
    expect(await errorCode(openBatchFile(await file('ftp_dpm_1_1366545726.sync.gz', 'u1\td_sid=1\n')))).toBe(
      'BATCHFILE_GZIP_CORRUPT',
    )
  })

  it('refuses invalid options with every issue', async () => {
    const path = await file('ftp_dpm_1_1366545727.sync', 'u1\td_sid=1\n')
    expect(await errorCode(openBatchFile(path, { maxRejectSamples: -1 }))).toBe('BATCHFILE_OPTIONS_INVALID')
  })
})
