import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runMigrations } from './migrations'
import { Store } from './store'

describe('runMigrations', () => {
  it('applies each step once, and migrates while another write transaction is open (its checkpoint waits)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ahub-migrations-'))
    const store = await Store.open({ dataDir: join(dir, 'data') })
    try {
      await store.engine.run('CREATE TABLE busy (n INTEGER)')
      let release!: () => void
      const gate = new Promise<void>((r) => {
        release = r
      })
      let inside!: () => void
      const started = new Promise<void>((r) => {
        inside = r
      })
      const writer = store.engine.transaction(async (s) => {
        await s.run('INSERT INTO busy VALUES (1)')
        inside()
        await gate
      })
      await started
      const steps = [
        ['CREATE TABLE meta.migrated_a (x INTEGER)'],
        ['CREATE TABLE meta.migrated_b (y INTEGER)'],
      ]
      expect(await runMigrations(store.engine, 'meta_test_version', steps)).toBe(2)
      release()
      await writer
      expect(await runMigrations(store.engine, 'meta_test_version', steps)).toBe(2)
      const versions = await store.engine.query<{ version: number }>(
        'SELECT version FROM meta_test_version ORDER BY version',
      )
      expect(versions.map((v) => Number(v.version))).toEqual([1, 2])
      expect(await store.engine.query('SELECT * FROM busy')).toHaveLength(1)
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
