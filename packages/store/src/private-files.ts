import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The data directory holds an organisation's customers (datasets, rejects, exports, uploads, keys):
 * it is readable by the user who runs Audience Hub only (ADR 0017). `makePrivate` creates it 0700,
 * sets this process's umask to 077 so that every file written from now on (by us or by the
 * engine: the database, its WAL, spill files) is 0600 and every folder 0700, and brings what is
 * already there to those modes. Returns how many entries it had to tighten.
 */
export function makePrivate(dir: string): number {
  restrictUmask()
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return tighten(dir)
}

/** Sets the process umask to 077 (no-op where a worker thread may not change it). */
export function restrictUmask(): void {
  try {
    process.umask(0o077)
  } catch {
    // Worker threads cannot change the umask; `tighten` still fixes what exists at start.
  }
}

/** chmod 0700 on folders and 0600 on files under `path` (itself included); symbolic links are left alone. */
export function tighten(path: string): number {
  let changed = 0
  const walk = (p: string) => {
    const st = lstatSync(p, { throwIfNoEntry: false })
    if (!st || st.isSymbolicLink()) return
    const want = st.isDirectory() ? 0o700 : 0o600
    if ((st.mode & 0o777) !== want) {
      chmodSync(p, want)
      changed++
    }
    if (st.isDirectory()) for (const entry of readdirSync(p)) walk(join(p, entry))
  }
  walk(path)
  return changed
}
