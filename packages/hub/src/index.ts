export type { HubClient, SubscribeOptions } from './client'
export { HubEvents, type SequencedEvent } from './events'
export { buildHubApp, type HubAppOptions } from './http/app'
export { codedFrameworkErrors, type ErrorBody, httpErrorConverter, toHubHttpError } from './http/errors'
export { HttpHubClient, type HttpHubClientOptions } from './http-client'
export { InProcessHubClient } from './in-process-client'
export {
  adminToken,
  loadMasterKey,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE,
  type MasterKeyKind,
  parseMasterKey,
  SecretBox,
} from './master-key'
export { type RunningHub, type ServeHubOptions, serveHub } from './serve'
export { HubService, MAX_ID_BYTES, type OpenHubOptions } from './service'
export { type HubFixture, httpFixture, inProcessFixture, TEST_MASTER_KEY } from './test-support'
export { type HubTokenInfo, HubTokens } from './tokens'
