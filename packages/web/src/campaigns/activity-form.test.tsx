// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { useState } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ActivityForm } from './activity-form'
import type { CanvasActivity } from './canvas-model'
import { editorServer } from './test-support'

// The API client keeps the fetch it was made with: route it, before any import, to the real server.
const route = vi.hoisted(() => {
  const route: { answer: (request: Request) => Promise<Response> } = {
    answer: async () => new Response(null, { status: 503 }),
  }
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    route.answer(
      input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost/'), init),
    )
  return route
})

let server: Awaited<ReturnType<typeof editorServer>>
beforeAll(async () => {
  server = await editorServer()
  route.answer = server.answer
})
afterAll(() => server?.close())
afterEach(cleanup)

function Holder({ initial }: { initial: CanvasActivity }) {
  const [activity, setActivity] = useState(initial)
  const [zone, setZone] = useState('UTC')
  return (
    <QueryClientProvider client={new QueryClient()}>
      <ActivityForm
        org="acme"
        activity={activity}
        dimension="profiles"
        issues={{}}
        readOnly={false}
        timeZone={zone}
        onTimeZone={setZone}
        onChange={(p) => setActivity((a) => ({ ...a, ...p, options: p.options ?? a.options }))}
      />
      <output data-testid="value">{JSON.stringify({ options: activity.options, zone })}</output>
    </QueryClientProvider>
  )
}
const current = () => JSON.parse(screen.getByTestId('value').textContent ?? 'null')
const at = { x: 0, y: 0 }

describe('the activity form picks the editor each option needs', () => {
  it('draws expression options with the expression editor and edits them', async () => {
    render(
      <Holder
        initial={{
          id: 'enrich',
          type: 'enrichment',
          position: at,
          options: { expressions: [{ name: 'k', expression: 'score' }] },
        }}
      />,
    )
    const box = await screen.findByLabelText('Expression *')
    expect(box.tagName).toBe('TEXTAREA')
    fireEvent.change(box, { target: { value: 'score * 3' } })
    expect(current().options.expressions[0].expression).toBe('score * 3')
    await waitFor(() => expect(screen.getByText('The expression is valid.')).toBeTruthy())
  })

  it("draws a Split subset's filter with the rule builder", async () => {
    render(
      <Holder
        initial={{ id: 'split', type: 'split', position: at, options: { subsets: [{ code: 'a' }] } }}
      />,
    )
    const add = await screen.findByRole('button', { name: 'Add a rule as filter' })
    fireEvent.click(add)
    await waitFor(() => expect(current().options.subsets[0].filter).toBeDefined())
  })

  it("draws the Scheduler with the schedule editor, whose zone is the campaign's", async () => {
    render(
      <Holder
        initial={{
          id: 'start',
          type: 'scheduler',
          position: at,
          options: { schedule: { kind: 'daily', times: ['07:00'] } },
        }}
      />,
    )
    await waitFor(() => expect(document.querySelectorAll('.schedule-next time')).toHaveLength(5))
    fireEvent.change(screen.getByLabelText('Time zone (of the whole campaign)'), {
      target: { value: 'Asia/Tokyo' },
    })
    expect(current().zone).toBe('Asia/Tokyo')
    expect(current().options).toEqual({ schedule: { kind: 'daily', times: ['07:00'] } })
  })
})
