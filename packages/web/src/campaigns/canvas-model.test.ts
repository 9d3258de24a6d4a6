import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ACTIVITIES } from '@ahub/campaigns'
import { ActivityType, CampaignDefinition } from '@ahub/core'
import { describe, expect, it } from 'vitest'
import { ACTIVITY_INFO, ACTIVITY_TYPES } from './activity-catalog'
import {
  addActivity,
  autoLayout,
  type CanvasState,
  connect,
  connectionProblem,
  copy,
  type DefinitionJson,
  emptyCanvas,
  fromDefinition,
  move,
  NODE_WIDTH,
  outletsOf,
  paste,
  record,
  redo,
  remove,
  startHistory,
  toDefinition,
  transitionDimensions,
  undo,
} from './canvas-model'
import { EVERY_ACTIVITY, ISSUE_CAMPAIGN } from './fixtures'

const root = join(import.meta.dirname, '../../../..')

/** Every JSON code block of docs/*.md that is a campaign definition. */
function docExamples(): { name: string; definition: DefinitionJson }[] {
  const out: { name: string; definition: DefinitionJson }[] = []
  for (const file of readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(root, 'docs', file), 'utf8')
    for (const m of text.matchAll(/```json\n([\s\S]*?)```/g)) {
      let value: unknown
      try {
        value = JSON.parse(m[1]!)
      } catch {
        continue
      }
      if (value && typeof value === 'object' && Array.isArray((value as DefinitionJson).activities))
        out.push({ name: `${file} #${out.length}`, definition: value as DefinitionJson })
    }
  }
  return out
}

const examples = [
  ...docExamples(),
  { name: 'issue campaign', definition: ISSUE_CAMPAIGN },
  { name: 'every activity', definition: EVERY_ACTIVITY },
]

describe('the campaign canvas model', () => {
  it('knows every activity type of the engine, with its input limits and outlets', () => {
    expect([...ACTIVITY_TYPES].sort()).toEqual([...ActivityType.options].sort())
    for (const t of ACTIVITY_TYPES) expect(ACTIVITY_INFO[t].inputs, t).toEqual(ACTIVITIES[t].inputs)
  })

  it('finds the docs example and gives back the same JSON for every example campaign', () => {
    expect(docExamples().length).toBeGreaterThan(0)
    for (const { name, definition } of examples) {
      const state = fromDefinition(structuredClone(definition))
      expect(toDefinition(state), name).toEqual(definition)
      expect(JSON.stringify(toDefinition(state)), name).toBe(JSON.stringify(definition))
    }
  })

  it('gives the outlets the engine gives for the same options', () => {
    for (const { name, definition } of examples)
      for (const a of fromDefinition(definition).activities) {
        const parsed = ACTIVITIES[a.type].options.safeParse(a.options)
        if (!parsed.success) continue
        expect(outletsOf(a), `${name} ${a.id}`).toEqual(ACTIVITIES[a.type].outlets(parsed.data))
      }
    // Every outlet a transition of the fixtures leaves is one the canvas offers.
    for (const { name, definition } of examples) {
      const s = fromDefinition(definition)
      for (const t of s.transitions) {
        const from = s.activities.find((a) => a.id === t.from)!
        expect(outletsOf(from), `${name} ${t.id}`).toContain(t.output ?? 'out')
      }
    }
  })

  it('draws the issue campaign from an empty canvas into a definition the engine parses', () => {
    let s: CanvasState = emptyCanvas('Recent buyers', 'profiles')
    const place = (type: Parameters<typeof addActivity>[1]) => {
      const r = addActivity(s, type, { x: 0, y: 0 })
      s = r.state
      return r.id
    }
    const build = place('build_audience')
    const dedup = place('deduplication')
    const split = place('split')
    const save = place('save_audience')
    expect([build, dedup, split, save]).toEqual(['build_audience', 'deduplication', 'split', 'save_audience'])
    s = connect(s, build, 'out', dedup).state
    s = connect(s, dedup, 'out', split).state
    s = connect(s, split, 'subset_1', save).state
    const def = toDefinition(s)
    expect(def.transitions).toEqual([
      { id: 't1', from: 'build_audience', to: 'deduplication' },
      { id: 't2', from: 'deduplication', to: 'split' },
      { id: 't3', from: 'split', to: 'save_audience', output: 'subset_1' },
    ])
    expect(CampaignDefinition.safeParse(def).success).toBe(true)
  })

  it('refuses connections the engine would refuse: unknown outlet, too many inputs, cycles, self', () => {
    let s = fromDefinition(ISSUE_CAMPAIGN)
    expect(connectionProblem(s, 'split', 'nope', 'save')).toMatch(/no outlet "nope"/)
    expect(connectionProblem(s, 'buyers', 'out', 'save')).toMatch(/at most 1 input/)
    expect(connectionProblem(s, 'save', 'out', 'buyers')).toMatch(/cycle/)
    expect(connectionProblem(s, 'dedup', 'out', 'dedup')).toMatch(/itself/)
    expect(connectionProblem(s, 'end', 'out', 'end')).toMatch(/itself/)
    expect(() => connect(s, 'end', 'out', 'save')).toThrow(/no outlet/)
    s = remove(s, { transitions: ['t3'] })
    expect(connectionProblem(s, 'split', 'first', 'save')).toBeNull()
  })

  it('deletes an activity with its transitions, and undo/redo walk the edits', () => {
    const s0 = fromDefinition(ISSUE_CAMPAIGN)
    let h = startHistory(s0)
    h = record(h, remove(h.present, { activities: ['dedup'] }))
    expect(h.present.activities.map((a) => a.id)).toEqual(['buyers', 'split', 'save', 'end'])
    expect(h.present.transitions.map((t) => t.id)).toEqual(['t3', 't4', 't5'])
    h = record(h, move(h.present, { save: { x: 5, y: 6 } }))
    h = undo(h)
    expect(h.present.activities.find((a) => a.id === 'save')!.position).not.toEqual({ x: 5, y: 6 })
    h = undo(h)
    expect(toDefinition(h.present)).toEqual(ISSUE_CAMPAIGN)
    expect(undo(h)).toBe(h)
    h = redo(h)
    expect(h.present.transitions).toHaveLength(3)
    h = redo(h)
    expect(h.present.activities.find((a) => a.id === 'save')!.position).toEqual({ x: 5, y: 6 })
    expect(redo(h)).toBe(h)
    // A new edit after undo drops the redo list.
    h = record(undo(h), emptyCanvas())
    expect(h.future).toEqual([])
  })

  it('copies activities with the transitions between them under fresh ids', () => {
    const s = fromDefinition(ISSUE_CAMPAIGN)
    const { state, ids } = paste(s, copy(s, ['dedup', 'split']))
    expect(ids).toEqual(['dedup_2', 'split_2'])
    expect(state.transitions.at(-1)).toEqual({ id: 't6', from: 'dedup_2', to: 'split_2' })
    const original = s.activities.find((a) => a.id === 'split')!
    const pasted = state.activities.find((a) => a.id === 'split_2')!
    expect(pasted.options).toEqual(original.options)
    expect(pasted.options).not.toBe(original.options)
    expect(pasted.position).toEqual({ x: original.position.x + 40, y: original.position.y + 40 })
  })

  it('lays a campaign out left to right without overlaps', () => {
    const s = autoLayout(fromDefinition(EVERY_ACTIVITY))
    const pos = new Map(s.activities.map((a) => [a.id, a.position]))
    for (const t of s.transitions) expect(pos.get(t.to)!.x, t.id).toBeGreaterThan(pos.get(t.from)!.x)
    const boxes = [...pos.values()]
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!]
        expect(Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= 64).toBe(true)
      }
  })

  it('labels each transition with the dimension of its population', () => {
    const dims = transitionDimensions(fromDefinition(EVERY_ACTIVITY))
    expect(dims.t1).toBe('profiles')
    expect(dims.t7).toBe('purchases')
    expect(dims.raw).toBe('rows')
    expect(dims.t8).toBe('profiles')
  })
})
