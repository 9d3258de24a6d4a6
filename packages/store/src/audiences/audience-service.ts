import {
  AppError,
  type Audience,
  type AudienceAttribute,
  type AudienceChangePage,
  type AudienceMemberPage,
  type AudienceOrigin,
  type AudienceOverlap,
  type AudienceSaveResult,
  type AudienceUser,
  type AudienceVersion,
  assertIdentifier,
  CreateAudience,
  newId,
  type ProfileAudiences,
  type TableDef,
  UpdateAudience,
} from '@ahub/core'
import { type AudienceResolver, type CompileContext, compileRule } from '@ahub/query'
import type { Engine, Session, SqlValue } from '../engine'
import { ident, literal } from '../engine'
import type { SchemaCatalog } from '../meta/catalog'
import { orgSchema } from '../meta/orgs'
import { pickDimension } from '../rules/dimension'
import { evaluating } from '../rules/evaluation-error'
import { type ExportRequest, exportAudience } from './export'
import { parseIdentityList } from './file-audience'
import { MemberPurge } from './purge'
import { AudienceRepository, expiryOf, type NewAudience, type StoredAudience } from './repository'
import {
  assertAudienceId,
  atVersionSql,
  createMemberView,
  dropMemberView,
  ensureMembersTable,
  memberJoinSql,
  memberKeySql,
  membersTable,
  memberViewName,
} from './sql'
import {
  countDelta,
  createNextTable,
  decodeCursor,
  encodeCursor,
  NEXT_TABLE,
  readChanges,
  versionRecord,
  writeVersion,
} from './versions'

/** Something that uses audiences (campaigns, shared audiences): later packages register one. */
export type AudienceUsageProvider = (org: string, audience: string) => Promise<AudienceUser[]>

/** Steps of a save, reported so that callers (and the crash test) can follow a refresh. */
export type SavePhase = 'evaluating' | 'writing' | 'switching'

export interface SaveOptions {
  /** User id of the caller; 'system' when unknown. */
  owner?: string
  onPhase?: (phase: SavePhase) => void
  /** Evaluates a query audience's rule as of this time instead of now (relative dates replay; the demo builds a history this way). */
  asOf?: Date
}

/** A member of a list audience: its key, with optional attribute values. */
export type ListMember = string | { key: string; attributes: Record<string, unknown> }

/**
 * The members of a list audience as a query of the same engine with columns `member` (the key as
 * text) and `attrs` (JSON text or NULL): a population already in the engine (a campaign's work
 * table) is saved without a trip through JavaScript. Built by code from checked identifiers, never
 * from input.
 */
export interface MemberSelect {
  sql: string
  params?: SqlValue[]
}

const MAX_PAGE = 10_000

/**
 * Saved audiences (docs/audiences.md): the catalog, immutable versions with their enter / exit deltas,
 * membership reads, overlap and exports. Every save writes a version and switches to it in one
 * transaction (docs/adr/0007-audience-versions.md).
 */
export class AudienceService {
  private readonly repo = new AudienceRepository()
  private readonly busy = new Set<string>()
  private readonly ready = new Set<string>()
  private readonly creating = new Map<string, Promise<void>>()
  private readonly providers: AudienceUsageProvider[] = []
  /** Removes deleted audiences' member ranges in the background. */
  readonly purge: MemberPurge

  constructor(
    private readonly engine: Engine,
    private readonly catalog: SchemaCatalog,
  ) {
    this.purge = new MemberPurge(engine)
    this.providers.push((org, id) => this.ruleUsers(org, id))
    // Schema changes must not pull fields from under an audience's rule or identity.
    catalog.registerUsageProvider(async (org, table) => {
      const all = await this.engine.withSession((s) => this.repo.list(s, org))
      return all
        .filter((a) => a.dimension === table)
        .map((a) => ({
          kind: 'audience',
          name: a.label,
          fields: [...new Set([...(a.identityField ? [a.identityField] : []), ...fieldsOf(a.rule)])],
        }))
    })
  }

  /** Adds a source of "who uses this audience" (campaigns, shared audiences). */
  registerUsageProvider(p: AudienceUsageProvider): void {
    this.providers.push(p)
  }

  /** Every audience of the org. */
  async list(org: string): Promise<Audience[]> {
    return (await this.engine.withSession((s) => this.repo.list(s, org))).map(publicView)
  }

  /** One audience; throws AUDIENCE_NOT_FOUND. */
  async get(org: string, id: string): Promise<Audience> {
    return publicView(await this.engine.withSession((s) => this.repo.get(s, org, id)))
  }

  /** Versions of an audience, newest first, with their sizes and deltas (the size history). */
  async versions(org: string, id: string, limit = 100): Promise<AudienceVersion[]> {
    return this.engine.withSession(async (s) => {
      await this.repo.get(s, org, id)
      return this.repo.versions(s, id, limit)
    })
  }

  /**
   * The resolver of "in audience X" rule conditions for the org (CompileContext.audiences): each
   * audience with a dimension maps to the view of its current members.
   */
  async audienceResolver(org: string): Promise<AudienceResolver> {
    const tables = await this.catalog.definitions(org)
    const all = await this.engine.withSession((s) => this.repo.list(s, org))
    const byId = new Map(all.filter((a) => a.dimension && tables[a.dimension]).map((a) => [a.id, a]))
    return (id) => {
      const a = byId.get(id)
      if (!a) return undefined
      return {
        namespace: `org_${org}`,
        table: memberViewName(a.id),
        keyColumns: tables[a.dimension!]!.primaryKey,
        dependsOn: a.dependsOn,
      }
    }
  }

  /** Creates an audience and writes its first version. `shared` audiences are refused: the sharing feature makes them. */
  /** Creates an audience and writes its first version; a list's members may come from `options.select`. */
  async create(
    org: string,
    input: unknown,
    options: SaveOptions & { select?: MemberSelect } = {},
  ): Promise<AudienceSaveResult> {
    const parsed = CreateAudience.safeParse(input)
    if (!parsed.success)
      throw new AppError('VALIDATION_FAILED', 'The audience definition is not valid', {
        details: {
          issues: parsed.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
        },
      })
    const body = parsed.data
    assertIdentifier(org, 'organisation id')
    const origin = body.origin
    const base = {
      id: newId('aud'),
      org,
      label: body.label,
      owner: options.owner ?? 'system',
      expiryDays: body.expiryDays ?? null,
    }
    switch (body.type) {
      case 'shared':
        throw new AppError(
          'AUDIENCE_TYPE_NOT_ALLOWED',
          'Shared audiences are created by importing a shared audience from the hub, not by hand',
          { details: { type: 'shared' } },
        )
      case 'query': {
        const tables = await this.catalog.definitions(org)
        const dimension = pickDimension(tables, body.dimension, 'the audience holds rows of')
        const ctx = await this.context(org, dimension, base.id)
        compileRule(body.rule, ctx)
        const identity = pickIdentity(tables[dimension]!, body.identityField)
        return this.createAndSave(
          {
            ...base,
            type: 'query',
            dimension,
            ...identity,
            attributes: [],
            rule: body.rule,
            origin: origin ?? { kind: 'rule' },
            dependsOn: audiencesOf(body.rule),
          },
          (s, a) => this.evaluate(s, a, options.asOf),
          options,
        )
      }
      case 'list': {
        const tables = await this.catalog.definitions(org)
        const dimension = pickDimension(tables, body.dimension, 'the audience holds rows of')
        const identity = pickIdentity(tables[dimension]!, body.identityField)
        const attributes = body.attributes ?? []
        return this.createAndSave(
          {
            ...base,
            type: 'list',
            dimension,
            ...identity,
            attributes,
            rule: null,
            origin: origin ?? { kind: 'manual' },
            dependsOn: [],
          },
          (s) => (options.select ? fillSelect(s, options.select) : fillList(s, body.members, attributes)),
          options,
        )
      }
      case 'file': {
        const list = parseIdentityList(body.lines, body.namespace, body.defaultCountry)
        if (list.values.length === 0)
          throw new AppError('AUDIENCE_FILE_EMPTY', 'The list holds no valid value', {
            details: { rejected: list.rejected, rejectedCount: list.rejectedCount },
          })
        const result = await this.createAndSave(
          {
            ...base,
            type: 'file',
            dimension: null,
            identityField: null,
            identityNamespace: body.namespace,
            attributes: [],
            rule: null,
            origin: origin ?? { kind: 'upload' },
            dependsOn: [],
          },
          (s) => fillList(s, list.values, []),
          options,
        )
        return { ...result, accepted: list.values.length, rejected: list.rejected }
      }
    }
  }

  /** Re-evaluates a query audience and writes a new version; AUDIENCE_BUSY while another save of it runs. */
  async refresh(org: string, id: string, options: SaveOptions = {}): Promise<AudienceSaveResult> {
    const a = await this.engine.withSession((s) => this.repo.get(s, org, id))
    if (a.type !== 'query')
      throw new AppError('AUDIENCE_TYPE_NOT_ALLOWED', `A ${a.type} audience has no rule to re-evaluate`, {
        details: { audience: id, type: a.type },
      })
    return this.save(a, (s) => this.evaluate(s, a, options.asOf), options)
  }

  /** Saves a new snapshot of a list audience (e.g. from a campaign run) as a new version. */
  async saveList(
    org: string,
    id: string,
    members: ListMember[] | MemberSelect,
    options: SaveOptions = {},
  ): Promise<AudienceSaveResult> {
    const a = await this.engine.withSession((s) => this.repo.get(s, org, id))
    if (a.type !== 'list')
      throw new AppError(
        'AUDIENCE_TYPE_NOT_ALLOWED',
        `Only list audiences take a list of members, not ${a.type}`,
        {
          details: { audience: id, type: a.type },
        },
      )
    return this.save(
      a,
      (s) => (Array.isArray(members) ? fillList(s, members, a.attributes) : fillSelect(s, members)),
      options,
    )
  }

  /**
   * For the sharing feature (@ahub/sharing): creates a `shared` or `file` audience whose first
   * version `fill` writes into the session's next-members table (NEXT_TABLE: member, attrs).
   */
  async createFilled(
    org: string,
    input: {
      type: 'shared' | 'file'
      label: string
      dimension: string | null
      identityNamespace?: string | null
      origin: AudienceOrigin
    },
    fill: (s: Session) => Promise<void>,
    options: SaveOptions = {},
  ): Promise<AudienceSaveResult> {
    assertIdentifier(org, 'organisation id')
    const tables = input.dimension ? await this.catalog.definitions(org) : {}
    const identity = input.dimension
      ? pickIdentity(tables[pickDimension(tables, input.dimension, 'the audience holds rows of')]!, undefined)
      : { identityField: null, identityNamespace: input.identityNamespace ?? null }
    return this.createAndSave(
      {
        id: newId('aud'),
        org,
        label: input.label,
        owner: options.owner ?? 'system',
        expiryDays: null,
        type: input.type,
        dimension: input.dimension,
        ...identity,
        attributes: [],
        rule: null,
        origin: input.origin,
        dependsOn: [],
      },
      (s) => fill(s),
      options,
    )
  }

  /** For the sharing feature: writes a new version of a `shared` or `file` audience from what `fill` puts in NEXT_TABLE. */
  async saveFilled(
    org: string,
    id: string,
    fill: (s: Session) => Promise<void>,
    options: SaveOptions = {},
  ): Promise<AudienceSaveResult> {
    const a = await this.engine.withSession((s) => this.repo.get(s, org, id))
    if (a.type !== 'shared' && a.type !== 'file')
      throw new AppError(
        'AUDIENCE_TYPE_NOT_ALLOWED',
        `Only shared and file audiences are filled this way, not ${a.type}`,
        { details: { audience: id, type: a.type } },
      )
    return this.save(a, (s) => fill(s), options)
  }

  /** Changes the label, expiry or rule; a new rule is validated and evaluated into a new version. */
  async update(org: string, id: string, input: unknown, options: SaveOptions = {}): Promise<Audience> {
    const parsed = UpdateAudience.safeParse(input)
    if (!parsed.success)
      throw new AppError('VALIDATION_FAILED', 'The audience change is not valid', {
        details: {
          issues: parsed.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
        },
      })
    const change = parsed.data
    const a = await this.engine.withSession((s) => this.repo.get(s, org, id))
    if (change.rule !== undefined) {
      if (a.type !== 'query')
        throw new AppError('AUDIENCE_TYPE_NOT_ALLOWED', `A ${a.type} audience has no rule`, {
          details: { audience: id, type: a.type },
        })
      await this.assertUnused(org, id, 'change')
      compileRule(change.rule, await this.context(org, a.dimension!, id))
    }
    await this.engine.transaction(async (s) => {
      if (change.label !== undefined) await this.repo.assertLabelFree(s, org, change.label, id)
      await this.repo.update(s, id, {
        label: change.label,
        expiryDays: change.expiryDays,
        rule: change.rule,
        dependsOn: change.rule === undefined ? undefined : audiencesOf(change.rule),
      })
      if (change.expiryDays !== undefined && a.dimension)
        await createMemberView(
          s,
          org,
          id,
          (await this.catalog.definitions(org))[a.dimension]!,
          expiryOf(a.createdAt, change.expiryDays),
        )
    })
    if (change.rule !== undefined) return (await this.refresh(org, id, options)).audience
    return this.get(org, id)
  }

  /** Deletes an audience with its history; AUDIENCE_IN_USE (with the users) while anything uses it. */
  async delete(org: string, id: string): Promise<void> {
    await this.engine.withSession((s) => this.repo.get(s, org, id))
    await this.assertUnused(org, id, 'delete')
    await this.lock(id, () =>
      this.engine.transaction(async (s) => {
        await dropMemberView(s, org, id)
        await this.ensure(s, org)
        await this.repo.delete(s, id)
        // The member ranges go in the background (MemberPurge): invisible from this commit on.
        await s.run('INSERT INTO meta.audience_purges VALUES ($1, $2, current_timestamp)', [id, org])
      }),
    )
    void this.purge.kick()
  }

  /** Everything that uses the audience: other audiences' rules, and what registered providers report. */
  async users(org: string, id: string): Promise<AudienceUser[]> {
    const all = await Promise.all(this.providers.map((p) => p(org, id)))
    return all.flat()
  }

  /** Members of a version (the current one by default), in key order, paged, optionally searched by identity value prefix. */
  async members(
    org: string,
    id: string,
    options: { version?: number; search?: string; limit?: number; cursor?: string } = {},
  ): Promise<AudienceMemberPage> {
    return this.engine.withSession(async (s) => {
      const a = await this.repo.get(s, org, id)
      const version = await this.checkVersion(s, a, options.version)
      const limit = clampLimit(options.limit, 100)
      if (a.expired || version === 0) return { version, members: [], next: null }
      await this.ensure(s, org)
      const after = String(decodeCursor(options.cursor)?.[0] ?? '')
      const dimension = a.dimension ? (await this.catalog.definitions(org))[a.dimension] : undefined
      const identity =
        dimension && a.identityField ? `CAST(d.${ident(a.identityField)} AS VARCHAR)` : 'm.member'
      const from = dimension
        ? `${membersTable(org)} m LEFT JOIN ${orgSchema(org)}.${ident(a.dimension!)} d ON ${memberJoinSql(dimension)}`
        : `${membersTable(org)} m`
      const params: SqlValue[] = [id, version, after]
      let search = ''
      if (options.search) {
        params.push(`${options.search.trim().toLowerCase()}%`)
        search = ` AND lower(${identity}) LIKE $4`
      }
      const rows = await s.query<{
        member: string
        identity: string | null
        entered: number
        attrs: string | null
      }>(
        `SELECT m.member, ${identity} AS identity, m.entered, m.attrs FROM ${from}
         WHERE m.audience = $1 AND ${atVersionSql('m', '$2')} AND m.member > $3${search}
         ORDER BY m.member LIMIT ${limit + 1}`,
        params,
      )
      const page = rows.slice(0, limit)
      return {
        version,
        members: page.map((r) => ({
          member: r.member,
          identity: r.identity,
          enteredVersion: Number(r.entered),
          attributes: r.attrs ? (JSON.parse(r.attrs) as Record<string, unknown>) : {},
        })),
        next: rows.length > limit && page.length > 0 ? encodeCursor([page.at(-1)!.member]) : null,
      }
    })
  }

  /** The change log (entered / exited members) after version `since` up to `until` (the current by default), paged. */
  async changes(
    org: string,
    id: string,
    options: { since: number; until?: number; limit?: number; cursor?: string },
  ): Promise<AudienceChangePage> {
    return this.engine.withSession(async (s) => {
      const a = await this.repo.get(s, org, id)
      const since = options.since === 0 ? 0 : await this.checkVersion(s, a, options.since)
      const until = await this.checkVersion(s, a, options.until)
      await this.ensure(s, org)
      const page = await readChanges(s, org, id, since, until, {
        limit: clampLimit(options.limit, 1000),
        after: decodeCursor(options.cursor),
      })
      return { since, until, ...page }
    })
  }

  /** Net enter / exit counts between two versions (any two, not only consecutive ones). */
  async delta(
    org: string,
    id: string,
    from: number,
    to: number,
  ): Promise<{ entered: number; exited: number }> {
    return this.engine.withSession(async (s) => {
      const a = await this.repo.get(s, org, id)
      await this.checkVersion(s, a, from)
      await this.checkVersion(s, a, to)
      await this.ensure(s, org)
      return countDelta(s, org, id, from, to)
    })
  }

  /** The audiences a member (a profile id for the default dimension) currently belongs to. */
  async profileAudiences(
    org: string,
    member: string,
    options: { dimension?: string } = {},
  ): Promise<ProfileAudiences> {
    assertIdentifier(org, 'organisation id')
    return this.engine.withSession(async (s) => {
      await this.ensure(s, org)
      const rows = await s.query<{
        id: string
        label: string
        entered: number
        created_at: Date
        expiry_days: number | null
      }>(
        `SELECT a.id, a.label, m.entered, a.created_at, a.expiry_days FROM ${membersTable(org)} m
         JOIN meta.audiences a ON a.id = m.audience
         WHERE m.member = $1 AND m.exited IS NULL AND a.org = $2 AND a.dimension = $3 ORDER BY a.label`,
        [member, org, options.dimension ?? 'profiles'],
      )
      const now = Date.now()
      return {
        member,
        audiences: rows
          .filter(
            (r) =>
              r.expiry_days === null || new Date(r.created_at).getTime() + r.expiry_days * 86_400_000 > now,
          )
          .map((r) => ({ id: r.id, label: r.label, enteredVersion: Number(r.entered) })),
      }
    })
  }

  /** Counts of every Venn region of two or three audiences' current members. */
  async overlap(org: string, ids: string[]): Promise<AudienceOverlap> {
    if (ids.length < 2 || ids.length > 3 || new Set(ids).size !== ids.length)
      throw new AppError('VALIDATION_FAILED', 'Overlap takes two or three different audiences', {
        details: { audiences: ids },
      })
    return this.engine.withSession(async (s) => {
      const audiences = await Promise.all(ids.map((id) => this.repo.get(s, org, id)))
      const live = audiences.filter((a) => !a.expired).map((a) => a.id)
      await this.ensure(s, org)
      const flags = ids.map((id, i) => `bool_or(audience = ${literal(assertAudienceId(id))}) AS in${i}`)
      const counts = new Map<string, number>()
      if (live.length > 0) {
        const rows = await s.query<Record<string, unknown>>(
          `SELECT ${ids.map((_, i) => `in${i}`).join(', ')}, count(*) AS n FROM (
             SELECT member, ${flags.join(', ')} FROM ${membersTable(org)}
             WHERE exited IS NULL AND audience IN (${live.map((id) => literal(id)).join(', ')}) GROUP BY member)
           GROUP BY ALL`,
        )
        for (const r of rows) counts.set(ids.map((_, i) => (r[`in${i}`] ? '1' : '0')).join(''), Number(r.n))
      }
      const regions: AudienceOverlap['regions'] = []
      for (let mask = 1; mask < 1 << ids.length; mask++) {
        const key = ids.map((_, i) => ((mask >> i) & 1 ? '1' : '0')).join('')
        regions.push({ in: ids.filter((_, i) => (mask >> i) & 1), count: counts.get(key) ?? 0 })
      }
      return { audiences: ids, regions }
    })
  }

  /** Writes a version of the audience to a CSV, NDJSON or Parquet file, plain or hashed; returns the rows written. */
  async export(org: string, id: string, path: string, request: ExportRequest): Promise<number> {
    return this.engine.withSession(async (s) => {
      const a = await this.repo.get(s, org, id)
      const version = await this.checkVersion(s, a, request.version)
      await this.ensure(s, org)
      const dimension = a.dimension ? (await this.catalog.definitions(org))[a.dimension] : undefined
      return exportAudience(s, a, dimension, path, { ...request, version })
    })
  }

  private async createAndSave(
    a: NewAudience,
    fill: (s: Session, a: StoredAudience) => Promise<void>,
    options: SaveOptions,
  ): Promise<AudienceSaveResult> {
    const tables = a.dimension ? await this.catalog.definitions(a.org) : {}
    await this.engine.withSession((s) => this.ensure(s, a.org))
    const stored = await this.engine.transaction(async (s) => {
      await this.repo.assertLabelFree(s, a.org, a.label)
      const now = new Date()
      await this.repo.insert(s, a, now)
      if (a.dimension)
        await createMemberView(
          s,
          a.org,
          a.id,
          tables[a.dimension]!,
          expiryOf(now.toISOString(), a.expiryDays),
        )
      return this.repo.get(s, a.org, a.id)
    })
    try {
      return await this.save(stored, fill, options)
    } catch (e) {
      // The first version could not be written: the audience was never usable, so it goes.
      await this.engine.transaction(async (s) => {
        await dropMemberView(s, a.org, a.id)
        await this.repo.delete(s, a.id)
      })
      throw e
    }
  }

  private async save(
    a: StoredAudience,
    fill: (s: Session, a: StoredAudience) => Promise<void>,
    options: SaveOptions,
  ): Promise<AudienceSaveResult> {
    if (a.expired)
      throw new AppError('AUDIENCE_EXPIRED', `Audience "${a.label}" expired on ${a.expiresAt}`, {
        details: { audience: a.id, expiresAt: a.expiresAt },
      })
    return this.lock(a.id, () =>
      this.engine.withSession(async (s) => {
        const started = performance.now()
        options.onPhase?.('evaluating')
        await createNextTable(s)
        await fill(s, a)
        const version = await this.engine.transaction(async (t) => {
          const [row] = await t.query<{ version: number }>(
            'SELECT version FROM meta.audiences WHERE id = $1',
            [a.id],
          )
          const next = (row?.version ?? 0) + 1
          options.onPhase?.('writing')
          const counts = await writeVersion(t, a.org, a.id, next)
          options.onPhase?.('switching')
          const v = versionRecord(next, counts, started)
          await this.repo.switchVersion(t, a.id, v)
          return v
        }, s)
        await s.run(`DROP TABLE IF EXISTS ${NEXT_TABLE}`)
        return { audience: publicView(await this.repo.get(s, a.org, a.id)), version }
      }),
    )
  }

  /** Fills the next-members table with the rule's current result. */
  private async evaluate(s: Session, a: StoredAudience, asOf?: Date): Promise<void> {
    const tables = await this.catalog.definitions(a.org)
    const ctx = await this.context(a.org, a.dimension!, a.id, asOf)
    const q = compileRule(a.rule, ctx)
    await evaluating(() =>
      s.run(
        `INSERT INTO ${NEXT_TABLE} (member) SELECT DISTINCT ${memberKeySql(tables[a.dimension!]!, 'r')} FROM (${q.sql}) AS r`,
        q.params.map((p) => p.value),
      ),
    )
  }

  private async context(
    org: string,
    dimension: string,
    self: string,
    asOf = new Date(),
  ): Promise<CompileContext> {
    return {
      dialect: 'duckdb',
      tables: await this.catalog.definitions(org),
      dimension,
      asOf,
      namespace: `org_${assertIdentifier(org, 'organisation id')}`,
      audiences: await this.audienceResolver(org),
      selfAudience: self,
    }
  }

  /** Creates the org's members table once per process (DDL on every read would cost more than the read). */
  private async ensure(s: Session, org: string): Promise<void> {
    if (this.ready.has(org)) return
    // One creation per org at a time: concurrent first requests each running the DDL on their own
    // session failed with a catalog write-write conflict (a 500 on the first reads of an org).
    let creating = this.creating.get(org)
    if (!creating) {
      creating = ensureMembersTable(s, org)
        .then(() => {
          this.ready.add(org)
        })
        .finally(() => this.creating.delete(org))
      this.creating.set(org, creating)
    }
    await creating
  }

  private async lock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    if (this.busy.has(id))
      throw new AppError(
        'AUDIENCE_BUSY',
        'The audience is being saved by another request; retry when it is done',
        {
          details: { audience: id },
        },
      )
    this.busy.add(id)
    try {
      return await fn()
    } finally {
      this.busy.delete(id)
    }
  }

  private async checkVersion(s: Session, a: StoredAudience, version: number | undefined): Promise<number> {
    if (version === undefined || version === a.version) return a.version
    const rows = await s.query('SELECT 1 FROM meta.audience_versions WHERE audience = $1 AND version = $2', [
      a.id,
      version,
    ])
    if (rows.length === 0)
      throw new AppError('AUDIENCE_VERSION_NOT_FOUND', `Audience "${a.label}" has no version ${version}`, {
        details: { audience: a.id, version, current: a.version },
      })
    return version
  }

  private async assertUnused(org: string, id: string, action: 'delete' | 'change'): Promise<void> {
    // A new rule is refused while other audiences' rules build on this one; campaigns reading it
    // and shared audiences fed by it simply follow its next version.
    const users = (await this.users(org, id)).filter((u) => action === 'delete' || u.kind === 'audience')
    if (users.length > 0)
      throw new AppError(
        'AUDIENCE_IN_USE',
        `Cannot ${action} the audience: ${users.map((u) => `${u.kind} "${u.label}"`).join(', ')} use it`,
        { details: { audience: id, users } },
      )
  }

  private async ruleUsers(org: string, id: string): Promise<AudienceUser[]> {
    const all = await this.engine.withSession((s) => this.repo.list(s, org))
    return all
      .filter((a) => a.dependsOn.includes(id))
      .map((a) => ({ kind: 'audience', id: a.id, label: a.label }))
  }
}

/** Fills the next-members table from a list of keys (with attribute values checked against the declared ones). */
async function fillList(s: Session, members: ListMember[], attributes: AudienceAttribute[]): Promise<void> {
  const names = new Set(attributes.map((a) => a.name))
  const keys: string[] = []
  const attrs: (string | null)[] = []
  const seen = new Set<string>()
  for (const m of members) {
    const key = typeof m === 'string' ? m : m.key
    if (seen.has(key)) continue
    seen.add(key)
    keys.push(key)
    if (typeof m === 'string' || names.size === 0) {
      attrs.push(null)
      continue
    }
    const kept: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(m.attributes)) if (names.has(k)) kept[k] = v
    attrs.push(JSON.stringify(kept))
  }
  if (keys.length > 0) await s.appendTextColumns(NEXT_TABLE, [keys, attrs], { temp: true })
}

/** Fills the next-members table from a query of (member, attrs), one row per member. */
async function fillSelect(s: Session, select: MemberSelect): Promise<void> {
  await s.run(
    `INSERT INTO ${NEXT_TABLE} (member, attrs) SELECT member, any_value(attrs) FROM (${select.sql}) WHERE member IS NOT NULL GROUP BY member`,
    select.params ?? [],
  )
}

function publicView(a: StoredAudience): Audience {
  const { dependsOn: _, ...rest } = a
  return rest
}

function clampLimit(limit: number | undefined, fallback: number): number {
  return Math.min(Math.max(Math.trunc(limit ?? fallback), 1), MAX_PAGE)
}

/** The fields of the dimension itself that a rule's top-level conditions name (paths through links are left out). */
function fieldsOf(rule: unknown): string[] {
  const found = new Set<string>()
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk)
    else if (n !== null && typeof n === 'object') {
      const o = n as Record<string, unknown>
      if (o.kind === 'link') return
      if (o.kind === 'condition' && typeof o.field === 'string' && !o.field.includes('.')) found.add(o.field)
      for (const v of Object.values(o)) walk(v)
    }
  }
  walk(rule)
  return [...found]
}

/** The audiences a rule names in "in audience" conditions. */
export function audiencesOf(rule: unknown): string[] {
  const found = new Set<string>()
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk)
    else if (n !== null && typeof n === 'object') {
      const o = n as Record<string, unknown>
      if (o.kind === 'audience' && typeof o.audience === 'string') found.add(o.audience)
      for (const v of Object.values(o)) walk(v)
    }
  }
  walk(rule)
  return [...found]
}

function pickIdentity(
  table: TableDef,
  wanted: string | undefined,
): { identityField: string | null; identityNamespace: string | null } {
  if (wanted !== undefined) {
    const f = table.fields[wanted]
    if (!f)
      throw new AppError('RULE_UNKNOWN_FIELD', `No field "${wanted}" in the dimension`, {
        details: { field: wanted },
      })
    return { identityField: wanted, identityNamespace: f.identity?.namespace ?? null }
  }
  const fields = Object.entries(table.fields)
  const primary = fields.find(([, f]) => f.identity?.primary) ?? fields.find(([, f]) => f.identity)
  return primary
    ? { identityField: primary[0], identityNamespace: primary[1].identity!.namespace }
    : { identityField: null, identityNamespace: null }
}
