/** The parts of the `pg` driver's connection that the COPY sub-protocol uses (not in its type definitions). */
interface CopyConnection {
  query(text: string): void
  sendCopyFromChunk(chunk: Buffer): void
  endCopyFrom(): void
  sendCopyFail(message: string): void
}

/** A source of bytes for `COPY ... FROM STDIN`. */
export type CopySource = AsyncIterable<Buffer | Uint8Array | string>

/**
 * A `pg` submittable that runs one `COPY ... FROM STDIN` statement and feeds it `source`.
 * The `pg` driver handles the COPY sub-protocol messages but ships no stream for them
 * (that is the separate pg-copy-streams package), so this is the minimal version of it.
 */
export class CopyFromStdin {
  /** Rows the server reports as copied. */
  rowCount = 0
  readonly done: Promise<number>
  private resolve!: (rows: number) => void
  private reject!: (error: unknown) => void
  private failed: unknown

  constructor(
    readonly text: string,
    private readonly source: CopySource,
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
  }

  submit(connection: CopyConnection): void {
    connection.query(this.text)
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void this.pump(connection)
  }

  private async pump(connection: CopyConnection): Promise<void> {
    try {
      for await (const chunk of this.source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)
        if (bytes.length > 0) connection.sendCopyFromChunk(bytes)
      }
      connection.endCopyFrom()
    } catch (error) {
      this.failed = error
      connection.sendCopyFail(String((error as Error)?.message ?? error))
    }
  }

  handleCommandComplete(msg: { text?: string }): void {
    const n = Number(/COPY (\d+)/.exec(msg.text ?? '')?.[1] ?? 0)
    this.rowCount = n
  }

  handleReadyForQuery(): void {
    if (this.failed) this.reject(this.failed)
    else this.resolve(this.rowCount)
  }

  handleError(error: unknown): void {
    this.reject(this.failed ?? error)
  }

  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}
