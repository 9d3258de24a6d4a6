/**
 * The campaign story in Debian's Chromium (playwright-core), from a fresh server with a small
 * living demo (the `demo` org and its `partner`, an embedded hub): a marketer signs in with the
 * printed password; draws, from an empty canvas and with the mouse, "profiles who purchased in the
 * last 30 days (a rule from the rule builder) → deduplicate by e-mail → enrich with two attributes
 * → split 70 % / the rest → save the first subset as an audience with the two attributes"; sees
 * validation issues on the activities and in the panel appear and go; saves; runs it in test mode
 * and checks each transition's count against what the API reports for the same run; previews a
 * transition's population; publishes, starts a live run and watches it end through the run's
 * server-sent events; finds the saved audience in the audience list. Then, on the sharing screens,
 * exports that audience to the hub shared with the partner org, imports it there with force
 * reconciliation and checks the match report against the API. axe-core on every screen (no serious
 * or critical violation), a screenshot of each step in .tmp/screenshots/campaign-scenario.
 */

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureWebBuild, startServer, webDistDir } from '@ahub/server'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CHROMIUM = '/usr/bin/chromium'
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SHOTS = join(ROOT, '.tmp', 'screenshots', 'campaign-scenario')
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

if (!existsSync(CHROMIUM) && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium (apt-get install -y chromium)`)

interface RunJson {
  id: string
  state: string
  transitions: Record<string, number>
}

// Outside CI, a machine without Debian's Chromium skips these tests (and says so); CI must have it.
describe.skipIf(!existsSync(CHROMIUM))(
  'a marketer draws, tests, runs and shares a campaign in Chromium',
  { timeout: 180_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'ahub-web-scenario-'))
    let server: { url: string; stop: () => Promise<void> }
    let browser: Browser
    let page: Page
    let password = ''
    let token = ''
    let campaign = ''
    let savedAudience = ''
    const eventStreams: string[] = []

    /** Checks the screen with axe-core (no serious or critical violation) and photographs it. */
    async function look(name: string): Promise<void> {
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
      await page.addScriptTag({ content: AXE })
      const violations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: {
              run: (
                o: object,
              ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>
            }
          }
        ).axe
        const r = await axe.run({ resultTypes: ['violations'] })
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
        }))
      })
      expect(
        violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
        `axe on ${name}`,
      ).toEqual([])
    }

    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON answers, checked by the assertions
    const api = async <T = any>(org: string, path: string): Promise<T> => {
      // The admin token is the demo org's; the partner org is read with the browser's session.
      const res =
        org === 'demo'
          ? await page.request.get(`${server.url}/v1/orgs/${org}${path}`, {
              headers: { authorization: `Bearer ${token}` },
            })
          : await page.request.get(`${server.url}/v1/orgs/${org}${path}`)
      expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true)
      return (await res.json()) as T
    }

    const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`)
    const issueCodes = () =>
      page.locator('.canvas-issues li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))
    const options = (id: string) => page.getByRole('group', { name: `Options of ${id}` })

    /** Drags from an outlet of one activity to the input of another with the mouse. */
    async function connect(from: string, outlet: string, to: string) {
      const a = (await node(from)
        .locator(`.react-flow__handle.source[data-handleid="${outlet}"]`)
        .boundingBox())!
      const b = (await node(to).locator('.react-flow__handle.target').boundingBox())!
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
      await page.mouse.down()
      await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 })
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 })
      await page.mouse.up()
    }

    /** Clicks an activity in the palette (it lands in the middle), then drags it into place. */
    async function place(title: string, id: string, x: number, y: number) {
      const flow = (await page.locator('.canvas-flow').boundingBox())!
      await page.locator('.palette-item', { hasText: new RegExp(`^${title}$`) }).click()
      const box = (await node(id).locator('.canvas-node-title').boundingBox())!
      await page.mouse.move(box.x + 10, box.y + 5)
      await page.mouse.down()
      await page.mouse.move(flow.x + x, flow.y + y, { steps: 8 })
      await page.mouse.up()
    }

    /** The count shown on each transition's label (`profiles · 1,234`), by transition id. */
    async function shownCounts(): Promise<Record<string, number>> {
      const labels = await page
        .locator('.react-flow__edge')
        .evaluateAll((els) =>
          els.map((e) => [
            e.getAttribute('data-id') ?? '',
            e.querySelector('.react-flow__edge-text')?.textContent ?? '',
          ]),
        )
      const out: Record<string, number> = {}
      for (const [id, text] of labels) {
        const m = /· ([\d,]+)$/.exec(text!)
        if (m) out[id!] = Number(m[1]!.replace(/,/g, ''))
      }
      return out
    }

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      ensureWebBuild()
      const lines: string[] = []
      server = await startServer({
        dataDir: join(dir, 'data'),
        port: 0,
        host: '127.0.0.1',
        demo: { profiles: 1_500, purchases: 12_000 },
        webApp: webDistDir(),
        log: (l) => lines.push(l),
      })
      password = /admin@localhost \/ (\S+)/.exec(lines.join('\n'))![1]!
      token = readFileSync(join(dir, 'data', 'admin-token'), 'utf8').trim()
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      })
      // axe-core is injected as a script: the app's Content-Security-Policy would (rightly) refuse it.
      const context = await browser.newContext({
        viewport: { width: 1500, height: 1000 },
        acceptDownloads: true,
        bypassCSP: true,
      })
      page = await context.newPage()
      page.on('request', (r) => {
        if (r.url().endsWith('/events')) eventStreams.push(r.url())
      })
    }, 180_000)

    afterAll(async () => {
      await browser?.close()
      await server?.stop()
      rmSync(dir, { recursive: true, force: true })
    })

    it('signs in with the printed password', async () => {
      await page.goto(server.url)
      await page.getByRole('link', { name: 'Sign in' }).click()
      await page.locator('input[name=email]').fill('admin@localhost')
      await page.locator('input[name=password]').fill(password)
      await page.locator('form button[type=submit], form input[type=submit]').first().click()
      await page.waitForURL(/\/o\/demo/)
    })

    it('draws the campaign with the mouse from an empty canvas; issues appear on the activities and in the panel', async () => {
      await page.goto(`${server.url}/o/demo/campaigns/new`)
      await page.getByRole('navigation', { name: 'Activities' }).waitFor()
      await place('Build audience', 'build_audience', 30, 60)
      await place('Deduplication', 'deduplication', 280, 60)
      await place('Enrichment', 'enrichment', 530, 60)
      await place('Split', 'split', 280, 300)
      await place('Save audience', 'save_audience', 530, 300)
      await expect.poll(() => page.locator('.react-flow__node').count()).toBe(5)
      await expect.poll(issueCodes, { timeout: 10_000 }).toContain('CAMPAIGN_UNCONNECTED_INPUT')
      expect(await node('save_audience').locator('.canvas-node-issues').textContent()).toMatch(/issue/)
      await look('1-placed')
      await connect('build_audience', 'out', 'deduplication')
      await connect('deduplication', 'out', 'enrichment')
      await connect('enrichment', 'out', 'split')
      await connect('split', 'subset_1', 'save_audience')
      await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4)
      await expect.poll(issueCodes, { timeout: 10_000 }).not.toContain('CAMPAIGN_UNCONNECTED_INPUT')
      // Still incomplete: the build has no rule, the deduplication no field.
      expect(await issueCodes()).toContain('CAMPAIGN_BAD_OPTIONS')
      expect(await node('build_audience').locator('.canvas-node-issues').textContent()).toMatch(/issue/)
      await look('2-connected')
    })

    it('completes each activity through its generated form, with the rule builder for the rule', async () => {
      // Build: "at least one purchase in the last 30 days", with the rule builder.
      await node('build_audience').click()
      await options('build_audience').getByRole('button', { name: 'Add a rule' }).click()
      const rule = options('build_audience').getByRole('group', { name: 'Rule' })
      await rule.getByRole('button', { name: 'Add link' }).last().click()
      const link = rule.getByRole('group', { name: 'Link' }).first()
      await link.getByRole('button', { name: 'Add condition on purchases' }).click()
      const when = link.getByRole('group', { name: 'Condition' }).first()
      await when.getByRole('button', { name: /Field/ }).click()
      await page
        .getByRole('option', { name: /purchased[ _]at/i })
        .first()
        .click()
      await when.getByRole('button', { name: /Operator/ }).click()
      await page.getByRole('option', { name: 'in period', exact: true }).click()
      await when.getByRole('button', { name: /Period/ }).click()
      await page.getByRole('option', { name: 'in the last', exact: true }).click()
      await when.getByLabel('Number of units').fill('30')
      await look('3-rule')
      // Deduplicate by e-mail.
      await node('deduplication').click()
      await options('deduplication').getByRole('button', { name: 'Add field' }).click()
      await options('deduplication').getByLabel('Field 1').fill('email')
      // Enrich with two attributes of the profile.
      await node('enrichment').click()
      const enrich = options('enrichment')
      for (const [i, [name, field]] of [
        ['country', 'country'],
        ['tier', 'loyalty_tier'],
      ].entries()) {
        await enrich.getByRole('button', { name: 'Add attribute' }).click()
        const item = enrich.getByRole('group', { name: `Attribute ${i + 1}` })
        await item.getByLabel(/^Name/).fill(name!)
        await item.getByLabel(/^Field/).fill(field!)
      }
      // Split: the first subset takes 70 %, the complement the rest.
      await node('split').click()
      const split = options('split')
      await split.getByRole('group', { name: 'Subset 1' }).getByRole('button', { name: 'Add limit' }).click()
      await split.getByLabel(/^Percent/).fill('70')
      // Save the first subset with the two attributes.
      await node('save_audience').click()
      const save = options('save_audience')
      await save.getByLabel(/^Label/).fill('Recent buyers, test group (web)')
      for (const [i, name] of ['country', 'tier'].entries()) {
        await save.getByRole('button', { name: 'Add attribute' }).click()
        await save.getByLabel(`Attribute ${i + 1}`).fill(name)
      }
      await expect.poll(() => page.getByText('The campaign is valid').count(), { timeout: 10_000 }).toBe(1)
      expect(await issueCodes()).toEqual([])
      await page.getByRole('textbox', { name: 'Campaign name' }).fill('Recent buyers (drawn in the browser)')
      await page.getByRole('button', { name: 'Save', exact: true }).click()
      await page.waitForURL(/\/o\/demo\/campaigns\/cmp_/)
      campaign = page.url().split('/').pop()!
      const saved = await api('demo', `/campaigns/${campaign}`)
      const def = saved.campaign.definition
      expect(def.activities.map((a: { type: string }) => a.type)).toEqual([
        'build_audience',
        'deduplication',
        'enrichment',
        'split',
        'save_audience',
      ])
      expect(def.activities[0].options.rule).toMatchObject({
        kind: 'group',
        children: [{ kind: 'link', link: 'purchases', where: { field: 'purchased_at' } }],
      })
      await look('4-saved')
    })

    it('runs it in test mode: each transition shows the count the API reports; a transition previews its population', async () => {
      await page.getByRole('button', { name: 'Test', exact: true }).click()
      const state = page.locator('.run-state')
      await expect.poll(() => state.getAttribute('data-state'), { timeout: 30_000 }).toBe('completed')
      const runId = (await state.locator('code').textContent())!
      const run = await api<RunJson>('demo', `/campaigns/${campaign}/runs/${runId}`)
      expect(Object.keys(run.transitions).sort()).toEqual(['t1', 't2', 't3', 't4'])
      await expect.poll(shownCounts, { timeout: 60_000 }).toEqual(run.transitions)
      expect(run.transitions.t1).toBeGreaterThan(0)
      // Nothing saved in test mode.
      const audiences = await api('demo', '/audiences')
      expect(audiences.audiences.map((a: { label: string }) => a.label)).not.toContain(
        'Recent buyers, test group (web)',
      )
      // Click the transition out of the enrichment: its population with the columns enrichment added.
      await page.locator('.react-flow__edge[data-id="t3"] .react-flow__edge-textbg').click()
      const preview = page.getByRole('region', { name: 'Population of t3' })
      await expect
        .poll(() => preview.getByRole('heading').textContent())
        .toContain(`${run.transitions.t3!.toLocaleString('en')} member`)
      const columns = await preview.locator('th').allTextContents()
      expect(columns).toEqual(expect.arrayContaining(['country', 'tier']))
      await look('5-test-run')
    }, 180_000)

    it('publishes, starts a live run and watches it end through the run events', async () => {
      await page.getByRole('button', { name: 'Publish', exact: true }).click()
      await expect.poll(() => page.getByRole('button', { name: 'Start', exact: true }).isEnabled()).toBe(true)
      const before = eventStreams.length
      await page.getByRole('button', { name: 'Start', exact: true }).click()
      const state = page.locator('.run-state')
      await expect.poll(() => state.textContent(), { timeout: 10_000 }).toContain('(live)')
      await expect.poll(() => state.getAttribute('data-state'), { timeout: 30_000 }).toBe('completed')
      const runId = (await state.locator('code').textContent())!
      const run = await api<RunJson>('demo', `/campaigns/${campaign}/runs/${runId}`)
      await expect.poll(shownCounts, { timeout: 60_000 }).toEqual(run.transitions)
      expect(eventStreams.length, 'the live view followed the run through its event stream').toBeGreaterThan(
        before,
      )
      await look('6-live-run')
      await page.goto(`${server.url}/o/demo/audiences`)
      await expect
        .poll(() => page.locator('table').first().textContent(), { timeout: 10_000 })
        .toContain('Recent buyers, test group (web)')
      const list = await api('demo', '/audiences')
      const found = list.audiences.find(
        (a: { label: string }) => a.label === 'Recent buyers, test group (web)',
      )
      savedAudience = found.id
      expect(found.size ?? found.lastSize).toBe(run.transitions.t4)
      await look('7-audience-list')
    }, 180_000)

    it('exports the saved audience to the hub for the partner org, which imports it with force reconciliation and sees the match report', async () => {
      await page.goto(`${server.url}/o/demo/sharing/shared-audiences`)
      const exportForm = page.getByRole('region', { name: 'Export an audience' })
      await exportForm.getByRole('combobox', { name: /^Audience/ }).selectOption(savedAudience)
      await exportForm.getByLabel('Data source').selectOption({ index: 1 })
      await exportForm.getByLabel('Name').fill('Recent buyers from the canvas')
      await exportForm.getByLabel(/Shared with/).fill('partner')
      await exportForm.getByRole('button', { name: 'Export' }).click()
      await expect
        .poll(() => exportForm.getByRole('status').textContent(), { timeout: 20_000 })
        .toMatch(/succeeded/)
      await expect
        .poll(() => page.locator('table').first().textContent(), { timeout: 10_000 })
        .toContain('Recent buyers from the canvas')
      await look('8-exported')

      await page.goto(`${server.url}/o/partner/sharing/shared-audiences`)
      const importForm = page.getByRole('region', { name: 'Import a shared audience' })
      const shared = (await api('partner', '/sharing/shared-audiences')).sharedAudiences.find(
        (s: { name: string }) => s.name === 'Recent buyers from the canvas',
      )
      expect(shared).toBeTruthy()
      await expect
        .poll(() => importForm.getByLabel('Shared audience').locator('option').allTextContents(), {
          timeout: 10_000,
        })
        .toContain('Recent buyers from the canvas (demo)')
      await importForm.getByLabel('Shared audience').selectOption(shared.id)
      await importForm.getByLabel('Label').fill('Recent buyers from demo (web)')
      await importForm.getByLabel('Force reconciliation with profiles').check()
      await importForm.getByRole('button', { name: 'Import' }).click()
      await expect
        .poll(() => importForm.getByRole('status').textContent(), { timeout: 20_000 })
        .toMatch(/succeeded/)
      const jobId = /sync job (\S+):/.exec((await importForm.getByRole('status').textContent())!)![1]!
      await look('9-imported')

      await page.goto(`${server.url}/o/partner/sharing/jobs`)
      await page.getByRole('button', { name: jobId }).click()
      const report = page.getByRole('region', { name: `Match report of ${jobId}` })
      const job = (await api('partner', '/sharing/jobs')).jobs.find((j: { id: string }) => j.id === jobId)
      expect(job.counts.received).toBeGreaterThan(0)
      const legend = Object.fromEntries(
        (await report
          .locator('.match-legend li')
          .evaluateAll((els) =>
            els.map((e) => [e.getAttribute('data-part'), e.querySelector('strong')?.textContent ?? '']),
          )) as [string, string][],
      )
      expect(Number(legend.matched!.replace(/,/g, ''))).toBe(job.counts.matched)
      expect(Number(legend.unmatched!.replace(/,/g, ''))).toBe(job.counts.unmatched)
      expect(await report.locator('[data-adds-up]').getAttribute('data-adds-up')).toBe('true')
      await look('10-match-report')
    })
  },
)
