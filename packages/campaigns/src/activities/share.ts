import { AppError, type SaveAudienceShare, type ShareExportRequest, type SyncJob } from '@ahub/core'
import { literal, type Session } from '@ahub/store'
import { memberKeyText } from '../sql'
import { createWorkTable } from './common'
import type { ExecuteContext } from './types'

/**
 * What Save audience needs to publish to the hub (docs/sharing.md): the installation's sharing service
 * (`SharingService` of @ahub/sharing fits as it is), injected into the CampaignService so that
 * campaigns depend on neither the hub nor the server.
 */
export interface AudienceSharer {
  /**
   * Exports an audience's current members as a sync job. Idempotent per `requestId`: the hub
   * publishes once per id, and a job that already succeeded under it is returned as it is.
   */
  exportAudience(org: string, request: ShareExportRequest, options: { requestId: string }): Promise<SyncJob>
  /** One sync job. */
  job(org: string, id: string): Promise<SyncJob>
  /** The job's report file: CSV `id,outcome,reason` of the members left out (unmapped, no consent). */
  reportPath(org: string, id: string): Promise<string>
}

/** The hub's request id of one run's Save audience: the same on every attempt and after a crash. */
export function shareRequestId(runId: string, activity: string): string {
  return `campaign.${runId}.${activity}`
}

/**
 * Publishes the audience a live Save audience just saved, once per run: the sync job id goes to
 * the activity's ledger row (`meta.campaign_effects.result`) as soon as the job succeeds, and a
 * resumed task that crashed before that repeats the export under the same request id, which the
 * sharing service and the hub answer with the job and version already made. Returns the work
 * tables of the `exported` and `unmapped` outlets, restricted to the incoming population.
 */
export async function shareSaved(
  ctx: ExecuteContext<{ share?: SaveAudienceShare }>,
  input: string,
  audience: string,
): Promise<{ exported: string; unmapped: string }> {
  const share = ctx.options.share!
  const sharer = ctx.sharer
  if (!sharer)
    throw new AppError(
      'CAMPAIGN_SHARE_UNAVAILABLE',
      `Save audience "${ctx.activity.id}" shares to the hub, but this process has no link to a hub`,
      { details: { activity: ctx.activity.id } },
    )
  const recorded = await recordedJob(ctx.session, ctx.runId, ctx.activity.id)
  let job = recorded ? await sharer.job(ctx.org, recorded) : undefined
  if (job?.state !== 'succeeded') {
    job = await sharer.exportAudience(
      ctx.org,
      { ...share, audience },
      { requestId: shareRequestId(ctx.runId, ctx.activity.id) },
    )
    await recordJob(ctx.session, ctx.runId, ctx.activity.id, job.id)
  }
  const c = job.counts
  await ctx.log(
    'info',
    `Shared as sync job ${job.id}: shared audience ${job.sharedAudience} version ${job.sharedVersion}; ` +
      `${c.received} member(s), ${c.exported} ID(s) exported, ${c.unmapped} unmapped` +
      (c.withoutConsent ? `, ${c.withoutConsent} without consent` : ''),
  )
  return splitByReport(ctx, input, await sharer.reportPath(ctx.org, job.id))
}

/**
 * Test mode shares nothing: both outlets are emitted empty (with the population's columns) so that
 * the branches after them run as in a live run.
 */
export async function simulateShare(
  ctx: ExecuteContext<unknown>,
  input: string,
): Promise<{ exported: string; unmapped: string }> {
  const exported = ctx.outTable('exported')
  const unmapped = ctx.outTable('unmapped')
  for (const t of [exported, unmapped]) await createWorkTable(ctx, t, `SELECT * FROM ${input} WHERE false`)
  return { exported, unmapped }
}

/**
 * The incoming rows the export wrote (not in its report) and those it could not map (reported
 * `unmapped`). Members left out for want of consent are in neither.
 */
async function splitByReport(
  ctx: ExecuteContext<unknown>,
  input: string,
  report: string,
): Promise<{ exported: string; unmapped: string }> {
  const exported = ctx.outTable('exported')
  const unmapped = ctx.outTable('unmapped')
  const key = memberKeyText(ctx.keys, 'w')
  await ctx.session.run(
    `CREATE OR REPLACE TEMP TABLE _cw_share_report AS
     SELECT id, outcome FROM read_csv(${literal(report)}, header = true,
       columns = {'id': 'VARCHAR', 'outcome': 'VARCHAR', 'reason': 'VARCHAR'})`,
  )
  await createWorkTable(
    ctx,
    exported,
    `SELECT w.* FROM ${input} AS w
     WHERE NOT EXISTS (SELECT 1 FROM _cw_share_report r WHERE r.id = ${key})`,
  )
  await createWorkTable(
    ctx,
    unmapped,
    `SELECT w.* FROM ${input} AS w
     WHERE EXISTS (SELECT 1 FROM _cw_share_report r WHERE r.id = ${key} AND r.outcome = 'unmapped')`,
  )
  await ctx.session.run('DROP TABLE IF EXISTS _cw_share_report')
  return { exported, unmapped }
}

async function recordedJob(s: Session, run: string, activity: string): Promise<string | undefined> {
  const [row] = await s.query<{ result: string | null }>(
    'SELECT result FROM meta.campaign_effects WHERE run = $1 AND activity = $2',
    [run, activity],
  )
  if (!row?.result) return undefined
  return (JSON.parse(row.result) as { shareJob?: string }).shareJob
}

async function recordJob(s: Session, run: string, activity: string, job: string): Promise<void> {
  await s.run(
    `UPDATE meta.campaign_effects SET result = $3, updated_at = current_timestamp WHERE run = $1 AND activity = $2`,
    [run, activity, JSON.stringify({ shareJob: job })],
  )
}
