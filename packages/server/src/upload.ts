import { createWriteStream, mkdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { type Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AppError, newId } from '@ahub/core'

/** Writes an uploaded body to a temporary file, refusing bodies over `maxBytes`; returns a cleanup. */
export async function spoolUpload(
  body: unknown,
  dir: string,
  maxBytes: number,
): Promise<{ path: string; bytes: number; cleanup: () => Promise<void> }> {
  if (!body || typeof (body as Readable).pipe !== 'function') {
    throw new AppError(
      'VALIDATION_FAILED',
      'Send the file as the request body (Content-Type: application/octet-stream or text/csv)',
    )
  }
  mkdirSync(dir, { recursive: true })
  const path = join(dir, newId('u'))
  let bytes = 0
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length
      if (bytes > maxBytes) cb(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes`))
      else cb(null, chunk)
    },
  })
  const cleanup = () => rm(path, { force: true })
  try {
    await pipeline(body as Readable, limit, createWriteStream(path))
  } catch (e) {
    await cleanup()
    throw e
  }
  return { path, bytes, cleanup }
}
