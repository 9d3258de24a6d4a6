import { createWriteStream, mkdirSync } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { type Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AppError, newId } from '@ahub/core'

/** Uploads being spooled or read now, per folder: whatever else lies there is an orphan. */
const inUse = new Map<string, Set<string>>()

/**
 * Writes an uploaded body to a temporary file, refusing bodies over `maxBytes`; returns a cleanup,
 * which also removes orphans of the folder (uploads of a request whose cleanup never ran). Those
 * a killed process left are removed when the store opens again.
 */
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
  const name = newId('u')
  const path = join(dir, name)
  const active = inUse.get(dir) ?? new Set<string>()
  inUse.set(dir, active)
  active.add(name)
  let bytes = 0
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length
      if (bytes > maxBytes) cb(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes`))
      else cb(null, chunk)
    },
  })
  const cleanup = async () => {
    await rm(path, { force: true })
    active.delete(name)
    await removeOrphanUploads(dir)
  }
  try {
    await pipeline(body as Readable, limit, createWriteStream(path))
  } catch (e) {
    await cleanup()
    throw e
  }
  return { path, bytes, cleanup }
}

/** Removes the uploads of `dir` that no request of this process is using. */
export async function removeOrphanUploads(dir: string): Promise<void> {
  const active = inUse.get(dir)
  const names = await readdir(dir).catch(() => [] as string[])
  for (const name of names)
    if (name.startsWith('u_') && !active?.has(name)) await rm(join(dir, name), { force: true })
}
