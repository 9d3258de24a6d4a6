/**
 * A definition saved from the canvas is the JSON the CLI reads: every example campaign of
 * docs/campaigns.md, of the fixtures and the demo's campaign is written to a file, read with the CLI's own reader, opened
 * in the canvas model, edited without changing its meaning (moved, laid out, copied and the copy
 * deleted, an edit undone), saved as the editor saves it (the body of POST /campaigns) and read again
 * with the CLI's reader: the same JSON, byte for byte (keys in the documented order: a transition is
 * id, from, to, output), and the same definition once the engine has
 * parsed it.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CampaignDefinition } from '@ahub/core'
import { afterAll, describe, expect, it } from 'vitest'
import { readDefinition } from '../packages/cli/src/commands/campaign'
import { springCampaign } from '../packages/server/src/demo-objects'
import {
  autoLayout,
  copy,
  type DefinitionJson,
  fromDefinition,
  move,
  paste,
  record,
  remove,
  startHistory,
  toDefinition,
  undo,
} from '../packages/web/src/campaigns/canvas-model'
import { EVERY_ACTIVITY, ISSUE_CAMPAIGN } from '../packages/web/src/campaigns/fixtures'

const docs = readFileSync(new URL('../docs/campaigns.md', import.meta.url), 'utf8')
const fromDocs = [...docs.matchAll(/```json\n([\s\S]*?)```/g)]
  .map((m) => JSON.parse(m[1]!) as DefinitionJson)
  .filter((d) => Array.isArray(d.activities))

const examples: [string, DefinitionJson][] = [
  ...fromDocs.map((d, i): [string, DefinitionJson] => [`docs/campaigns.md #${i + 1}`, d]),
  ['fixture: the issue campaign', ISSUE_CAMPAIGN],
  ['fixture: every activity', EVERY_ACTIVITY],
  ['the demo campaign', springCampaign('Spring offer', 'aud_recent') as DefinitionJson],
]

describe('the canvas saves the JSON the CLI reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ahub-round-trip-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds the example campaigns of docs/campaigns.md', () => {
    expect(fromDocs.length).toBeGreaterThan(0)
  })

  it.each(examples)(
    '%s: CLI file → canvas → edits → save → CLI file is the same JSON',
    async (name, example) => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.json`)
      const text = `${JSON.stringify(example, null, 2)}\n`
      writeFileSync(file, text)
      const read = (await readDefinition(file)) as DefinitionJson

      let h = startHistory(fromDefinition(read))
      const first = h.present.activities[0]!.id
      h = record(h, move(h.present, { [first]: { x: 999, y: -40 } }))
      h = record(h, autoLayout(h.present))
      const pasted = paste(h.present, copy(h.present, [first]))
      h = record(h, pasted.state)
      h = record(h, remove(h.present, { activities: pasted.ids }))
      h = record(h, remove(h.present, { activities: [first] }))
      h = undo(h)
      const saved = toDefinition(h.present)

      writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`)
      expect(readFileSync(file, 'utf8'), name).toBe(text)
      expect(await readDefinition(file)).toEqual(read)
      const parsed = CampaignDefinition.safeParse(saved)
      expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true)
      expect(parsed.data).toEqual(CampaignDefinition.parse(read))
    },
  )
})
