import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readLines, resolveSource } from './source'

const dir = mkdtempSync(join(tmpdir(), 'ahub-source-'))

function file(name: string, content: Buffer | string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

describe('readLines', () => {
  // Longer than a read chunk (64 KiB), so wanted lines start, end and span chunk boundaries.
  const long = `x,${'é'.repeat(150_000)},y`
  const lines = ['\uFEFFid,name', 'a,1', long, 'b,2\r', 'c,\uFFFD', 'last']
  const text = lines.join('\n')

  it('finds wanted lines across chunk boundaries, strips BOM and CR, keeps a final line without newline', async () => {
    const source = resolveSource(file('lines.csv', text))
    const got = await readLines(source, new Set([1, 3, 4, 6]), 6)
    expect(got.get(1)).toBe('id,name')
    expect(got.get(3)).toBe(long)
    expect(got.get(4)).toBe('b,2')
    expect(got.get(6)).toBe('last')
    expect(got.has(2)).toBe(false)
  })

  it('stops after the last wanted line and ignores lines past the end', async () => {
    const source = resolveSource(file('stop.csv', `${text}\n`))
    const got = await readLines(source, new Set([2, 9]), 2)
    expect([...got.entries()]).toEqual([[2, 'a,1']])
    const past = await readLines(source, new Set([7]), 7)
    expect(past.size).toBe(0)
  })

  it('keeps invalid UTF-8 bytes as U+FFFD and decodes characters split between chunks', async () => {
    const bytes = Buffer.concat([
      Buffer.from('id\n'),
      Buffer.from('a'.repeat(65_535)),
      Buffer.from('é\n', 'utf8'), // the two bytes of é straddle the 64 KiB boundary
      Buffer.from([0x62, 0xff, 0x63, 0x0a]),
    ])
    const source = resolveSource(file('bytes.csv', bytes))
    const got = await readLines(source, new Set([2, 3]), 3)
    expect(got.get(2)).toBe(`${'a'.repeat(65_535)}é`)
    expect(got.get(3)).toBe('b\uFFFDc')
  })

  it('reads gzip, Latin-1 and UTF-16 files', async () => {
    const gz = resolveSource(file('lines.csv.gz', gzipSync(Buffer.from(text))))
    expect((await readLines(gz, new Set([3]), 3)).get(3)).toBe(long)
    const latin = resolveSource(file('latin.csv', Buffer.from('id\ncafé\n', 'latin1')), {
      csv: { encoding: 'latin-1' },
    })
    expect((await readLines(latin, new Set([2]), 2)).get(2)).toBe('café')
    const utf16 = resolveSource(file('utf16.csv', Buffer.from('id\r\nnaïve\r\nend', 'utf16le')), {
      csv: { encoding: 'utf-16' },
    })
    expect([...(await readLines(utf16, new Set([2, 3]), 3)).values()]).toEqual(['naïve', 'end'])
  })
})

describe('resolveSource CSV options', () => {
  const path = file('options.csv', 'id,name\n1,a\n')

  it.each([
    ['quote', '\u0000'],
    ['quote', '\n'],
    ['escape', '\u0000'],
    ['escape', '\r'],
    ['delimiter', '\u0000'],
    ['delimiter', ',\u0000'],
    ['delimiter', '\n'],
    ['delimiter', '\u2028'],
    ['quote', '\u007f'],
  ])('refuses a control character in %s (%j) with INGEST_OPTIONS_INVALID', (option, value) => {
    expect(() => resolveSource(path, { csv: { [option]: value } })).toThrow(
      expect.objectContaining({ code: 'INGEST_OPTIONS_INVALID' }),
    )
  })

  it('refuses a .gz name on a file that is not gzip with INGEST_MALFORMED_FILE', () => {
    const plain = file('plain.csv.gz', 'id\n1\n')
    expect(() => resolveSource(plain)).toThrow(expect.objectContaining({ code: 'INGEST_MALFORMED_FILE' }))
    expect(resolveSource(file('real.csv.gz', gzipSync('id\n1\n'))).gzip).toBe(true)
  })

  it('accepts a tab delimiter and an empty quote', () => {
    expect(resolveSource(path, { csv: { delimiter: '\t', quote: '' } }).csv).toMatchObject({
      delimiter: '\t',
      quote: '',
    })
  })
})
