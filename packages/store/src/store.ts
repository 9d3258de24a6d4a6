import { readdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { AudienceService } from './audiences/audience-service'
import { AudienceSchedules } from './audiences/schedules'
import { DuckDBEngine } from './duckdb/duckdb-engine'
import type { Engine } from './engine'
import { type DataMigrationReport, migrateIdentityColumns } from './ingest/canonical-identities'
import { ensureIdentityTables } from './ingest/identity-links'
import { type InferResult, inferSchema } from './ingest/infer'
import { DEFAULT_INGEST_LIMITS, type IngestLimits, Ingestor, ingestLimitsFromEnv } from './ingest/pipeline'
import type { CsvOptions, FileFormat } from './ingest/source'
import { type Logger, silentLogger } from './logger'
import { BatchRepository } from './meta/batches'
import { SchemaCatalog } from './meta/catalog'
import { DatasetRepository } from './meta/datasets'
import { migrate } from './meta/migrations'
import { type Org, OrgRepository, orgSchema } from './meta/orgs'
import { makePrivate } from './private-files'
import { RuleService } from './rules/rule-service'

export interface StoreOptions {
  /** Folder holding the database file and reject files; `:memory:` for tests. */
  dataDir: string
  threads?: number
  /**
   * Bounds of a batch's files (reject file, decompressed size); by default the environment's
   * `AHUB_INGEST_MAX_*`, else DEFAULT_INGEST_LIMITS.
   */
  ingestLimits?: Partial<IngestLimits>
  /** Where background failures are logged (schedules, batch bookkeeping); default: nowhere. */
  logger?: Logger
}

/** Everything the server and the CLI need from storage, opened on one data directory. */
export class Store {
  readonly orgs: OrgRepository
  readonly catalog: SchemaCatalog
  readonly ingestor: Ingestor
  readonly batches: BatchRepository
  readonly datasets: DatasetRepository
  readonly rules: RuleService
  readonly audiences: AudienceService
  /** Scheduled refresh of query audiences; the server calls `start()`. */
  readonly audienceSchedules: AudienceSchedules
  /** Data migrations applied by this open (each once per data directory), with what they changed. */
  dataMigrations: DataMigrationReport[] = []
  /** True for a `:memory:` store (tests): nothing of it outlives the process, and nothing is written to `dataDir`. */
  readonly memory: boolean

  private constructor(
    readonly engine: Engine,
    readonly dataDir: string,
    ingestLimits: Partial<IngestLimits> = {},
    memory = false,
    /** The services' logger: services opened on this store (campaigns, sharing) log here too. */
    readonly logger: Logger = silentLogger,
  ) {
    this.memory = memory
    this.orgs = new OrgRepository(engine)
    this.catalog = new SchemaCatalog(engine)
    this.batches = new BatchRepository(engine)
    this.datasets = new DatasetRepository(engine, this.catalog)
    this.audiences = new AudienceService(engine, this.catalog)
    this.audienceSchedules = new AudienceSchedules(
      engine,
      this.audiences,
      logger.child({ component: 'audience-schedules' }),
    )
    this.rules = new RuleService(engine, this.catalog, (org) => this.audiences.audienceResolver(org))
    this.ingestor = new Ingestor(
      engine,
      this.catalog,
      this.orgs,
      join(dataDir, 'rejects'),
      { ...DEFAULT_INGEST_LIMITS, ...ingestLimits },
      logger.child({ component: 'ingest' }),
    )
  }

  static async open(options: StoreOptions): Promise<Store> {
    // Read before the engine opens: a bad value refuses to start without leaving the file locked.
    const limits = options.ingestLimits ?? ingestLimitsFromEnv(process.env)
    const memory = options.dataDir === ':memory:'
    const dataDir = memory ? resolve('.tmp/memory-store') : resolve(options.dataDir)
    // Personal data: the directory 0700 and every file 0600, including what the engine writes.
    if (!memory) makePrivate(dataDir)
    const engine = await DuckDBEngine.open({
      path: memory ? ':memory:' : join(dataDir, 'audience-hub.duckdb'),
      threads: options.threads,
    })
    await migrate(engine)
    // This process owns the file now: a batch still marked running was cut off by a crash, and its
    // transaction never committed, so the dataset is as it was before it.
    await engine.run(
      `UPDATE meta.batches SET status = 'failed', finished_at = current_timestamp,
         report = '{"error":{"code":"INGEST_FAILED","message":"Interrupted: the process stopped before the batch committed; nothing was applied"}}'
       WHERE status = 'running'`,
    )
    if (!memory) {
      await removeOrphanRejects(engine, join(dataDir, 'rejects'))
      // Uploads are spooled for one request each: any left belong to a process that was killed.
      await rm(join(dataDir, 'uploads'), { recursive: true, force: true })
    }
    const store = new Store(engine, dataDir, limits, memory, options.logger)
    const identities = await migrateIdentityColumns(engine, store.catalog)
    if (identities) store.dataMigrations.push(identities)
    // Audiences deleted before a stop may still have member ranges to remove.
    void store.audiences.purge.kick()
    return store
  }

  /** Creates an organisation with its dataset schema and identity tables. */
  async createOrg(id: string, name: string): Promise<Org> {
    const org = await this.orgs.create(id, name)
    await this.engine.withSession((s) => ensureIdentityTables(s, orgSchema(id)))
    return org
  }

  /** Guesses a table definition from a sample of a file. */
  infer(
    path: string,
    options: { table: string; format?: FileFormat; csv?: CsvOptions; name?: string },
  ): Promise<InferResult> {
    return this.engine.withSession((s) => inferSchema(s, path, options))
  }

  async close(): Promise<void> {
    await this.audienceSchedules.close()
    await this.audiences.purge.close()
    await this.engine.close()
  }
}

/**
 * Removes reject files no committed batch refers to: a process killed after writing a batch's
 * reject file but before its commit leaves one behind (the batch itself was rolled back).
 */
async function removeOrphanRejects(engine: Engine, dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  if (names.length === 0) return
  // By batch id, not path: a data directory that moved keeps its reject files.
  const kept = new Set(
    (
      await engine.query<{ id: string }>(
        "SELECT id FROM meta.batches WHERE status = 'succeeded' AND reject_path IS NOT NULL",
      )
    ).map((r) => `${r.id}.csv`),
  )
  for (const name of names)
    if (/^b_[a-z0-9]+\.csv$/.test(name) && !kept.has(name)) await rm(join(dir, name), { force: true })
}
