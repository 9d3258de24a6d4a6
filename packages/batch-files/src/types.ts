/**
 * Batch files exchanged with other systems (docs/batch-files.md): the audience-manager inbound and outbound
 * formats and plain CSV. A file is a list of users, each with segments added and removed.
 */

export const BATCH_FORMATS = ['inbound', 'outbound', 'csv'] as const
export type BatchFormat = (typeof BATCH_FORMATS)[number]

/** Limits of the inbound format (docs/batch-files.md cites the published rules). */
export const INBOUND_MAX_LINES_PER_USER = 200
export const INBOUND_MAX_LINE_BYTES = 102_400

/** A key-value signal of an inbound line (`ic=52`, a bare trait ID, `"product" = "tablet"`). */
export interface Signal {
  key: string
  value: string
}

/** One accepted line of a batch file. */
export interface BatchRecord {
  /** 1-based line number in the (uncompressed) file. */
  line: number
  id: string
  /** Segment / trait IDs the user qualifies for (`d_sid=`, outbound segments, CSV `segments`). */
  added: string[]
  /** Segment / trait IDs the user is removed from (`d_unsid=`, `N:0`, `N:-1`, outbound removed). */
  removed: string[]
  /** Inbound only: key-value signals, including `ic` trait rules. */
  signals: Signal[]
}

/** What a writer takes: an ID and its segments. */
export interface WriteRecord {
  id: string
  added?: readonly string[]
  removed?: readonly string[]
}

/** Why a line was rejected; stable, listed in docs/batch-files.md. */
export const REJECT_CODES = {
  RAGGED_LINE: 'The line does not have the number of fields the format needs.',
  EMPTY_USER_ID: 'The user ID is empty.',
  BAD_USER_ID: 'The user ID holds a character the format forbids (whitespace, colon, %3A, quote).',
  BAD_TRAIT: 'A trait or segment does not follow the syntax (e.g. d_sid= with a non-numeric ID).',
  NO_TRAITS: 'The line names a user but no trait or segment.',
  LINE_TOO_LONG: 'The line is longer than the limit (102 400 bytes for the inbound format).',
  TOO_MANY_LINES_FOR_USER: 'The user already had the maximum number of lines (200) in this file.',
  INVALID_ENCODING: 'The line is not valid UTF-8.',
  UNBALANCED_QUOTE: 'A quoted CSV value or key-value pair never ends.',
} as const
export type RejectCode = keyof typeof REJECT_CODES

/** One rejected line, with enough to find and fix it. */
export interface RejectedLine {
  line: number
  code: RejectCode
  reason: string
  /** The raw line, cut to 200 characters. */
  raw: string
}

/** The parsed name of a batch file; `null` fields are not part of that format's name. */
export type BatchFileName =
  | {
      format: 'inbound'
      dpid: string
      targetDataOwner: string | null
      /** 10-digit UNIX timestamp in seconds (UTC). */
      timestamp: number
      mode: 'sync' | 'overwrite'
      split: number | null
      gzip: boolean
    }
  | {
      format: 'outbound'
      /** Everything before `_iter_` / `_full_` (sync type, destination, data source, alias). */
      prefix: string
      syncMode: 'iter' | 'full'
      /** 13-digit UNIX timestamp in milliseconds (UTC). */
      timestampMs: number
      split: number | null
      gzip: boolean
    }
  | { format: 'csv'; base: string; gzip: boolean }

/**
 * The running report of a reader. It is updated while the records are iterated, so a caller can
 * show progress; `done` turns true when the last line was read.
 */
export interface ReadReport {
  file: string
  format: BatchFormat
  name: BatchFileName | null
  compressed: boolean
  /** Uncompressed bytes read so far. */
  bytes: number
  /** Lines read, blank ones included. */
  lines: number
  blankLines: number
  /** Accepted lines. */
  records: number
  /** Distinct user IDs in accepted lines (an estimate when `usersExact` is false). */
  users: number
  usersExact: boolean
  traits: {
    added: number
    removed: number
    signals: number
    /** `d_unsid` in an overwrite file: ignored by the format. */
    ignored: number
    /** Empty items between two commas: skipped. */
    empty: number
  }
  rejected: number
  /** Rejected lines whose field count is wrong (a subset of `rejected`). */
  ragged: number
  rejectsByCode: Partial<Record<RejectCode, number>>
  /** The first rejected lines (at most `maxRejectSamples`). */
  rejects: RejectedLine[]
  done: boolean
}

/** One file a writer produced. */
export interface WrittenFile {
  name: string
  path: string
  lines: number
  /** Uncompressed bytes. */
  bytes: number
}

export interface WriteResult {
  format: BatchFormat
  files: WrittenFile[]
  /** Records taken from the input. */
  records: number
  lines: number
  /** Records refused (bad ID, bad segment, over the per-user line limit). */
  rejected: number
  rejects: { record: number; id: string; code: RejectCode; reason: string }[]
  /** Removals dropped because the target cannot express them (overwrite files, CSV without `removed`). */
  ignoredRemovals: number
}
