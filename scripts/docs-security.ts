/**
 * `npm run docs:security`: rewrites the route → permission table of docs/security.md from the
 * routes themselves (e2e/access.test.ts fails when the table is stale).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp, permissionTable } from '@ahub/server'
import { Store } from '@ahub/store'

const dir = mkdtempSync(join(tmpdir(), 'ahub-docs-'))
const store = await Store.open({ dataDir: dir })
const app = await buildApp({ store, rateLimit: false })
await app.ready()
const table = permissionTable(app.routeTable)
await app.close()
await store.close()
rmSync(dir, { recursive: true, force: true })

const file = new URL('../docs/security.md', import.meta.url)
const doc = readFileSync(file, 'utf8')
const lines = doc.split('\n')
const start = lines.findIndex((l) => /^\| route\s+\| permission\s+\|$/.test(l))
if (start < 0) throw new Error('docs/security.md has no route | permission table')
let end = start
while (end < lines.length && lines[end]!.startsWith('|')) end++
lines.splice(start, end - start, table)
writeFileSync(file, lines.join('\n'))
process.stdout.write(`docs/security.md: ${table.split('\n').length - 2} routes\n`)
