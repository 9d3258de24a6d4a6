import { describe, expect, it } from 'vitest'
import { KeyedQueue } from './keyed-queue'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('KeyedQueue', () => {
  it('runs work of one key one at a time, in order, past failures; other keys side by side; then forgets the key', async () => {
    const q = new KeyedQueue()
    const log: string[] = []
    const job =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name}+`)
        await tick()
        log.push(`${name}-`)
        if (fail) throw new Error(name)
        return name
      }
    const a1 = q.run('a', job('a1', true))
    const a2 = q.run('a', job('a2'))
    const b1 = q.run('b', job('b1'))
    expect(q.size).toBe(2)
    await expect(a1).rejects.toThrow('a1')
    expect(await a2).toBe('a2')
    expect(await b1).toBe('b1')
    expect(log.filter((l) => l.startsWith('a'))).toEqual(['a1+', 'a1-', 'a2+', 'a2-'])
    // b1 started while a1 was still running.
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'))
    await tick()
    expect(q.size).toBe(0)
  })
})
