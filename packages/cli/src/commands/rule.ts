import { readFile } from 'node:fs/promises'
import type { RuleInput } from '@ahub/client'
import { AppError, type EngineName } from '@ahub/core'
import { type Command, Option } from 'commander'
import { printTable } from '../print'
import { type AccessGlobals, output, withAccess } from './access-client'

interface RuleOptions {
  dimension?: string
  asOf?: string
}

/** Reads a rule file (JSON; `-` for standard input). */
async function readRule(path: string): Promise<unknown> {
  const text = path === '-' ? await readStdin() : await readFile(path, 'utf8').catch(() => null)
  if (text === null) throw new AppError('NOT_FOUND', `No rule file "${path}"`)
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new AppError('VALIDATION_FAILED', `The rule file "${path}" is not JSON: ${(e as Error).message}`)
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

async function input(file: string, o: RuleOptions): Promise<RuleInput> {
  if (o.asOf !== undefined && Number.isNaN(Date.parse(o.asOf)))
    throw new AppError('VALIDATION_FAILED', `--as-of must be an ISO time, not "${o.asOf}"`)
  return {
    rule: await readRule(file),
    dimension: o.dimension,
    asOf: o.asOf === undefined ? undefined : new Date(o.asOf).toISOString(),
  }
}

/** `ahub rule validate|count|sql|explain|preview|distribution`: the tools around a rule (docs/rules.md). */
export function ruleCommands(program: Command, globals: () => AccessGlobals): void {
  const rule = program.command('rule').description('validate, count and inspect rules (docs/rules.md)')
  const common = (c: Command) =>
    c
      .option('--dimension <table>', 'table the rule selects from (default: profiles)')
      .option('--as-of <time>', 'evaluate relative dates as of this ISO time (default: now)')

  common(
    rule.command('validate <file>').description('list every problem of a rule file, with its JSON path'),
  ).action(async (file: string, o: RuleOptions) => {
    const body = await input(file, o)
    await withAccess(globals(), async (s) => {
      const result = await s.call((c) => c.validateRule(body))
      if (result.valid) {
        output(globals(), () => process.stdout.write('valid\n'), result)
        return
      }
      // Invalid: the error (printed once, as JSON with --json) carries every issue.
      if (!globals().json)
        printTable(
          result.issues.map((i) => ({
            path: i.path.join('.') || '(root)',
            code: i.code,
            message: i.message,
          })),
        )
      throw new AppError('RULE_INVALID', `${result.issues.length} problem(s) in ${file}`, {
        details: { issues: result.issues },
      })
    })
  })
  common(rule.command('count <file>').description('count the rows a rule selects')).action(
    async (file: string, o: RuleOptions) => {
      const body = await input(file, o)
      await withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.countRule(body))
        output(
          globals(),
          () =>
            process.stdout.write(
              `${r.count.toLocaleString('en')} ${r.dimension} (as of ${r.asOf}, ${r.durationMs} ms)\n`,
            ),
          r,
        )
      })
    },
  )
  common(rule.command('sql <file>').description('print the SQL a rule compiles to (the code view)'))
    .addOption(
      new Option('--dialect <engine>', 'engine dialect')
        .choices(['duckdb', 'postgres', 'clickhouse'])
        .default('duckdb'),
    )
    .action(async (file: string, o: RuleOptions & { dialect: EngineName }) => {
      const body = await input(file, o)
      await withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.ruleSql({ ...body, dialect: o.dialect }))
        output(
          globals(),
          () => {
            process.stdout.write(`${r.sql}\n`)
            if (r.params.length > 0) {
              process.stdout.write('\n-- parameters\n')
              for (const [i, p] of r.params.entries())
                process.stdout.write(`-- ${i + 1}: ${JSON.stringify(p.value)} (${p.type})\n`)
            }
          },
          r,
        )
      })
    })
  common(rule.command('explain <file>').description("print the embedded engine's plan for a rule")).action(
    async (file: string, o: RuleOptions) => {
      const body = await input(file, o)
      await withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.explainRule(body))
        output(globals(), () => process.stdout.write(`${r.plan}\n`), r)
      })
    },
  )
  common(rule.command('preview <file>').description('print the keys of the first rows a rule selects'))
    .option('--limit <n>', 'rows to show', '20')
    .action(async (file: string, o: RuleOptions & { limit: string }) => {
      const body = await input(file, o)
      const limit = Number(o.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new AppError(
          'VALIDATION_FAILED',
          `--limit must be a whole number from 1 to 1000, not "${o.limit}"`,
        )
      await withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.previewRule({ ...body, limit }))
        output(globals(), () => printTable(r.members), r)
      })
    })
  common(
    rule
      .command('distribution <field> [file]')
      .description('the most frequent values of a field, with counts (among the rows a rule file selects)'),
  )
    .option('--limit <n>', 'values to show (at most 100)', '20')
    .action(async (field: string, file: string | undefined, o: RuleOptions & { limit: string }) => {
      const body =
        file === undefined ? { rule: undefined, dimension: o.dimension, asOf: o.asOf } : await input(file, o)
      const limit = Number(o.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new AppError(
          'VALIDATION_FAILED',
          `--limit must be a whole number from 1 to 100, not "${o.limit}"`,
        )
      await withAccess(globals(), async (s) => {
        const r = await s.call((c) => c.distribution({ ...body, field, limit }))
        const total = r.values.reduce((a, v) => a + v.count, 0)
        output(
          globals(),
          () =>
            printTable(
              r.values.map((v) => ({
                value: v.value === null ? '(empty)' : String(v.value),
                count: v.count,
                share: `${total ? ((v.count / total) * 100).toFixed(1) : '0.0'}%`,
                bar: '█'.repeat(total ? Math.round((v.count / r.values[0]!.count) * 30) : 0),
              })),
            ),
          r,
        )
      })
    })
}
