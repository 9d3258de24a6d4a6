import { timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  AppError,
  canonicalProtection,
  type DataSource,
  DataSourceInput,
  KeyedQueue,
  newId,
  type Protection,
  type SharedAudience,
  type SharedAudienceEvent,
  type SharedVersion,
  type SyncMode,
} from '@ahub/core'
import { DuckDBEngine, type Engine, literal, makePrivate, type Session } from '@ahub/store'
import { z } from 'zod'
import { HubEvents } from './events'
import { idShapeSql, idShapeText } from './id-shape'
import { adminToken, loadMasterKey, SecretBox } from './master-key'
import { assertOrgName, assertRequestId } from './names'
import { migrateHub } from './schema'
import { HubTokens } from './tokens'

/** Longest ID accepted in a published file, in bytes. */
export const MAX_ID_BYTES = 4096

export interface OpenHubOptions {
  /** The hub's own data directory (its DuckDB file, master-key file in development, temp files). */
  dataDir: string
  /** Where AHUB_HUB_MASTER_KEY is read from (default: process.env). */
  env?: Record<string, string | undefined>
  /** Operational messages (never keys or tokens). */
  log?: (message: string) => void
  threads?: number
}

interface DataSourceRow {
  id: string
  owner: string
  label: string
  alias: string
  id_type: 'visitor' | 'declared'
  namespace: string
  channel: 'email' | 'sms' | 'other'
  kind: Protection['kind']
  bits: number | null
  secret: string | null
  priority: number
  created_at: string
}

interface AudienceRow {
  id: string
  seq: number
  owner: string
  name: string
  data_source: string
  version: number
  size: number
  created_at: string
  updated_at: string
  deleted_at: string | null
  shared_with: string[] | null
}

const CreateSharedAudience = z
  .object({
    name: z.string().trim().min(1).max(200),
    dataSource: z.string().min(1).max(100),
    sharedWith: z.array(z.string()).max(1000).optional(),
  })
  .strict()

const AUDIENCE_COLUMNS = `a.id, a.seq, a.owner, a.name, a.data_source, a.version, a.size, a.created_at, a.updated_at,
  a.deleted_at, (SELECT list(s.org ORDER BY s.org) FROM hub.shares s WHERE s.audience = a.id) AS shared_with`
const DS_COLUMNS =
  'd.id, d.owner, d.label, d.alias, d.id_type, d.namespace, d.channel, d.kind, d.bits, d.secret, d.priority, d.created_at'
/** An org sees a data source it owns, or one behind a live shared audience shared with it. */
const DS_VISIBLE = `(d.owner = $1 OR EXISTS (SELECT 1 FROM hub.shared_audiences a JOIN hub.shares s ON s.audience = a.id
  WHERE a.data_source = d.id AND a.deleted_at IS NULL AND s.org = $1))`
/** An org sees a shared audience it owns or that lists it. */
const SA_VISIBLE = `(a.owner = $1 OR EXISTS (SELECT 1 FROM hub.shares s WHERE s.audience = a.id AND s.org = $1))`

function notFound(what: 'data source' | 'shared audience', id: string): AppError {
  return new AppError('HUB_NOT_FOUND', `No ${what} "${id.slice(0, 100)}"`, {
    details: { [what === 'data source' ? 'dataSource' : 'sharedAudience']: id.slice(0, 100) },
  })
}

function toDataSource(r: DataSourceRow): DataSource {
  const view =
    r.kind === 'aes-cbc'
      ? { kind: r.kind, bits: r.bits ?? undefined, hasKey: r.secret !== null }
      : { kind: r.kind, hasKey: r.secret !== null }
  return {
    id: r.id,
    owner: r.owner,
    label: r.label,
    alias: r.alias,
    idType: r.id_type,
    namespace: r.namespace,
    channel: r.channel,
    protection: view,
    priority: r.priority,
    createdAt: r.created_at,
  }
}

function toShared(r: AudienceRow): SharedAudience {
  return {
    id: r.id,
    owner: r.owner,
    name: r.name,
    dataSource: r.data_source,
    sharedWith: r.shared_with ?? [],
    version: r.version,
    size: Number(r.size),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function toVersion(r: {
  version: number
  size: number
  added: number
  removed: number
  created_at: string
}): SharedVersion {
  return {
    version: r.version,
    size: Number(r.size),
    added: Number(r.added),
    removed: Number(r.removed),
    createdAt: r.created_at,
  }
}

/**
 * The shared audience hub (docs/hub.md): data sources, shared audiences as versioned sets of
 * protected IDs, publishing, downloads and deltas, and push of new versions. Every method acts for
 * one org and applies the access rule: an org sees what it owns and what is shared with it;
 * anything else looks absent (HUB_NOT_FOUND). The hub never protects or unprotects IDs.
 */
export class HubService {
  readonly tokens: HubTokens
  readonly events = new HubEvents()
  private readonly box: SecretBox
  private readonly locks = new KeyedQueue()
  private readonly admin: Buffer

  private constructor(
    readonly engine: Engine,
    readonly dataDir: string,
    masterKey: Buffer,
    private readonly log: (message: string) => void,
  ) {
    this.tokens = new HubTokens(engine)
    this.box = new SecretBox(masterKey)
    this.admin = Buffer.from(adminToken(masterKey))
  }

  /** True when `secret` is the admin credential derived from the master key (constant-time). */
  isAdmin(secret: string | undefined): boolean {
    if (!secret) return false
    const given = Buffer.from(secret)
    return given.length === this.admin.length && timingSafeEqual(given, this.admin)
  }

  /** Opens (or creates) the hub in `dataDir`: its DuckDB file `hub-store.duckdb`, tables and master key. */
  static async open(options: OpenHubOptions): Promise<HubService> {
    const log = options.log ?? (() => undefined)
    // Published IDs and key material: the directory 0700, every file 0600 (docs/security.md).
    makePrivate(options.dataDir)
    const masterKey = loadMasterKey(options.dataDir, options.env, log)
    const engine = await DuckDBEngine.open({
      path: join(options.dataDir, 'hub-store.duckdb'),
      threads: options.threads,
    })
    try {
      // The store is this process's now (a second one is refused above): temporary files left in
      // tmp belong to a hub that was killed mid-request.
      rmSync(join(options.dataDir, 'tmp'), { recursive: true, force: true })
      mkdirSync(join(options.dataDir, 'tmp'), { recursive: true })
      // Order of IDs never matters on the hub: let reads, inserts and COPY run in parallel.
      await engine.run('SET preserve_insertion_order = false')
      await migrateHub(engine)
      const hub = new HubService(engine, options.dataDir, masterKey, log)
      await hub.checkMasterKey()
      return hub
    } catch (e) {
      await engine.close()
      throw e
    }
  }

  /** A fresh path for a temporary file inside the hub's data directory. */
  tempPath(suffix: string): string {
    return join(this.dataDir, 'tmp', `${newId('tmp')}${suffix}`)
  }

  async close(): Promise<void> {
    this.events.close()
    await this.engine.close()
  }

  // A stored check value proves at start that the master key is the one the key material was sealed with.
  private async checkMasterKey(): Promise<void> {
    const [row] = await this.engine.query<{ value: string }>(
      `SELECT value FROM hub.meta WHERE key = 'master_key_check'`,
    )
    if (row) {
      this.box.open(row.value, 'master-key-check')
      return
    }
    await this.engine.run(`INSERT INTO hub.meta (key, value) VALUES ('master_key_check', $1)`, [
      this.box.seal('ahub-hub', 'master-key-check'),
    ])
  }

  // ---- data sources ----

  /** Creates a data source owned by `org`; keys and IVs are checked, then sealed under the master key. */
  async createDataSource(org: string, input: DataSourceInput): Promise<DataSource> {
    const parsed = DataSourceInput.safeParse(input)
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', `Invalid data source: ${parsed.error.issues[0]?.message}`, {
        details: {
          issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
        },
      })
    }
    const d = parsed.data
    const protection = canonicalProtection(d.protection)
    return this.locks.run(`ds:${org}`, async () => {
      const [taken] = await this.engine.query(
        `SELECT 1 FROM hub.data_sources WHERE owner = $1 AND alias = $2`,
        [org, d.alias],
      )
      if (taken) {
        throw new AppError('HUB_NAME_TAKEN', `A data source with alias "${d.alias}" already exists`, {
          details: { alias: d.alias },
        })
      }
      const id = newId('ds')
      const secret =
        protection.kind === 'hmac-sha256' || protection.kind === 'aes-cbc'
          ? this.box.seal(JSON.stringify(protection), id)
          : null
      await this.engine.run(
        `INSERT INTO hub.data_sources (id, owner, label, alias, id_type, namespace, channel, kind, bits, secret, priority, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())`,
        [
          id,
          org,
          d.label,
          d.alias,
          d.idType,
          d.namespace,
          d.channel,
          protection.kind,
          protection.kind === 'aes-cbc' ? protection.bits : null,
          secret,
          d.priority,
        ],
      )
      this.log(`data source ${id} (${protection.kind}) created by ${org}`)
      return this.getDataSource(org, id)
    })
  }

  async listDataSources(org: string): Promise<DataSource[]> {
    const rows = await this.engine.query<DataSourceRow>(
      `SELECT ${DS_COLUMNS} FROM hub.data_sources d WHERE ${DS_VISIBLE} ORDER BY d.priority DESC, d.created_at, d.id`,
      [org],
    )
    return rows.map(toDataSource)
  }

  async getDataSource(org: string, id: string): Promise<DataSource> {
    return toDataSource(await this.dataSourceRow(org, id))
  }

  /** The protection with its key and IV (lower-case hex), for an org that owns or imports under it. */
  async keyMaterial(org: string, id: string): Promise<Protection> {
    const r = await this.dataSourceRow(org, id)
    if (r.kind === 'none' || r.kind === 'sha256') return { kind: r.kind }
    if (!r.secret) throw new AppError('INTERNAL', `Data source ${id} has no stored key`)
    return JSON.parse(this.box.open(r.secret, r.id)) as Protection
  }

  private async dataSourceRow(org: string, id: string): Promise<DataSourceRow> {
    const [row] = await this.engine.query<DataSourceRow>(
      `SELECT ${DS_COLUMNS} FROM hub.data_sources d WHERE d.id = $2 AND ${DS_VISIBLE}`,
      [org, id],
    )
    if (!row) throw notFound('data source', id)
    return row
  }

  // ---- shared audiences ----

  /** Creates an empty shared audience (version 0) owned by `org`; HUB_NAME_TAKEN when the owner has the name. */
  async createSharedAudience(
    org: string,
    input: { name: string; dataSource: string; sharedWith?: string[] },
  ): Promise<SharedAudience> {
    const parsed = CreateSharedAudience.safeParse(input)
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', `Invalid shared audience: ${parsed.error.issues[0]?.message}`, {
        details: {
          issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
        },
      })
    }
    const { name, dataSource } = parsed.data
    const sharedWith = this.cleanOrgs(org, parsed.data.sharedWith ?? [])
    await this.dataSourceRow(org, dataSource)
    return this.locks.run(`sa:${org}`, async () => {
      const [taken] = await this.engine.query(
        `SELECT 1 FROM hub.shared_audiences WHERE owner = $1 AND name = $2 AND deleted_at IS NULL`,
        [org, name],
      )
      if (taken) {
        throw new AppError('HUB_NAME_TAKEN', `A shared audience named "${name}" already exists`, {
          details: { name },
        })
      }
      const id = newId('sa')
      await this.engine.transaction(async (s) => {
        await s.run(
          `INSERT INTO hub.shared_audiences (id, seq, owner, name, data_source, version, size, created_at, updated_at)
           VALUES ($1, nextval('hub.audience_seq'), $2, $3, $4, 0, 0, now(), now())`,
          [id, org, name, dataSource],
        )
        for (const o of sharedWith)
          await s.run(`INSERT INTO hub.shares (audience, org) VALUES ($1, $2)`, [id, o])
      })
      return this.getSharedAudience(org, id)
    })
  }

  async listSharedAudiences(org: string): Promise<SharedAudience[]> {
    const rows = await this.engine.query<AudienceRow>(
      `SELECT ${AUDIENCE_COLUMNS} FROM hub.shared_audiences a WHERE a.deleted_at IS NULL AND ${SA_VISIBLE}
       ORDER BY a.created_at, a.id`,
      [org],
    )
    return rows.map(toShared)
  }

  async getSharedAudience(org: string, id: string): Promise<SharedAudience> {
    return toShared(await this.audienceRow(org, id))
  }

  /** Replaces the orgs a shared audience is shared with (owner only); newly added orgs get its current version pushed. */
  async setSharedWith(org: string, id: string, orgs: string[]): Promise<SharedAudience> {
    const cleaned = this.cleanOrgs(org, orgs)
    return this.locks.run(`pub:${id}`, async () => {
      const a = await this.audienceRow(org, id, { owner: true })
      const before = new Set(a.shared_with ?? [])
      await this.engine.transaction(async (s) => {
        await s.run(`DELETE FROM hub.shares WHERE audience = $1`, [a.id])
        for (const o of cleaned)
          await s.run(`INSERT INTO hub.shares (audience, org) VALUES ($1, $2)`, [a.id, o])
        await s.run(`UPDATE hub.shared_audiences SET updated_at = now() WHERE id = $1`, [a.id])
      })
      const added = cleaned.filter((o) => !before.has(o))
      if (added.length > 0 && a.version > 0) {
        const [v] = await this.engine.query<{ added: number; removed: number; created_at: string }>(
          `SELECT added, removed, created_at FROM hub.versions WHERE audience = $1 AND version = $2`,
          [a.id, a.version],
        )
        if (v) {
          this.events.emit(
            {
              sharedAudience: a.id,
              owner: a.owner,
              version: a.version,
              added: Number(v.added),
              removed: Number(v.removed),
              publishedAt: v.created_at,
            },
            new Set(added),
          )
        }
      }
      return this.getSharedAudience(org, id)
    })
  }

  /** Deletes a shared audience (owner only): its members are dropped; orgs that saw it get HUB_AUDIENCE_DELETED. */
  async deleteSharedAudience(org: string, id: string): Promise<void> {
    await this.locks.run(`pub:${id}`, async () => {
      const a = await this.audienceRow(org, id, { owner: true })
      await this.engine.transaction(async (s) => {
        await s.run(`UPDATE hub.shared_audiences SET deleted_at = now(), updated_at = now() WHERE id = $1`, [
          a.id,
        ])
        await s.run(`DELETE FROM hub.members WHERE aud = $1`, [a.seq])
      })
      this.events.emit(
        {
          sharedAudience: a.id,
          owner: a.owner,
          version: a.version,
          added: 0,
          removed: 0,
          publishedAt: new Date().toISOString(),
          deleted: true,
        },
        new Set([a.owner, ...(a.shared_with ?? [])]),
      )
      this.log(`shared audience ${a.id} deleted by ${org}`)
    })
  }

  private cleanOrgs(owner: string, orgs: string[]): string[] {
    for (const o of orgs) assertOrgName(o, 'sharedWith')
    return [...new Set(orgs)].filter((o) => o !== owner).sort()
  }

  private async audienceRow(
    org: string,
    id: string,
    options: { owner?: boolean } = {},
  ): Promise<AudienceRow> {
    const [row] = await this.engine.query<AudienceRow>(
      `SELECT ${AUDIENCE_COLUMNS} FROM hub.shared_audiences a WHERE a.id = $2 AND ${SA_VISIBLE}`,
      [org, id],
    )
    if (!row) throw notFound('shared audience', id)
    if (row.deleted_at) {
      throw new AppError(
        'HUB_AUDIENCE_DELETED',
        `The shared audience "${row.name}" was deleted by its owner`,
        {
          details: { sharedAudience: id, deletedAt: row.deleted_at },
        },
      )
    }
    if (options.owner && row.owner !== org) {
      throw new AppError(
        'HUB_NOT_OWNER',
        `Only ${row.owner}, the owner, may change the shared audience "${row.name}"`,
        {
          details: { sharedAudience: id, owner: row.owner },
        },
      )
    }
    return row
  }

  // ---- versions ----

  /**
   * Publishes a new version from a file of protected IDs (one per line, UTF-8, `\n` or `\r\n`,
   * `.gz` by name): `add` adds the IDs not present, `mirror` makes the set equal to the file.
   * Read by the engine's CSV reader into a temp table, compared in SQL, written in one
   * transaction. Idempotent per `requestId`; a file that changes nothing returns the current version.
   */
  async publish(
    org: string,
    id: string,
    file: string,
    options: { mode: SyncMode; requestId: string },
  ): Promise<SharedVersion> {
    assertRequestId(options.requestId)
    if (options.mode !== 'add' && options.mode !== 'mirror') {
      throw new AppError(
        'VALIDATION_FAILED',
        `Unknown publish mode "${String(options.mode)}": use add or mirror`,
      )
    }
    await this.audienceRow(org, id, { owner: true })
    return this.locks.run(`pub:${id}`, async () => {
      const a = await this.audienceRow(org, id, { owner: true })
      const done = await this.requestVersion(a.id, options.requestId)
      if (done) return done
      if (!existsSync(file)) {
        throw new AppError('HUB_PUBLISH_INVALID', 'The file to publish does not exist', { details: { file } })
      }
      const shape = await this.idShape(a.data_source)
      const result = await this.engine.withSession(async (s) => {
        const count = await stagePublishFile(s, file)
        if (count === 0) {
          throw new AppError('HUB_PUBLISH_EMPTY', 'The file holds no IDs: publish at least one ID per line')
        }
        await checkShapes(s, shape, count)
        return this.engine.transaction(async (t) => writeVersion(t, a, options), s)
      })
      if (result.changed) {
        this.events.emit(
          {
            sharedAudience: a.id,
            owner: a.owner,
            version: result.version.version,
            added: result.version.added,
            removed: result.version.removed,
            publishedAt: result.version.createdAt,
          },
          new Set([a.owner, ...(a.shared_with ?? [])]),
        )
      }
      return result.version
    })
  }

  /** The protection kind and namespace the IDs of a data source must follow. */
  private async idShape(dataSource: string): Promise<{ kind: Protection['kind']; namespace: string }> {
    const [row] = await this.engine.query<{ kind: Protection['kind']; namespace: string }>(
      `SELECT kind, namespace FROM hub.data_sources WHERE id = $1`,
      [dataSource],
    )
    if (!row) throw notFound('data source', dataSource)
    return row
  }

  private async requestVersion(audience: string, requestId: string): Promise<SharedVersion | undefined> {
    const [row] = await this.engine.query<{
      version: number
      size: number
      added: number
      removed: number
      created_at: string
    }>(
      `SELECT v.version, v.size, v.added, v.removed, v.created_at FROM hub.publish_requests r
       JOIN hub.versions v ON v.audience = r.audience AND v.version = r.version
       WHERE r.audience = $1 AND r.request_id = $2`,
      [audience, requestId],
    )
    return row ? toVersion(row) : undefined
  }

  /** Every version of a shared audience, oldest first (version 0, the empty creation, is not listed). */
  async versions(org: string, id: string): Promise<SharedVersion[]> {
    const a = await this.audienceRow(org, id)
    const rows = await this.engine.query<{
      version: number
      size: number
      added: number
      removed: number
      created_at: string
    }>(
      `SELECT version, size, added, removed, created_at FROM hub.versions WHERE audience = $1 ORDER BY version`,
      [a.id],
    )
    return rows.map(toVersion)
  }

  /** Writes the IDs of a version (default: current) to `file`, one per line; returns the version and count. */
  async writeMembers(
    org: string,
    id: string,
    file: string,
    version?: number,
  ): Promise<{ version: number; count: number }> {
    const a = await this.audienceRow(org, id)
    const v = checkVersion(a, version ?? a.version)
    const count = await copyIds(this.engine, `${atVersion(a.seq, v)}`, file, '')
    return { version: v, count }
  }

  /**
   * Writes the net change from `sinceVersion` to the current version: IDs in the current version
   * and not in `sinceVersion` to `files.added`, the reverse to `files.removed`. With `prefix`, lines
   * start with `+` and `-` (the HTTP format).
   */
  async writeChanges(
    org: string,
    id: string,
    sinceVersion: number,
    files: { added: string; removed: string },
    options: { prefix?: boolean } = {},
  ): Promise<{ version: number; added: number; removed: number }> {
    const a = await this.audienceRow(org, id)
    const since = checkVersion(a, sinceVersion)
    const v = a.version
    // A member of v whose range started at or before `since` was a member at `since` too.
    const added = `SELECT id FROM hub.members WHERE aud = ${a.seq} AND from_version > ${since}
        AND from_version <= ${v} AND (to_version IS NULL OR to_version > ${v})
      EXCEPT SELECT id FROM (${atVersion(a.seq, since)})`
    const removed = `SELECT id FROM hub.members WHERE aud = ${a.seq} AND from_version <= ${since}
        AND to_version > ${since} AND to_version <= ${v}
      EXCEPT SELECT id FROM (${atVersion(a.seq, v)})`
    const [nAdded, nRemoved] = await Promise.all([
      copyIds(this.engine, added, files.added, options.prefix ? '+' : ''),
      copyIds(this.engine, removed, files.removed, options.prefix ? '-' : ''),
    ])
    return { version: v, added: nAdded, removed: nRemoved }
  }

  /** Calls `listener` for every new version (or deletion) of a shared audience `org` can see. */
  subscribe(org: string, listener: (event: SharedAudienceEvent) => void): () => void {
    return this.events.subscribe(org, listener)
  }
}

function checkVersion(a: AudienceRow, version: number): number {
  if (!Number.isInteger(version) || version < 0 || version > a.version) {
    throw new AppError('HUB_VERSION_NOT_FOUND', `The shared audience "${a.name}" has no version ${version}`, {
      details: { sharedAudience: a.id, version, current: a.version },
    })
  }
  return version
}

/** The IDs of version `v` of the audience with seq `seq` (both integers, checked by the caller). */
function atVersion(seq: number, v: number): string {
  if (!Number.isInteger(seq) || !Number.isInteger(v)) throw new AppError('INTERNAL', 'Bad version query')
  return `SELECT id FROM hub.members WHERE aud = ${seq} AND from_version <= ${v} AND (to_version IS NULL OR to_version > ${v})`
}

/** COPY of a one-column query to a file of one ID per line (no header, no quoting); returns the row count. */
async function copyIds(engine: Engine, sql: string, file: string, prefix: '' | '+' | '-'): Promise<number> {
  const select = prefix ? `SELECT ${literal(prefix)} || id FROM (${sql})` : sql
  const rows = await engine.query<{ Count: number }>(
    `COPY (${select}) TO ${literal(file)} (FORMAT csv, HEADER false, DELIMITER '\u001f', QUOTE '', ESCAPE '')`,
  )
  return Number(rows[0]?.Count ?? 0)
}

/**
 * Reads a published file into the session's temp table `_pub` (distinct, non-empty IDs); returns
 * how many. Lines over MAX_ID_BYTES give HUB_ID_TOO_LONG, unreadable files HUB_PUBLISH_INVALID,
 * both with the line number.
 */
async function stagePublishFile(s: Session, file: string): Promise<number> {
  const gzip = /\.gz$/i.test(file)
  try {
    await s.run(
      `CREATE OR REPLACE TEMP TABLE _pub_read AS SELECT id FROM read_csv(${literal(file)}, columns = {'id': 'VARCHAR'},
         header = false, delim = '\u001f', quote = '', escape = '', auto_detect = false,
         compression = ${gzip ? "'gzip'" : "'none'"}, max_line_size = ${MAX_ID_BYTES + 2},
         store_rejects = true, rejects_table = '_pub_rejects', rejects_scan = '_pub_reject_scans')`,
    )
  } catch (cause) {
    throw new AppError(
      'HUB_PUBLISH_INVALID',
      `The file cannot be read as one ID per line: ${(cause as Error).message}`.slice(0, 500),
      { cause },
    )
  }
  const [reject] = await s.query<{ line: number; error_type: string }>(
    `SELECT line, error_type FROM _pub_rejects ORDER BY line LIMIT 1`,
  )
  if (reject) {
    if (/LINE SIZE/i.test(reject.error_type)) throw tooLong(Number(reject.line))
    throw new AppError(
      'HUB_PUBLISH_INVALID',
      `Line ${reject.line} of the file cannot be read (${reject.error_type.toLowerCase()}); IDs are UTF-8 text without control characters`,
      { details: { line: Number(reject.line), reason: reject.error_type } },
    )
  }
  const [long] = await s.query<{ line: number }>(
    `SELECT rowid + 1 AS line FROM _pub_read WHERE strlen(id) > ${MAX_ID_BYTES} ORDER BY rowid LIMIT 1`,
  )
  if (long) throw tooLong(Number(long.line))
  await s.run(
    // Lines are IDs verbatim (the reader already dropped the CR of CRLF); blank lines are skipped.
    // Trimming every ID would cost more than the rest of the read, so only blank-looking lines are tested.
    `CREATE OR REPLACE TEMP TABLE _pub AS SELECT DISTINCT id FROM _pub_read
     WHERE id IS NOT NULL AND NOT (ascii(id) = 32 AND trim(id) = '')`,
  )
  const [n] = await s.query<{ n: number }>(`SELECT count(*) AS n FROM _pub`)
  return Number(n?.n ?? 0)
}

/** How many malformed IDs `checkShapes` shows in its error. */
const MALFORMED_EXAMPLES = 3

/**
 * Refuses the whole publish when any staged ID lacks the shape of its data source
 * (HUB_ID_MALFORMED with how many, of how many, and a few examples): nothing is written, so the
 * client fixes its file and retries, with the same request id if it likes.
 */
async function checkShapes(
  s: Session,
  shape: { kind: Protection['kind']; namespace: string },
  count: number,
): Promise<void> {
  const ok = idShapeSql(shape.kind, shape.namespace)
  const [bad] = await s.query<{ n: number }>(`SELECT count(*) AS n FROM _pub WHERE NOT (${ok})`)
  const malformed = Number(bad?.n ?? 0)
  if (malformed === 0) return
  const rows = await s.query<{ id: string }>(
    `SELECT id FROM _pub WHERE NOT (${ok}) ORDER BY id LIMIT ${MALFORMED_EXAMPLES}`,
  )
  const examples = rows.map((r) => (r.id.length > 80 ? `${r.id.slice(0, 80)}…` : r.id))
  const expected = idShapeText(shape.kind, shape.namespace)
  throw new AppError(
    'HUB_ID_MALFORMED',
    `${malformed} of ${count} IDs are not ${expected}, as the data source (${shape.kind}, ${shape.namespace}) requires; ` +
      `nothing was published. For example: ${examples.map((e) => JSON.stringify(e)).join(', ')}`,
    {
      details: {
        malformed,
        total: count,
        protection: shape.kind,
        namespace: shape.namespace,
        expected,
        examples,
      },
    },
  )
}

function tooLong(line: number): AppError {
  return new AppError('HUB_ID_TOO_LONG', `Line ${line} is longer than ${MAX_ID_BYTES} bytes`, {
    details: { line, maxBytes: MAX_ID_BYTES },
  })
}

/** Applies the staged `_pub` to the audience as version + 1, inside the caller's transaction. */
async function writeVersion(
  s: Session,
  a: AudienceRow,
  options: { mode: SyncMode; requestId: string },
): Promise<{ changed: boolean; version: SharedVersion }> {
  const [cur] = await s.query<{ version: number; size: number }>(
    `SELECT version, size FROM hub.shared_audiences WHERE id = $1`,
    [a.id],
  )
  const v = (cur?.version ?? 0) + 1
  if (options.mode === 'mirror') {
    await s.run(
      `UPDATE hub.members SET to_version = $2 WHERE aud = $1 AND to_version IS NULL
         AND id NOT IN (SELECT id FROM _pub)`,
      [a.seq, v],
    )
  }
  // A left join lets the engine build its hash table on the smaller side (a 1 000-ID change
  // against a 1 M audience takes milliseconds; NOT IN would hash the whole audience).
  await s.run(
    `INSERT INTO hub.members (aud, id, from_version, to_version)
     SELECT $1, p.id, $2, NULL FROM _pub p
     LEFT JOIN (SELECT id FROM hub.members WHERE aud = $1 AND to_version IS NULL) m ON m.id = p.id
     WHERE m.id IS NULL`,
    [a.seq, v],
  )
  const [c] = await s.query<{ added: number; removed: number }>(
    `SELECT count(*) FILTER (WHERE from_version = $2) AS added, count(*) FILTER (WHERE to_version = $2) AS removed
     FROM hub.members WHERE aud = $1 AND (from_version = $2 OR to_version = $2)`,
    [a.seq, v],
  )
  const added = Number(c?.added ?? 0)
  const removed = Number(c?.removed ?? 0)
  if (added === 0 && removed === 0) {
    // Nothing changed: no new version; the request id maps to the current one.
    await s.run(
      `INSERT INTO hub.publish_requests (audience, request_id, version, created_at) VALUES ($1, $2, $3, now())`,
      [a.id, options.requestId, v - 1],
    )
    const [row] = await s.query<{
      version: number
      size: number
      added: number
      removed: number
      created_at: string
    }>(
      `SELECT version, size, added, removed, created_at FROM hub.versions WHERE audience = $1 AND version = $2`,
      [a.id, v - 1],
    )
    return { changed: false, version: toVersion(row as NonNullable<typeof row>) }
  }
  const size = Number(cur?.size ?? 0) + added - removed
  const createdAt = new Date().toISOString()
  await s.run(
    `INSERT INTO hub.versions (audience, version, size, added, removed, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [a.id, v, size, added, removed, createdAt],
  )
  await s.run(`UPDATE hub.shared_audiences SET version = $2, size = $3, updated_at = $4 WHERE id = $1`, [
    a.id,
    v,
    size,
    createdAt,
  ])
  await s.run(
    `INSERT INTO hub.publish_requests (audience, request_id, version, created_at) VALUES ($1, $2, $3, $4)`,
    [a.id, options.requestId, v, createdAt],
  )
  return { changed: true, version: { version: v, size, added, removed, createdAt } }
}
