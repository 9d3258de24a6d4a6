import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  AppError,
  type Audience,
  type AudienceUser,
  type DataSource,
  type DataSourceInput,
  ImportedAudience,
  isAppError,
  KeyedQueue,
  newId,
  type Protection,
  type SharedAudience,
  type SharedAudienceEvent,
  ShareExportRequest,
  ShareImportRequest,
  type SyncCounts,
  type SyncJob,
} from '@ahub/core'
import type { HubClient } from '@ahub/hub'
import type { Logger, Session, Store } from '@ahub/store'
import type { z } from 'zod'
import { writeExport } from './export'
import { assertShareable } from './governance'
import { SyncJobRepository, zeroCounts } from './jobs'
import { migrateSharing } from './migrations'
import { decryptContacts, type MatchCounts, reconcile } from './reconcile'

export interface SharingOptions {
  /** The hub client acting for an org (a client holding that org's hub token). */
  hub: (org: string) => HubClient
  /** Folder of the jobs' report files; default `<dataDir>/share-reports`. */
  reportDir?: string
  /** Attempts of a job when the hub is unreachable, and the first pause (doubled each time). */
  retry?: { attempts?: number; delayMs?: number }
  /** Where failures of background work (push-started syncs, follow-ups of a job) are logged; default the store's. */
  logger?: Logger
}

/** What one attempt of a job produced. */
interface JobResult {
  counts: SyncCounts
  audience?: string
  sharedAudience?: string
  sharedVersion?: number
  report?: string
  latencyMs?: number | null
}

interface ImportRow {
  audience: string
  org: string
  shared_audience: string
  data_source: string
  kind: 'shared' | 'file'
  dimension: string | null
  force_reconciliation: boolean
  last_version: number
  last_error: string | null
  created_at: Date | string
  updated_at: Date | string
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'])

/** True for errors worth a retry: the hub is unreachable or answered unexpectedly. */
export function isTransient(e: unknown): boolean {
  if (isAppError(e)) return e.code === 'HUB_UNAVAILABLE'
  const err = e as { code?: string; cause?: { code?: string }; message?: string } | undefined
  return (
    NETWORK_CODES.has(err?.code ?? '') ||
    NETWORK_CODES.has(err?.cause?.code ?? '') ||
    /fetch failed|socket hang up/i.test(err?.message ?? '')
  )
}

/**
 * The installation side of sharing (docs/sharing.md): exports audiences to the hub and imports
 * shared audiences into local audiences, each as a sync job with counts, a report file, retries
 * on transient hub errors, and automatic re-import when a followed shared audience changes.
 */
export class SharingService {
  private readonly jobs: SyncJobRepository
  private readonly reportDir: string
  private readonly attempts: number
  private readonly delayMs: number
  /** One chain of work per local audience, so that a push and a manual sync never overlap. */
  private readonly chains = new KeyedQueue()
  private readonly subscriptions = new Map<string, () => void>()
  /** Latest event per audience waiting for the running sync of it to end. */
  private readonly pending = new Map<string, { event: SharedAudienceEvent; job: SyncJob }>()
  private readonly inFlight = new Set<Promise<unknown>>()
  /** Work to start when the running job ends (kept hashed keys), so it never slows the job down. */
  private afterJob: ((s: Session) => Promise<void>)[] = []
  private following = false
  private migrated: Promise<number> | undefined
  private readonly listeners = new Set<(job: SyncJob) => void>()
  private readonly logger: Logger

  constructor(
    private readonly store: Store,
    private readonly options: SharingOptions,
  ) {
    this.jobs = new SyncJobRepository(store.engine)
    this.logger = options.logger ?? store.logger.child({ component: 'sharing' })
    this.reportDir = options.reportDir ?? join(store.dataDir, 'share-reports')
    this.attempts = Math.max(1, options.retry?.attempts ?? 4)
    this.delayMs = Math.max(0, options.retry?.delayMs ?? 250)
    // One sharing service per store: files left in tmp belong to a process that was killed mid-job.
    rmSync(join(this.reportDir, 'tmp'), { recursive: true, force: true })
    mkdirSync(join(this.reportDir, 'tmp'), { recursive: true })
  }

  /** Calls `listener` with every job that ends (succeeded or failed); returns the function that stops it. */
  onJob(listener: (job: SyncJob) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Data sources the org can use (its own and those of shared audiences shared with it). */
  dataSources(org: string): Promise<DataSource[]> {
    return this.hub(org).listDataSources()
  }

  /** Creates a data source on the hub, owned by the org. */
  createDataSource(org: string, input: DataSourceInput): Promise<DataSource> {
    return this.hub(org).createDataSource(input)
  }

  /** Shared audiences the org owns or that are shared with it. */
  sharedAudiences(org: string): Promise<SharedAudience[]> {
    return this.hub(org).listSharedAudiences()
  }

  /**
   * Exports an audience's current members to a shared audience (docs/sharing.md). Throws (with
   * `details.job`) when the job fails; the failed job stays in the job list with its error.
   *
   * `requestId` makes the export idempotent for callers that may repeat it after a crash (a
   * campaign run): the hub publishes once per request id, a job that already succeeded under it is
   * returned as it is, and one left queued or running by a process that died is run again.
   */
  async exportAudience(org: string, input: unknown, options: { requestId?: string } = {}): Promise<SyncJob> {
    await this.ready()
    const req = parse(ShareExportRequest, input, 'The export request is not valid')
    const earlier = options.requestId === undefined ? [] : await this.jobsOfRequest(org, options.requestId)
    const succeeded = earlier.find((j) => j.state === 'succeeded')
    if (succeeded) return this.jobs.get(org, succeeded.id)
    const interrupted = earlier.find((j) => j.state === 'queued' || j.state === 'running')
    const audience = await this.store.audiences.get(org, req.audience)
    if (!audience.dimension || audience.version === 0 || audience.expired)
      throw new AppError(
        'SHARE_AUDIENCE_UNSUITABLE',
        `Audience "${audience.label}" cannot be exported: ${
          !audience.dimension
            ? 'it holds raw identifiers, not members of a dimension'
            : audience.expired
              ? 'it expired'
              : 'it has no version yet'
        }`,
        { details: { audience: audience.id, type: audience.type } },
      )
    const tables = await this.store.catalog.definitions(org)
    const dimension = tables[audience.dimension]!
    const job = this.newJob(
      org,
      'export',
      audience.id,
      'sharedAudience' in req.target ? req.target.sharedAudience : null,
    )
    if (interrupted) job.id = interrupted.id
    const requestId = options.requestId ?? job.id
    const request = options.requestId === undefined ? req : { ...req, requestId }
    return this.execute(
      job,
      request,
      async () => {
        const hub = this.hub(org)
        const ds = await hub.getDataSource(req.dataSource)
        assertShareable(tables, audience.dimension!, ds.namespace)
        const target = await this.exportTarget(hub, ds, req.target)
        const protection = await hub.keyMaterial(ds.id)
        const ids = this.tmpFile(job.id, 'ids')
        const report = this.reportFile(job.id)
        try {
          const counts = await this.store.engine.withSession((s) =>
            writeExport(
              s,
              { audience, dimension, namespace: ds.namespace, protection, consentField: req.consentField },
              { ids, report },
            ),
          )
          // Nothing to add leaves the shared audience as it is; an empty mirror is the hub's to refuse.
          const version =
            counts.exported === 0 && req.mode === 'add'
              ? target.version
              : (await hub.publish(target.id, ids, { mode: req.mode, requestId })).version
          return {
            counts: { ...zeroCounts(), ...counts },
            sharedAudience: target.id,
            sharedVersion: version,
            report,
          }
        } finally {
          rmSync(ids, { force: true })
        }
      },
      { inserted: interrupted !== undefined },
    )
  }

  /** Export jobs recorded under a caller's request id, newest first. */
  private jobsOfRequest(org: string, requestId: string): Promise<{ id: string; state: SyncJob['state'] }[]> {
    return this.store.engine.query(
      `SELECT id, state FROM meta.share_jobs
       WHERE org = $1 AND direction = 'export' AND json_extract_string(request, '$.requestId') = $2
       ORDER BY created_at DESC, id DESC`,
      [org, requestId],
    )
  }

  /**
   * Imports a shared audience into a new local audience (docs/sharing.md): type `shared`, reconciled with
   * profiles, or for an encrypted e-mail / SMS data source (unless `forceReconciliation`) a `file`
   * audience of every decrypted contact. The org then follows the shared audience.
   */
  async importShared(org: string, input: unknown): Promise<{ audience: Audience; job: SyncJob }> {
    await this.ready()
    const req = parse(ShareImportRequest, input, 'The import request is not valid')
    // An import whose audience was deleted since no longer holds the shared audience.
    await this.store.engine.run(
      `DELETE FROM meta.share_imports WHERE org = $1 AND shared_audience = $2
         AND audience NOT IN (SELECT id FROM meta.audiences WHERE org = $1)`,
      [org, req.sharedAudience],
    )
    const existing = await this.findImport(org, { sharedAudience: req.sharedAudience })
    if (existing)
      throw new AppError(
        'SHARE_ALREADY_IMPORTED',
        'The shared audience is already imported; sync that audience instead',
        { details: { sharedAudience: req.sharedAudience, audience: existing.audience } },
      )
    let audienceId: string | undefined
    const job = this.newJob(org, 'import', null, req.sharedAudience)
    const done = await this.execute(job, req, async () => {
      // A retry after the audience was made continues as a sync of it.
      const made = await this.findImport(org, { sharedAudience: req.sharedAudience })
      if (made) {
        audienceId = made.audience
        return this.syncOnce(job.id, made, undefined)
      }
      const hub = this.hub(org)
      const sa = await hub.getSharedAudience(req.sharedAudience)
      const ds = await hub.getDataSource(sa.dataSource)
      const protection = await hub.keyMaterial(ds.id)
      const kind = fileContacts(ds, req.forceReconciliation) ? 'file' : 'shared'
      const dimension = kind === 'shared' ? (req.dimension ?? 'profiles') : null
      const ids = this.tmpFile(job.id, 'ids')
      const report = this.reportFile(job.id)
      try {
        await sourceGone(() => hub.downloadMembers(sa.id, ids, sa.version))
        let counts: MatchCounts | undefined
        const saved = await this.store.audiences.createFilled(
          org,
          {
            type: kind,
            label: req.label,
            dimension,
            identityNamespace: kind === 'file' ? contactOf(ds) : ds.namespace,
            origin: { kind: 'shared', ref: sa.id },
          },
          async (s) => {
            counts = await this.fill(s, { org, ds, protection, kind, dimension }, { ids, report })
            await sourceGone(() => hub.getSharedAudience(sa.id))
          },
        )
        audienceId = saved.audience.id
        const now = new Date()
        await this.store.engine.run(
          `INSERT INTO meta.share_imports (audience, org, shared_audience, data_source, kind, dimension,
             force_reconciliation, last_version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
          [saved.audience.id, org, sa.id, ds.id, kind, dimension, req.forceReconciliation, sa.version, now],
        )
        if (this.following) this.subscribe(org)
        return {
          counts: { ...zeroCounts(), ...counts! },
          audience: saved.audience.id,
          sharedAudience: sa.id,
          sharedVersion: sa.version,
          report,
          latencyMs: await this.latency(hub, sa.id, sa.version),
        }
      } finally {
        rmSync(ids, { force: true })
      }
    })
    return { audience: await this.store.audiences.get(org, audienceId!), job: done }
  }

  /** Re-imports the current version of the shared audience feeding a local audience (re-reconciling every ID). */
  async sync(org: string, audience: string): Promise<SyncJob> {
    await this.ready()
    const imp = await this.getImport(org, audience)
    return this.serial(audience, () => {
      const job = this.newJob(org, 'import', audience, imp.sharedAudience)
      return this.execute(job, { sync: audience }, () => this.syncOnce(job.id, imp, undefined))
    })
  }

  /**
   * The shared audiences an audience was exported to and that still exist on the hub: while one
   * does, deleting the audience is refused (register with `AudienceService.registerUsageProvider`).
   */
  async audienceUsers(org: string, audience: string): Promise<AudienceUser[]> {
    await this.ready()
    const rows = await this.store.engine.query<{ shared_audience: string }>(
      `SELECT DISTINCT shared_audience FROM meta.share_jobs
       WHERE org = $1 AND audience = $2 AND direction = 'export' AND state = 'succeeded' AND shared_audience IS NOT NULL`,
      [org, audience],
    )
    const users: AudienceUser[] = []
    for (const r of rows) {
      try {
        const sa = await this.hub(org).getSharedAudience(r.shared_audience)
        users.push({ kind: 'shared_audience', id: sa.id, label: sa.name })
      } catch (e) {
        if (isAppError(e) && (e.code === 'HUB_NOT_FOUND' || e.code === 'HUB_AUDIENCE_DELETED')) continue
        users.push({ kind: 'shared_audience', id: r.shared_audience, label: r.shared_audience })
      }
    }
    return users
  }

  /** Local audiences fed by shared audiences. */
  async imports(org: string): Promise<ImportedAudience[]> {
    await this.ready()
    const rows = await this.store.engine.query<ImportRow>(
      `SELECT * FROM meta.share_imports WHERE org = $1 AND audience IN (SELECT id FROM meta.audiences WHERE org = $1)
       ORDER BY created_at, audience`,
      [org],
    )
    return rows.map(toImport)
  }

  /** The org's sync jobs, newest first. */
  async listJobs(
    org: string,
    filter: { audience?: string; sharedAudience?: string; limit?: number } = {},
  ): Promise<SyncJob[]> {
    await this.ready()
    return this.jobs.list(org, filter)
  }

  /** One sync job; SHARE_JOB_NOT_FOUND. */
  async job(org: string, id: string): Promise<SyncJob> {
    await this.ready()
    return this.jobs.get(org, id)
  }

  /** Path of a job's report file (CSV `id,outcome,reason`); SHARE_REPORT_NOT_FOUND when it has none. */
  async reportPath(org: string, id: string): Promise<string> {
    await this.ready()
    const path = await this.jobs.reportOf(org, id)
    if (!path || !existsSync(path))
      throw new AppError('SHARE_REPORT_NOT_FOUND', `Sync job "${id}" has no report file`, {
        details: { job: id },
      })
    return path
  }

  /**
   * Follows the hub: every org with imported audiences subscribes, and a new version of a shared
   * audience re-imports the local audiences it feeds, within seconds. Orgs importing later
   * subscribe as they import.
   */
  async startFollowing(): Promise<void> {
    await this.ready()
    this.following = true
    const rows = await this.store.engine.query<{ org: string }>('SELECT DISTINCT org FROM meta.share_imports')
    for (const r of rows) this.subscribe(r.org)
  }

  /** Stops following and waits for the syncs already started. */
  async stopFollowing(): Promise<void> {
    this.following = false
    for (const stop of this.subscriptions.values()) stop()
    this.subscriptions.clear()
    await this.idle()
  }

  /** Resolves when no push-started sync is running or waiting. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  private subscribe(org: string): void {
    if (this.subscriptions.has(org)) return
    const stop = this.hub(org).subscribe((event) => this.onEvent(org, event))
    this.subscriptions.set(org, stop)
  }

  private onEvent(org: string, event: SharedAudienceEvent): void {
    const task = (async () => {
      const imports = (await this.imports(org)).filter((i) => i.sharedAudience === event.sharedAudience)
      await Promise.all(imports.map((imp) => this.follow(imp, event)))
    })().catch((err) =>
      this.logger.error(
        { err, org, sharedAudience: event.sharedAudience, version: event.version },
        'a hub push failed to start an import',
      ),
    )
    this.track(task)
  }

  /**
   * Syncs an audience for a push. The job shows as `queued` at once; pushes arriving while it waits
   * are folded into it (it reads the latest version), so a burst of versions costs at most two syncs.
   */
  private follow(imp: ImportedAudience, event: SharedAudienceEvent): Promise<void> {
    const key = imp.audience
    const waiting = this.pending.get(key)
    if (waiting) {
      if (waiting.event.version < event.version) waiting.event = event
      return Promise.resolve()
    }
    const entry = { event, job: this.newJob(imp.org, 'import', key, imp.sharedAudience) }
    this.pending.set(key, entry)
    const queued = this.ready().then(() => this.jobs.insert(entry.job, { follow: event }))
    return this.serial(key, async () => {
      try {
        await this.followNow(imp, entry, queued)
      } catch (e) {
        // No caller waits for a push-started sync: the failure goes to the log and onto the import.
        this.pending.delete(key)
        await this.followFailed(imp, entry.event, e)
      }
    })
  }

  /** The sync of a push once its turn has come: nothing when the version is already imported. */
  private async followNow(
    imp: ImportedAudience,
    entry: { event: SharedAudienceEvent; job: SyncJob },
    queued: Promise<void>,
  ): Promise<void> {
    const key = imp.audience
    await queued
    this.pending.delete(key)
    const current = await this.findImport(imp.org, { audience: key })
    const exists = current ? await this.audienceExists(imp.org, key) : false
    // A push for a version already imported (a repeated event) changes nothing; neither does one
    // for an audience deleted since (which then stops following).
    if (!current || !exists || entry.event.version <= current.lastVersion) {
      await this.jobs.remove(entry.job.id)
      if (current && !exists)
        await this.store.engine.run('DELETE FROM meta.share_imports WHERE audience = $1', [key])
      return
    }
    await this.execute(
      entry.job,
      { follow: entry.event },
      () => this.syncOnce(entry.job.id, current, entry.event),
      { inserted: true },
    )
  }

  /** Logs a failed push-started sync and keeps it on the import as its last error. */
  private async followFailed(imp: ImportedAudience, event: SharedAudienceEvent, e: unknown): Promise<void> {
    const context = { org: imp.org, audience: imp.audience, sharedAudience: imp.sharedAudience }
    this.logger.error({ err: e, ...context, version: event.version }, 'sync after a hub push failed')
    const error = isAppError(e)
      ? { code: e.code, message: e.message }
      : { code: 'INTERNAL', message: 'The sync failed; see the server log' }
    await this.store.engine
      .run('UPDATE meta.share_imports SET last_error = $2 WHERE audience = $1', [
        imp.audience,
        JSON.stringify({ ...error, at: new Date().toISOString() }),
      ])
      .catch((err) => this.logger.error({ err, ...context }, 'keeping the last error of an import failed'))
  }

  /** One attempt of an import into an existing local audience. */
  private async syncOnce(
    jobId: string,
    imp: ImportedAudience,
    event: SharedAudienceEvent | undefined,
  ): Promise<JobResult> {
    const hub = this.hub(imp.org)
    const sa = await sourceGone(() => hub.getSharedAudience(imp.sharedAudience))
    const ds = await hub.getDataSource(imp.dataSource)
    const protection = await hub.keyMaterial(ds.id)
    const ids = this.tmpFile(jobId, 'ids')
    const report = this.reportFile(jobId)
    try {
      await sourceGone(() => hub.downloadMembers(sa.id, ids, sa.version))
      let counts: MatchCounts | undefined
      await this.store.audiences.saveFilled(imp.org, imp.audience, async (s) => {
        counts = await this.fill(
          s,
          { org: imp.org, ds, protection, kind: imp.kind, dimension: imp.dimension },
          { ids, report },
        )
        await sourceGone(() => hub.getSharedAudience(sa.id))
      })
      await this.store.engine.run(
        'UPDATE meta.share_imports SET last_version = $2, updated_at = $3, last_error = NULL WHERE audience = $1',
        [imp.audience, sa.version, new Date()],
      )
      const publishedAt = event && event.version === sa.version ? event.publishedAt : undefined
      return {
        counts: { ...zeroCounts(), ...counts! },
        audience: imp.audience,
        sharedAudience: sa.id,
        sharedVersion: sa.version,
        report,
        latencyMs: publishedAt
          ? Date.now() - new Date(publishedAt).getTime()
          : await this.latency(hub, sa.id, sa.version),
      }
    } finally {
      rmSync(ids, { force: true })
    }
  }

  /** Fills the next-members table from a downloaded file: reconciled profiles, or decrypted contacts. */
  private fill(
    s: Session,
    input: {
      org: string
      ds: DataSource
      protection: Protection
      kind: 'shared' | 'file'
      dimension: string | null
    },
    files: { ids: string; report: string },
  ): Promise<MatchCounts> {
    if (input.kind === 'file')
      return decryptContacts(s, { contact: contactOf(input.ds), protection: input.protection }, files)
    return reconcile(
      s,
      {
        org: input.org,
        dimension: input.dimension ?? 'profiles',
        namespace: input.ds.namespace,
        protection: input.protection,
      },
      files,
      // Keeps the hashed local keys for the next import, once this job has ended (idle() waits for it).
      (work) => this.afterJob.push(work),
    )
  }

  /** The existing shared audience to publish to, or the new one (found again by name on a retry). */
  private async exportTarget(
    hub: HubClient,
    ds: DataSource,
    target: { sharedAudience: string } | { newName: string; sharedWith: string[] },
  ): Promise<SharedAudience> {
    let sa: SharedAudience
    if ('sharedAudience' in target) sa = await hub.getSharedAudience(target.sharedAudience)
    else {
      // Owners are hub orgs: the org of the hub client, which need not be the local org's id.
      const mine = (await hub.listSharedAudiences()).find(
        (a) => a.owner === hub.org && a.name === target.newName,
      )
      sa =
        mine ??
        (await hub.createSharedAudience({
          name: target.newName,
          dataSource: ds.id,
          sharedWith: target.sharedWith,
        }))
    }
    if (sa.owner !== hub.org)
      throw new AppError('SHARE_NOT_OWNER', `Shared audience "${sa.name}" belongs to another organisation`, {
        details: { sharedAudience: sa.id },
      })
    if (sa.dataSource !== ds.id)
      throw new AppError(
        'SHARE_DATA_SOURCE_MISMATCH',
        `Shared audience "${sa.name}" is published under data source ${sa.dataSource}, not ${ds.id}`,
        { details: { sharedAudience: sa.id, dataSource: sa.dataSource, given: ds.id } },
      )
    return sa
  }

  /** From the hub's publish of `version` to now, in ms; null when the hub does not list it. */
  private async latency(hub: HubClient, id: string, version: number): Promise<number | null> {
    const v = (await hub.versions(id)).find((x) => x.version === version)
    return v ? Date.now() - new Date(v.createdAt).getTime() : null
  }

  private newJob(
    org: string,
    direction: 'export' | 'import',
    audience: string | null,
    sharedAudience: string | null,
  ): SyncJob {
    return {
      id: newId('job'),
      org,
      direction,
      state: 'queued',
      audience,
      sharedAudience,
      sharedVersion: null,
      counts: zeroCounts(),
      attempts: 0,
      error: null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      latencyMs: null,
    }
  }

  /**
   * Runs a job's attempts: a transient hub error waits and retries (the same job id, so a publish is
   * not repeated and a version is written once); anything else, or the last attempt, fails the job.
   */
  private async execute(
    job: SyncJob,
    request: unknown,
    attempt: () => Promise<JobResult>,
    options: { inserted?: boolean } = {},
  ): Promise<SyncJob> {
    try {
      return await this.runAttempts(job, request, attempt, options)
    } finally {
      const work = this.afterJob
      this.afterJob = []
      for (const w of work)
        this.track(
          this.store.engine
            .withSession(w)
            .catch((err) =>
              this.logger.error({ err, org: job.org, job: job.id }, 'the follow-up of a sync job failed'),
            ),
        )
    }
  }

  private async runAttempts(
    job: SyncJob,
    request: unknown,
    attempt: () => Promise<JobResult>,
    options: { inserted?: boolean },
  ): Promise<SyncJob> {
    if (!options.inserted) await this.jobs.insert(job, request)
    for (let n = 1; ; n++) {
      await this.jobs.start(job.id, n)
      try {
        const r = await attempt()
        await this.jobs.finish(job.id, { state: 'succeeded', ...r })
        return this.ended(job)
      } catch (e) {
        const transient = isTransient(e)
        if (transient && n < this.attempts) {
          await new Promise((resolve) => setTimeout(resolve, this.delayMs * 2 ** (n - 1)))
          continue
        }
        const error = transient
          ? new AppError(
              'SHARE_HUB_UNAVAILABLE',
              `The hub did not answer after ${n} attempts: ${(e as Error).message}`,
              { details: { job: job.id, attempts: n }, cause: e },
            )
          : isAppError(e)
            ? new AppError(e.code, e.message, { details: { ...e.details, job: job.id }, cause: e })
            : new AppError('INTERNAL', (e as Error).message ?? String(e), {
                details: { job: job.id },
                cause: e,
              })
        await this.jobs.finish(job.id, {
          state: 'failed',
          error: { code: error.code, message: error.message },
        })
        await this.ended(job)
        throw error
      }
    }
  }

  private async ended(job: SyncJob): Promise<SyncJob> {
    const done = await this.jobs.get(job.org, job.id)
    for (const l of this.listeners) l(done)
    return done
  }

  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = this.chains.run(key, fn)
    this.track(run.catch(() => undefined))
    return run
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p)
    void p.finally(() => this.inFlight.delete(p))
  }

  private async findImport(
    org: string,
    by: { audience?: string; sharedAudience?: string },
  ): Promise<ImportedAudience | undefined> {
    const [r] = await this.store.engine.query<ImportRow>(
      `SELECT * FROM meta.share_imports WHERE org = $1 AND ($2 IS NULL OR audience = $2)
         AND ($3 IS NULL OR shared_audience = $3) LIMIT 1`,
      [org, by.audience ?? null, by.sharedAudience ?? null],
    )
    return r && toImport(r)
  }

  private async getImport(org: string, audience: string): Promise<ImportedAudience> {
    let imp = await this.findImport(org, { audience })
    if (imp && !(await this.audienceExists(org, audience))) {
      await this.store.engine.run('DELETE FROM meta.share_imports WHERE audience = $1', [audience])
      imp = undefined
    }
    if (!imp)
      throw new AppError(
        'SHARE_IMPORT_NOT_FOUND',
        `Audience "${audience.slice(0, 80)}" is not fed by a shared audience`,
        {
          details: { audience: audience.slice(0, 200) },
        },
      )
    return imp
  }

  private async audienceExists(org: string, id: string): Promise<boolean> {
    try {
      await this.store.audiences.get(org, id)
      return true
    } catch (e) {
      if (isAppError(e) && e.code === 'AUDIENCE_NOT_FOUND') return false
      throw e
    }
  }

  /** Creates the sharing tables on first use (callers need not run migrateSharing themselves). */
  private ready(): Promise<number> {
    this.migrated ??= migrateSharing(this.store.engine).catch((e) => {
      this.migrated = undefined
      throw e
    })
    return this.migrated
  }

  private hub(org: string): HubClient {
    return this.options.hub(org)
  }

  private tmpFile(job: string, ext: string): string {
    return join(this.reportDir, 'tmp', `${job}.${ext}`)
  }

  private reportFile(job: string): string {
    return join(this.reportDir, `${job}.csv`)
  }
}

/** True when an import keeps decrypted contacts in a file audience rather than reconciling them. */
function fileContacts(ds: DataSource, force: boolean): boolean {
  return !force && ds.protection.kind === 'aes-cbc' && (ds.channel === 'email' || ds.channel === 'sms')
}

function contactOf(ds: DataSource): 'email' | 'phone' {
  return ds.channel === 'sms' ? 'phone' : 'email'
}

/** Runs a hub call on a shared audience known to exist; its disappearance becomes SHARE_SOURCE_DELETED. */
async function sourceGone<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (isAppError(e) && (e.code === 'HUB_NOT_FOUND' || e.code === 'HUB_AUDIENCE_DELETED'))
      throw new AppError('SHARE_SOURCE_DELETED', 'The shared audience was deleted on the hub', {
        details: { ...e.details },
        cause: e,
      })
    throw e
  }
}

function toImport(r: ImportRow): ImportedAudience {
  return ImportedAudience.parse({
    audience: r.audience,
    org: r.org,
    sharedAudience: r.shared_audience,
    dataSource: r.data_source,
    kind: r.kind,
    dimension: r.dimension,
    forceReconciliation: Boolean(r.force_reconciliation),
    lastVersion: Number(r.last_version),
    lastError: r.last_error ? JSON.parse(r.last_error) : null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  })
}

function parse<S extends z.ZodType>(schema: S, input: unknown, message: string): z.output<S> {
  const r = schema.safeParse(input)
  if (!r.success)
    throw new AppError('VALIDATION_FAILED', message, {
      details: {
        issues: r.error.issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })),
      },
    })
  return r.data
}
