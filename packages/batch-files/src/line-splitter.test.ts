import { describe, expect, it } from 'vitest'
import { type RawLine, splitLines } from './line-splitter'

async function collect(text: string | Buffer, chunkSize: number, maxBytes: number): Promise<RawLine[]> {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text)
  async function* chunks() {
    for (let i = 0; i < buf.length; i += chunkSize) yield buf.subarray(i, i + chunkSize)
  }
  const out: RawLine[] = []
  for await (const batch of splitLines(chunks(), maxBytes)) out.push(...batch)
  return out
}

describe('splitting a byte stream into lines', () => {
  it.each([1, 2, 3, 7, 1024])('gives the same lines whatever the chunk size (%i bytes)', async (size) => {
    const lines = await collect('ab\r\n\ncdé\r\nlast', size, 100)
    expect(lines.map((l) => l.text)).toEqual(['ab', '', 'cdé', 'last'])
    expect(lines.map((l) => l.bytes)).toEqual([2, 0, 4, 4])
  })

  it.each([1, 5, 64])('flags lines over the limit without keeping them (chunks of %i)', async (size) => {
    const lines = await collect(`${'x'.repeat(30)}\nshort\n${'y'.repeat(11)}\n${'z'.repeat(10)}`, size, 10)
    expect(lines.map((l) => [l.text, l.bytes, l.tooLong])).toEqual([
      [null, 30, true],
      ['short', 5, false],
      // One byte past the limit is still kept (room for a CR); the reader rejects it by its length.
      ['y'.repeat(11), 11, false],
      ['z'.repeat(10), 10, false],
    ])
  })

  it('marks lines that are not UTF-8', async () => {
    const lines = await collect(Buffer.from([0x61, 0x0a, 0xc3, 0x28, 0x0a]), 4, 10)
    expect(lines.map((l) => [l.text, l.invalidUtf8])).toEqual([
      ['a', false],
      [null, true],
    ])
  })
})
