import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'packages/cli/bin/ahub.js')
const tmp = mkdtempSync(join(tmpdir(), 'ahub-rule-cli-'))
const dataDir = join(tmp, 'data')
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Runs the real CLI on the data directory; never rejects, so exit codes can be asserted. */
function ahub(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env }
  for (const name of ['AHUB_URL', 'AHUB_SERVER', 'AHUB_TOKEN', 'AHUB_ORG', 'AHUB_DATA_DIR']) delete env[name]
  env.AHUB_CONFIG = join(tmp, 'ahub-config.json')
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--data-dir', dataDir, ...args],
      { cwd: ROOT, env },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    )
  })
}

const file = (name: string, rule: unknown) => {
  const path = join(tmp, name)
  writeFileSync(path, JSON.stringify(rule))
  return path
}
const expression = (text: string) => ({ kind: 'expression', expression: text })

describe('rules the engines cannot evaluate, over the CLI', () => {
  beforeAll(async () => {
    const schema = join(tmp, 'schema.yaml')
    writeFileSync(
      schema,
      `tables:
  profiles:
    primaryKey: [profile_id]
    fields:
      profile_id: { type: string, nullable: false }
      first_name: { type: string }
      birth_date: { type: date }
      score: { type: integer }
`,
    )
    const people = join(tmp, 'people.csv')
    writeFileSync(
      people,
      'profile_id,first_name,birth_date,score\np1,Ann,1980-01-02,9000000000000000000\np2,Bob,1990-03-04,1\n',
    )
    // Only `ahub org create` creates an organisation (the CLI's default org is demo).
    expect((await ahub('org', 'create', 'demo')).code).toBe(0)
    expect((await ahub('schema', 'apply', schema)).code).toBe(0)
    expect((await ahub('ingest', 'profiles', people)).code).toBe(0)
  }, 120_000)

  it.each([
    ['like-escape', { kind: 'condition', field: 'first_name', op: 'like', value: '%\\' }, 'RULE_BAD_PATTERN'],
    [
      'date-add',
      expression("dateAdd('day', 999999999999, birth_date) > birth_date"),
      'RULE_VALUE_OUT_OF_RANGE',
    ],
    ['overflow', expression('length(first_name) * 3037000500 * 3037000500 > 0'), 'RULE_VALUE_OUT_OF_RANGE'],
    ['substr', expression('substr(first_name, 99999999999) = first_name'), 'RULE_VALUE_OUT_OF_RANGE'],
  ])('refuses %s at validation and at count with a coded error (exit 3)', async (name, rule, code) => {
    const path = file(`${name}.json`, rule)
    const validated = await ahub('rule', 'validate', path, '--json')
    expect(validated.stdout + validated.stderr).toContain(code)
    const counted = await ahub('rule', 'count', path, '--json')
    expect(counted.code, counted.stdout + counted.stderr).toBe(3)
    expect(JSON.parse(counted.stdout)).toMatchObject({ error: { code: 'RULE_INVALID' } })
    expect(counted.stdout).toContain(code)
    expect(counted.stdout).not.toMatch(/STORE_ERROR|SELECT/)
  })

  it('answers an overflow the data causes with RULE_EVALUATION_FAILED (exit 3, no SQL)', async () => {
    const counted = await ahub(
      'rule',
      'count',
      file('data-overflow.json', expression('score * score > 0')),
      '--json',
    )
    expect(counted.code, counted.stdout + counted.stderr).toBe(3)
    expect(JSON.parse(counted.stdout)).toMatchObject({
      error: { code: 'RULE_EVALUATION_FAILED', message: expect.stringMatching(/overflow/i) },
    })
    expect(counted.stdout).not.toMatch(/SELECT|org_/)
  })
})
