/**
 * The README's tour, run as a newcomer would: `ahub start` on an empty data directory (the living
 * demo), then every command of every console block, in order, in one working directory. Each
 * command must exit 0 and print what the README shows, up to what changes from run to run (ids,
 * times, counts, paths): ids printed by a command replace the README's ids in later commands.
 * The curl block runs too. Then the same data directory starts again, and the demo makes nothing
 * twice.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'packages/cli/bin/ahub.js')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

interface Step {
  command: string
  expected: string[]
}

/** The fenced blocks of a language, each as the commands (`$ ...`) with the lines they print. */
function consoleSteps(markdown: string, language = 'console'): Step[][] {
  const blocks: Step[][] = []
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, 'gm')
  for (const m of markdown.matchAll(fence)) {
    const steps: Step[] = []
    for (const line of m[1]!.split('\n')) {
      if (line.startsWith('$ ')) steps.push({ command: line.slice(2), expected: [] })
      else if (steps.length > 0) steps[steps.length - 1]!.expected.push(line)
    }
    blocks.push(steps)
  }
  return blocks
}

const ID = /\b(?:aud|job|sa|ds|b|t|cmp|run)_[0-9a-z]{12,}\b/g

/** What stays the same between runs: ids, times, numbers, secrets, paths and bars made generic. */
function shape(lines: string[]): string[] {
  return lines
    .map((l) =>
      l
        .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?/g, 'TIME')
        .replace(ID, 'ID')
        .replace(/\bahub_\S+/g, 'SECRET')
        .replace(/\b[0-9a-f]{64}\b/g, 'HASH')
        .replace(/--cursor \S+/g, '--cursor CURSOR')
        .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, 'EMAIL')
        .replace(/(?:\/[\w.@-]+)+\/([\w.-]+)/g, '$1')
        .replace(/\d[\d,]*(?:\.\d+)?/g, 'N')
        .replace(/█+/g, 'BAR')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((l) => l !== '')
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv): { code: number; output: string } {
  const shell = command.replace(/^npx ahub\b/, `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`)
  const r = spawnSync('bash', ['-c', `${shell} 2>&1`], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 })
  return { code: r.status ?? 1, output: r.stdout }
}

describe('the README tour', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-tour-'))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AHUB_DATA_DIR: join(dir, 'data'),
    AHUB_CONFIG: join(dir, 'cli.json'),
  }
  for (const name of ['AHUB_URL', 'AHUB_SERVER', 'AHUB_TOKEN', 'AHUB_ORG', 'AHUB_HUB_URL', 'AHUB_HUB_TOKEN'])
    delete env[name]
  let server: ChildProcess | undefined
  let url = ''
  /** README id -> the id this run printed in its place. */
  const ids = new Map<string, string>()

  const start = async (): Promise<string> => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'start',
        '--data-dir',
        'data',
        '--port',
        '0',
        '--demo-profiles',
        '20000',
        '--demo-purchases',
        '200000',
      ],
      { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    server = child
    let out = ''
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL after 120 s:\n${out}`)), 120_000)
      const read = (chunk: Buffer) => {
        out += chunk.toString()
        const m = /running at (http:\/\/\S+)/.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(out)
          url = m[1]!
        }
      }
      child.stdout!.on('data', read)
      child.stderr!.on('data', read)
      child.on('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`ahub start exited with ${code}:\n${out}`))
      })
    })
  }
  const stop = async () => {
    const child = server
    server = undefined
    if (!child || child.exitCode !== null) return
    child.removeAllListeners('exit')
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGINT')
    await exited
  }

  beforeAll(async () => {
    await start()
  }, 180_000)
  afterAll(async () => {
    await stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs every console command of the README and prints what it shows', () => {
    const blocks = consoleSteps(README)
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    let commands = 0
    for (const steps of blocks) {
      for (const step of steps) {
        const cat = /^cat (\S+)$/.exec(step.command)
        if (cat) {
          // The README shows the file; the reader writes it.
          writeFileSync(join(dir, cat[1]!), `${step.expected.join('\n').trim()}\n`)
          continue
        }
        const unknown = (step.command.match(ID) ?? []).filter((id) => !ids.has(id))
        expect(unknown, `${step.command}: an id no earlier command printed`).toEqual([])
        let command = step.command
        for (const [from, to] of ids) command = command.replaceAll(from, to)
        const r = run(command, dir, env)
        commands++
        expect(r.code, `${command}\n${r.output}`).toBe(0)
        const printed = r.output.split('\n')
        expect(shape(printed), `${command}\n${r.output}`).toEqual(shape(step.expected))
        const theirs = step.expected.join('\n').match(ID) ?? []
        const ours = r.output.match(ID) ?? []
        theirs.forEach((id, i) => {
          if (ours[i] && ours[i]!.split('_')[0] === id.split('_')[0] && !ids.has(id)) ids.set(id, ours[i]!)
        })
      }
    }
    expect(commands).toBeGreaterThanOrEqual(25)
  }, 600_000)

  it('answers the README curl calls', () => {
    const [block] = [...README.matchAll(/^```sh\nTOKEN=[\s\S]*?^```/gm)].map((m) => m[0])
    expect(block).toBeDefined()
    const script = block!
      .split('\n')
      .slice(1, -1)
      .join('\n')
      .replaceAll('http://127.0.0.1:8080', url)
      .replace(/^curl /gm, 'curl -sS -w "\\n%{http_code}\\n" ')
    const r = spawnSync('bash', ['-c', script], { cwd: dir, env, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const statuses = r.stdout.split('\n').filter((l) => /^\d{3}$/.test(l))
    expect(statuses).toEqual(['200', '200'])
    expect(r.stdout).toContain('"purchases"')
    expect(r.stdout).toContain('"status":"succeeded"')
  })

  it('opens a living demo: history with entries and exits, a finished run, a draft, a schedule, a partner', async () => {
    const token = readFileSync(join(dir, 'data', 'admin-token'), 'utf8').trim()
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status, path).toBe(200)
      return (await res.json()) as T
    }
    const { audiences } = await get<{ audiences: { id: string; label: string; type: string }[] }>(
      '/v1/orgs/demo/audiences',
    )
    const recent = audiences.find((a) => a.label === 'Purchased in the last 30 days')!
    expect(audiences.filter((a) => a.type === 'list').length).toBeGreaterThanOrEqual(1)
    const { versions } = await get<{
      versions: { version: number; size: number; entered: number; exited: number }[]
    }>(`/v1/orgs/demo/audiences/${recent.id}/versions`)
    const later = versions.filter((v) => v.version > 1)
    expect(later.length).toBeGreaterThanOrEqual(2)
    for (const v of later) {
      expect(v.entered, `version ${v.version}`).toBeGreaterThan(0)
      expect(v.exited, `version ${v.version}`).toBeGreaterThan(0)
    }
    const big = audiences.find((a) => a.label === 'Big spenders (365 days)')!
    const schedule = await get<{ cron: string }>(`/v1/orgs/demo/audiences/${big.id}/schedule`)
    expect(JSON.stringify(schedule)).toContain('0 6 * * *')
    const { campaigns } = await get<{ campaigns: { id: string; status: string; state: string }[] }>(
      '/v1/orgs/demo/campaigns',
    )
    expect(campaigns.map((c) => c.status).sort()).toEqual(['draft', 'published'])
    const published = campaigns.find((c) => c.status === 'published')!
    const { runs } = await get<{ runs: { state: string }[] }>(`/v1/orgs/demo/campaigns/${published.id}/runs`)
    expect(runs.map((r) => r.state)).toEqual(['completed'])
  })

  it('starts again on the same data directory and makes nothing twice', async () => {
    const token = readFileSync(join(dir, 'data', 'admin-token'), 'utf8').trim()
    const get = async (path: string) =>
      (await (
        await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as Record<string, unknown[]>
    const before = {
      audiences: (await get('/v1/orgs/demo/audiences')).audiences!.length,
      campaigns: (await get('/v1/orgs/demo/campaigns')).campaigns!.length,
      batches: (await get('/v1/orgs/demo/batches')).batches!.length,
    }
    await stop()
    const printed = await start()
    expect(printed).not.toContain('Generating demo data')
    expect(printed).not.toContain('Demo audiences, campaigns')
    expect({
      audiences: (await get('/v1/orgs/demo/audiences')).audiences!.length,
      campaigns: (await get('/v1/orgs/demo/campaigns')).campaigns!.length,
      batches: (await get('/v1/orgs/demo/batches')).batches!.length,
    }).toEqual(before)
  }, 180_000)

  it("keeps the partner's import with a match report whose counts add up", async () => {
    await stop()
    // The first admin can switch to the partner organisation to read it: a member since the first
    // start (read before any local command, which would make it one).
    const store = await Store.open({ dataDir: join(dir, 'data') })
    try {
      const rows = await store.engine.query<{ role: string }>(
        `SELECT m.role FROM meta.memberships m JOIN meta.users u ON u.id = m.user_id
         WHERE m.org = $1 AND u.email = $2`,
        ['partner', 'admin@localhost'],
      )
      expect(rows.map((r) => r.role)).toEqual(['admin'])
    } finally {
      await store.close()
    }
    // No server runs now: the CLI opens the data directory itself.
    const r = run('npx ahub --org partner share jobs --json', dir, env)
    expect(r.code, r.output).toBe(0)
    const { jobs } = JSON.parse(r.output) as {
      jobs: { direction: string; state: string; counts: Record<string, number> }[]
    }
    const imported = jobs.find((j) => j.direction === 'import')
    expect(imported?.state).toBe('succeeded')
    const { received, matched, unmatched, invalid, ambiguous } = imported!.counts as Record<string, number>
    expect(matched).toBeGreaterThan(0)
    expect(unmatched).toBeGreaterThan(0)
    expect(matched! + unmatched! + invalid! + ambiguous!).toBe(received)
  })
})
