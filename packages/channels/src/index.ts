export { ChannelDelivery, type SendRequest } from './channel-sender'
export { type ActivityRef, assertConfirmed, confirmSend, DEFAULT_CONFIRM_ABOVE } from './confirmation'
export { type DeliveryJob, type DeliveryReport, deliver, type Recipient, suppress } from './delivery'
export {
  type DeliveryCounts,
  type DeliveryEntry,
  type DeliveryStatus,
  deliveryCounts,
  deliveryLog,
} from './delivery-log'
export { classifySmtpError, SmtpProvider } from './email'
export { migrateChannels } from './migrations'
export {
  type ActivityContent,
  ChannelTools,
  MAX_PROOF_ADDRESSES,
  type Preview,
  type ProofOutcome,
} from './preview'
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
