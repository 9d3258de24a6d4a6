import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBatchFile, summariseBatchFile } from './reader'
import type { BatchRecord, WriteRecord } from './types'
import { writeBatchFiles } from './writer'

let root: string
let n = 0
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ahub-batch-write-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})
const freshDir = () => join(root, `out-${++n}`)

const AT = Date.UTC(2026, 10, 30, 9, 0, 0, 123)

async function* generate(count: number, make: (i: number) => WriteRecord): AsyncGenerator<WriteRecord> {
  for (let i = 0; i < count; i++) yield make(i)
}

async function readAll(path: string): Promise<BatchRecord[]> {
  const out: BatchRecord[] = []
  for await (const r of await openBatchFile(path)) out.push(r)
  return out
}

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('writing inbound files', () => {
  it('splits by lines, gzips, names the parts .1 .2 ... and reads back the same records', async () => {
    const dir = freshDir()
    const result = await writeBatchFiles(
      generate(2_500, (i) => ({
        id: `user-${i}`,
        added: [String(i % 50), '7'],
        removed: i % 3 === 0 ? ['99'] : [],
      })),
      { dir, format: 'inbound', dpid: '478', gzip: true, maxLinesPerFile: 1_000, at: AT },
    )
    const ts = Math.floor(AT / 1000)
    expect(result.files.map((f) => [f.name, f.lines])).toEqual([
      [`ftp_dpm_478_${ts}.sync.1.gz`, 1_000],
      [`ftp_dpm_478_${ts}.sync.2.gz`, 1_000],
      [`ftp_dpm_478_${ts}.sync.3.gz`, 500],
    ])
    expect(result).toMatchObject({ records: 2_500, lines: 2_500, rejected: 0 })
    expect((await readdir(dir)).sort()).toEqual(result.files.map((f) => f.name).sort())
    const back: BatchRecord[] = []
    for (const f of result.files) back.push(...(await readAll(f.path)))
    expect(back).toHaveLength(2_500)
    expect(back[3]).toMatchObject({ id: 'user-3', added: ['3', '7'], removed: ['99'] })
    const raw = gunzipSync(await readFile(result.files[0]!.path)).toString()
    expect(raw.split('\n')[0]).toBe('user-0\td_sid=0,d_sid=7,d_unsid=99')
    expect(Buffer.byteLength(raw)).toBe(result.files[0]!.bytes)
  })

  it('writes one unsplit file when everything fits', async () => {
    const dir = freshDir()
    const result = await writeBatchFiles([{ id: 'a', added: ['1'] }], {
      dir,
      format: 'inbound',
      dpid: '33',
      targetDataOwner: '21',
      mode: 'overwrite',
      at: AT,
    })
    expect(result.files.map((f) => f.name)).toEqual([`ftp_dpm_33_21_${Math.floor(AT / 1000)}.overwrite`])
    const report = await summariseBatchFile(result.files[0]!.path)
    expect(report.name).toMatchObject({ dpid: '33', targetDataOwner: '21', mode: 'overwrite', split: null })
  })

  it('splits by bytes without cutting a user in two', async () => {
    const dir = freshDir()
    const result = await writeBatchFiles(
      generate(100, (i) => ({ id: `u${i}`, added: Array.from({ length: 20 }, (_, j) => String(j)) })),
      { dir, format: 'inbound', dpid: '1', maxBytesPerFile: 5_000, at: AT },
    )
    expect(result.files.length).toBeGreaterThan(1)
    for (const f of result.files) expect(f.bytes).toBeLessThanOrEqual(5_000)
    expect(result.files.reduce((s, f) => s + f.lines, 0)).toBe(100)
  })

  it('refuses what the format cannot hold, and drops removals from overwrite files', async () => {
    const dir = freshDir()
    const records: WriteRecord[] = [
      { id: 'ok', added: ['1'], removed: ['2'] },
      { id: 'has:colon', added: ['1'] },
      { id: '', added: ['1'] },
      { id: 'named', added: ['vip'] },
      { id: 'nothing', added: [] },
      { id: 'only-removed', removed: ['5'] },
      ...Array.from({ length: 201 }, (_, i) => ({ id: 'heavy', added: [String(i)] })),
    ]
    const result = await writeBatchFiles(records, {
      dir,
      format: 'inbound',
      dpid: '1',
      mode: 'overwrite',
      at: AT,
    })
    expect(result.rejects.map((r) => [r.record, r.code])).toEqual([
      [2, 'BAD_USER_ID'],
      [3, 'EMPTY_USER_ID'],
      [4, 'BAD_TRAIT'],
      [5, 'NO_TRAITS'],
      [6, 'NO_TRAITS'],
      [207, 'TOO_MANY_LINES_FOR_USER'],
    ])
    expect(result).toMatchObject({ records: 207, lines: 201, rejected: 6, ignoredRemovals: 2 })
    const report = await summariseBatchFile(result.files[0]!.path)
    expect(report).toMatchObject({ records: 201, rejected: 0, users: 2 })
  })

  it('spreads a user with too many traits for one line over several lines', async () => {
    const dir = freshDir()
    const added = Array.from({ length: 25_000 }, (_, i) => String(1_000_000 + i))
    const result = await writeBatchFiles([{ id: 'wide', added }], {
      dir,
      format: 'inbound',
      dpid: '1',
      at: AT,
    })
    expect(result.lines).toBeGreaterThan(1)
    const back = await readAll(result.files[0]!.path)
    expect(back.flatMap((r) => r.added)).toEqual(added)
  })
})

describe('writing outbound and CSV files', () => {
  it('names outbound parts with a 3-digit split after the 13-digit timestamp', async () => {
    const dir = freshDir()
    const result = await writeBatchFiles(
      generate(5, (i) => ({ id: `uuid-${i}`, added: ['24', '26'], removed: i === 0 ? ['25'] : [] })),
      { dir, format: 'outbound', prefix: 'ftp_1234_20915', syncMode: 'full', maxLinesPerFile: 2, at: AT },
    )
    expect(result.files.map((f) => f.name)).toEqual([
      `ftp_1234_20915_full_${AT}001.sync`,
      `ftp_1234_20915_full_${AT}002.sync`,
      `ftp_1234_20915_full_${AT}003.sync`,
    ])
    expect(await readFile(result.files[0]!.path, 'utf8')).toBe('uuid-0 24,26 25\nuuid-1 24,26\n')
    const back = await readAll(result.files[0]!.path)
    expect(back[0]).toMatchObject({ id: 'uuid-0', added: ['24', '26'], removed: ['25'] })
  })

  it('writes CSV with a header in every part and reads it back', async () => {
    const dir = freshDir()
    const result = await writeBatchFiles(
      generate(3, (i) => ({ id: `id,${i}`, added: ['a', 'b'], removed: ['c'] })),
      { dir, format: 'csv', baseName: 'vip', csvColumns: 3, maxLinesPerFile: 2, at: AT },
    )
    expect(result.files.map((f) => [f.name, f.lines])).toEqual([
      ['vip.1.csv', 2],
      ['vip.2.csv', 1],
    ])
    expect(await readFile(result.files[1]!.path, 'utf8')).toBe('id,segments,removed\n"id,2","a,b",c\n')
    expect(await readAll(result.files[0]!.path)).toMatchObject([
      { id: 'id,0', added: ['a', 'b'], removed: ['c'] },
      { id: 'id,1', added: ['a', 'b'], removed: ['c'] },
    ])
  })

  it('writes a header-only CSV for no records, and no inbound file', async () => {
    const csv = await writeBatchFiles([], { dir: freshDir(), format: 'csv', csvColumns: 1, at: AT })
    expect(await readFile(csv.files[0]!.path, 'utf8')).toBe('id\n')
    const inbound = await writeBatchFiles([], { dir: freshDir(), format: 'inbound', dpid: '1', at: AT })
    expect(inbound.files).toEqual([])
  })
})

describe('writer safety', () => {
  it('never overwrites an existing file', async () => {
    const dir = freshDir()
    await writeBatchFiles([{ id: 'a', added: ['1'] }], { dir, format: 'inbound', dpid: '1', at: AT })
    expect(
      await errorCode(
        writeBatchFiles([{ id: 'b', added: ['1'] }], { dir, format: 'inbound', dpid: '1', at: AT }),
      ),
    ).toBe('BATCHFILE_OUTPUT_EXISTS')
  })

  it('removes its partial files when the input fails midway', async () => {
    const dir = freshDir()
    async function* failing(): AsyncGenerator<WriteRecord> {
      yield { id: 'a', added: ['1'] }
      yield { id: 'b', added: ['2'] }
      throw new Error('source broke')
    }
    await expect(
      writeBatchFiles(failing(), { dir, format: 'inbound', dpid: '1', maxLinesPerFile: 1, at: AT }),
    ).rejects.toThrow('source broke')
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses options that do not fit the format, naming every problem', async () => {
    const e = await writeBatchFiles([], {
      dir: freshDir(),
      format: 'inbound',
      dpid: 'abc',
      maxLinesPerFile: 0,
    }).catch((err: unknown) => err)
    expect(e).toMatchObject({ code: 'BATCHFILE_OPTIONS_INVALID' })
    const paths = (e as { details: { issues: { path: string[] }[] } }).details.issues.map((i) =>
      i.path.join('.'),
    )
    expect(paths.sort()).toEqual(['dpid', 'maxLinesPerFile'])
    expect(await errorCode(writeBatchFiles([], { dir: freshDir(), format: 'outbound' }))).toBe(
      'BATCHFILE_OPTIONS_INVALID',
    )
  })

  it('refuses a folder that is a file', async () => {
    const path = join(root, 'a-file')
    await writeFile(path, 'x')
    expect(await errorCode(writeBatchFiles([], { dir: path, format: 'csv' }))).toBe(
      'BATCHFILE_OPTIONS_INVALID',
    )
  })
})
