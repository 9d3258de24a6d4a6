export { ChannelDelivery, type SendRequest } from './channel-sender'
export { type DeliveryJob, type DeliveryReport, deliver, type Recipient, suppress } from './delivery'
export { classifySmtpError, SmtpProvider } from './email'
export { migrateChannels } from './migrations'
export type { ChannelProvider, OutgoingMessage, ProviderKind, SendOutcome } from './provider'
export { ProviderStore } from './provider-store'
export { openProvider } from './registry'
export {
  type ProviderInfo,
  ProviderSettings,
  parseProviderSettings,
  SmtpSettings,
} from './settings'
export { CompiledTemplate, MessageTemplate, type RenderedMessage } from './template'
