import { execFile, execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseSchemaText } from '@ahub/core'
import { type App, bootstrapAdmin, buildApp } from '@ahub/server'
import { Store } from '@ahub/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `npm pack` of @ahub/cli installs in an empty folder outside the repository, and the installed
// `ahub` answers --help and talks to a server (docs/adr/0024-a-built-cli.md).

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'packages/cli')
const tmp = mkdtempSync(join(tmpdir(), 'ahub-cli-package-'))
const app = join(tmp, 'app')
let tarball = ''
let server: App | undefined
let store: Store | undefined
let url = ''
let token = ''

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command in the empty folder, with nothing of the repository on its paths. */
function run(file: string, args: string[], cwd = app): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    PATH: `${join(app, 'node_modules/.bin')}:${process.env.PATH}`,
    HOME: tmp,
    AHUB_CONFIG: join(tmp, 'ahub-config.json'),
    npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? tmp, '.npm'),
  }
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    )
  })
}

describe('the CLI package', () => {
  beforeAll(async () => {
    // The package as `npm pack` makes it: bin, the current build and package.json, nothing else. It is
    // staged so that packing never touches packages/cli/dist while other tests run the CLI from it.
    execFileSync(process.execPath, [join(CLI, 'scripts/build.js')], { stdio: 'pipe' })
    const info = JSON.parse(readFileSync(join(CLI, 'dist/build-info.json'), 'utf8')) as { id: string }
    const stage = join(tmp, 'stage')
    mkdirSync(join(stage, 'bin'), { recursive: true })
    cpSync(join(CLI, 'package.json'), join(stage, 'package.json'))
    cpSync(join(CLI, 'bin/ahub.js'), join(stage, 'bin/ahub.js'))
    cpSync(join(CLI, 'dist/build-info.json'), join(stage, 'dist/build-info.json'))
    cpSync(join(CLI, 'dist', info.id), join(stage, 'dist', info.id), { recursive: true })
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], stage)
    expect(packed.code, packed.stderr).toBe(0)
    tarball = join(tmp, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename)

    mkdirSync(app)
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'try-ahub', private: true }))
    const flags = ['install', tarball, '--no-audit', '--no-fund', '--loglevel=error']
    // From the local cache where it holds every package; the registry only for what it lacks.
    let installed = await run('npm', [...flags, '--offline'])
    if (installed.code !== 0) installed = await run('npm', [...flags, '--prefer-offline'])
    expect(installed.code, installed.stderr).toBe(0)

    // A server with one organisation and an API token of its admin.
    store = await Store.open({ dataDir: join(tmp, 'data') })
    await store.createOrg('shop', 'Shop')
    await store.catalog.apply(
      'shop',
      parseSchemaText(`tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      tier: { type: string }
`),
    )
    const people = join(tmp, 'people.csv')
    writeFileSync(people, 'profile_id,tier\np1,gold\np2,gold\np3,silver\n')
    await store.ingestor.ingest('shop', 'profiles', people)
    token = (await bootstrapAdmin(store, 'shop', true)).secret ?? ''
    server = await buildApp({ store, rateLimit: false })
    await server.listen({ port: 0, host: '127.0.0.1' })
    const address = server.server.address()
    if (!address || typeof address === 'string') throw new Error('the server has no port')
    url = `http://127.0.0.1:${address.port}`
    writeFileSync(
      join(app, 'gold.json'),
      JSON.stringify({ kind: 'condition', field: 'tier', op: '=', value: 'gold' }),
    )
  }, 480_000)

  afterAll(async () => {
    await server?.close()
    await store?.close()
    rmSync(tmp, { recursive: true, force: true })
  })

  it('holds the bin and the build, no sources', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n')
    expect(files).toContain('package/bin/ahub.js')
    expect(files).toContain('package/package.json')
    expect(files.filter((f) => /\/main\.js$/.test(f))).toHaveLength(1)
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([])
    const installed = join(app, 'node_modules/@ahub/cli')
    expect(existsSync(join(installed, 'src'))).toBe(false)
    // No workspace package came along: they are bundled.
    expect(existsSync(join(app, 'node_modules/@ahub/core'))).toBe(false)
    expect(statSync(tarball).size).toBeLessThan(2_000_000)
  })

  it('answers npx ahub --help and --version', async () => {
    const help = await run('npx', ['--no-install', 'ahub', '--help'])
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toContain('Usage: ahub')
    expect(help.stdout).toContain('rule')
    const version = await run('npx', ['--no-install', 'ahub', '--version'])
    expect(version.stdout.trim()).toBe('0.1.0')
  }, 180_000)

  it('counts a rule on a server, with --token and after ahub login', async () => {
    const counted = await run('ahub', [
      '--server',
      url,
      '--token',
      token,
      '--org',
      'shop',
      'rule',
      'count',
      'gold.json',
    ])
    expect(counted.code, counted.stderr).toBe(0)
    expect(counted.stdout).toMatch(/^2 profiles/)

    const login = await run('ahub', ['--server', url, 'login', '--token', token])
    expect(login.code, login.stderr).toBe(0)
    expect(login.stdout).toContain(`Signed in to ${url}`)
    const again = await run('ahub', ['--org', 'shop', 'rule', 'count', 'gold.json', '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ count: 2 })
  }, 180_000)

  it('reports a bad token with its code and exit code', async () => {
    const refused = await run('ahub', [
      '--server',
      url,
      '--token',
      'ahub_nope',
      '--org',
      'shop',
      'rule',
      'count',
      'gold.json',
    ])
    expect(refused.code).toBe(5)
    expect(refused.stderr).toContain('UNAUTHENTICATED')
  }, 180_000)
})
