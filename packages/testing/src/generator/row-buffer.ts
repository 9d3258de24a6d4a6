import { AppError } from '@ahub/core'

/** Bytes collected before a chunk goes to the file. */
export const CHUNK_BYTES = 1 << 20
/** Room left after a full chunk so that the row being written always fits. */
const ROW_SLACK = 1 << 16

const DIGITS = 0x30
const COLON = 0x3a

/**
 * Builds CSV output directly as bytes. Tens of millions of rows built as strings spend most of their time
 * in garbage collection; writing bytes into a few reused buffers allocates nothing per row.
 */
export class RowBuffer {
  private buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES + ROW_SLACK)
  /** Buffers handed back once written, reused so that fresh memory is not page-faulted in for every chunk. */
  private readonly spare: Buffer[] = []
  /** Bytes used so far. */
  length = 0

  /** True once the chunk should be handed to the file: check after every row (a row is at most 64 KiB). */
  get full(): boolean {
    return this.length >= CHUNK_BYTES
  }

  /** Returns the bytes written so far and starts a new chunk; pass the chunk to `recycle` once written. */
  take(): Buffer {
    // typed arrays drop writes past their end: catch a writer that forgot to check `full`
    if (this.length > this.buffer.length) throw new AppError('INTERNAL', 'Row buffer overflow')
    const chunk = this.buffer.subarray(0, this.length)
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES + ROW_SLACK)
    this.length = 0
    return chunk
  }

  /** Gives back a chunk from `take` that is no longer in use. */
  recycle(chunk: Buffer): void {
    this.spare.push(Buffer.from(chunk.buffer, chunk.byteOffset, CHUNK_BYTES + ROW_SLACK))
  }

  /** One byte, e.g. a comma or a newline. */
  byte(code: number): void {
    this.buffer[this.length++] = code
  }

  /** A string known to be ASCII (digits, ids, e-mails, enum values). */
  ascii(text: string): void {
    const buffer = this.buffer
    let at = this.length
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i)
    this.length = at
  }

  /** Pre-encoded bytes (UTF-8 names and cities, formatted amounts, ...). */
  bytes(data: Uint8Array): void {
    const buffer = this.buffer
    let at = this.length
    for (let i = 0; i < data.length; i++) buffer[at++] = data[i]!
    this.length = at
  }

  /** Bytes start..end of `data`. */
  range(data: Uint8Array, start: number, end: number): void {
    const buffer = this.buffer
    let at = this.length
    for (let i = start; i < end; i++) buffer[at++] = data[i]!
    this.length = at
  }

  /** `HH:MM:SS` of a second of the day. */
  timeOfDay(seconds: number): void {
    const buffer = this.buffer
    const at = this.length
    const hours = (seconds / 3600) | 0
    const minutes = ((seconds / 60) | 0) % 60
    const secs = seconds % 60
    buffer[at] = DIGITS + ((hours / 10) | 0)
    buffer[at + 1] = DIGITS + (hours % 10)
    buffer[at + 2] = COLON
    buffer[at + 3] = DIGITS + ((minutes / 10) | 0)
    buffer[at + 4] = DIGITS + (minutes % 10)
    buffer[at + 5] = COLON
    buffer[at + 6] = DIGITS + ((secs / 10) | 0)
    buffer[at + 7] = DIGITS + (secs % 10)
    this.length = at + 8
  }

  /** Entry `index` of a ByteTable. */
  entry(table: ByteTable, index: number): void {
    const data = table.data
    const start = index * table.stride
    const end = start + 1 + data[start]!
    const buffer = this.buffer
    let at = this.length
    for (let i = start + 1; i < end; i++) buffer[at++] = data[i]!
    this.length = at
  }

  /** An integer in [0, 2^32), left-padded with zeros to `width` digits. */
  padded(value: number, width: number): void {
    const buffer = this.buffer
    let digits = 1
    for (let rest = value; rest >= 10; rest = (rest / 10) >>> 0) digits++
    const start = this.length
    const end = start + Math.max(digits, width)
    let n = value
    for (let at = end - 1; at >= start; at--) {
      const next = (n / 10) >>> 0
      buffer[at] = DIGITS + n - next * 10
      n = next
    }
    this.length = end
  }
}

/** UTF-8 bytes of a string, for RowBuffer.bytes. */
export function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8')
}

/**
 * Many short byte strings in one flat array with a fixed stride (a length byte, then the bytes). Looking one
 * up touches one cache line, where an array of 100 000 small Buffers costs several cache misses per row.
 */
export class ByteTable {
  readonly data: Uint8Array
  readonly stride: number

  constructor(values: readonly string[]) {
    const encoded = values.map(utf8)
    this.stride = 1 + encoded.reduce((max, e) => Math.max(max, e.length), 0)
    if (this.stride > 256) throw new RangeError('ByteTable entries are at most 255 bytes')
    this.data = new Uint8Array(values.length * this.stride)
    encoded.forEach((bytes, i) => {
      this.data[i * this.stride] = bytes.length
      this.data.set(bytes, i * this.stride + 1)
    })
  }
}

/**
 * Sequential ids (`o000000001`, `o000000002`, ...) kept as bytes and incremented in place, which is cheaper
 * than formatting a number per row.
 */
export class IdCounter {
  readonly bytes: Uint8Array

  /** `width` digits after the prefix; the counter must not go past 10^width - 1. */
  constructor(prefix: string, width: number) {
    this.bytes = utf8(prefix + '0'.repeat(width))
  }

  /** Moves to the next id and returns its bytes (the same array every time). */
  next(): Uint8Array {
    const bytes = this.bytes
    let at = bytes.length - 1
    while (bytes[at] === DIGITS + 9) bytes[at--] = DIGITS
    bytes[at]!++
    return bytes
  }
}
