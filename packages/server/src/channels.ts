import { randomBytes } from 'node:crypto'
import { ChannelDelivery, ChannelTools, migrateChannels, ProviderStore } from '@ahub/channels'
import { AppError } from '@ahub/core'
import { loadMasterKey, SecretBox } from '@ahub/hub'
import type { Store } from '@ahub/store'
import { SERVER_MASTER_KEY } from './auth/oidc/keys'

/** Message delivery of a store: its providers (settings sealed under the server's master key) and the sender. */
export interface Channels {
  providers: ProviderStore
  delivery: ChannelDelivery
  /** Preview and proof send of a channel activity's template. */
  tools: ChannelTools
}

export interface ChannelOptions {
  /** The server's master key; default AHUB_MASTER_KEY or the data directory's `master-key` file. */
  masterKey?: Buffer
  log?: (line: string) => void
  /** Retry timing of deliveries (tests shorten it) and the default confirmation threshold. */
  tuning?: { backoffMs?: number; maxAttempts?: number; concurrency?: number; confirmAbove?: number }
}

/** The confirmation threshold from AHUB_SEND_CONFIRM_ABOVE (a whole number), when set. */
export function confirmAboveFromEnv(
  env: Record<string, string | undefined> = process.env,
): number | undefined {
  const v = env.AHUB_SEND_CONFIRM_ABOVE?.trim()
  if (v === undefined || v === '') return undefined
  if (!/^\d{1,10}$/.test(v))
    throw new AppError('VALIDATION_FAILED', `AHUB_SEND_CONFIRM_ABOVE must be a whole number, not "${v}"`)
  return Number(v)
}

const opened = new WeakMap<Store, Promise<Channels>>()

/**
 * The channels of a store, opened once per store (the campaign service delivers through them and
 * the routes manage their providers: both must seal under the same key). A `:memory:` store seals
 * under an ephemeral key and writes no key file: nothing of it outlives the process anyway.
 */
export function openChannels(store: Store, options: ChannelOptions = {}): Promise<Channels> {
  let channels = opened.get(store)
  if (!channels) {
    channels = (async () => {
      const confirmAbove = confirmAboveFromEnv()
      await migrateChannels(store.engine)
      const key =
        options.masterKey ??
        (store.memory
          ? randomBytes(32)
          : loadMasterKey(store.dataDir, process.env, options.log, SERVER_MASTER_KEY))
      const providers = new ProviderStore(new SecretBox(key, SERVER_MASTER_KEY))
      return {
        providers,
        delivery: new ChannelDelivery(providers, {
          ...(confirmAbove !== undefined ? { confirmAbove } : {}),
          ...options.tuning,
        }),
        tools: new ChannelTools(providers, store.catalog),
      }
    })()
    opened.set(store, channels)
    channels.catch(() => opened.delete(store))
  }
  return channels
}
