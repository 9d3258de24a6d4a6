import { join } from 'node:path'
import { AppError } from '@ahub/core'
import { HttpHubClient, type HubClient, HubService, InProcessHubClient } from '@ahub/hub'
import { SharingService } from '@ahub/sharing'
import type { Store } from '@ahub/store'

/** The installation's link to the shared audience hub. */
export interface HubLink {
  sharing: SharingService
  /** `embedded`: the hub runs in this process on `<dataDir>/hub`; `remote`: `ahub hub serve` over HTTP. */
  mode: 'embedded' | 'remote'
  url: string | null
  close(): Promise<void>
}

/**
 * Connects the installation to its hub. With `AHUB_HUB_URL` set, a remote hub over HTTP, acting
 * for each local org with the hub token given in `AHUB_HUB_TOKENS` (`org=token,org2=token`) or,
 * for one org, `AHUB_HUB_TOKEN` (+ `AHUB_HUB_ORG`, default `demo`). Otherwise the embedded hub in
 * this process, on its own DuckDB file in `<dataDir>/hub`, where each local org acts as itself.
 */
export async function openHubLink(
  store: Store,
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => undefined,
): Promise<HubLink> {
  const url = env.AHUB_HUB_URL?.trim()
  if (url) {
    const tokens = hubTokens(env)
    const clients = new Map<string, HubClient>()
    for (const [org, token] of tokens) clients.set(org, await HttpHubClient.connect({ url, token }))
    const sharing = usedBy(
      store,
      new SharingService(store, {
        hub: (org) => {
          const client = clients.get(org)
          if (!client)
            throw new AppError(
              'SHARE_HUB_UNAVAILABLE',
              `No hub token for organisation "${org}" (AHUB_HUB_TOKENS)`,
            )
          return client
        },
      }),
    )
    return {
      sharing,
      mode: 'remote',
      url,
      close: async () => {
        await sharing.stopFollowing()
      },
    }
  }
  const hub = await HubService.open({ dataDir: join(store.dataDir, 'hub'), env, log })
  const clients = new Map<string, HubClient>()
  const sharing = usedBy(
    store,
    new SharingService(store, {
      hub: (org) => {
        const client = clients.get(org) ?? new InProcessHubClient(hub, org)
        clients.set(org, client)
        return client
      },
    }),
  )
  return {
    sharing,
    mode: 'embedded',
    url: null,
    close: async () => {
      await sharing.stopFollowing()
      await hub.close()
    },
  }
}

/** A sharing service with no hub behind it: every call fails with SHARE_HUB_UNAVAILABLE (apps built without one). */
export function noHubSharing(store: Store): SharingService {
  return usedBy(
    store,
    new SharingService(store, {
      hub: () => {
        throw new AppError('SHARE_HUB_UNAVAILABLE', 'This server has no hub configured')
      },
      retry: { attempts: 1, delayMs: 0 },
    }),
  )
}

/** Registers the sharing service as a user of audiences: an exported or imported audience cannot be deleted. */
function usedBy(store: Store, sharing: SharingService): SharingService {
  store.audiences.registerUsageProvider((org, id) => sharing.audienceUsers(org, id))
  return sharing
}

function hubTokens(env: NodeJS.ProcessEnv): Map<string, string> {
  const tokens = new Map<string, string>()
  for (const pair of (env.AHUB_HUB_TOKENS ?? '').split(',')) {
    const [org, token] = pair.split('=').map((s) => s.trim())
    if (org && token) tokens.set(org, token)
  }
  if (env.AHUB_HUB_TOKEN) tokens.set(env.AHUB_HUB_ORG?.trim() || 'demo', env.AHUB_HUB_TOKEN.trim())
  if (tokens.size === 0)
    throw new AppError(
      'SHARE_HUB_UNAVAILABLE',
      'AHUB_HUB_URL is set but no hub token (AHUB_HUB_TOKENS or AHUB_HUB_TOKEN)',
    )
  return tokens
}
