import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Store } from '@ahub/store'
import { afterAll, describe, expect, it } from 'vitest'
import { killSeed } from './fixtures/kill-seed'

const root = mkdtempSync(join(tmpdir(), 'ahub-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function csv(name: string, from: number, rows: number): string {
  const lines = ['order_id,amount']
  for (let i = from; i < from + rows; i++) lines.push(`o${i},${i % 100}.5`)
  const path = join(root, name)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

const BASE = 5_000
const NEXT = 400_000
const base = csv('base.csv', 0, BASE)
const next = csv('next.csv', BASE, NEXT)

/**
 * Runs the child, kills it with SIGKILL `delayMs` after it reports the phase (a seeded moment in
 * the phase); resolves when it is gone.
 */
function runAndKill(
  dataDir: string,
  phase: string,
  baseFile = base,
  delayMs = 0,
): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures', 'ingest-child.ts'), dataDir, baseFile, next, phase],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let output = ''
    let killed = false
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
      if (!killed && output.includes('KILL-ME')) {
        killed = true
        setTimeout(() => child.kill('SIGKILL'), delayMs)
      }
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.on('error', reject)
    child.on('exit', (_code, signal) => resolve({ killed: killed && signal === 'SIGKILL', output }))
  })
}

// A batch is one transaction: killed at any point, the dataset holds the batch fully or not at all.
describe('kill -9 during ingestion', () => {
  for (const phase of ['reading', 'validating', 'applying']) {
    it(`leaves the dataset unchanged or fully applied when killed while ${phase}`, async () => {
      const { random } = killSeed(`ingestion ${phase}`)
      const dataDir = join(root, `data-${phase}`)
      const { killed, output } = await runAndKill(dataDir, phase, base, Math.floor(random() * 100))
      expect(output).toContain('BASE')
      // A kill that came after the batch ended is no test of it.
      if (!killed) expect(output).toContain('DONE')
      const store = await Store.open({ dataDir })
      try {
        const [{ n }] = (await store.engine.query('SELECT count(*) AS n FROM org_acme.orders')) as [
          { n: number },
        ]
        expect([BASE, BASE + NEXT]).toContain(n)
        const batches = await store.batches.list('acme', 'orders')
        const last = batches[0]!
        if (n === BASE) expect(last.status).toBe('failed')
        else expect(last.status).not.toBe('running')
        // No file of the killed batch is left: a reject file belongs to a committed batch only.
        const committed = new Set(batches.filter((b) => b.status === 'succeeded').map((b) => `${b.id}.csv`))
        const rejects = existsSync(join(dataDir, 'rejects')) ? readdirSync(join(dataDir, 'rejects')) : []
        expect(rejects.filter((f) => !committed.has(f))).toEqual([])
        // The store is usable after the crash: the same batch applies in full.
        if (n === BASE) {
          const report = await store.ingestor.ingest('acme', 'orders', next)
          expect(report.inserted).toBe(NEXT)
        }
      } finally {
        await store.close()
      }
    })
  }

  // A first load into an empty dataset takes its own path (no join, links inserted as they are):
  // the transaction still keeps it all or nothing.
  for (const phase of ['reading', 'validating', 'applying']) {
    it(`leaves an empty dataset empty or fully loaded when a first load is killed while ${phase}`, async () => {
      const { random } = killSeed(`first load ${phase}`)
      const dataDir = join(root, `first-${phase}`)
      const { killed, output } = await runAndKill(dataDir, phase, '-', Math.floor(random() * 100))
      expect(output).toContain('BASE')
      if (!killed) expect(output).toContain('DONE')
      const store = await Store.open({ dataDir })
      try {
        const [{ n }] = (await store.engine.query('SELECT count(*) AS n FROM org_acme.orders')) as [
          { n: number },
        ]
        expect([0, NEXT]).toContain(n)
        if (n === 0) {
          const report = await store.ingestor.ingest('acme', 'orders', next)
          expect(report.inserted).toBe(NEXT)
          const [{ n: after }] = (await store.engine.query('SELECT count(*) AS n FROM org_acme.orders')) as [
            { n: number },
          ]
          expect(after).toBe(NEXT)
        }
      } finally {
        await store.close()
      }
    })
  }
})
