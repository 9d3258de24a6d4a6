/**
 * Stable error codes. Every error a user can see carries one of these codes;
 * docs/errors.md explains each. The HTTP status mapping lives in the server only.
 */
export const ERROR_CODES = {
  // generic
  VALIDATION_FAILED: 'Input did not match the expected shape; details.issues lists every problem.',
  NOT_FOUND: 'The object does not exist in this organisation.',
  CONFLICT: 'The object already exists or was changed concurrently.',
  INTERNAL: 'An unexpected error; the request id identifies it in the server log.',
  UNAUTHENTICATED: 'No valid credentials were presented.',
  FORBIDDEN: 'The caller may not perform this action.',
  PAYLOAD_TOO_LARGE: 'The request body exceeds the size limit.',
  RATE_LIMITED: 'Too many requests; retry later.',
  // identifiers and organisations
  INVALID_IDENTIFIER: 'A name is not a valid identifier ([a-z][a-z0-9_]*, at most 63 characters).',
  ORG_NOT_FOUND: 'The organisation does not exist.',
  // schemas
  SCHEMA_INVALID: 'The schema definition has problems; details.issues lists every one with its path.',
  SCHEMA_PARSE_ERROR: 'The schema file is not valid JSON or YAML.',
  SCHEMA_FIELD_IN_USE:
    'A destructive change touches fields that saved objects use; details.users names them.',
  SCHEMA_DESTRUCTIVE_CHANGE: 'Removing or retyping fields needs an explicit migration (allowDestructive).',
  SCHEMA_NOT_FOUND: 'No schema (table) with that name in this organisation.',
  SCHEMA_INFER_FAILED: 'A schema could not be inferred from the file.',
  // ingestion
  INGEST_FILE_NOT_FOUND: 'The file to ingest does not exist or cannot be read.',
  INGEST_EMPTY_FILE: 'The file is empty.',
  INGEST_UNSUPPORTED_FORMAT: 'The file format is not CSV, NDJSON or Parquet (optionally gzip-compressed).',
  INGEST_HEADER_MISMATCH: 'The header names columns the schema does not have, or lacks required ones.',
  INGEST_MALFORMED_FILE: 'The file cannot be parsed at all with the given options.',
  INGEST_OPTIONS_INVALID: 'The ingestion options are not valid (delimiter, quote, encoding, ...).',
  INGEST_FAILED: 'The batch failed and was rolled back; the dataset is as it was before.',
  INGEST_SOURCE_CHANGED:
    'The file changed (truncated, appended to, rewritten or replaced) while it was being ingested; nothing was applied.',
  INGEST_SOURCE_MISSING: 'The file was deleted or moved while it was being ingested; nothing was applied.',
  INGEST_REJECTS_TOO_LARGE:
    'The reject file would exceed its size limit (the file or its options are probably wrong); nothing was applied.',
  INGEST_DECOMPRESSED_TOO_LARGE:
    'The gzip file decompresses to more than the limit (absolute, or per compressed byte); nothing was applied.',
  // identities
  IDENTITY_INVALID: 'A value is not valid for its identity namespace.',
  IDENTITY_UNKNOWN_NAMESPACE: 'The identity namespace is not known.',
  IDENTITY_UNKNOWN_PROFILE: 'The destination hashing profile is not known.',
  // rules and expressions
  RULE_INVALID: 'The rule has problems; details.issues lists every one with its JSON path and code.',
  RULE_MALFORMED: 'A rule node does not have the expected shape (unknown kind, missing or unknown keys).',
  RULE_UNKNOWN_DIMENSION: 'The table a rule selects from is missing or not named when the org has several.',
  RULE_UNKNOWN_FIELD: 'A field, link or table named in a rule or expression is not in the schema.',
  RULE_TYPE_MISMATCH: 'An operator or value does not fit the field type (e.g. contains on a number).',
  RULE_BAD_OPERATOR: 'An operator or aggregate is unknown or lacks its operands (values, from/to, op/value).',
  RULE_NOT_A_LINK: 'An aggregate names something that is not a 1-N link, or a field path crosses a 1-N link.',
  RULE_UNKNOWN_AUDIENCE: 'The rule uses an audience that does not exist.',
  RULE_CIRCULAR_AUDIENCE: 'The rule uses the audience being defined, directly or through other audiences.',
  RULE_BAD_DATE: 'A date or timestamp value does not parse (dates are YYYY-MM-DD, timestamps ISO 8601).',
  RULE_VALUE_TOO_LARGE:
    'A value, list or rule is larger than the limits (64 KiB strings, 10 000 items or nodes).',
  RULE_TOO_DEEP:
    'The rule or expression nests deeper than the limit (64 rule levels, 100 expression levels).',
  RULE_BAD_PATTERN:
    'A like pattern ends with the escape character \\ or escapes something other than %, _ or \\.',
  RULE_VALUE_OUT_OF_RANGE:
    'A number is outside what an operator or function accepts (dateAdd amount, substr position, integer overflow).',
  RULE_EVALUATION_FAILED:
    "The engine could not evaluate the rule on the data (e.g. an integer overflow); the message is the engine's.",
  RULE_UNKNOWN_FILTER: 'The rule uses a saved filter that does not exist.',
  RULE_CIRCULAR_FILTER: 'A saved filter uses itself, directly or through other filters.',
  RULE_FILTER_PARAM: 'A saved filter parameter is missing, unknown or of the wrong type.',
  EXPR_PARSE: 'The expression text does not parse; details give line and column.',
  EXPR_UNKNOWN_FUNCTION: 'The expression calls a function that does not exist.',
  EXPR_TYPE: 'The expression combines values of types that do not fit (details give line and column).',
  // access
  TOKEN_LIFETIME_TOO_LONG:
    'The token would live longer than allowed (AHUB_MAX_TOKEN_DAYS, 90 days by default).',
  TOKEN_OUTLIVES_PARENT: 'A token may not create a token that expires after it does.',
  TOKEN_EXPIRED: 'The API token has passed its expiry date; create a new one.',
  TOKEN_REVOKED: 'The API token was revoked.',
  TOKEN_NOT_FOUND: 'No API token with that id in this organisation.',
  USER_EXISTS: 'A user with that e-mail address already exists.',
  USER_NOT_FOUND: 'No user with that id or e-mail address.',
  USER_DISABLED: 'The user account is disabled.',
  PASSWORD_ALREADY_SET: 'The user already has a password; only they can change it.',
  SIGNIN_BUSY: 'Too many password checks are running at once (each holds 64 MiB); try again in a moment.',
  MEMBERSHIP_DISABLED:
    'Your membership of this organisation is disabled by one of its admins (your other organisations are not affected).',
  USER_NOT_MANAGED:
    'Only the person, or an admin of every organisation they belong to, can set their credentials.',
  INVITATION_NOT_FOUND: 'You have no pending invitation to that organisation.',
  INVITATION_PENDING:
    'The person has not accepted the invitation to this organisation yet; it can be changed or withdrawn, not disabled.',
  PASSWORD_MISMATCH: 'The current password given is not right.',
  LAST_ADMIN: 'The change would leave the organisation without an admin.',
  BODY_TOO_LARGE: 'The JSON request body exceeds 1 MB.',
  BAD_JSON: 'The request body is not valid JSON.',
  BAD_URL: 'The request path is not a valid URL (e.g. a broken percent-encoding).',
  BAD_REQUEST: 'The request is not valid HTTP (malformed, or its headers are too large: status 431).',
  REQUEST_TIMEOUT: 'The request was not received in time.',
  UNSUPPORTED_MEDIA_TYPE: 'The Content-Type of the request body is not one the route accepts.',
  // sign-in
  OIDC_NOT_INVITED:
    'The identity provider vouched for a person who has no user here; an admin must invite them.',
  OIDC_LOGIN_FAILED:
    'The sign-in could not be completed (expired, tampered with, or refused by the provider).',
  OIDC_PROVIDER_UNAVAILABLE: 'The OpenID provider could not be reached or answered unexpectedly.',
  OIDC_CONFIG_INVALID: 'The OpenID Connect settings (AHUB_OIDC_*) are incomplete or wrong.',
  // audiences
  AUDIENCE_SCHEDULE_INVALID:
    'The refresh schedule is not valid (cron expression or time zone); details.issues says which.',
  AUDIENCE_NOT_FOUND: 'No audience with that id in this organisation.',
  AUDIENCE_LABEL_TAKEN: 'Another audience of the organisation already has that label.',
  AUDIENCE_EXPIRED: 'The audience has passed its expiry: it keeps its history but cannot be refreshed.',
  AUDIENCE_BUSY: 'The audience is being refreshed or saved by another request; retry when it is done.',
  AUDIENCE_IN_USE:
    'Other objects (audiences, campaigns, shared audiences) use the audience; details.users names them.',
  AUDIENCE_TYPE_NOT_ALLOWED:
    'That operation is not possible for this audience type (e.g. creating a shared audience by hand).',
  AUDIENCE_VERSION_NOT_FOUND: 'The audience has no version with that number.',
  AUDIENCE_FILE_EMPTY:
    'The uploaded list holds no valid e-mail or phone; details.rejected lists every invalid line.',
  AUDIENCE_EXPORT_FORMAT: 'The export format is not csv, ndjson or parquet, or the field cannot be exported.',
  // campaigns
  CAMPAIGN_INVALID:
    'The campaign definition has problems; details.issues lists every one with its path and code (docs/campaigns.md).',
  CAMPAIGN_NOT_FOUND: 'No campaign with that id in this organisation.',
  CAMPAIGN_RUN_NOT_FOUND: 'No run with that id for this campaign.',
  CAMPAIGN_WORK_TABLE_DROPPED:
    'The run has ended and its work tables were dropped; keep them with settings.keepInterimResults to preview a transition after a run.',
  CAMPAIGN_TRANSITION_NOT_FOUND: 'The transition does not exist or carries no work table in this run.',
  CAMPAIGN_ALREADY_RUNNING: 'The campaign already has an active run; stop it or wait for it to finish.',
  CAMPAIGN_READ_ONLY: 'A published or archived campaign cannot be edited.',
  CAMPAIGN_BAD_STATE: 'The command is not possible in the current state of the campaign or run.',
  CAMPAIGN_SAVE_INCOMPATIBLE: 'Save audience cannot add members to an audience of another type or dimension.',
  CAMPAIGN_CHANNEL_UNAVAILABLE:
    'A live run reached a channel activity that names no provider or template, or a process with no delivery (test mode pauses before it).',
  CAMPAIGN_BAD_PARAMETERS:
    'The signal names a parameter the campaign does not declare, gives a value of the wrong type or misses a required one; details.issues lists each.',
  // campaigns: Save audience with "share" (docs/sharing.md)
  CAMPAIGN_SHARE_UNAVAILABLE:
    'A Save audience activity shares to the hub, but this process has no link to a hub (run it from the server).',
  CAMPAIGN_NOT_PERMITTED:
    'A live run reached an activity whose effect (share, send) the person or token behind the run may no longer perform: token revoked or expired, role lowered, membership removed or user disabled; details name the activity, the capability and the reason.',
  // channels: message delivery (docs/channels.md)
  CHANNEL_PROVIDER_INVALID:
    'The provider settings do not match the shape of their kind; details.issues lists every problem.',
  CHANNEL_PROVIDER_NOT_FOUND: 'No channel provider with that id in this organisation.',
  CHANNEL_PROVIDER_UNREACHABLE:
    'The provider refused the connection or the credentials (details.reason); nothing was sent.',
  CHANNEL_TEMPLATE_INVALID: 'A message template does not parse; details name the part, line and column.',
  CHANNEL_TEMPLATE_UNKNOWN_VARIABLE:
    'A message template uses a variable that is neither a personalisation column nor a declared default; details.variables lists them.',
  CHANNEL_ADDRESS_INVALID: 'A recipient or sender address is not valid for the channel.',
  CHANNEL_CONFIRMATION_REQUIRED:
    'A live run reached a channel activity with more recipients than the confirmation threshold; the run is paused until a person with the send permission confirms (details.recipients, details.threshold).',
  CHANNEL_ACTIVITY_NOT_FOUND: 'The campaign has no channel activity with that id.',
  CHANNEL_PROFILE_NOT_FOUND:
    'No row of the campaign dimension has that primary key (a composite key is given as a JSON array).',
  CHANNEL_SEND_FAILED:
    'The provider rejected a message; details.permanent says whether a retry can help, details.response gives its answer.',
  // the shared audience hub (docs/hub.md)
  HUB_NOT_FOUND:
    "No data source, shared audience or hub token with that id visible to this org (another org's objects look absent).",
  HUB_AUDIENCE_DELETED:
    'The shared audience was deleted by its owner; it can no longer be read or published.',
  HUB_NAME_TAKEN: 'The owner already has a shared audience with that name, or a data source with that alias.',
  HUB_NOT_OWNER: 'Only the owner of a shared audience may publish to it, change its sharing or delete it.',
  HUB_TOKEN_INVALID: 'The hub token is missing, malformed, unknown or revoked.',
  HUB_PUBLISH_EMPTY: 'The published file holds no IDs (an empty mirror would silently empty the audience).',
  HUB_ID_TOO_LONG: 'A line of the published file is longer than 4096 bytes; details give the line number.',
  HUB_ID_MALFORMED:
    'IDs of the published file do not have the shape their data source requires (64 lower-case hex for SHA-256 and HMAC, Base64 blocks for AES, the normalised form of the namespace when unprotected); nothing is published, details give how many and examples.',
  HUB_PUBLISH_INVALID: 'The published file cannot be read as one ID per line (bad gzip, not UTF-8 text).',
  HUB_VERSION_NOT_FOUND: 'The shared audience has no version with that number.',
  MASTER_KEY_INVALID:
    "AHUB_MASTER_KEY (or the data directory's master-key file) is not 32 bytes, or does not open the sealed signing keys.",
  HUB_MASTER_KEY_INVALID:
    'AHUB_HUB_MASTER_KEY (or the master-key file) is not 32 bytes in hex or Base64, or does not decrypt the stored keys.',
  HUB_UNAVAILABLE: 'The hub cannot be reached or answered unexpectedly; retry later.',
  DATASOURCE_KEY_INVALID:
    'A protection key or IV is not valid hex or Base64, or has the wrong size (AES key bits/8 bytes, IV 16 bytes, HMAC key 1 to 1024 bytes).',
  // sharing (installation side: export to and import from the hub)
  SHARE_GOVERNANCE_BLOCKED:
    'A field or dataset the export reads is labelled no-share; details.blocked names each one with its label.',
  SHARE_AUDIENCE_UNSUITABLE:
    'The audience cannot be exported: it has no dimension (a file audience), no current version, or it expired.',
  SHARE_CONSENT_FIELD: 'The consent field is not a boolean field of the audience dimension.',
  SHARE_DATA_SOURCE_MISMATCH:
    'The shared audience is published under another data source than the one given.',
  SHARE_NOT_OWNER: 'Only the org that owns a shared audience can publish to it.',
  SHARE_NOT_SHARED: 'The shared audience is not shared with this organisation.',
  SHARE_ALREADY_IMPORTED:
    'The shared audience is already imported into this org; details.audience names the audience.',
  SHARE_IMPORT_NOT_FOUND: 'The audience is not fed by a shared audience.',
  SHARE_SOURCE_DELETED: 'The shared audience was deleted on the hub (before or while the job ran).',
  SHARE_HUB_UNAVAILABLE: 'The hub did not answer after every retry; the job failed and can be run again.',
  SHARE_JOB_NOT_FOUND: 'No sync job with that id in this organisation.',
  SHARE_REPORT_NOT_FOUND:
    'The sync job has no report file (it failed before writing one, or the file was removed).',
  // storage
  STORE_LOCKED: 'Another process owns the data directory.',
  STORE_ERROR: 'The storage engine reported an error.',
  STORE_UNSUPPORTED: 'The storage engine cannot do this (e.g. a multi-statement transaction on ClickHouse).',
  ENGINE_NOT_INSTALLED:
    'The command needs the embedded engine (@duckdb/node-api), which this installation of the CLI left out; install it, or use --server.',
  // batch files (audience-manager inbound / outbound, plain CSV)
  BATCHFILE_BAD_NAME:
    'The file name does not follow the format (ftp_dpm_<DPID>_<10-digit timestamp>.sync|.overwrite, ..._iter|full_<13-digit ms>.sync, .csv).',
  BATCHFILE_NOT_FOUND: 'The batch file does not exist or cannot be read.',
  BATCHFILE_EMPTY: 'The batch file is empty.',
  BATCHFILE_GZIP_CORRUPT:
    'The file is named or looks gzip-compressed but does not decompress (truncated or damaged).',
  BATCHFILE_BAD_HEADER: 'The CSV header is not id[,segments[,removed]].',
  BATCHFILE_OPTIONS_INVALID:
    'The reader or writer options are not valid; details.issues lists every problem.',
  BATCHFILE_OUTPUT_EXISTS: 'A file the writer would create already exists in the output folder.',
  BATCHFILE_REJECTED_LINES:
    'The file has rejected lines and --fail-on-reject was given; details holds the report.',
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/**
 * Codes of single issues in `details.issues` that are not error codes of their own (an error code
 * may be an issue's code too): the schema file validator's and the campaign validator's findings.
 * docs/errors.md explains each ("Issue codes").
 */
export const ISSUE_CODES = {
  UNKNOWN_KEY: 'A key the schema file format does not have.',
  INVALID_VALUE: 'A value outside what the option or key accepts.',
  INVALID_TYPE: 'A value of the wrong JSON/YAML type.',
  EMPTY: 'A schema without tables, a table without fields, or a relationship without field pairs.',
  ENUM_NO_VALUES: 'An enum field lists no values.',
  ENUM_DUPLICATE_VALUES: 'An enum field lists a value twice.',
  VALUES_NOT_ENUM: 'A field that is not an enum has values.',
  MAXLENGTH_NOT_STRING: 'maxLength on a field that is not a string.',
  IDENTITY_NOT_STRING: 'An identity field that is not a string.',
  UNKNOWN_NAMESPACE: 'An identity names a namespace that does not exist.',
  COUNTRY_NOT_PHONE: 'countryField on an identity that is not a phone number.',
  UNKNOWN_FIELD: 'A key, version, link, relationship or country field that the table does not have.',
  WRONG_TYPE: 'A country or version field of a type it cannot be.',
  MULTIPLE_PRIMARY_IDENTITIES: 'More than one identity field of a table is primary.',
  NO_PRIMARY_IDENTITY: 'A table with identity fields has none marked primary.',
  DUPLICATE_FIELD: 'The primary key repeats a field.',
  NULLABLE_KEY: 'A primary-key field is nullable.',
  COMPOSITE_KEY_WITH_IDENTITIES: 'A table with identity fields has a primary key of several fields.',
  UNKNOWN_TABLE: 'A link or relationship names a table that does not exist.',
  COMPOSITE_KEY: 'linksTo targets a table whose primary key has several fields.',
  NO_IDENTITY_FIELDS: 'An identity-link table has no identity fields to link.',
  NAME_CLASH: 'A relationship (or its inverse) has the name of a field or of another relationship.',
  TYPE_MISMATCH: 'A relationship joins fields of different types.',
  RELATIONSHIP_CYCLE: 'Relationships of one-to-one links form a cycle.',
  CAMPAIGN_MALFORMED: 'The JSON does not have the shape of a definition (unknown key, wrong type).',
  CAMPAIGN_BAD_OPTIONS: "An activity's options do not match its type's schema, or a name is used twice.",
  CAMPAIGN_DUPLICATE_ID: 'Two activities or transitions share an id.',
  CAMPAIGN_UNKNOWN_ACTIVITY: 'A transition names an activity that does not exist.',
  CAMPAIGN_UNKNOWN_OUTPUT: 'A transition leaves an outlet its source does not have.',
  CAMPAIGN_UNKNOWN_INPUT: "An input named by an activity's options is not one of its incoming transitions.",
  CAMPAIGN_CYCLE: 'The transition closes a cycle.',
  CAMPAIGN_UNCONNECTED_INPUT: 'The activity needs (more) incoming transitions.',
  CAMPAIGN_BAD_PREDECESSOR:
    'The activity cannot follow its predecessor (after End, a population needed after a Scheduler, too many inputs).',
  CAMPAIGN_SCHEDULER_NOT_FIRST: 'A transition leads into a Scheduler.',
  CAMPAIGN_TOO_MANY_ACTIVITIES: 'More than 500 activities.',
  CAMPAIGN_WRONG_DIMENSION: 'An unknown dimension, or an activity or audience of another dimension.',
  CAMPAIGN_BAD_SCHEDULE: 'A bad cron expression, an unknown time zone or an empty validity window.',
  CAMPAIGN_DUPLICATE_SIGNAL: 'More than one Signal activity.',
  CAMPAIGN_UNKNOWN_PARAMETER:
    '{ "param": ... } or $name names no declared parameter, or a start gives one the Signal does not declare.',
  CAMPAIGN_PARAMETER_TYPE: "A parameter's default or given value is not of its type.",
  CAMPAIGN_PARAMETER_MISSING: 'A start lacks a required parameter that has no default.',
} as const

/** The code of one issue in `details.issues`: an error code, or a finer code of this list. */
export type IssueCode = ErrorCode | keyof typeof ISSUE_CODES

/** One problem found while validating, located by its path in the input. */
export interface Issue {
  path: (string | number)[]
  code: IssueCode
  message: string
}

/** An error a user can act on: a stable code, a message, and structured details. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: Record<string, unknown> | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}

/** Exhaustiveness check for switches over discriminated unions. */
export function assertNever(x: never): never {
  throw new AppError('INTERNAL', `Unexpected value: ${JSON.stringify(x)}`)
}
