import { join, resolve } from 'node:path'

// The files a running server keeps in its data directory. Kept apart from start.ts (a subpath export,
// @ahub/server/paths) so the CLI can find a running server without loading the server or an engine.

/** Where a running server announces itself, so the CLI talks to it instead of opening the file. */
export function serverFile(dataDir: string): string {
  return join(resolve(dataDir), 'server.json')
}

export function adminTokenFile(dataDir: string): string {
  return join(resolve(dataDir), 'admin-token')
}

/** Where the first admin's password is written on first start (0600; delete it once noted). */
export function adminPasswordFile(dataDir: string): string {
  return join(resolve(dataDir), 'admin-password')
}
