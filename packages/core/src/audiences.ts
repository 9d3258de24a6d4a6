import { z } from 'zod'

/** `query`: a rule re-evaluated on demand; `list`: a saved snapshot of keys; `file`: raw e-mails or phones; `shared`: imported from the hub. */
export const AudienceType = z.enum(['query', 'list', 'file', 'shared'])
export type AudienceType = z.infer<typeof AudienceType>

const Name = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/)

/** Type of an audience attribute (an extra column kept with each member). */
export const AttributeType = z.enum(['string', 'integer', 'number', 'boolean', 'date', 'timestamp'])
export type AttributeType = z.infer<typeof AttributeType>

/** One audience attribute: a typed column kept with each member. */
export const AudienceAttribute = z.object({ name: Name, type: AttributeType })
export type AudienceAttribute = z.infer<typeof AudienceAttribute>

/** What produced an audience's members. */
export const AudienceOrigin = z.object({
  kind: z.enum(['rule', 'campaign_run', 'upload', 'sync_job', 'shared', 'manual']),
  /** The campaign run, sync job or upload file name, when there is one. */
  ref: z.string().max(500).optional(),
})
export type AudienceOrigin = z.infer<typeof AudienceOrigin>

/** A saved audience as the catalog shows it. */
export const Audience = z.object({
  id: z.string(),
  org: z.string(),
  label: z.string(),
  type: AudienceType,
  /** Table the members are rows of; null for `file` audiences (raw identifiers). */
  dimension: z.string().nullable(),
  /** Field of the dimension carrying the primary identity (null for `file` audiences). */
  identityField: z.string().nullable(),
  identityNamespace: z.string().nullable(),
  attributes: z.array(AudienceAttribute),
  rule: z.unknown().describe('The rule (docs/rules.md); null for an audience without one'),
  origin: AudienceOrigin,
  owner: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  expiryDays: z.number().int().nullable(),
  expiresAt: z.string().nullable(),
  expired: z.boolean(),
  /** Number of the current version; 0 before the first evaluation. */
  version: z.number().int(),
  size: z.number().int(),
})
export type Audience = z.infer<typeof Audience>

/** One immutable version of an audience with its delta to the previous one. */
export const AudienceVersion = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  size: z.number().int(),
  entered: z.number().int(),
  exited: z.number().int(),
  durationMs: z.number(),
})
export type AudienceVersion = z.infer<typeof AudienceVersion>

/** One line of the change log: a member entered or exited at a version. */
export const AudienceChange = z.object({
  version: z.number().int(),
  change: z.enum(['entered', 'exited']),
  member: z.string(),
})
export type AudienceChange = z.infer<typeof AudienceChange>

/** A page of the change log; `next` is the cursor of the following page. */
export const AudienceChangePage = z.object({
  since: z.number().int(),
  until: z.number().int(),
  changes: z.array(AudienceChange),
  next: z.string().nullable(),
})
export type AudienceChangePage = z.infer<typeof AudienceChangePage>

/** One member with its identity value and attributes. */
export const AudienceMember = z.object({
  member: z.string(),
  identity: z.string().nullable(),
  enteredVersion: z.number().int(),
  attributes: z.record(z.string(), z.unknown()),
})
export type AudienceMember = z.infer<typeof AudienceMember>

export const AudienceMemberPage = z.object({
  version: z.number().int(),
  members: z.array(AudienceMember),
  next: z.string().nullable(),
})
export type AudienceMemberPage = z.infer<typeof AudienceMemberPage>

const Common = {
  label: z.string().trim().min(1).max(200),
  expiryDays: z.number().int().min(1).max(36_500).optional(),
  origin: AudienceOrigin.optional(),
}

/** Input of a `query` audience: a rule over a dimension, evaluated at once. */
export const CreateQueryAudience = z
  .object({
    type: z.literal('query'),
    ...Common,
    rule: z.unknown(),
    dimension: Name.optional(),
    identityField: Name.optional(),
  })
  .strict()

/** Input of a `list` audience: the keys of rows of a dimension, with optional attribute values. */
export const CreateListAudience = z
  .object({
    type: z.literal('list'),
    ...Common,
    dimension: Name.optional(),
    identityField: Name.optional(),
    attributes: z.array(AudienceAttribute).max(50).optional(),
    members: z
      .array(
        z.union([
          z.string().max(1024),
          z.object({ key: z.string().max(1024), attributes: z.record(z.string(), z.unknown()) }),
        ]),
      )
      .max(1_000_000),
  })
  .strict()

/** Input of a `file` audience: raw lines of e-mails or phones. */
export const CreateFileAudience = z
  .object({
    type: z.literal('file'),
    ...Common,
    namespace: z.enum(['email', 'phone']),
    /** Country used for phones written without an international prefix. */
    defaultCountry: z.string().length(2).optional(),
    lines: z.array(z.string()).max(5_000_000),
  })
  .strict()

/** Input of a `shared` audience: refused by hand, the sharing feature creates them. */
export const CreateSharedAudience = z.object({ type: z.literal('shared'), ...Common }).passthrough()

export const CreateAudience = z.discriminatedUnion('type', [
  CreateQueryAudience,
  CreateListAudience,
  CreateFileAudience,
  CreateSharedAudience,
])
export type CreateAudience = z.infer<typeof CreateAudience>

/** Changes to an audience; a new rule makes a new version. */
export const UpdateAudience = z
  .object({
    label: z.string().trim().min(1).max(200).optional(),
    expiryDays: z.number().int().min(1).max(36_500).nullable().optional(),
    rule: z.unknown().optional(),
  })
  .strict()
export type UpdateAudience = z.infer<typeof UpdateAudience>

/** An invalid line of an uploaded list. */
export const RejectedLine = z.object({ line: z.number().int(), value: z.string(), reason: z.string() })
export type RejectedLine = z.infer<typeof RejectedLine>

/** What saving an audience did: the version written and, for uploads, the lines refused. */
export const AudienceSaveResult = z.object({
  audience: Audience,
  version: AudienceVersion,
  accepted: z.number().int().optional(),
  rejected: z.array(RejectedLine).optional(),
})
export type AudienceSaveResult = z.infer<typeof AudienceSaveResult>

/** One Venn region: the members in exactly the audiences of `in`. */
export const OverlapRegion = z.object({ in: z.array(z.string()), count: z.number().int() })
export const AudienceOverlap = z.object({ audiences: z.array(z.string()), regions: z.array(OverlapRegion) })
export type AudienceOverlap = z.infer<typeof AudienceOverlap>

export const ExportFormat = z.enum(['csv', 'ndjson', 'parquet'])
export type ExportFormat = z.infer<typeof ExportFormat>

/** How to export an audience: plain identity values, or hashed for a destination profile. */
export const ExportOptions = z.object({
  format: ExportFormat.default('csv'),
  /** Destination hashing profile (generic, google, meta); absent = plain values. */
  hashProfile: z.string().max(40).optional(),
  /** Include the audience attributes as extra columns. */
  attributes: z.boolean().optional(),
})
export type ExportOptions = z.input<typeof ExportOptions>

/** Something that uses an audience (another audience's rule, a campaign, a shared audience). */
export const AudienceUser = z.object({ kind: z.string(), id: z.string(), label: z.string() })
export type AudienceUser = z.infer<typeof AudienceUser>

/** The audiences one profile (or member key) currently belongs to. */
export const ProfileAudiences = z.object({
  member: z.string(),
  audiences: z.array(z.object({ id: z.string(), label: z.string(), enteredVersion: z.number().int() })),
})
export type ProfileAudiences = z.infer<typeof ProfileAudiences>

/** When a query audience is re-evaluated on its own, and how the last time went. */
export const AudienceSchedule = z.object({
  audience: z.string(),
  cron: z.string().describe('5 or 6 fields (seconds first when 6), e.g. "0 6 * * *"'),
  timeZone: z.string().describe('IANA time zone, e.g. Europe/Paris'),
  nextRun: z.string(),
  lastRun: z.string().nullable(),
  lastVersion: z.number().int().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
})
export type AudienceSchedule = z.infer<typeof AudienceSchedule>

/** A refresh schedule as set through the API. */
export const AudienceScheduleInput = z
  .object({ cron: z.string().min(1).max(200), timeZone: z.string().min(1).max(100).optional() })
  .strict()
export type AudienceScheduleInput = z.infer<typeof AudienceScheduleInput>
