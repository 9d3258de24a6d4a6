import type {
  DataSource,
  DataSourceInput,
  Protection,
  SharedAudience,
  SharedAudienceEvent,
  SharedVersion,
  SyncMode,
} from '@ahub/core'

/**
 * What an Audience Hub installation needs from the hub, for one org. Two implementations behind
 * this one interface: the hub in the same process (embedded default) and the hub over HTTP
 * (`ahub hub serve`). IDs travel as files of one ID per line (UTF-8, `\n`), already protected as
 * the data source says: protection and unprotection happen in the installation, never on the hub.
 */
export interface HubClient {
  /** The org this client acts for (the hub token's org). */
  readonly org: string

  createDataSource(input: DataSourceInput): Promise<DataSource>
  listDataSources(): Promise<DataSource[]>
  getDataSource(id: string): Promise<DataSource>
  /**
   * The protection with its key and IV, for the installation to protect and unprotect IDs.
   * Only for orgs that own the data source or import a shared audience under it; never shown to
   * users (the user-facing API is write-only for keys).
   */
  keyMaterial(dataSourceId: string): Promise<Protection>

  /** Creates a shared audience owned by this org; HUB_NAME_TAKEN when the name exists for the owner. */
  createSharedAudience(input: {
    name: string
    dataSource: string
    sharedWith?: string[]
  }): Promise<SharedAudience>
  /** Shared audiences this org owns or that are shared with it. */
  listSharedAudiences(): Promise<SharedAudience[]>
  getSharedAudience(id: string): Promise<SharedAudience>
  setSharedWith(id: string, orgs: string[]): Promise<SharedAudience>
  deleteSharedAudience(id: string): Promise<void>

  /**
   * Publishes a new version from a file of protected IDs: `add` adds the IDs not yet present;
   * `mirror` makes the set equal to the file (adds and removes). Idempotent by `requestId`: a
   * retried publish with the same id returns the version it created the first time.
   */
  publish(id: string, file: string, options: { mode: SyncMode; requestId: string }): Promise<SharedVersion>
  versions(id: string): Promise<SharedVersion[]>
  /** Writes the IDs of a version (default: current) to `file`, one per line; returns how many. */
  downloadMembers(id: string, file: string, version?: number): Promise<number>
  /** Writes the IDs added and removed since `sinceVersion` to two files; returns the counts and the version reached. */
  downloadChanges(
    id: string,
    sinceVersion: number,
    files: { added: string; removed: string },
  ): Promise<{ version: number; added: number; removed: number }>

  /**
   * Calls `listener` for every new version of a shared audience this org can see, until the
   * returned function is called. Over HTTP the stream reconnects with backoff by itself (replaying
   * what it missed when the hub has not restarted); `options.onOpen` runs on every (re)connection,
   * the moment to catch up with `versions` in case events were missed, `options.onError` on each failure.
   */
  subscribe(listener: (event: SharedAudienceEvent) => void, options?: SubscribeOptions): () => void
}

/** Hooks of a subscription (see HubClient.subscribe). */
export interface SubscribeOptions {
  onOpen?: () => void
  onError?: (error: Error) => void
}
