import { isUtf8 } from 'node:buffer'

/** One line of a file: its text, or why it has none. */
export interface RawLine {
  /** The decoded line without its line break; null when too long or not UTF-8. */
  text: string | null
  /** Length in bytes, line break excluded (counted in full even when too long). */
  bytes: number
  tooLong: boolean
  invalidUtf8: boolean
}

/**
 * Splits a byte stream into lines (LF or CRLF), yielding them a chunk at a time.
 *
 * Not node:readline: readline keeps an unterminated line in memory however long it grows, so a
 * 6 GB file without line breaks would exhaust the heap. Here a line longer than `maxBytes` stops
 * being buffered; only its length is counted, and it is reported as too long.
 */
export async function* splitLines(
  source: AsyncIterable<Buffer>,
  maxBytes: number,
): AsyncGenerator<RawLine[]> {
  let parts: Buffer[] = []
  let pending = 0
  let tooLong = false
  for await (const chunk of source) {
    const out: RawLine[] = []
    let pos = 0
    for (;;) {
      const nl = chunk.indexOf(10, pos)
      if (nl < 0) {
        const rest = chunk.length - pos
        if (rest > 0) {
          pending += rest
          if (!tooLong && pending > maxBytes + 1) {
            tooLong = true
            parts = []
          }
          if (!tooLong) parts.push(chunk.subarray(pos))
        }
        break
      }
      const piece = chunk.subarray(pos, nl)
      const total = pending + piece.length
      if (tooLong || total > maxBytes + 1) {
        out.push(longLine(total, piece, parts))
      } else {
        out.push(decode(parts.length === 0 ? piece : Buffer.concat([...parts, piece], total)))
      }
      parts = []
      pending = 0
      tooLong = false
      pos = nl + 1
    }
    if (out.length > 0) yield out
  }
  if (pending > 0) {
    yield [tooLong ? longLine(pending, Buffer.alloc(0), []) : decode(Buffer.concat(parts, pending))]
  }
}

function longLine(total: number, piece: Buffer, parts: Buffer[]): RawLine {
  // A CRLF line of exactly maxBytes + 1 bytes is maxBytes long without its CR.
  const last = piece.length > 0 ? piece[piece.length - 1] : parts.at(-1)?.at(-1)
  const bytes = last === 13 ? total - 1 : total
  return { text: null, bytes, tooLong: true, invalidUtf8: false }
}

function decode(buf: Buffer): RawLine {
  const end = buf.length > 0 && buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length
  const line = end === buf.length ? buf : buf.subarray(0, end)
  if (!isUtf8(line)) return { text: null, bytes: end, tooLong: false, invalidUtf8: true }
  return { text: line.toString('utf8'), bytes: end, tooLong: false, invalidUtf8: false }
}
