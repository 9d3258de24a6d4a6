import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RouteDeps } from '../app'
import { OrgParams } from './common'

const Dialect = z.enum(['duckdb', 'postgres', 'clickhouse'])

const RuleTargetBody = z.object({
  rule: z.unknown().describe('A rule as JSON (docs/rules.md)'),
  dimension: z.string().min(1).max(63).optional().describe('Table the rule selects from (default: profiles)'),
  asOf: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Evaluation time of relative dates (default: now)'),
})

const IssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  code: z.string(),
  message: z.string(),
})

const Param = z.object({
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  type: z.string(),
})

const target = (body: { dimension?: string | undefined; asOf?: string | undefined }) => ({
  dimension: body.dimension,
  asOf: body.asOf === undefined ? undefined : new Date(body.asOf),
})

/** The tools around a rule: validate, count, code view, explain, preview and distribution of values. */
export const ruleRoutes: FastifyPluginAsync<RouteDeps> = async (app, { store }) => {
  const r = app.withTypeProvider<ZodTypeProvider>()
  r.post(
    '/v1/orgs/:org/rules/validate',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags: ['rules'],
        summary: 'Validate a rule against the schema: every issue at once, each with its JSON path',
        params: OrgParams,
        body: RuleTargetBody.strict(),
        response: { 200: z.object({ valid: z.boolean(), issues: z.array(IssueSchema) }) },
      },
    },
    async (req) => {
      const issues = await store.rules.validate(req.params.org, req.body.rule, target(req.body))
      return { valid: issues.length === 0, issues }
    },
  )
  r.post(
    '/v1/orgs/:org/expressions/validate',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags: ['rules'],
        summary:
          'Validate an expression (docs/rules.md) over a table: every problem, with line and column when known',
        body: z
          .object({
            expression: z.string().max(4000).describe('The expression text'),
            dimension: RuleTargetBody.shape.dimension,
          })
          .strict(),
        params: OrgParams,
        response: {
          200: z.object({
            valid: z.boolean(),
            issues: z.array(
              z.object({
                code: z.string(),
                message: z.string(),
                line: z.number().int().optional(),
                column: z.number().int().optional(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const issues = await store.rules.validateExpression(req.params.org, req.body.expression, {
        dimension: req.body.dimension,
      })
      return { valid: issues.length === 0, issues }
    },
  )
  r.post(
    '/v1/orgs/:org/rules/count',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags: ['rules'],
        summary: 'Count the rows a rule selects',
        params: OrgParams,
        body: RuleTargetBody.strict(),
        response: {
          200: z.object({
            count: z.number(),
            dimension: z.string(),
            asOf: z.string(),
            durationMs: z.number(),
          }),
        },
      },
    },
    async (req) => store.rules.count(req.params.org, req.body.rule, target(req.body)),
  )
  r.post(
    '/v1/orgs/:org/rules/sql',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags: ['rules'],
        summary: 'The SQL a rule compiles to for one engine (the code view), with its bound parameters',
        params: OrgParams,
        body: RuleTargetBody.extend({ dialect: Dialect.optional() }).strict(),
        response: { 200: z.object({ dialect: Dialect, sql: z.string(), params: z.array(Param) }) },
      },
    },
    async (req) => {
      const dialect = req.body.dialect ?? 'duckdb'
      const q = await store.rules.sql(req.params.org, req.body.rule, { ...target(req.body), dialect })
      return { dialect, sql: q.sql, params: q.params }
    },
  )
  r.post(
    '/v1/orgs/:org/rules/explain',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags: ['rules'],
        summary: "The embedded engine's plan for a rule",
        params: OrgParams,
        body: RuleTargetBody.strict(),
        response: { 200: z.object({ sql: z.string(), plan: z.string() }) },
      },
    },
    async (req) => store.rules.explain(req.params.org, req.body.rule, target(req.body)),
  )
  r.post(
    '/v1/orgs/:org/rules/preview',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags: ['rules'],
        summary: 'The keys of the first rows a rule selects',
        params: OrgParams,
        body: RuleTargetBody.extend({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
        response: { 200: z.object({ members: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (req) => ({
      members: await store.rules.members(req.params.org, req.body.rule, {
        ...target(req.body),
        limit: req.body.limit,
      }),
    }),
  )
  r.post(
    '/v1/orgs/:org/rules/distribution',
    {
      config: { permission: 'read', readOnly: true },
      schema: {
        tags: ['rules'],
        summary:
          'The most frequent values of a field, with counts, among the rows a rule selects (or all rows)',
        params: OrgParams,
        body: RuleTargetBody.extend({
          rule: z.unknown().optional(),
          field: z.string().min(1).max(500),
          limit: z.number().int().min(1).max(100).optional(),
        }).strict(),
        response: {
          200: z.object({
            field: z.string(),
            values: z.array(z.object({ value: z.unknown(), count: z.number() })),
          }),
        },
      },
    },
    async (req) =>
      store.rules.distribution(req.params.org, req.body.field, {
        ...target(req.body),
        rule: req.body.rule,
        limit: req.body.limit,
      }),
  )
}
