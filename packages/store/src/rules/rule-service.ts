import { assertIdentifier, type EngineName, isAppError } from '@ahub/core'
import {
  type AudienceResolver,
  type CompileContext,
  type CompiledQuery,
  compileCount,
  compileDistribution,
  compileExpression,
  compileRule,
  type RuleIssue,
  validateRule,
} from '@ahub/query'
import type { Engine, SqlValue } from '../engine'
import type { SchemaCatalog } from '../meta/catalog'
import { pickDimension } from './dimension'
import { evaluating } from './evaluation-error'

/** What every rule tool needs besides the rule: the table it selects from and its "as of" time. */
export interface RuleTarget {
  /** The table whose rows the rule selects; defaults to `profiles`, or the org's only table. */
  dimension?: string
  /** Evaluation time of relative dates; defaults to now. */
  asOf?: Date
}

export interface RuleCount {
  count: number
  dimension: string
  asOf: string
  durationMs: number
}

export interface ValueCount {
  value: unknown
  count: number
}

/** A problem of an expression's text, located when the parser or checker knows where. */
export interface ExpressionIssue {
  code: string
  message: string
  line?: number
  column?: number
}

/** Largest number of values a distribution returns. */
export const MAX_DISTRIBUTION_VALUES = 100

/**
 * The tools around a rule (docs/rules.md): validate, count, code view, explain, distribution.
 * Compiles with @ahub/query against the org's schema and runs on the embedded engine.
 */
export class RuleService {
  constructor(
    private readonly engine: Engine,
    private readonly catalog: SchemaCatalog,
    /** Where "in audience X" finds audience members (the audience catalog). */
    private readonly audiences?: (org: string) => Promise<AudienceResolver>,
  ) {}

  /** Every issue of the rule at once, each with its JSON path; empty when the rule is valid. */
  async validate(org: string, rule: unknown, target: RuleTarget = {}): Promise<RuleIssue[]> {
    const ctx = await this.context(org, target, 'duckdb')
    return validateRule(rule, ctx)
  }

  /**
   * Every problem of an expression over the dimension (docs/rules.md expressions): a parse error,
   * or each type and name problem the checker finds, with line and column; empty when it compiles.
   */
  async validateExpression(org: string, text: string, target: RuleTarget = {}): Promise<ExpressionIssue[]> {
    const ctx = await this.context(org, target, 'duckdb')
    try {
      compileExpression(text, ctx)
      return []
    } catch (e) {
      if (!isAppError(e)) throw e
      const d = (e.details ?? {}) as { line?: number; column?: number; issues?: ExpressionIssue[] }
      if (Array.isArray(d.issues) && d.issues.length > 0)
        return d.issues.map((i) => ({ code: i.code, message: i.message, line: i.line, column: i.column }))
      return [{ code: e.code, message: e.message, line: d.line, column: d.column }]
    }
  }

  /** How many rows of the dimension match. */
  async count(org: string, rule: unknown, target: RuleTarget = {}): Promise<RuleCount> {
    const ctx = await this.context(org, target, 'duckdb')
    const q = compileCount(rule, ctx)
    const started = performance.now()
    const rows = await evaluating(() => this.engine.query<{ count: number }>(q.sql, bind(q)))
    return {
      count: Number(rows[0]?.count ?? 0),
      dimension: ctx.dimension,
      asOf: ctx.asOf.toISOString(),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    }
  }

  /** The SQL a dialect runs for the rule (the "code view"), with its bound parameters. */
  async sql(
    org: string,
    rule: unknown,
    target: RuleTarget & { dialect?: EngineName } = {},
  ): Promise<CompiledQuery> {
    const ctx = await this.context(org, target, target.dialect ?? 'duckdb')
    return compileRule(rule, ctx)
  }

  /** The embedded engine's plan for the rule's query. */
  async explain(org: string, rule: unknown, target: RuleTarget = {}): Promise<{ sql: string; plan: string }> {
    const ctx = await this.context(org, target, 'duckdb')
    const q = compileRule(rule, ctx)
    const rows = await evaluating(() =>
      this.engine.query<{ explain_key: string; explain_value: string }>(`EXPLAIN ${q.sql}`, bind(q)),
    )
    return { sql: q.sql, plan: rows.map((r) => r.explain_value).join('\n') }
  }

  /** The keys of the first `limit` matching rows, for previews. */
  async members(
    org: string,
    rule: unknown,
    target: RuleTarget & { limit?: number } = {},
  ): Promise<Record<string, unknown>[]> {
    const ctx = await this.context(org, target, 'duckdb')
    const q = compileRule(rule, ctx)
    const limit = Math.min(Math.max(target.limit ?? 20, 1), 1000)
    return evaluating(() => this.engine.query(`SELECT * FROM (${q.sql}) AS m LIMIT ${limit}`, bind(q)))
  }

  /** The most frequent values of a field (of the dimension or a 1-1 / N-1 path), among the rows a rule selects or all rows. */
  async distribution(
    org: string,
    field: string,
    options: RuleTarget & { rule?: unknown; limit?: number } = {},
  ): Promise<{ field: string; values: ValueCount[] }> {
    const ctx = await this.context(org, options, 'duckdb')
    const limit = Math.min(Math.max(options.limit ?? 20, 1), MAX_DISTRIBUTION_VALUES)
    const q = compileDistribution(options.rule ?? null, field, ctx, limit)
    const rows = await evaluating(() => this.engine.query<{ value: unknown; count: number }>(q.sql, bind(q)))
    return { field, values: rows.map((r) => ({ value: r.value, count: Number(r.count) })) }
  }

  private async context(org: string, target: RuleTarget, dialect: EngineName): Promise<CompileContext> {
    const tables = await this.catalog.definitions(org)
    return {
      dialect,
      tables,
      dimension: pickDimension(tables, target.dimension, 'the rule selects from'),
      asOf: target.asOf ?? new Date(),
      namespace: `org_${assertIdentifier(org, 'organisation id')}`,
      audiences: this.audiences ? await this.audiences(org) : undefined,
    }
  }
}

function bind(q: CompiledQuery): SqlValue[] {
  return q.params.map((p) => p.value)
}
