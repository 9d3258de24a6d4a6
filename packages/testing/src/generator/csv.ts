import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { RowBuffer } from './row-buffer'

/** One CSV field as RFC 4180 wants it: quoted only when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/**
 * Writes a file from a RowBuffer: rows go into `out`, and `flush` hands the bytes to the file stream, waiting
 * when the stream asks to (backpressure).
 */
export class ChunkedFileWriter {
  private readonly stream: WriteStream
  private failure: Error | undefined
  /** Where rows are written. */
  readonly out = new RowBuffer()
  /** Bytes flushed so far. */
  bytes = 0

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { highWaterMark: 4 << 20 })
    this.stream.on('error', (error) => {
      this.failure = error
    })
  }

  /** Sends the rows written so far to the file; resolves at once unless the stream's buffer is full. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure
    const chunk = this.out.take()
    this.bytes += chunk.length
    const written = this.stream.write(chunk, (error) => {
      if (!error) this.out.recycle(chunk)
    })
    // once() rejects if the stream emits 'error' while we wait
    if (!written) await once(this.stream, 'drain')
  }

  /** Closes the file after a failure, without waiting. */
  abort(): void {
    this.stream.destroy()
  }

  /** Flushes the last rows and closes the file. */
  async close(): Promise<void> {
    await this.flush()
    this.stream.end()
    await once(this.stream, 'close')
    if (this.failure) throw this.failure
  }
}
