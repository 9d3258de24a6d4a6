/**
 * The examples of docs/*.md, checked against the real thing so the docs cannot drift (issue 17
 * item 13): every fenced JSON block is a campaign definition, an activity, a rule, a sharing
 * request or an error answer, and goes through the validator of its kind; the YAML schema parses;
 * every `ahub ...` command of a fenced block or an inline code span names commands and options
 * the CLI has (read from its own --help). A block of a new kind fails until it is classified here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ACTIVITIES, CampaignService, migrateCampaigns } from '@ahub/campaigns'
import { main } from '@ahub/cli'
import { ERROR_CODES, parseSchemaText, ShareExportRequest, ShareImportRequest } from '@ahub/core'
import { type CompileContext, validateRule } from '@ahub/query'
import { Store } from '@ahub/store'
import { DEMO_SCHEMA_YAML } from '@ahub/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url))
const FILES = readdirSync(DOCS).filter((f) => f.endsWith('.md'))
const ERRORS_MD = readFileSync(join(DOCS, 'errors.md'), 'utf8')

interface Block {
  where: string
  language: string
  text: string
}

/** The fenced blocks of every doc, with file and line. */
function blocks(): Block[] {
  const out: Block[] = []
  for (const file of FILES) {
    const md = readFileSync(join(DOCS, file), 'utf8')
    for (const m of md.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)) {
      const line = md.slice(0, m.index).split('\n').length
      out.push({ where: `docs/${file}:${line}`, language: m[1]!, text: m[2]! })
    }
  }
  return out
}

const JSON_BLOCKS = blocks().filter((b) => b.language === 'json')

/** What a JSON example is, by its keys. */
function kindOf(value: Record<string, unknown>): string {
  if ('activities' in value && 'transitions' in value) return 'campaign'
  if ('type' in value && 'options' in value && typeof value.type === 'string' && value.type in ACTIVITIES)
    return 'activity'
  if ('error' in value) return 'error'
  if ('audience' in value && 'dataSource' in value && 'target' in value) return 'share-export'
  if ('sharedAudience' in value && 'label' in value) return 'share-import'
  if ('kind' in value) return 'rule'
  return 'unknown'
}

let dir: string
let store: Store
let campaigns: CampaignService
let ctx: CompileContext

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ahub-docs-'))
  store = await Store.open({ dataDir: dir })
  await migrateCampaigns(store.engine)
  await store.createOrg('demo', 'Demo')
  await store.catalog.apply('demo', parseSchemaText(DEMO_SCHEMA_YAML))
  campaigns = new CampaignService(store.engine, store.catalog, store.audiences)
  ctx = {
    dialect: 'duckdb',
    tables: await store.catalog.definitions('demo'),
    dimension: 'profiles',
    asOf: new Date(),
    namespace: 'org_demo',
    audiences: await store.audiences.audienceResolver('demo'),
  }
})

afterAll(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('JSON examples of docs/', () => {
  it('finds the examples', () => {
    expect(JSON_BLOCKS.length).toBeGreaterThanOrEqual(8)
  })

  it.each(JSON_BLOCKS.map((b) => [b.where, b] as const))('%s is valid', async (_where, b) => {
    const value = JSON.parse(b.text) as Record<string, unknown>
    switch (kindOf(value)) {
      case 'campaign':
        expect((await campaigns.validate('demo', value)).issues).toEqual([])
        break
      case 'activity': {
        const module = ACTIVITIES[value.type as keyof typeof ACTIVITIES]
        const parsed = module.options.safeParse(value.options)
        expect(parsed.success ? [] : parsed.error.issues).toEqual([])
        break
      }
      case 'rule':
        expect(validateRule(value, ctx)).toEqual([])
        break
      case 'share-export':
        expect(ShareExportRequest.safeParse(value).error?.issues ?? []).toEqual([])
        break
      case 'share-import':
        expect(ShareImportRequest.safeParse(value).error?.issues ?? []).toEqual([])
        break
      case 'error': {
        const { error } = value as { error: { code: string; message: string } }
        expect(Object.keys(ERROR_CODES)).toContain(error.code)
        expect(ERRORS_MD).toContain(`| \`${error.code}\``)
        expect(typeof error.message).toBe('string')
        break
      }
      default:
        expect.fail(
          `${b.where}: a JSON example of no known kind; teach e2e/docs-examples.test.ts to check it`,
        )
    }
  })

  it('would catch an option of the wrong shape (split order as a bare string)', () => {
    const split = ACTIVITIES.split.options.safeParse({
      subsets: [{ code: 'a', limit: { percent: 10, order: 'random' } }],
    })
    expect(split.success).toBe(false)
  })

  it('parses the schema file example', () => {
    const yaml = blocks().filter((b) => b.language === 'yaml')
    expect(yaml.length).toBeGreaterThanOrEqual(1)
    for (const b of yaml) expect(() => parseSchemaText(b.text), b.where).not.toThrow()
  })
})

// ---- commands ----

interface Help {
  commands: Set<string>
  /** Option names, true when the option takes a value. */
  options: Map<string, boolean>
}

const helps = new Map<string, Help>()

/** The subcommands and options of `path`, read from `ahub <path> --help`. */
async function helpOf(path: string[]): Promise<Help> {
  const key = path.join(' ')
  const known = helps.get(key)
  if (known) return known
  let text = ''
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += String(chunk)
    return true
  }) as typeof process.stdout.write
  try {
    await main(['node', 'ahub', ...path, '--help'])
  } finally {
    process.stdout.write = write
  }
  const section = (name: string) => {
    const lines = text.split('\n')
    const start = lines.indexOf(`${name}:`)
    if (start < 0) return []
    const body: string[] = []
    for (const l of lines.slice(start + 1)) {
      if (l !== '' && !l.startsWith(' ')) break
      body.push(l)
    }
    return body
  }
  const help: Help = {
    commands: new Set(
      section('Commands')
        .map((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1])
        .filter((c): c is string => c !== undefined),
    ),
    options: new Map(
      section('Options').flatMap((l) => {
        const m = /^ {2}(?:-\w, )?(--[a-z][\w-]*)( [<[])?/.exec(l)
        return m ? [[m[1]!, m[2] !== undefined] as const] : []
      }),
    ),
  }
  helps.set(key, help)
  return help
}

/** Every `ahub ...` command of the docs: lines of fenced blocks and inline code spans. */
function commands(): { where: string; command: string }[] {
  const out: { where: string; command: string }[] = []
  for (const b of blocks()) {
    for (const line of b.text.split('\n')) {
      const m = /^(?:\$ )?(ahub .*)$/.exec(line)
      if (m) out.push({ where: b.where, command: m[1]! })
    }
  }
  for (const file of FILES) {
    const md = readFileSync(join(DOCS, file), 'utf8').replace(/^```[\s\S]*?^```/gm, '')
    for (const m of md.matchAll(/`(ahub [^`]+)`/g)) out.push({ where: `docs/${file}`, command: m[1]! })
  }
  return out
}

/** Problems with a command line: unknown subcommands under a command that has some, unknown options. */
async function problems(command: string): Promise<string[]> {
  const tokens = (command.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).slice(1)
  const path: string[] = []
  const found: string[] = []
  const global = await helpOf([])
  let positional = false
  let value = false
  for (const raw of tokens) {
    const token = raw.replace(/^[[(]+/, '').replace(/[\])]+$/, '')
    if (value) {
      value = false
      continue
    }
    const help = await helpOf(path)
    if (token.startsWith('--')) {
      const name = token.split('=')[0]!
      const takes = help.options.get(name) ?? global.options.get(name)
      if (takes === undefined) found.push(`${path.join(' ')}: no option ${name}`)
      value = takes === true && !token.includes('=')
      continue
    }
    if (positional || /^[<[(A-Z.|]/.test(token) || help.commands.size === 0) {
      positional = true
      continue
    }
    // `validate|create|...` lists subcommands; the first word that is none ends the command path.
    const names = token.split('|')
    if (names.every((n) => help.commands.has(n))) {
      if (names.length > 1) break
      path.push(token)
    } else if (path.length === 0) {
      found.push(`no command ${token}`)
      break
    } else positional = true
  }
  return found
}

describe('ahub commands of docs/', () => {
  const all = commands()

  it('finds the commands', () => {
    expect(all.length).toBeGreaterThanOrEqual(30)
  })

  it('names only commands and options the CLI has', async () => {
    const wrong: string[] = []
    for (const c of all)
      for (const p of await problems(c.command)) wrong.push(`${c.where}: ${c.command} -> ${p}`)
    expect(wrong).toEqual([])
  }, 120_000)

  it('mentions in its prose only options some command has', async () => {
    const known = new Set<string>()
    const walk = async (path: string[]): Promise<void> => {
      const help = await helpOf(path)
      for (const o of help.options.keys()) known.add(o)
      for (const c of help.commands) if (c !== 'help') await walk([...path, c])
    }
    await walk([])
    const wrong: string[] = []
    for (const file of FILES) {
      const md = readFileSync(join(DOCS, file), 'utf8').replace(/^```[\s\S]*?^```/gm, '')
      for (const m of md.matchAll(/`(--[a-z][\w-]*)/g))
        if (!known.has(m[1]!)) wrong.push(`docs/${file}: ${m[1]}`)
    }
    expect(wrong).toEqual([])
  }, 120_000)

  it('would catch an option the CLI does not have', async () => {
    expect(await problems('ahub share import sa_1 --label x --hub http://h --hub-token t')).toEqual([
      'share import: no option --hub',
      'share import: no option --hub-token',
    ])
  })
})
