import type { AudienceService } from '@ahub/store'

/**
 * What campaigns need from saved audiences: the public API of the store's AudienceService
 * (Read audience resolves members, Save audience creates and versions list audiences).
 */
export type AudienceSink = Pick<
  AudienceService,
  'list' | 'get' | 'create' | 'saveList' | 'delete' | 'audienceResolver'
>
