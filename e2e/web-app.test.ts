/**
 * The web app in Debian's Chromium (playwright-core), against a server started here on a fresh
 * data directory with a small living demo, following a newcomer's path: sign in with the printed
 * password; upload a CSV with one bad row and see its reject; build "country is FR and at least
 * one purchase in the last 30 days" with the mouse and keyboard and see the live count equal the
 * API's count; save it as an audience and open its detail; create a token (secret shown once) and
 * revoke it; find all of it in the audit log. Every screen visited is checked with axe-core (no
 * serious or critical violation) and photographed to .tmp/screenshots.
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
const SHOTS = join(ROOT, '.tmp', 'screenshots')
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

if (!existsSync(CHROMIUM) && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium (apt-get install -y chromium)`)

// Outside CI, a machine without Debian's Chromium skips these tests (and says so); CI must have it.
describe.skipIf(!existsSync(CHROMIUM))('the web app in Chromium, as a newcomer uses it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-web-'))
  let server: { url: string; stop: () => Promise<void> }
  let browser: Browser
  let page: Page
  let password = ''
  let token = ''
  const visited: string[] = []

  /** Checks the screen with axe-core and photographs it. */
  async function look(name: string): Promise<void> {
    await page.waitForLoadState('networkidle')
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
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious, `axe on ${name}`).toEqual([])
    visited.push(name)
  }

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    })
    expect(res.ok, `${path}: ${res.status}`).toBe(true)
    return (await res.json()) as T
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    ensureWebBuild()
    const lines: string[] = []
    server = await startServer({
      dataDir: join(dir, 'data'),
      port: 0,
      host: '127.0.0.1',
      demo: { profiles: 3_000, purchases: 30_000 },
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
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
      bypassCSP: true,
    })
    page = await context.newPage()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('signs in with the printed password through the built-in provider', async () => {
    await page.goto(server.url)
    await page.getByRole('link', { name: 'Sign in' }).click()
    await page.locator('input[name=email]').fill('admin@localhost')
    await page.locator('input[name=password]').fill(password)
    await page.locator('form button[type=submit], form input[type=submit]').first().click()
    await page.waitForURL(/\/o\/demo/)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toBeTruthy()
    await look('overview')
  })

  it('uploads a CSV with one bad row and shows its reject', async () => {
    await page.goto(`${server.url}/o/demo/data/datasets/profiles`)
    const header = readFileSync(join(dir, 'data', 'demo', 'profiles.csv'), 'utf8').split('\n')[0]!
    const good = readFileSync(join(dir, 'data', 'demo', 'profiles.csv'), 'utf8')
      .split('\n')
      .slice(1, 4)
    const columns = header.split(',')
    const bad = columns
      .map((c) => (c === 'profile_id' ? 'pweb1' : c === 'email' ? 'not-an-email' : ''))
      .join(',')
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Choose a file' }).click()
    await (await chooser).setFiles({
      name: 'newcomer.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n${good.join('\n')}\n${bad}\n`),
    })
    const result = page.locator('.batch-result')
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain('1 rejected')
    await expect.poll(() => result.textContent()).toContain('IDENTITY_INVALID')
    await look('dataset-upload')
  })

  it('builds "country is FR and a purchase in the last 30 days" and shows the same count as the API', async () => {
    await page.goto(`${server.url}/o/demo/audiences/new`)
    const rule = page.getByRole('group', { name: 'Rule' })
    await rule.getByRole('button', { name: 'Add condition' }).click()
    const condition = rule.getByRole('group', { name: 'Condition' }).first()
    await condition.getByRole('button', { name: /Field/ }).click()
    await page
      .getByRole('option', { name: /country/i })
      .first()
      .click()
    const value = condition.getByRole('textbox').first()
    if (await value.count()) await value.fill('FR')
    else {
      await condition.getByRole('button', { name: /Value/ }).click()
      await page.getByRole('option', { name: 'FR', exact: true }).click()
    }
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
    const expected = await api<{ count: number }>('/v1/orgs/demo/rules/count', {
      method: 'POST',
      body: JSON.stringify({
        rule: {
          kind: 'group',
          op: 'and',
          children: [
            { kind: 'condition', field: 'country', op: '=', value: 'FR' },
            {
              kind: 'link',
              link: 'purchases',
              aggregate: { fn: 'exists' },
              where: {
                kind: 'condition',
                field: 'purchased_at',
                op: '=',
                date: { preset: 'last', n: 30, unit: 'days' },
              },
            },
          ],
        },
      }),
    })
    expect(expected.count).toBeGreaterThan(0)
    const shown = page.getByLabel('Live count')
    await expect
      .poll(async () => Number((await shown.textContent())?.replace(/[^0-9]/g, '') ?? NaN), {
        timeout: 20_000,
      })
      .toBe(expected.count)
    await look('rule-builder')
  })

  it('saves the rule as an audience and opens its detail with its size history', async () => {
    await page.getByLabel('Audience name').fill('FR recent buyers (web)')
    await page
      .getByRole('complementary', { name: 'Count and save' })
      .getByRole('button', { name: /Save/ })
      .click()
    await page.waitForURL(/\/audiences\/aud_/)
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).first().textContent())
      .toContain('FR recent buyers (web)')
    // A refresh makes version 2: the size history gets its second point and row.
    await page.getByRole('button', { name: 'Refresh now' }).click()
    const history = page.getByRole('region', { name: 'Size history' })
    await expect.poll(() => history.locator('tbody tr').count(), { timeout: 20_000 }).toBe(2)
    await look('audience-detail')
    // Exported hashed for Google: the downloaded file starts with the hashed column.
    await page.getByRole('button', { name: /Identities/ }).click()
    await page.getByRole('option', { name: /Google/ }).click()
    const download = page.waitForEvent('download')
    await page
      .getByRole('link', { name: 'Download' })
      .or(page.getByRole('button', { name: 'Download' }))
      .click()
    const file = await (await download).path()
    const [first, second] = readFileSync(file, 'utf8').split('\n')
    expect(first).toBe('email_sha256')
    expect(second).toMatch(/^[0-9a-f]{64}$/)
    await page.goto(`${server.url}/o/demo/audiences`)
    await expect.poll(() => page.locator('table').first().textContent()).toContain('FR recent buyers (web)')
    await look('audience-list')
  })

  it('creates a token whose secret is shown once, works, and stops when revoked', async () => {
    await page.goto(`${server.url}/o/demo/admin/tokens`)
    await page.getByLabel('Name').fill('from-the-web')
    await page.getByRole('button', { name: 'Create token' }).click()
    const secret = (await page.getByTestId('token-secret').textContent())!.trim()
    expect(secret).toMatch(/^ahub_[A-Za-z0-9_-]{43}$/)
    await look('tokens')
    const use = () =>
      fetch(`${server.url}/v1/orgs/demo/datasets`, { headers: { authorization: `Bearer ${secret}` } })
    expect((await use()).status).toBe(200)
    await page.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => page.getByTestId('token-secret').count()).toBe(0)
    await page.getByRole('button', { name: 'Revoke from-the-web' }).click()
    await expect.poll(async () => (await use()).status).toBe(401)
    expect(await page.content()).not.toContain(secret)
  })

  it('shows all of it in the audit log, with filters', async () => {
    await page.goto(`${server.url}/o/demo/admin/audit`)
    const table = page.locator('table').first()
    for (const action of ['token.create', 'token.revoke', 'dataset.ingest'])
      await expect.poll(() => table.textContent(), { timeout: 10_000 }).toContain(action)
    await page.getByLabel('Action').fill('token.*')
    await expect.poll(async () => (await table.textContent())?.includes('dataset.ingest')).toBe(false)
    await look('audit')
    await page.goto(`${server.url}/o/demo/admin/members`)
    await expect.poll(() => page.locator('table').first().textContent()).toContain('admin@localhost')
    await look('members')
    await page.goto(`${server.url}/o/demo/data/schemas`)
    await expect.poll(() => page.locator('svg.schema-diagram').count()).toBe(1)
    await look('schemas')
    expect(visited.length).toBeGreaterThanOrEqual(8)
  })
})
