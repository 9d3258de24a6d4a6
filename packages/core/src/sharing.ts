import { z } from 'zod'
import { LastError } from './last-error'

/**
 * The shared audience hub (docs/sharing.md): the types both sides use. The hub holds data sources and
 * shared audiences (versioned sets of protected IDs); an Audience Hub installation exports
 * audiences to it and imports them from it. Only sets of IDs travel, never rules or attributes.
 */

/** How IDs of a data source are protected on the hub. */
export const Protection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('sha256') }),
  /** HMAC-SHA-256 with a secret key (write-only; 1 to 1024 bytes, given as hex or Base64). */
  z.object({ kind: z.literal('hmac-sha256'), key: z.string().min(1).max(2048) }),
  /**
   * AES-CBC with PKCS#7 padding; `bits` 128, 192 or 256; key and IV given as hex or Base64
   * (write-only); the key must have bits/8 bytes and the IV 16 bytes.
   */
  z.object({
    kind: z.literal('aes-cbc'),
    bits: z.union([z.literal(128), z.literal(192), z.literal(256)]),
    key: z.string().min(1).max(512),
    iv: z.string().min(1).max(512),
  }),
])
export type Protection = z.infer<typeof Protection>

/** A protection as the API shows it: the kind and size, never a key or IV. */
export const ProtectionView = z.object({
  kind: z.enum(['none', 'sha256', 'hmac-sha256', 'aes-cbc']),
  bits: z.number().int().optional(),
  /** True when a key (and IV) is stored. */
  hasKey: z.boolean(),
})
export type ProtectionView = z.infer<typeof ProtectionView>

const Alias = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/)

/** A data source as created through the API (docs/hub.md). */
export const DataSourceInput = z
  .object({
    label: z.string().min(1).max(200),
    alias: Alias,
    /** `visitor`: device / cookie IDs reconciled through identity links; `declared`: CRM, e-mail, phone. */
    idType: z.enum(['visitor', 'declared']),
    /** The identity namespace the IDs belong to (email, phone, ecid, crm, email_sha256, ...). */
    namespace: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
    channel: z.enum(['email', 'sms', 'other']).default('other'),
    protection: Protection.default({ kind: 'none' }),
    /** Higher wins when several data sources could serve an import. */
    priority: z.number().int().min(0).max(1000).default(0),
  })
  .strict()
export type DataSourceInput = z.input<typeof DataSourceInput>

/** A data source as the hub returns it: id immutable, secrets never included. */
export const DataSource = z.object({
  id: z.string(),
  owner: z.string(),
  label: z.string(),
  alias: z.string(),
  idType: z.enum(['visitor', 'declared']),
  namespace: z.string(),
  channel: z.enum(['email', 'sms', 'other']),
  protection: ProtectionView,
  priority: z.number().int(),
  createdAt: z.string(),
})
export type DataSource = z.infer<typeof DataSource>

/** A shared audience on the hub: a versioned set of protected IDs under one data source. */
export const SharedAudience = z.object({
  id: z.string(),
  /** The org that owns it (the exporter). */
  owner: z.string(),
  name: z.string(),
  dataSource: z.string(),
  /** Orgs allowed to import it (the owner always can). */
  sharedWith: z.array(z.string()),
  version: z.number().int(),
  size: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type SharedAudience = z.infer<typeof SharedAudience>

/** One version of a shared audience with its add / remove delta. */
export const SharedVersion = z.object({
  version: z.number().int(),
  size: z.number().int(),
  added: z.number().int(),
  removed: z.number().int(),
  createdAt: z.string(),
})
export type SharedVersion = z.infer<typeof SharedVersion>

/** How an export changes a shared audience: `add` only adds new IDs; `mirror` also removes. */
export const SyncMode = z.enum(['add', 'mirror'])
export type SyncMode = z.infer<typeof SyncMode>

/** The push a subscriber receives when a shared audience has a new version. */
export const SharedAudienceEvent = z.object({
  sharedAudience: z.string(),
  owner: z.string(),
  version: z.number().int(),
  added: z.number().int(),
  removed: z.number().int(),
  /** When the version was published on the hub (ISO), for publish-to-import latency. */
  publishedAt: z.string(),
  /** Set when the owner deleted the shared audience (`version` is then its last version). */
  deleted: z.boolean().optional(),
})
export type SharedAudienceEvent = z.infer<typeof SharedAudienceEvent>

/** State of a sync job (an export to or an import from the hub). */
export const SyncJobState = z.enum(['queued', 'running', 'succeeded', 'failed'])
export type SyncJobState = z.infer<typeof SyncJobState>

/** Counts of one sync job; an export fills `exported` and `unmapped`, an import the match counts. */
export const SyncCounts = z.object({
  received: z.number().int(),
  exported: z.number().int(),
  /** Members with no identity in the data source's namespace (export). */
  unmapped: z.number().int(),
  matched: z.number().int(),
  unmatched: z.number().int(),
  invalid: z.number().int(),
  /** IDs linked to several profiles. */
  ambiguous: z.number().int(),
  /** Members left out of an export because the configured consent field is not true. */
  withoutConsent: z.number().int().optional(),
  /** Distinct local audience members the import wrote (several IDs can match one profile). */
  members: z.number().int().optional(),
})
export type SyncCounts = z.infer<typeof SyncCounts>

/** Why an incoming ID did not become a member (one line of a match report). */
export const MatchOutcome = z.enum(['matched', 'unmatched', 'invalid', 'ambiguous'])
export type MatchOutcome = z.infer<typeof MatchOutcome>

/** A sync job as the API shows it. */
export const SyncJob = z.object({
  id: z.string(),
  org: z.string(),
  direction: z.enum(['export', 'import']),
  state: SyncJobState,
  audience: z.string().nullable(),
  sharedAudience: z.string().nullable(),
  /** Version of the shared audience the job wrote (export) or read (import). */
  sharedVersion: z.number().int().nullable(),
  counts: SyncCounts,
  attempts: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  /** From the hub's publish of the version to the end of this import, in ms. */
  latencyMs: z.number().nullable(),
})
export type SyncJob = z.infer<typeof SyncJob>

// Installation side of sharing (@ahub/sharing): export and import requests, imported audiences.

/** An export of an audience to the hub (docs/sharing.md). */
export const ShareExportRequest = z
  .object({
    /** The local audience to export (its current version). */
    audience: z.string().min(1).max(80),
    /** The data source whose namespace and protection the exported IDs follow. */
    dataSource: z.string().min(1).max(80),
    /** An existing shared audience of this org, or a new one by name with the orgs it is shared with. */
    target: z.union([
      z.object({ sharedAudience: z.string().min(1).max(80) }).strict(),
      z
        .object({
          newName: z.string().trim().min(1).max(200),
          sharedWith: z.array(z.string().min(1).max(63)).max(100).default([]),
        })
        .strict(),
    ]),
    /** `add` (default) only adds new IDs; `mirror` also removes IDs no longer in the audience. */
    mode: SyncMode.default('add'),
    /** A boolean field of the audience's dimension: members where it is not true are left out. */
    consentField: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/)
      .optional(),
  })
  .strict()
export type ShareExportRequest = z.input<typeof ShareExportRequest>

/** An import of a shared audience into a local audience (docs/sharing.md). */
export const ShareImportRequest = z
  .object({
    sharedAudience: z.string().min(1).max(80),
    /** Label of the local audience created by the first import. */
    label: z.string().trim().min(1).max(200),
    /** Reconcile encrypted e-mails / phones with profiles instead of keeping every contact in a file audience. */
    forceReconciliation: z.boolean().default(false),
    /** Dimension the IDs are reconciled with (default `profiles`). */
    dimension: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/)
      .optional(),
  })
  .strict()
export type ShareImportRequest = z.input<typeof ShareImportRequest>

/** A local audience fed by a shared audience, and how far it has followed it. */
export const ImportedAudience = z.object({
  audience: z.string(),
  org: z.string(),
  sharedAudience: z.string(),
  dataSource: z.string(),
  /** `shared`: reconciled with profiles; `file`: decrypted contacts kept as e-mails / phones. */
  kind: z.enum(['shared', 'file']),
  dimension: z.string().nullable(),
  forceReconciliation: z.boolean(),
  /** The shared audience's version the local audience reflects. */
  lastVersion: z.number().int(),
  /** The latest failure of following the hub (a push-started sync), until a sync succeeds. */
  lastError: LastError.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type ImportedAudience = z.infer<typeof ImportedAudience>
