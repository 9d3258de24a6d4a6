import type {
  DataSource,
  DataSourceInput,
  Protection,
  SharedAudience,
  SharedVersion,
  SyncMode,
} from '@ahub/core'
import type { HubClient, SubscribeOptions } from './client'
import { assertOrgName } from './names'
import type { HubService } from './service'

/** The hub in the same process (the embedded default), acting for one org. */
export class InProcessHubClient implements HubClient {
  constructor(
    private readonly service: HubService,
    readonly org: string,
  ) {
    assertOrgName(org)
  }

  createDataSource(input: DataSourceInput): Promise<DataSource> {
    return this.service.createDataSource(this.org, input)
  }

  listDataSources(): Promise<DataSource[]> {
    return this.service.listDataSources(this.org)
  }

  getDataSource(id: string): Promise<DataSource> {
    return this.service.getDataSource(this.org, id)
  }

  keyMaterial(dataSourceId: string): Promise<Protection> {
    return this.service.keyMaterial(this.org, dataSourceId)
  }

  createSharedAudience(input: {
    name: string
    dataSource: string
    sharedWith?: string[]
  }): Promise<SharedAudience> {
    return this.service.createSharedAudience(this.org, input)
  }

  listSharedAudiences(): Promise<SharedAudience[]> {
    return this.service.listSharedAudiences(this.org)
  }

  getSharedAudience(id: string): Promise<SharedAudience> {
    return this.service.getSharedAudience(this.org, id)
  }

  setSharedWith(id: string, orgs: string[]): Promise<SharedAudience> {
    return this.service.setSharedWith(this.org, id, orgs)
  }

  deleteSharedAudience(id: string): Promise<void> {
    return this.service.deleteSharedAudience(this.org, id)
  }

  publish(id: string, file: string, options: { mode: SyncMode; requestId: string }): Promise<SharedVersion> {
    return this.service.publish(this.org, id, file, options)
  }

  versions(id: string): Promise<SharedVersion[]> {
    return this.service.versions(this.org, id)
  }

  async downloadMembers(id: string, file: string, version?: number): Promise<number> {
    return (await this.service.writeMembers(this.org, id, file, version)).count
  }

  downloadChanges(
    id: string,
    sinceVersion: number,
    files: { added: string; removed: string },
  ): Promise<{ version: number; added: number; removed: number }> {
    return this.service.writeChanges(this.org, id, sinceVersion, files)
  }

  subscribe(listener: Parameters<HubClient['subscribe']>[0], options: SubscribeOptions = {}): () => void {
    const stop = this.service.subscribe(this.org, listener)
    if (options.onOpen) queueMicrotask(options.onOpen)
    return stop
  }
}
