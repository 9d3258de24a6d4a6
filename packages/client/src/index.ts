import { createReadStream, statSync } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import type {
  Audience,
  AudienceChangePage,
  AudienceMemberPage,
  AudienceOverlap,
  AudienceSaveResult,
  AudienceSchedule,
  AudienceScheduleInput,
  AudienceUser,
  AudienceVersion,
  BatchReport,
  BatchSummary,
  CreateAudience,
  DataSource,
  DataSourceInput,
  DatasetDetail,
  DatasetSummary,
  EngineName,
  ImportedAudience,
  ProfileAudiences,
  SchemaFile,
  SharedAudience,
  ShareExportRequest,
  ShareImportRequest,
  StoredTable,
  SyncJob,
  TableDiff,
  UpdateAudience,
} from '@ahub/core'
import type {
  AuditEvent,
  AuditQuery,
  CreateTokenInput,
  Invitation,
  Me,
  Member,
  OrgSummary,
  Role,
  TokenInfo,
} from './access'
import type {
  Campaign,
  CampaignDetail,
  CampaignIssue,
  CampaignRun,
  RunEvent,
  SignalInput,
  StartRunInput,
  TransitionPreview,
} from './campaigns'
import type {
  ChannelPreview,
  ChannelProviderInfo,
  ChannelProviderSettings,
  DeliveryLogPage,
  DeliveryReport,
  DeliveryStatus,
  ProofOutcome,
} from './channels'
import type { Distribution, RuleCount, RuleInput, RuleIssue, RuleSql } from './rules'

export type * from './access'
export type * from './campaigns'
export type * from './channels'
export type * from './rules'

export type { BatchSummary, DatasetDetail, DatasetSummary }

/** An error answered by the server, with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface ApplyResult {
  created: string[]
  updated: { table: string; diff: TableDiff }[]
  unchanged: string[]
}

export interface FileOptions {
  fileName?: string
  format?: 'csv' | 'ndjson' | 'parquet'
  delimiter?: string
  quote?: string
  escape?: string
  encoding?: 'utf-8' | 'utf-16' | 'latin-1'
  header?: boolean
  /** Called as the upload goes, with bytes sent and the file size. */
  onUpload?: (sent: number, total: number) => void
}

export interface InferResult {
  schema: SchemaFile
  notes: string[]
  sampledRows: number
}

function query(q: Record<string, string | number | boolean | undefined>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v))
  const text = p.toString()
  return text ? `?${text}` : ''
}

/** Typed HTTP client of the Audience Hub API, shared by the CLI and the web UI. */
export class AudienceHubClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    readonly org: string,
  ) {}

  health(): Promise<{ status: 'ok' }> {
    return this.request('GET', '/health')
  }

  ready(): Promise<{ status: 'ready'; engine: string }> {
    return this.request('GET', '/ready')
  }

  /** Who the credential belongs to, how it signed in, and its organisations. */
  me(): Promise<Me> {
    return this.request('GET', '/v1/me')
  }

  listOrgs(): Promise<{ orgs: OrgSummary[] }> {
    return this.request('GET', '/v1/orgs')
  }

  /** Creates an organisation; the caller becomes its admin. */
  createOrg(id: string, name: string): Promise<OrgSummary> {
    return this.request('POST', '/v1/orgs', { json: { id, name } })
  }

  getOrg(): Promise<OrgSummary & { settings: Record<string, unknown> }> {
    return this.request('GET', this.orgPath(''))
  }

  listMembers(): Promise<{ members: Member[] }> {
    return this.request('GET', this.orgPath('/members'))
  }

  /** Adds a user (created when the e-mail is new) to the organisation with a role. */
  addMember(input: { email: string; name?: string | null; role: Role }): Promise<Member> {
    return this.request('POST', this.orgPath('/members'), { json: input })
  }

  /** Changes a member's role; `user` is an id or an e-mail address. */
  setRole(user: string, role: Role): Promise<Member> {
    return this.request('PUT', this.orgPath(`/members/${encodeURIComponent(user)}`), { json: { role } })
  }

  /** Removes a member and revokes their tokens in the organisation. */
  removeMember(user: string): Promise<{ removed: string; tokensRevoked: number }> {
    return this.request('DELETE', this.orgPath(`/members/${encodeURIComponent(user)}`))
  }

  /** Disables (or enables) a membership: the person is refused in this organisation only. */
  setDisabled(user: string, disabled: boolean): Promise<Member> {
    return this.request('PUT', this.orgPath(`/members/${encodeURIComponent(user)}/disabled`), {
      json: { disabled },
    })
  }

  /** Gives a member who has none a first password for the built-in sign-in (admins). */
  setFirstPassword(user: string, password: string): Promise<null> {
    return this.request('PUT', this.orgPath(`/members/${encodeURIComponent(user)}/password`), {
      json: { password },
    })
  }

  /** Your pending invitations (signed in as yourself). */
  listInvitations(): Promise<{ invitations: Invitation[] }> {
    return this.request('GET', '/v1/me/invitations')
  }

  /** Accepts an invitation: you become a member of `org` with the role offered. */
  acceptInvitation(org: string): Promise<{ org: string; role: Role }> {
    return this.request('POST', `/v1/me/invitations/${encodeURIComponent(org)}/accept`)
  }

  /** Declines an invitation: it is withdrawn. */
  declineInvitation(org: string): Promise<null> {
    return this.request('DELETE', `/v1/me/invitations/${encodeURIComponent(org)}`)
  }

  /** Sets or changes your own password for the built-in sign-in (`current` required when one is set). */
  setMyPassword(password: string, current?: string): Promise<null> {
    return this.request('PUT', '/v1/me/password', { json: { password, ...(current ? { current } : {}) } })
  }

  /** Creates an API token; `secret` is shown this once. */
  createToken(input: CreateTokenInput): Promise<{ token: TokenInfo; secret: string }> {
    return this.request('POST', this.orgPath('/tokens'), { json: input })
  }

  listTokens(): Promise<{ tokens: TokenInfo[] }> {
    return this.request('GET', this.orgPath('/tokens'))
  }

  revokeToken(id: string): Promise<TokenInfo> {
    return this.request('DELETE', this.orgPath(`/tokens/${encodeURIComponent(id)}`))
  }

  /** One page of the audit log, newest first (admins). */
  audit(query: AuditQuery = {}): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v))
    const qs = params.toString()
    return this.request('GET', this.orgPath(`/audit${qs ? `?${qs}` : ''}`))
  }

  listSchemas(): Promise<{ tables: StoredTable[] }> {
    return this.request('GET', this.orgPath('/schemas'))
  }

  getSchema(table: string): Promise<StoredTable> {
    return this.request('GET', this.orgPath(`/schemas/${encodeURIComponent(table)}`))
  }

  applySchema(input: {
    text?: string
    schema?: unknown
    allowDestructive?: boolean
    dryRun?: boolean
  }): Promise<ApplyResult> {
    return this.request('POST', this.orgPath('/schemas'), { json: input })
  }

  inferSchema(path: string, table: string, options: FileOptions = {}): Promise<InferResult> {
    return this.upload(this.orgPath('/schemas/infer'), path, { ...options, table })
  }

  listDatasets(): Promise<{ datasets: DatasetSummary[] }> {
    return this.request('GET', this.orgPath('/datasets'))
  }

  showDataset(table: string, sample = 5): Promise<DatasetDetail> {
    return this.request('GET', this.orgPath(`/datasets/${encodeURIComponent(table)}?sample=${sample}`))
  }

  ingest(table: string, path: string, options: FileOptions = {}): Promise<BatchReport> {
    return this.upload(this.orgPath(`/datasets/${encodeURIComponent(table)}/batches`), path, options)
  }

  listBatches(table?: string): Promise<{ batches: BatchSummary[] }> {
    return this.request('GET', this.orgPath(`/batches${table ? `?table=${encodeURIComponent(table)}` : ''}`))
  }

  getBatch(id: string): Promise<BatchSummary> {
    return this.request('GET', this.orgPath(`/batches/${encodeURIComponent(id)}`))
  }

  /** Every issue of a rule at once, each with its JSON path. */
  validateRule(input: RuleInput): Promise<{ valid: boolean; issues: RuleIssue[] }> {
    return this.request('POST', this.orgPath('/rules/validate'), { json: input })
  }

  /** How many rows a rule selects. */
  /** Checks an expression (of enrichment, split order, deduplication) against a dimension. */
  validateExpression(input: {
    expression: string
    dimension?: string
  }): Promise<{ valid: boolean; issues: RuleIssue[] }> {
    return this.request('POST', this.orgPath('/expressions/validate'), { json: input })
  }

  countRule(input: RuleInput): Promise<RuleCount> {
    return this.request('POST', this.orgPath('/rules/count'), { json: input })
  }

  /** The SQL a rule compiles to for one engine, with its bound parameters. */
  ruleSql(input: RuleInput & { dialect?: EngineName }): Promise<RuleSql> {
    return this.request('POST', this.orgPath('/rules/sql'), { json: input })
  }

  /** The embedded engine's plan for a rule. */
  explainRule(input: RuleInput): Promise<{ sql: string; plan: string }> {
    return this.request('POST', this.orgPath('/rules/explain'), { json: input })
  }

  /** The keys of the first rows a rule selects. */
  previewRule(input: RuleInput & { limit?: number }): Promise<{ members: Record<string, unknown>[] }> {
    return this.request('POST', this.orgPath('/rules/preview'), { json: input })
  }

  /** The most frequent values of a field among the rows a rule selects (or all rows). */
  distribution(
    input: Omit<RuleInput, 'rule'> & { rule?: unknown; field: string; limit?: number },
  ): Promise<Distribution> {
    return this.request('POST', this.orgPath('/rules/distribution'), { json: input })
  }

  /** Every audience of the org. */
  listAudiences(): Promise<{ audiences: Audience[] }> {
    return this.request('GET', this.orgPath('/audiences'))
  }

  /** Creates a query, list or file audience and writes its first version. */
  createAudience(input: CreateAudience): Promise<AudienceSaveResult> {
    return this.request('POST', this.orgPath('/audiences'), { json: input })
  }

  /** Creates a file audience from a local file of e-mails or phones, one per line. */
  uploadAudience(
    file: string,
    options: { label: string; namespace: 'email' | 'phone'; defaultCountry?: string; expiryDays?: number },
  ): Promise<AudienceSaveResult> {
    const query = new URLSearchParams({ fileName: file.split('/').pop() ?? 'upload' })
    for (const [k, v] of Object.entries(options)) if (v !== undefined) query.set(k, String(v))
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream
    return this.request('POST', `${this.orgPath('/audiences/upload')}?${query}`, {
      body,
      contentType: 'text/plain',
    })
  }

  /** An audience with its size history and what uses it. */
  getAudience(
    id: string,
  ): Promise<{ audience: Audience; versions: AudienceVersion[]; usedBy: AudienceUser[] }> {
    return this.request('GET', this.orgPath(`/audiences/${encodeURIComponent(id)}`))
  }

  /** Changes an audience's label, expiry or rule (a new rule writes a new version). */
  updateAudience(id: string, change: UpdateAudience): Promise<Audience> {
    return this.request('PATCH', this.orgPath(`/audiences/${encodeURIComponent(id)}`), { json: change })
  }

  /** Versions with their sizes and deltas, newest first. */
  audienceVersions(id: string, limit?: number): Promise<{ versions: AudienceVersion[] }> {
    return this.request(
      'GET',
      this.orgPath(`/audiences/${encodeURIComponent(id)}/versions${query({ limit })}`),
    )
  }

  /** Re-evaluates a query audience into a new version. */
  refreshAudience(id: string): Promise<AudienceSaveResult> {
    return this.request('POST', this.orgPath(`/audiences/${encodeURIComponent(id)}/refresh`), { json: {} })
  }

  /** The refresh schedule of a query audience (null when none) with its next launches. */
  audienceSchedule(id: string): Promise<{ schedule: AudienceSchedule | null; nextLaunches: string[] }> {
    return this.request('GET', this.orgPath(`/audiences/${encodeURIComponent(id)}/schedule`))
  }

  /** Re-evaluates a query audience on a cron schedule in a time zone. */
  scheduleAudience(
    id: string,
    input: AudienceScheduleInput,
  ): Promise<{ schedule: AudienceSchedule; nextLaunches: string[] }> {
    return this.request('PUT', this.orgPath(`/audiences/${encodeURIComponent(id)}/schedule`), { json: input })
  }

  /** Stops refreshing an audience on a schedule. */
  unscheduleAudience(id: string): Promise<{ removed: boolean }> {
    return this.request('DELETE', this.orgPath(`/audiences/${encodeURIComponent(id)}/schedule`))
  }

  /** Deletes an audience; refused with AUDIENCE_IN_USE while anything uses it. */
  deleteAudience(id: string): Promise<{ deleted: string }> {
    return this.request('DELETE', this.orgPath(`/audiences/${encodeURIComponent(id)}`))
  }

  /** Members of a version (the current one by default), paged. */
  audienceMembers(
    id: string,
    q: { version?: number; search?: string; limit?: number; cursor?: string } = {},
  ): Promise<AudienceMemberPage> {
    return this.request('GET', this.orgPath(`/audiences/${encodeURIComponent(id)}/members${query(q)}`))
  }

  /** The change log after version `since`, paged. */
  audienceChanges(
    id: string,
    q: { since: number; until?: number; limit?: number; cursor?: string },
  ): Promise<AudienceChangePage> {
    return this.request('GET', this.orgPath(`/audiences/${encodeURIComponent(id)}/changes${query(q)}`))
  }

  /** Counts of every Venn region of two or three audiences. */
  audienceOverlap(ids: string[]): Promise<AudienceOverlap> {
    return this.request('GET', this.orgPath(`/audiences/overlap${query({ ids: ids.join(',') })}`))
  }

  /** The audiences a profile currently belongs to. */
  profileAudiences(profile: string): Promise<ProfileAudiences> {
    return this.request('GET', this.orgPath(`/profiles/${encodeURIComponent(profile)}/audiences`))
  }

  /** Downloads an audience export (CSV, NDJSON or Parquet, plain or hashed) as a web stream. */
  async exportAudience(
    id: string,
    q: {
      format?: 'csv' | 'ndjson' | 'parquet'
      hashProfile?: string
      attributes?: boolean
      version?: number
    },
  ): Promise<ReadableStream<Uint8Array>> {
    const res = await fetch(
      `${this.baseUrl}${this.orgPath(`/audiences/${encodeURIComponent(id)}/export${query(q)}`)}`,
      { headers: { authorization: `Bearer ${this.token}` } },
    )
    if (!res.ok || !res.body) await this.fail(res)
    return res.body as ReadableStream<Uint8Array>
  }

  async downloadRejects(id: string): Promise<string> {
    const res = await fetch(`${this.baseUrl}${this.orgPath(`/batches/${encodeURIComponent(id)}/rejects`)}`, {
      headers: { authorization: `Bearer ${this.token}` },
    })
    if (!res.ok) await this.fail(res)
    return res.text()
  }

  // --- sharing ---

  /** Data sources this org can use on the hub (keys never shown). */
  listDataSources(): Promise<{ dataSources: DataSource[] }> {
    return this.request('GET', this.orgPath('/sharing/data-sources'))
  }

  /** Creates a data source on the hub; keys and IVs are write-only. */
  createDataSource(input: DataSourceInput): Promise<DataSource> {
    return this.request('POST', this.orgPath('/sharing/data-sources'), { json: input })
  }

  /** Shared audiences this org owns or that are shared with it. */
  listSharedAudiences(): Promise<{ sharedAudiences: SharedAudience[] }> {
    return this.request('GET', this.orgPath('/sharing/shared-audiences'))
  }

  /** Exports an audience to a shared audience on the hub; resolves with the finished sync job. */
  shareExport(input: ShareExportRequest): Promise<SyncJob> {
    return this.request('POST', this.orgPath('/sharing/exports'), { json: input })
  }

  /** Imports a shared audience into a new local audience; resolves with it and the sync job. */
  shareImport(input: ShareImportRequest): Promise<{ audience: Audience; job: SyncJob }> {
    return this.request('POST', this.orgPath('/sharing/imports'), { json: input })
  }

  /** Audiences fed by shared audiences, with the version each reflects. */
  listImports(): Promise<{ imports: ImportedAudience[] }> {
    return this.request('GET', this.orgPath('/sharing/imports'))
  }

  /** Re-imports the current version of the shared audience feeding an audience. */
  syncImport(audience: string): Promise<SyncJob> {
    return this.request('POST', this.orgPath(`/sharing/imports/${encodeURIComponent(audience)}/sync`), {
      json: {},
    })
  }

  /** Sync jobs, newest first. */
  listSyncJobs(
    q: { audience?: string; sharedAudience?: string; limit?: number } = {},
  ): Promise<{ jobs: SyncJob[] }> {
    return this.request('GET', `${this.orgPath('/sharing/jobs')}${query(q)}`)
  }

  getSyncJob(id: string): Promise<SyncJob> {
    return this.request('GET', this.orgPath(`/sharing/jobs/${encodeURIComponent(id)}`))
  }

  /** The report of a sync job as CSV text (id, outcome, reason). */
  async syncJobReport(id: string): Promise<string> {
    const res = await fetch(
      `${this.baseUrl}${this.orgPath(`/sharing/jobs/${encodeURIComponent(id)}/report`)}`,
      {
        headers: { authorization: `Bearer ${this.token}` },
      },
    )
    if (!res.ok) await this.fail(res)
    return res.text()
  }

  private orgPath(path: string): string {
    return `/v1/orgs/${encodeURIComponent(this.org)}${path}`
  }

  private async upload<T>(path: string, file: string, options: FileOptions & { table?: string }): Promise<T> {
    const { onUpload, ...rest } = options
    const query = new URLSearchParams()
    const fileName = rest.fileName ?? file.split('/').pop() ?? 'upload'
    for (const [k, v] of Object.entries({ ...rest, fileName })) if (v !== undefined) query.set(k, String(v))
    const total = statSync(file).size
    let sent = 0
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        sent += chunk.length
        onUpload?.(sent, total)
        cb(null, chunk)
      },
    })
    const body = Readable.toWeb(createReadStream(file).pipe(counter)) as ReadableStream
    return this.request('POST', `${path}?${query}`, { body, contentType: 'application/octet-stream' })
  }

  private async request<T>(
    method: string,
    path: string,
    options: { json?: unknown; body?: ReadableStream; contentType?: string } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` }
    let body: string | ReadableStream | undefined
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.body) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream'
      body = options.body
    }
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body,
      duplex: 'half',
    } as RequestInit)
    if (!res.ok) await this.fail(res)
    if (res.status === 204) return null as T
    return (await res.json()) as T
  }

  private async fail(res: Response): Promise<never> {
    let payload: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {}
    try {
      payload = (await res.json()) as typeof payload
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(
      res.status,
      payload.error?.code ?? 'INTERNAL',
      payload.error?.message ?? `${res.status} ${res.statusText}`,
      payload.error?.details,
    )
  }

  // --- campaigns ---

  /** Every issue of a campaign definition, without saving it. */
  /** Every activity type with its options as JSON Schema (what the web canvas draws its forms from). */
  campaignActivities(): Promise<{
    activities: {
      type: string
      inputs: { min: number; max: number }
      producesPopulation: boolean
      needsPopulation: boolean
      options: Record<string, unknown>
    }[]
  }> {
    return this.request('GET', this.orgPath('/campaign-activities'))
  }

  validateCampaign(definition: unknown): Promise<{ valid: boolean; issues: CampaignIssue[] }> {
    return this.request('POST', this.orgPath('/campaigns/validate'), { json: definition })
  }

  /** The next launches of a Scheduler's options in a time zone, nothing saved; CAMPAIGN_INVALID lists the problems. */
  previewSchedule(input: {
    schedule: unknown
    validFrom?: string
    validUntil?: string
    timeZone: string
    count?: number
  }): Promise<{ next: string[] }> {
    return this.request('POST', this.orgPath('/campaigns/schedule-preview'), { json: input })
  }

  listCampaigns(): Promise<{ campaigns: Campaign[] }> {
    return this.request('GET', this.orgPath('/campaigns'))
  }

  /** Saves a draft; CAMPAIGN_INVALID lists every issue. */
  createCampaign(definition: unknown): Promise<Campaign> {
    return this.request('POST', this.orgPath('/campaigns'), { json: definition })
  }

  /** A campaign with its state and the next launches of its Scheduler. */
  getCampaign(id: string): Promise<CampaignDetail> {
    return this.request('GET', this.orgPath(campaignPath(id, '')))
  }

  /** Replaces a draft's definition. */
  updateCampaign(id: string, definition: unknown): Promise<Campaign> {
    return this.request('PUT', this.orgPath(campaignPath(id, '')), { json: definition })
  }

  /** Turns a valid draft into a live, read-only campaign. */
  publishCampaign(id: string): Promise<Campaign> {
    return this.request('POST', this.orgPath(campaignPath(id, '/publish')), { json: {} })
  }

  archiveCampaign(id: string): Promise<Campaign> {
    return this.request('POST', this.orgPath(campaignPath(id, '/archive')), { json: {} })
  }

  /** Starts a run (test mode saves nothing); CAMPAIGN_ALREADY_RUNNING while one is active. */
  startRun(id: string, input: StartRunInput = {}): Promise<CampaignRun> {
    return this.request('POST', this.orgPath(campaignPath(id, '/runs')), { json: input })
  }

  /** Starts a run through the campaign's Signal activity, with its parameters. */
  signalCampaign(id: string, input: SignalInput = {}): Promise<CampaignRun> {
    return this.request('POST', this.orgPath(campaignPath(id, '/signal')), { json: input })
  }

  /** Stops the active run and starts a new one. */
  restartCampaign(id: string): Promise<CampaignRun> {
    return this.request('POST', this.orgPath(campaignPath(id, '/restart')), { json: {} })
  }

  /** Run history, newest first. */
  listRuns(id: string): Promise<{ runs: CampaignRun[] }> {
    return this.request('GET', this.orgPath(campaignPath(id, '/runs')))
  }

  getRun(id: string, run: string): Promise<CampaignRun> {
    return this.request('GET', this.orgPath(runPath(id, run, '')))
  }

  /** A run found by its id alone (its `campaign` names the campaign). */
  findRun(run: string): Promise<CampaignRun> {
    return this.request('GET', this.orgPath(`/campaign-runs/${encodeURIComponent(run)}`))
  }

  /** Pauses a run now, or at an activity (a breakpoint). */
  pauseRun(id: string, run: string, at?: string): Promise<CampaignRun> {
    return this.request('POST', this.orgPath(runPath(id, run, '/pause')), {
      json: at === undefined ? {} : { at },
    })
  }

  resumeRun(id: string, run: string): Promise<CampaignRun> {
    return this.request('POST', this.orgPath(runPath(id, run, '/resume')), { json: {} })
  }

  stopRun(id: string, run: string): Promise<CampaignRun> {
    return this.request('POST', this.orgPath(runPath(id, run, '/stop')), { json: {} })
  }

  /** The run's log, oldest first, after event `after`. */
  /**
   * The run's server-sent events, parsed: `run` (the whole run) at once and after each change,
   * `log` lines; the iteration ends when the run does.
   */
  async *runEvents(
    id: string,
    run: string,
    signal?: AbortSignal,
  ): AsyncGenerator<{ event: 'run'; data: CampaignRun } | { event: 'log'; data: unknown }> {
    const res = await fetch(
      `${this.baseUrl}${this.orgPath(`/campaigns/${encodeURIComponent(id)}/runs/${encodeURIComponent(run)}/events`)}`,
      { headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' }, signal },
    )
    if (!res.ok || !res.body) await this.fail(res)
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true })
      let end = buffer.indexOf('\n\n')
      while (end >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf('\n\n')
        const event = /^event: (.*)$/m.exec(block)?.[1]
        const data = /^data: (.*)$/m.exec(block)?.[1]
        if (event === 'run') yield { event, data: JSON.parse(data!) as CampaignRun }
        else if (event === 'log') yield { event, data: JSON.parse(data!) as unknown }
      }
    }
  }

  runLogs(id: string, run: string, after = 0): Promise<{ events: RunEvent[] }> {
    return this.request('GET', this.orgPath(runPath(id, run, `/logs${query({ after })}`)))
  }

  /** Schema and first rows of the work table a transition carries. */
  previewTransition(id: string, run: string, transition: string, limit?: number): Promise<TransitionPreview> {
    return this.request(
      'GET',
      this.orgPath(runPath(id, run, `/transitions/${encodeURIComponent(transition)}${query({ limit })}`)),
    )
  }

  // --- end of campaigns ---

  // --- channels (docs/channels.md) ---

  listChannelProviders(): Promise<{ providers: ChannelProviderInfo[] }> {
    return this.request('GET', this.orgPath('/channel-providers'))
  }

  getChannelProvider(id: string): Promise<ChannelProviderInfo> {
    return this.request('GET', this.orgPath(`/channel-providers/${encodeURIComponent(id)}`))
  }

  /** Creates or replaces a provider; its settings are write-only. */
  putChannelProvider(id: string, settings: ChannelProviderSettings): Promise<ChannelProviderInfo> {
    return this.request('PUT', this.orgPath(`/channel-providers/${encodeURIComponent(id)}`), {
      json: settings,
    })
  }

  async deleteChannelProvider(id: string): Promise<void> {
    await this.request('DELETE', this.orgPath(`/channel-providers/${encodeURIComponent(id)}`))
  }

  /** A channel activity's message rendered for one profile (nothing is sent). */
  previewChannel(id: string, activity: string, profile: string): Promise<ChannelPreview> {
    return this.request('POST', this.orgPath(activityPath(id, activity, '/preview')), { json: { profile } })
  }

  /** Sends a channel activity's message to test addresses, marked [Proof]. */
  proofChannel(
    id: string,
    activity: string,
    input: { to: string[]; profile?: string },
  ): Promise<{ outcomes: ProofOutcome[] }> {
    return this.request('POST', this.orgPath(activityPath(id, activity, '/proof')), { json: input })
  }

  /** A page of the per-recipient outcomes of a run's channel activity. */
  deliveryLog(
    id: string,
    run: string,
    activity: string,
    page: { offset?: number; limit?: number; status?: DeliveryStatus } = {},
  ): Promise<DeliveryLogPage> {
    return this.request(
      'GET',
      this.orgPath(runPath(id, run, `/activities/${encodeURIComponent(activity)}/deliveries${query(page)}`)),
    )
  }

  /** Confirms a send paused for confirmation (the number of recipients it reported) and resumes the run. */
  confirmSend(id: string, run: string, activity: string, recipients: number): Promise<CampaignRun> {
    return this.request(
      'POST',
      this.orgPath(runPath(id, run, `/activities/${encodeURIComponent(activity)}/confirm-send`)),
      { json: { recipients } },
    )
  }

  /** Counts of a run's channel activity by outcome and exclusion reason. */
  deliveryReport(id: string, run: string, activity: string): Promise<DeliveryReport> {
    return this.request(
      'GET',
      this.orgPath(runPath(id, run, `/activities/${encodeURIComponent(activity)}/delivery-report`)),
    )
  }
}

function activityPath(id: string, activity: string, path: string): string {
  return campaignPath(id, `/activities/${encodeURIComponent(activity)}${path}`)
}

function campaignPath(id: string, path: string): string {
  return `/campaigns/${encodeURIComponent(id)}${path}`
}

function runPath(id: string, run: string, path: string): string {
  return campaignPath(id, `/runs/${encodeURIComponent(run)}${path}`)
}
