/**
 * Work per key, one at a time and in order: `run(key, fn)` starts `fn` once everything queued
 * earlier on the same key has settled (a failure does not stop the queue); different keys run
 * side by side. A key is forgotten once its queue is empty.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve()
    const next = before.then(fn, fn)
    const tail = next.catch(() => undefined)
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return next
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size
  }
}
