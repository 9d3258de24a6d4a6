import type { CampaignDefinition } from '@ahub/core'
import { describe, expect, it } from 'vitest'
import { backoffMs, decide, type TaskView } from './interpreter'

const def = {
  label: 'x',
  activities: ['a', 'b', 'c', 'd'].map((id) => ({ id, type: 'fork', options: {} })),
  transitions: [
    { id: 'ab', from: 'a', to: 'b' },
    { id: 'ac', from: 'a', to: 'c', output: 'complement' },
    { id: 'bd', from: 'b', to: 'd' },
    { id: 'cd', from: 'c', to: 'd' },
  ],
  settings: { dimension: 'profiles', errorManagement: 'suspend', keepInterimResults: false, timeZone: 'UTC' },
} as CampaignDefinition
const now = new Date('2026-01-01T00:00:00Z')
const t = (status: TaskView['status'], outlets: string[] = [], notBefore: Date | null = null): TaskView => ({
  status,
  outlets,
  notBefore,
})

describe('the interpreter', () => {
  it('runs roots first, then what every input has reached', () => {
    const tasks = new Map([
      ['a', t('pending')],
      ['b', t('pending')],
      ['c', t('pending')],
      ['d', t('pending')],
    ])
    expect(decide(def, tasks, now)).toMatchObject({ ready: ['a'], skip: [], finished: false })
    tasks.set('a', t('done', ['out', 'complement']))
    expect(decide(def, tasks, now).ready).toEqual(['b', 'c'])
  })

  it('skips what follows an outlet that was not emitted, and finishes when all is settled', () => {
    const tasks = new Map([
      ['a', t('done', ['out'])],
      ['b', t('done', ['out'])],
      ['c', t('pending')],
      ['d', t('pending')],
    ])
    expect(decide(def, tasks, now).skip).toEqual(['c'])
    tasks.set('c', t('skipped'))
    expect(decide(def, tasks, now).skip).toEqual(['d'])
    tasks.set('d', t('skipped'))
    expect(decide(def, tasks, now).finished).toBe(true)
  })

  it('holds a waiting task until its time, and says when to wake up', () => {
    const later = new Date(now.getTime() + 60_000)
    const tasks = new Map([
      ['a', t('waiting', [], later)],
      ['b', t('pending')],
      ['c', t('pending')],
      ['d', t('pending')],
    ])
    expect(decide(def, tasks, now)).toMatchObject({ ready: [], wakeAt: later, finished: false })
    expect(decide(def, tasks, later).ready).toEqual(['a'])
  })

  it('backs off exponentially up to a cap', () => {
    const p = { initialDelayMs: 100, backoffFactor: 3, maxDelayMs: 1000 }
    expect([1, 2, 3, 4].map((n) => backoffMs(p, n))).toEqual([100, 300, 900, 1000])
  })
})
