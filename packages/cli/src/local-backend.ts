import { parseSchemaText } from '@ahub/core'
import type { CsvOptions, FileFormat, Store } from '@ahub/store'
import { type Backend, type IngestArgs, readSchemaFile } from './backend'

/** The CLI's operations on the data directory itself (no server runs): loaded with the engine. */
export class LocalBackend implements Backend {
  readonly kind = 'local' as const
  readonly where: string

  constructor(
    private readonly store: Store,
    readonly org: string,
  ) {
    this.where = store.dataDir
  }

  listSchemas() {
    return this.store.catalog.list(this.org)
  }
  getSchema(table: string) {
    return this.store.catalog.get(this.org, table)
  }
  async applySchema(path: string, options: { allowDestructive?: boolean; dryRun?: boolean }) {
    return this.store.catalog.apply(this.org, parseSchemaText(await readSchemaFile(path)), options)
  }
  inferSchema(path: string, table: string, options: { format?: FileFormat; csv?: CsvOptions }) {
    return this.store.infer(path, { table, ...options })
  }
  listDatasets() {
    return this.store.datasets.list(this.org)
  }
  showDataset(table: string, sample: number) {
    return this.store.datasets.show(this.org, table, sample)
  }
  ingest(table: string, path: string, args: IngestArgs) {
    return this.store.ingestor.ingest(this.org, table, path, {
      format: args.format,
      csv: args.csv,
      rejectFile: args.rejectFile,
      onProgress: args.onProgress,
    })
  }
  listBatches(table?: string) {
    return this.store.batches.list(this.org, table)
  }
  getBatch(id: string) {
    return this.store.batches.get(this.org, id)
  }
  close() {
    return this.store.close()
  }
}
