export {
  AudienceService,
  type AudienceUsageProvider,
  audiencesOf,
  type ListMember,
  type MemberSelect,
  type SaveOptions,
  type SavePhase,
} from './audience-service'
export { type ExportRequest, exportAudience, hashedSql } from './export'
export { MAX_REPORTED_LINES, type ParsedList, parseIdentityList, splitLines } from './file-audience'
export type { StoredAudience } from './repository'
export * from './schedules'
export { atVersionSql, memberKeySql, membersTable } from './sql'
export { NEXT_TABLE } from './versions'
