export { DEMO_SCHEMA_FILE, DEMO_SCHEMA_YAML } from './demo-schema'
export {
  type DemoFile,
  type DemoProgress,
  type DemoResult,
  type GenerateDemoOptions,
  generateDemo,
  startOfUtcDay,
} from './generate-demo'
export { type InvalidField, type InvalidProfileRow, invalidProfileRows } from './invalid-rows'
export { PROFILE_FIELDS } from './profiles'
export { PURCHASE_FIELDS } from './purchases'
export { VISITOR_LINK_FIELDS } from './visitor-links'
