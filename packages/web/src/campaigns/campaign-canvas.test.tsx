// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ACTIVITY_TYPES } from './activity-catalog'
import { CampaignCanvas } from './campaign-canvas'
import { fromDefinition, type History, startHistory, toDefinition } from './canvas-model'
import { ISSUE_CAMPAIGN } from './fixtures'

beforeAll(() => {
  // React Flow measures nodes; happy-dom has no ResizeObserver.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver
})
afterEach(cleanup)

function Harness({ initial, onChange }: { initial: History; onChange: (h: History) => void }) {
  let h = initial
  return (
    <CampaignCanvas
      history={h}
      onChange={(next) => {
        h = next
        onChange(next)
      }}
    />
  )
}

describe('the campaign canvas', () => {
  it('offers every activity type in the palette and places one with a click', async () => {
    const changes: History[] = []
    render(
      <Harness initial={startHistory(fromDefinition(ISSUE_CAMPAIGN))} onChange={(h) => changes.push(h)} />,
    )
    const palette = screen.getByRole('navigation', { name: 'Activities' })
    expect(within(palette).getAllByRole('button')).toHaveLength(ACTIVITY_TYPES.length)
    await userEvent.click(within(palette).getByRole('button', { name: 'Wait' }))
    const last = changes.at(-1)!
    expect(last.present.activities.at(-1)).toMatchObject({ id: 'wait', type: 'wait' })
    expect(last.past).toHaveLength(1)
  })

  it('draws each activity with the outlets of its options and undoes from the toolbar', async () => {
    const changes: History[] = []
    const start = startHistory(fromDefinition(ISSUE_CAMPAIGN))
    const { rerender } = render(<Harness initial={start} onChange={(h) => changes.push(h)} />)
    expect(document.querySelectorAll('[data-activity]')).toHaveLength(5)
    const outlets = [...document.querySelectorAll('[data-nodeid="split"].source')].map((h) =>
      h.getAttribute('data-handleid'),
    )
    expect(outlets).toEqual(['first', 'complement'])
    await userEvent.click(screen.getByRole('button', { name: 'Wait' }))
    rerender(<Harness initial={changes.at(-1)!} onChange={(h) => changes.push(h)} />)
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    expect(toDefinition(changes.at(-1)!.present)).toEqual(ISSUE_CAMPAIGN)
  })
})
