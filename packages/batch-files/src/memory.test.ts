import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBatchFile } from './reader'

/*
 * A ~300 MB inbound file, generated on the fly by a child process (so the generator's buffers do
 * not count against this process), read end to end while the resident set size is sampled. The
 * file also holds one 40 MB line with no break inside, which a line reader that buffers whole
 * lines would have to keep in memory.
 */
const TARGET_BYTES = 300 * 1024 * 1024
const HUGE_LINE_BYTES = 40 * 1024 * 1024
const MAX_RSS_GROWTH = 100 * 1024 * 1024

const GENERATOR = `
const fs = require('node:fs')
const [path, target, huge] = process.argv.slice(1).map((v, i) => (i === 0 ? v : Number(v)))
const T = '59767559181262060060' + '0'.repeat(18) + '\\td_sid=0000,d_sid=00000,d_sid=000000,d_unsid=00\\n'
const L = T.length, PER = 10000, users = Math.floor(target / L / 2)
const buf = Buffer.from(T.repeat(PER))
const put = (o, n, w) => { for (let i = o + w - 1; i >= o; i--) { buf[i] = 48 + (n % 10); n = Math.floor(n / 10) } }
const fd = fs.openSync(path, 'w')
let bytes = 0, lines = 0
while (bytes < target) {
  if (lines === 1000) {
    const h = Buffer.from('huge\\t' + 'd_sid=1,'.repeat(huge / 8) + '\\n')
    fs.writeSync(fd, h); bytes += h.length; lines++
  }
  for (let k = 0; k < PER; k++) {
    const n = lines + k, o = k * L
    put(o + 20, n % users, 18); put(o + 45, 1000 + (n % 500), 4); put(o + 56, 20000 + (n % 77), 5)
    put(o + 68, 300000 + (n % 1000), 6); put(o + 83, 10 + (n % 13), 2)
  }
  const count = lines < 1000 ? 1000 - lines : PER
  fs.writeSync(fd, buf, 0, count * L); bytes += count * L; lines += count
}
fs.closeSync(fd)
process.stdout.write(JSON.stringify({ lines, users: Math.min(users, lines - 1) }))
`

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ahub-batch-memory-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('streaming a large batch file', () => {
  it('reads ~300 MB with bounded memory, rejecting a 40 MB line without holding it', {
    timeout: 120_000,
  }, async () => {
    const path = join(dir, 'ftp_dpm_478_1366545717.sync')
    const t0 = performance.now()
    const made = JSON.parse(
      execFileSync(process.execPath, ['-e', GENERATOR, path, String(TARGET_BYTES), String(HUGE_LINE_BYTES)], {
        encoding: 'utf8',
      }),
    ) as { lines: number; users: number }
    const size = (await stat(path)).size
    const generatedS = (performance.now() - t0) / 1000
    expect(size).toBeGreaterThan(TARGET_BYTES)

    const baseline = process.memoryUsage().rss
    let peak = baseline
    const t1 = performance.now()
    const reader = await openBatchFile(path)
    let records = 0
    for await (const _ of reader) {
      if ((++records & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss)
    }
    peak = Math.max(peak, process.memoryUsage().rss)
    const readS = (performance.now() - t1) / 1000
    const growth = peak - baseline
    process.stdout.write(
      `batch-files memory: ${(size / 2 ** 20).toFixed(0)} MB, ${made.lines} lines generated in ${generatedS.toFixed(1)} s, ` +
        `read in ${readS.toFixed(1)} s (${(size / 2 ** 20 / readS).toFixed(0)} MB/s), RSS growth ${(growth / 2 ** 20).toFixed(1)} MB\n`,
    )

    expect(reader.report).toMatchObject({
      lines: made.lines,
      records: made.lines - 1,
      rejected: 1,
      rejectsByCode: { LINE_TOO_LONG: 1 },
      users: made.users,
      usersExact: true,
      done: true,
    })
    expect(reader.report.rejects[0]).toMatchObject({ line: 1001, code: 'LINE_TOO_LONG' })
    expect(records).toBe(made.lines - 1)
    expect(growth).toBeLessThan(MAX_RSS_GROWTH)
  })
})
