import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CampaignService } from '@ahub/campaigns'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp, ensureWebBuild, openCampaigns, webDistDir } from '@ahub/server'
import { Store } from '@ahub/store'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The campaign canvas in Debian's Chromium against a fresh server: draw a campaign with the mouse
 * from an empty canvas, watch validation, save, and compare with what the API holds. The browser
 * signs in with a bearer header on every request (the sign-in flow itself is e2e/oidc.test.ts).
 */
const CHROMIUM = '/usr/bin/chromium'
const haveChromium = existsSync(CHROMIUM)
if (!haveChromium && process.env.CI === 'true') throw new Error(`CI=true and no Chromium at ${CHROMIUM}`)
const shots = join(process.cwd(), 'e2e', 'screenshots', 'web-canvas')

describe.skipIf(!haveChromium)('campaign canvas in Chromium (skipped only off CI without Chromium)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ahub-web-canvas-'))
  let store: Store
  let app: App
  let campaigns: CampaignService
  let browser: Browser
  let page: Page
  let base: string
  const secret = `test-${crypto.randomUUID()}`

  beforeAll(async () => {
    ensureWebBuild()
    mkdirSync(shots, { recursive: true })
    store = await Store.open({ dataDir: join(root, 'data') })
    campaigns = await openCampaigns(store)
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
    const people = join(root, 'shop.csv')
    writeFileSync(
      people,
      'profile_id,email,tier\np1,a@x.io,gold\np2,a@x.io,gold\np3,c@x.io,silver\np4,d@x.io,gold\n',
    )
    await store.ingestor.ingest('shop', 'profiles', people)
    const { user } = await bootstrapAdmin(store, 'shop', false)
    app = await buildApp({
      store,
      campaigns,
      rateLimit: false,
      webApp: webDistDir(),
      verifiers: [
        async (b) => (b === secret ? { kind: 'user', userId: user.id, via: 'oidc', issuer: 'test' } : null),
      ],
    })
    base = await app.listen({ host: '127.0.0.1', port: 0 })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    const context = await browser.newContext({
      viewport: { width: 1500, height: 950 },
      // axe-core is injected as an inline script, which the app's CSP (rightly) refuses.
      bypassCSP: true,
      extraHTTPHeaders: { authorization: `Bearer ${secret}` },
    })
    page = await context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await campaigns?.close()
    await app?.close()
    await store?.close()
    rmSync(root, { recursive: true, force: true })
  })

  async function axeSerious(): Promise<string[]> {
    await page.addScriptTag({
      content: readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8'),
    })
    return page.evaluate(async () => {
      const r = await (
        globalThis as unknown as {
          axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> }
        }
      ).axe.run()
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id} ${JSON.stringify((v as unknown as { nodes: { target: unknown }[] }).nodes.map((n) => n.target))}`,
        )
    })
  }

  /** Drags from an outlet of one activity to the input of another with the mouse. */
  async function connect(from: string, outlet: string, to: string) {
    const source = page.locator(
      `.react-flow__node[data-id="${from}"] .react-flow__handle.source[data-handleid="${outlet}"]`,
    )
    const target = page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`)
    const a = (await source.boundingBox())!
    const b = (await target.boundingBox())!
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
    await page.mouse.down()
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 })
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 })
    await page.mouse.up()
  }

  it('draws build → deduplicate → split → save with the mouse, validates as it goes, saves the JSON the API holds', async () => {
    await page.goto(`${base}/o/shop/campaigns/new`)
    await page.getByRole('navigation', { name: 'Activities' }).waitFor()
    expect(await page.locator('.palette-item').count()).toBe(17)
    // Drag each activity from the palette onto the canvas.
    const flow = (await page.locator('.canvas-flow').boundingBox())!
    // Click an activity in the palette (it lands in the middle), then drag it into place with the mouse.
    const place = async (title: string, id: string, x: number, y: number) => {
      await page.locator('.palette-item', { hasText: new RegExp(`^${title}$`) }).click()
      const node = page.locator(`.react-flow__node[data-id="${id}"] .canvas-node-title`)
      const box = (await node.boundingBox())!
      await page.mouse.move(box.x + 10, box.y + 5)
      await page.mouse.down()
      await page.mouse.move(flow.x + x, flow.y + y, { steps: 8 })
      await page.mouse.up()
    }
    await place('Build audience', 'build_audience', 20, 40)
    await place('Deduplication', 'deduplication', 300, 150)
    await place('Split', 'split', 20, 270)
    await place('Save audience', 'save_audience', 300, 400)
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4)
    // Unconnected activities: validation lists issues on them.
    await expect
      .poll(() => page.locator('.canvas-issues li[data-code="CAMPAIGN_UNCONNECTED_INPUT"]').count(), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0)
    await page.screenshot({ path: join(shots, '1-placed.png') })
    await connect('build_audience', 'out', 'deduplication')
    await connect('deduplication', 'out', 'split')
    await connect('split', 'subset_1', 'save_audience')
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3)
    // The deduplication has no fields and the build no rule: still issues, on those activities.
    await page.locator('.react-flow__node[data-id="deduplication"]').click()
    await page.getByRole('button', { name: 'Add field' }).click()
    await page.getByLabel('Field 1').fill('email')
    // Connected: the unconnected-input issues are gone; the build still wants a rule or an audience.
    const codes = () =>
      page.locator('.canvas-issues li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))
    await expect.poll(codes, { timeout: 10_000 }).not.toContain('CAMPAIGN_UNCONNECTED_INPUT')
    expect(await codes()).toContain('CAMPAIGN_BAD_OPTIONS')
    expect(
      await page.locator('.react-flow__node[data-id="build_audience"] .canvas-node-issues').textContent(),
    ).toMatch(/issue/)
    await page.screenshot({ path: join(shots, '2-connected.png') })
    expect(await axeSerious()).toEqual([])
    // Complete the build with an existing audience (the rule builder is part 1's, tested there).
    const gold = await app.inject({
      method: 'POST',
      url: '/v1/orgs/shop/audiences',
      payload: {
        label: 'Gold',
        type: 'query',
        rule: { kind: 'condition', field: 'tier', op: '=', value: 'gold' },
      },
      headers: { authorization: `Bearer ${secret}` },
    })
    expect(gold.statusCode, gold.body).toBe(200)
    await page.locator('.react-flow__node[data-id="build_audience"]').click()
    await page.getByLabel('Audience', { exact: true }).fill(gold.json().audience?.id ?? gold.json().id)
    await expect.poll(() => page.getByText('The campaign is valid').count(), { timeout: 10_000 }).toBe(1)
    await page.getByRole('textbox', { name: 'Campaign name' }).fill('Drawn in the browser')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.waitForURL(/\/o\/shop\/campaigns\/cmp_/)
    const id = page.url().split('/').pop()!
    const saved = await app.inject({
      method: 'GET',
      url: `/v1/orgs/shop/campaigns/${id}`,
      headers: { authorization: `Bearer ${secret}` },
    })
    const def = saved.json().campaign.definition
    expect(def.label).toBe('Drawn in the browser')
    expect(def.activities.map((a: { id: string }) => a.id)).toEqual([
      'build_audience',
      'deduplication',
      'split',
      'save_audience',
    ])
    expect(def.transitions).toEqual([
      { id: 't1', from: 'build_audience', to: 'deduplication' },
      { id: 't2', from: 'deduplication', to: 'split' },
      { id: 't3', from: 'split', to: 'save_audience', output: 'subset_1' },
    ])
    expect(def.activities[1].options.fields).toEqual(['email'])
    expect(def.activities[0].options.audience).toBe(gold.json().audience?.id ?? gold.json().id)
    await page.screenshot({ path: join(shots, '3-saved.png') })
  })
})
