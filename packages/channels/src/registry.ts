import { SmtpProvider } from './email'
import type { ChannelProvider } from './provider'
import type { ProviderSettings } from './settings'

/** Builds the transport for opened settings (SMS, push and webhook kinds join here). */
export function openProvider(settings: ProviderSettings): ChannelProvider {
  switch (settings.kind) {
    case 'email':
      return new SmtpProvider(settings)
  }
}
