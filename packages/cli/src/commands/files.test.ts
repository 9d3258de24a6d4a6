import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { fileCommands } from './files'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ahub-cli-files-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Runs `ahub files ...` on a real commander program and returns what it printed. */
async function run(args: string[], json = false): Promise<{ out: string; error?: unknown }> {
  const program = new Command('ahub').exitOverride()
  fileCommands(program, () => ({ json }))
  let out = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk)
    return true
  })
  try {
    await program.parseAsync(['node', 'ahub', 'files', ...args])
    return { out }
  } catch (error) {
    return { out, error }
  } finally {
    spy.mockRestore()
  }
}

describe('ahub files', () => {
  it('writes IDs as split, gzipped inbound files and reads one back', async () => {
    const ids = join(dir, 'ids.csv')
    await writeFile(
      ids,
      `id,segments\n${Array.from({ length: 5 }, (_, i) => `user-${i},"${i},100"`).join('\n')}\nbad id,1\n`,
    )
    const out = join(dir, 'inbound')
    const written = await run(
      [
        'write',
        '--format',
        'inbound',
        '--in',
        ids,
        '--out',
        out,
        '--dpid',
        '478',
        '--segments',
        '7',
        '--remove',
        '9',
        '--gzip',
        '--max-lines',
        '2',
        '--at',
        '1366545717000',
      ],
      true,
    )
    expect(written.error).toBeUndefined()
    const result = JSON.parse(written.out) as {
      output: { files: { name: string; lines: number }[]; rejected: number; rejects: unknown[] }
    }
    expect(result.output.files.map((f) => [f.name, f.lines])).toEqual([
      ['ftp_dpm_478_1366545717.sync.1.gz', 2],
      ['ftp_dpm_478_1366545717.sync.2.gz', 2],
      ['ftp_dpm_478_1366545717.sync.3.gz', 1],
    ])
    expect(result.output.rejected).toBe(1)
    expect(result.output.rejects).toEqual([
      { record: 6, id: 'bad id', code: 'BAD_USER_ID', reason: 'the user ID holds whitespace' },
    ])
    expect((await readdir(out)).length).toBe(3)
    const first = gunzipSync(await readFile(join(out, 'ftp_dpm_478_1366545717.sync.1.gz'))).toString()
    expect(first).toBe(
      'user-0\td_sid=0,d_sid=100,d_sid=7,d_unsid=9\nuser-1\td_sid=1,d_sid=100,d_sid=7,d_unsid=9\n',
    )

    const read = await run(['read', join(out, 'ftp_dpm_478_1366545717.sync.1.gz')])
    expect(read.error).toBeUndefined()
    expect(read.out).toContain('inbound (gzip) DPID 478, sync, 2013-04-21T12:01:57.000Z, part 1')
    expect(read.out).toMatch(/lines\s+records\s+users\s+added\s+removed\s+signals\s+rejected\s+ragged/)
  })

  it('reports rejected lines with reasons, and fails with --fail-on-reject', async () => {
    const path = join(dir, 'ftp_dpm_21_1234567890.sync')
    await writeFile(path, 'u1\td_sid=1\nu2 d_sid=2\nu3\td_sid=x\n')
    const read = await run(['read', path])
    expect(read.out).toContain('rejected lines: RAGGED_LINE 1, BAD_TRAIT 1')
    expect(read.out).toContain('line 2 RAGGED_LINE: no TAB between the user ID and the traits')
    const strict = await run(['read', path, '--fail-on-reject'], true)
    expect(strict.error).toMatchObject({ code: 'BATCHFILE_REJECTED_LINES' })
    expect(strict.out).toBe('')
  })

  it('writes outbound files and refuses a missing prefix', async () => {
    const ids = join(dir, 'plain.csv')
    await writeFile(ids, 'id\nuuid-1\nuuid-2\n')
    const out = join(dir, 'outbound')
    const ok = await run([
      'write',
      '--format',
      'outbound',
      '--in',
      ids,
      '--out',
      out,
      '--prefix',
      'ftp_1234_20915',
      '--segments',
      '24,26',
      '--at',
      '1486140843000',
    ])
    expect(ok.error).toBeUndefined()
    expect(await readFile(join(out, 'ftp_1234_20915_iter_1486140843000.sync'), 'utf8')).toBe(
      'uuid-1 24,26\nuuid-2 24,26\n',
    )
    const missing = await run(['write', '--format', 'outbound', '--in', ids, '--out', join(dir, 'x')])
    expect(missing.error).toMatchObject({ code: 'BATCHFILE_OPTIONS_INVALID' })
  })
})
