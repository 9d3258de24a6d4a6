import { randomBytes } from 'node:crypto'
import type { SharedAudienceEvent } from '@ahub/core'

/** One pushed event with its sequence number (for SSE `id:` and replay after a reconnect). */
export interface SequencedEvent {
  id: string
  event: SharedAudienceEvent
}

interface Stored extends SequencedEvent {
  seq: number
  orgs: ReadonlySet<string>
}

/**
 * In-memory fan-out of shared audience events to subscribers of the orgs allowed to see them.
 * Keeps the last `keep` events so that a subscriber reconnecting with the id of the last event it
 * saw gets what it missed; ids carry a boot id, so ids from before a restart replay nothing.
 */
export class HubEvents {
  private readonly boot = randomBytes(4).toString('hex')
  private seq = 0
  private readonly recent: Stored[] = []
  private readonly listeners = new Set<{ org: string; fn: (e: SequencedEvent) => void }>()

  constructor(private readonly keep = 1000) {}

  /** Sends `event` to the subscribers of each org in `orgs`. */
  emit(event: SharedAudienceEvent, orgs: ReadonlySet<string>): void {
    const stored: Stored = { seq: ++this.seq, id: `${this.boot}-${this.seq}`, event, orgs }
    this.recent.push(stored)
    if (this.recent.length > this.keep) this.recent.shift()
    for (const l of [...this.listeners]) {
      if (!orgs.has(l.org)) continue
      try {
        l.fn(stored)
      } catch {
        // A failing listener must not stop delivery to the others.
      }
    }
  }

  /** Calls `listener` for every event `org` may see, until the returned function is called. */
  subscribe(org: string, listener: (event: SharedAudienceEvent) => void): () => void {
    return this.subscribeSequenced(org, (e) => listener(e.event))
  }

  /** Like subscribe, with event ids; first replays the events after `lastId` when it is from this boot. */
  subscribeSequenced(org: string, listener: (e: SequencedEvent) => void, lastId?: string): () => void {
    const entry = { org, fn: listener }
    if (lastId) {
      const [boot, n] = lastId.split('-')
      const after = Number(n)
      if (boot === this.boot && Number.isInteger(after)) {
        for (const e of this.recent) if (e.seq > after && e.orgs.has(org)) listener(e)
      }
    }
    this.listeners.add(entry)
    return () => {
      this.listeners.delete(entry)
    }
  }

  /** Drops every subscriber (on shutdown). */
  close(): void {
    this.listeners.clear()
  }
}
