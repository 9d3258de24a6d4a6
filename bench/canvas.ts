/**
 * The campaign canvas in Debian's Chromium (playwright-core), against a server started here on a
 * small org (2 000 profiles):
 * - `web_canvas_50_render_ms`: a saved 50-activity campaign opened from the campaign list (a click,
 *   the app already loaded) until its 50 activities and 49 transitions are drawn, median of 5;
 * - `web_run_event_latency_ms`: from a run event written by the server (an activity done, as the
 *   service announces it) to the count of that activity's outgoing transition shown on the canvas,
 *   median over the 11 transitions of a 12-activity test run started from the page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSchemaText } from '@ahub/core'
import { bootstrapAdmin, buildApp, ensureWebBuild, openCampaigns, webDistDir } from '@ahub/server'
import { Store } from '@ahub/store'
import { chromium } from 'playwright-core'
import type { BenchRow } from './api'

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** A chain: build audience → n − 2 deduplications → end. */
function chain(label: string, n: number) {
  const ids = Array.from({ length: n }, (_, i) => (i === 0 ? 'build' : i === n - 1 ? 'end' : `dedup_${i}`))
  return {
    label,
    activities: ids.map((id, i) =>
      i === 0
        ? {
            id,
            type: 'build_audience',
            options: { rule: { kind: 'condition', field: 'tier', op: '=', value: 'gold' } },
          }
        : i === n - 1
          ? { id, type: 'end', options: {} }
          : { id, type: 'deduplication', options: { fields: ['email'] } },
    ),
    transitions: ids.slice(1).map((to, i) => ({ id: `t${i + 1}`, from: ids[i]!, to })),
  }
}

export async function benchCanvas(): Promise<BenchRow[]> {
  ensureWebBuild()
  const dir = mkdtempSync(join(tmpdir(), 'ahub-bench-canvas-'))
  const store = await Store.open({ dataDir: join(dir, 'data') })
  const campaigns = await openCampaigns(store)
  await store.createOrg('shop', 'Shop')
  await store.catalog.apply(
    'shop',
    parseSchemaText(`tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      email: { type: string }
      tier: { type: string }
`),
  )
  const people = join(dir, 'people.csv')
  writeFileSync(
    people,
    `profile_id,email,tier\n${Array.from({ length: 2000 }, (_, i) => `p${i},u${i % 1500}@x.io,${i % 3 ? 'gold' : 'silver'}`).join('\n')}\n`,
  )
  await store.ingestor.ingest('shop', 'profiles', people)
  const { user } = await bootstrapAdmin(store, 'shop', false)
  const secret = `bench-${crypto.randomUUID()}`
  const app = await buildApp({
    store,
    campaigns,
    rateLimit: false,
    webApp: webDistDir(),
    logger: { level: 'warn' },
    verifiers: [
      async (b) => (b === secret ? { kind: 'user', userId: user.id, via: 'oidc', issuer: 'bench' } : null),
    ],
  })
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS })
  try {
    const create = async (def: unknown): Promise<string> => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/orgs/shop/campaigns',
        payload: def as object,
        headers: { authorization: `Bearer ${secret}` },
      })
      if (res.statusCode !== 200) throw new Error(`create campaign: ${res.body}`)
      return res.json().id as string
    }
    await create(chain('Fifty activities', 50))
    const twelve = await create(chain('Twelve activities', 12))
    const context = await browser.newContext({
      viewport: { width: 1500, height: 950 },
      // The page functions below are text (this file is type-checked without the DOM library),
      // which the app's CSP (rightly) refuses to evaluate.
      bypassCSP: true,
      extraHTTPHeaders: { authorization: `Bearer ${secret}` },
    })
    const page = await context.newPage()

    const renders: number[] = []
    for (let i = 0; i < 5; i++) {
      await page.goto(`${base}/o/shop/campaigns`)
      const link = page.getByRole('link', { name: 'Fifty activities' })
      await link.waitFor()
      const t = performance.now()
      await link.click()
      await page.waitForFunction(
        "document.querySelectorAll('.react-flow__node').length === 50 && document.querySelectorAll('.react-flow__edge').length === 49",
        undefined,
        { polling: 'raf' },
      )
      renders.push(performance.now() - t)
    }

    // Server side: when each activity was announced done (Date.now of this process, the page's clock too).
    const done = new Map<string, number>()
    const stop = campaigns.onEvent((_run, e) => {
      if (e.activity && e.message.startsWith('Done') && !done.has(e.activity))
        done.set(e.activity, Date.now())
    })
    await page.goto(`${base}/o/shop/campaigns/${twelve}`)
    await page.locator('.react-flow__node').first().waitFor()
    // Browser side: when each transition's label first shows a count.
    await page.evaluate(`(() => {
      const shown = {}
      globalThis.shown = shown
      new MutationObserver(() => {
        for (const e of document.querySelectorAll('.react-flow__edge.has-count')) shown[e.getAttribute('data-id')] ??= Date.now()
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
    })()`)
    await page.getByRole('button', { name: 'Test', exact: true }).click()
    await page.waitForFunction(
      () => Object.keys((globalThis as unknown as { shown: Record<string, number> }).shown).length === 11,
      undefined,
      { timeout: 60_000 },
    )
    stop()
    const shown = await page.evaluate(
      () => (globalThis as unknown as { shown: Record<string, number> }).shown,
    )
    const def = chain('', 12)
    const latencies = def.transitions.map((t) => shown[t.id]! - done.get(t.from)!)
    if (latencies.some((l) => !Number.isFinite(l)))
      throw new Error(`missing events: ${JSON.stringify(latencies)}`)
    return [
      { name: 'web_canvas_50_render_ms', value: Math.round(median(renders)), unit: 'ms', target: '< 500' },
      { name: 'web_run_event_latency_ms', value: Math.round(median(latencies)), unit: 'ms', target: '< 500' },
    ]
  } finally {
    await browser.close()
    await campaigns.close()
    await app.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
