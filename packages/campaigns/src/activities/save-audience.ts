import { AppError, type AttributeType, type Audience, type Issue, SaveAudienceShare } from '@ahub/core'
import type { ListMember, MemberSelect, Session } from '@ahub/store'
import { ident } from '@ahub/store'
import { z } from 'zod'
import { memberKeyText } from '../sql'
import { ColumnName, single } from './common'
import { shareSaved, simulateShare } from './share'
import { DEFAULT_RETRY, defineActivity, type ExecuteContext } from './types'

const Options = z
  .object({
    label: z.string().trim().min(1).max(160),
    /**
     * create: a new audience (the label must be free); replace: overwrite members, type and
     * dimension; create_or_update: create, or a new version of the same list audience; add: keep
     * existing members and add the incoming ones; create_new: a new audience whose label ends
     * with the run's timestamp.
     */
    mode: z.enum(['create', 'replace', 'create_or_update', 'add', 'create_new']).default('create_or_update'),
    /** Work-table columns kept as audience attributes. */
    attributes: z.array(ColumnName).max(50).default([]),
    identityField: ColumnName.optional(),
    expiryDays: z.number().int().min(1).max(36_500).optional(),
    /** Also publish each saved version to the hub (docs/sharing.md); adds the `exported` and `unmapped` outlets. */
    share: SaveAudienceShare.optional(),
  })
  .strict()
type Options = z.infer<typeof Options>

/**
 * Save audience: writes the population as a list audience version, exactly once per run. The
 * ledger row (run, activity) is written before the call and closed after it; a run resumed after
 * a crash in between finds out from the audience itself (its version, or the origin ref of the
 * one it created) whether the save happened. With `share`, the saved version is then published to
 * the hub, also once per run (see share.ts); test mode neither saves nor shares.
 */
export const saveAudience = defineActivity({
  type: 'save_audience',
  options: Options,
  inputs: { min: 1, max: 1 },
  producesPopulation: true,
  needsPopulation: true,
  outlets: (o) => (o.share ? ['out', 'exported', 'unmapped'] : ['out']),
  capabilities: (o) => (o.share ? ['share'] : []),
  // A hub that is down fails the export job after its own retries; the activity tries again later.
  retry: { ...DEFAULT_RETRY, retryOn: ['AUDIENCE_BUSY', 'SHARE_HUB_UNAVAILABLE', 'HUB_UNAVAILABLE'] },
  check(o, ctx) {
    const issues: Issue[] = []
    const consent = o.share?.consentField
    if (consent !== undefined && ctx.tables[ctx.dimension]?.fields[consent]?.type !== 'boolean')
      issues.push({
        path: ['share', 'consentField'],
        code: 'SHARE_CONSENT_FIELD',
        message: `"${consent}" is not a boolean field of ${ctx.dimension}`,
      })
    return issues
  },
  async execute(ctx) {
    const input = single(ctx.inputs)
    if (ctx.mode === 'test')
      return ctx.options.share ? { out: input, ...(await simulateShare(ctx, input)) } : { out: input }
    const audienceId = await saveOnce(ctx, input)
    if (!ctx.options.share) return { out: input }
    if (audienceId === null)
      throw new AppError(
        'CAMPAIGN_INVALID',
        'The audience this run saved is gone: there is nothing to share',
        {
          details: { activity: ctx.activity.id },
        },
      )
    return { out: input, ...(await shareSaved(ctx, input, audienceId)) }
  },
})

/** Saves the population unless this run already did; returns the audience saved to (null if gone since). */
async function saveOnce(ctx: ExecuteContext<Options>, input: string): Promise<string | null> {
  const ref = `${ctx.runId}/${ctx.activity.id}`
  const ledger = await readLedger(ctx.session, ctx.runId, ctx.activity.id)
  if (ledger?.status === 'done')
    return (
      ledger.audience ?? (await ctx.audiences.list(ctx.org)).find((a) => a.origin.ref === ref)?.id ?? null
    )
  const applied = ledger ? await alreadyApplied(ctx, ledger, ref) : undefined
  if (applied) {
    await closeLedger(ctx.session, ctx.runId, ctx.activity.id, applied)
    return applied
  }
  const audienceId = await save(ctx, input, ref)
  await closeLedger(ctx.session, ctx.runId, ctx.activity.id, audienceId)
  return audienceId
}

interface Ledger {
  status: 'started' | 'done'
  audience: string | null
  prior_version: number | null
}

async function readLedger(s: Session, run: string, activity: string): Promise<Ledger | undefined> {
  const rows = await s.query<Ledger>(
    'SELECT status, audience, prior_version FROM meta.campaign_effects WHERE run = $1 AND activity = $2',
    [run, activity],
  )
  return rows[0]
}

async function openLedger(
  s: Session,
  run: string,
  activity: string,
  audience: Audience | undefined,
): Promise<void> {
  await s.run(
    `INSERT OR REPLACE INTO meta.campaign_effects (run, activity, status, audience, prior_version, updated_at)
       VALUES ($1, $2, 'started', $3, $4, current_timestamp)`,
    [run, activity, audience?.id ?? null, audience?.version ?? null],
  )
}

async function closeLedger(
  s: Session,
  run: string,
  activity: string,
  audience: string | null,
): Promise<void> {
  await s.run(
    `UPDATE meta.campaign_effects SET status = 'done', audience = $3, updated_at = current_timestamp
       WHERE run = $1 AND activity = $2`,
    [run, activity, audience],
  )
}

/**
 * After a crash between opening and closing the ledger: did the save reach the audience? The
 * audience this run created counts once its first version is written (creating is two steps).
 * Returns the audience saved to, or undefined when the save did not happen.
 */
async function alreadyApplied(
  ctx: ExecuteContext<Options>,
  ledger: Ledger,
  ref: string,
): Promise<string | undefined> {
  const all = await ctx.audiences.list(ctx.org)
  const own = all.find((a) => a.origin.ref === ref)
  if (ledger.audience === null) return own !== undefined && own.version > 0 ? own.id : undefined
  const target = all.find((a) => a.id === ledger.audience)
  return target !== undefined && target.version > (ledger.prior_version ?? 0) ? target.id : undefined
}

function labelOf(ctx: ExecuteContext<Options>): string {
  const o = ctx.options
  if (o.mode !== 'create_new') return o.label
  return `${o.label} ${ctx.runAt.toISOString().slice(0, 19).replace('T', ' ')}`
}

async function save(ctx: ExecuteContext<Options>, input: string, ref: string): Promise<string> {
  const o = ctx.options
  const label = labelOf(ctx)
  const existing = (await ctx.audiences.list(ctx.org)).find((a) => a.label === label)
  const dimension = ctx.compile.dimension
  const compatible = existing?.type === 'list' && existing.dimension === dimension
  if (existing && o.mode === 'add' && !compatible)
    throw new AppError(
      'CAMPAIGN_SAVE_INCOMPATIBLE',
      `Cannot add ${dimension} members to the ${existing.type} audience "${label}"${existing.dimension ? ` of ${existing.dimension}` : ''}`,
      {
        details: {
          audience: existing.id,
          type: existing.type,
          dimension: existing.dimension,
          incoming: dimension,
        },
      },
    )
  if (existing && o.mode === 'create_or_update' && !compatible)
    throw new AppError(
      'CAMPAIGN_SAVE_INCOMPATIBLE',
      `"${label}" is a ${existing.type} audience, not a list of ${dimension}`,
      {
        details: {
          audience: existing.id,
          type: existing.type,
          dimension: existing.dimension,
          incoming: dimension,
        },
      },
    )
  if (existing?.origin.ref === ref) {
    // This run created it and was cut off before its first version: write that version now.
    const { members } = await readMembers(ctx, input, undefined)
    await openLedger(ctx.session, ctx.runId, ctx.activity.id, existing)
    await ctx.audiences.saveList(ctx.org, existing.id, members)
    return existing.id
  }
  const { members, attributes } = await readMembers(
    ctx,
    input,
    o.mode === 'add' && existing ? existing : undefined,
  )
  await openLedger(ctx.session, ctx.runId, ctx.activity.id, existing && compatible ? existing : undefined)
  if (existing && compatible && o.mode !== 'create' && o.mode !== 'create_new') {
    await ctx.audiences.saveList(ctx.org, existing.id, members)
    return existing.id
  }
  if (existing && o.mode === 'replace') await ctx.audiences.delete(ctx.org, existing.id)
  const created = await ctx.audiences.create(
    ctx.org,
    {
      type: 'list',
      label,
      dimension,
      identityField: o.identityField,
      expiryDays: o.expiryDays,
      attributes,
      members: Array.isArray(members) ? members : [],
      origin: { kind: 'campaign_run', ref },
    },
    Array.isArray(members) ? {} : { select: members },
  )
  return created.audience.id
}

/** Member keys (with attribute values) of the work table, plus the current members for `add`. */
async function readMembers(
  ctx: ExecuteContext<Options>,
  input: string,
  addTo: Audience | undefined,
): Promise<{ members: ListMember[] | MemberSelect; attributes: { name: string; type: AttributeType }[] }> {
  if (ctx.options.attributes.length === 0) return { members: memberSelect(ctx, input, addTo), attributes: [] }
  const described = await ctx.session.query<{ column_name: string; column_type: string }>(`DESCRIBE ${input}`)
  const types = new Map(described.map((c) => [c.column_name, c.column_type]))
  const attributes = ctx.options.attributes.map((name) => {
    const t = types.get(name)
    if (t === undefined)
      throw new AppError(
        'CAMPAIGN_INVALID',
        `The population has no column "${name}" to keep as an attribute`,
        {
          details: { column: name, columns: [...types.keys()] },
        },
      )
    return { name, type: attributeType(t) }
  })
  const cols = await ctx.session.queryColumns(
    `SELECT ${memberKeyText(ctx.keys, 'w')} AS "_key"${attributes.map((a) => `, w.${ident(a.name)}`).join('')} FROM ${input} AS w`,
  )
  const keys = (cols._key ?? []) as string[]
  const members: ListMember[] =
    attributes.length === 0
      ? keys
      : keys.map((key, i) => ({
          key,
          attributes: Object.fromEntries(attributes.map((a) => [a.name, jsonValue(cols[a.name]?.[i])])),
        }))
  if (addTo) {
    const target = ctx.compile.audiences?.(addTo.id)
    if (target) {
      const current = await ctx.session.queryColumns(
        `SELECT ${memberKeyText(ctx.keys, 'v')} AS "_key" FROM ${ident(target.namespace)}.${ident(target.table)} AS v`,
      )
      members.push(...((current._key ?? []) as string[]))
    }
  }
  return { members, attributes }
}

/**
 * Without attributes the members go from the work table to the audience inside the engine (the
 * attribute values keep the JSON form JavaScript gives them, so populations with attributes are
 * read out). The work table is committed, so the audience service's own session can read it.
 */
function memberSelect(
  ctx: ExecuteContext<Options>,
  input: string,
  addTo: Audience | undefined,
): MemberSelect {
  const own = `SELECT ${memberKeyText(ctx.keys, 'w')} AS member, NULL::VARCHAR AS attrs FROM ${input} AS w`
  const target = addTo ? ctx.compile.audiences?.(addTo.id) : undefined
  if (!target) return { sql: own }
  return {
    sql: `${own} UNION ALL SELECT ${memberKeyText(ctx.keys, 'v')}, NULL FROM ${ident(target.namespace)}.${ident(target.table)} AS v`,
  }
}

function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof Date) return v.toISOString()
  return v ?? null
}

function attributeType(duckdbType: string): AttributeType {
  const t = duckdbType.toUpperCase()
  if (t === 'BOOLEAN') return 'boolean'
  if (t === 'DATE') return 'date'
  if (t.startsWith('TIMESTAMP')) return 'timestamp'
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(t))
    return 'integer'
  if (/^(FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL')) return 'number'
  return 'string'
}
