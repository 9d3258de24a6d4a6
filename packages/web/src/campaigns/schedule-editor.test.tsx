// @vitest-environment happy-dom
import { describeActivities } from '@ahub/campaigns'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import axe from 'axe-core'
import { useState } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ScheduleEditor, type SchedulerOptions, scheduleKinds, timeZones } from './schedule-editor'
import type { JsonSchema } from './schema-form'
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

const schema = describeActivities().find((a) => a.type === 'scheduler')!.options as JsonSchema

/** Holds the options and the campaign's zone the way the editor page does, and shows them. */
function Holder({ initial }: { initial: SchedulerOptions }) {
  const [value, setValue] = useState(initial)
  const [zone, setZone] = useState('UTC')
  return (
    <QueryClientProvider client={new QueryClient()}>
      <ScheduleEditor
        org="acme"
        schema={schema}
        value={value}
        onChange={setValue}
        timeZone={zone}
        onTimeZone={setZone}
      />
      <output data-testid="value">{JSON.stringify({ ...value, zone })}</output>
    </QueryClientProvider>
  )
}
const current = () => JSON.parse(screen.getByTestId('value').textContent ?? 'null')
const launches = () =>
  [...document.querySelectorAll('.schedule-next time')].map((t) => t.getAttribute('datetime')!)
const local = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  )

describe('the schedule editor of the Scheduler', () => {
  it('offers the kinds the options schema allows and every zone the browser knows', () => {
    expect(scheduleKinds(schema)).toEqual(['once', 'daily', 'weekly', 'monthly', 'cron'])
    expect(timeZones()[0]).toBe('UTC')
    expect(timeZones()).toContain('Europe/Paris')
  })

  it('edits a weekly schedule in a zone and shows the next five launches from the server', async () => {
    render(<Holder initial={{ schedule: { kind: 'daily', times: ['09:00'] } }} />)
    await waitFor(() => expect(launches()).toHaveLength(5))
    for (const iso of launches()) expect(local(iso, 'UTC')).toMatch(/ 09:00$/)

    fireEvent.change(screen.getByLabelText('Schedule'), { target: { value: 'weekly' } })
    fireEvent.click(screen.getByLabelText('Thursday'))
    fireEvent.change(screen.getByLabelText('Time of day'), { target: { value: '18:15' } })
    fireEvent.change(screen.getByLabelText('Time zone (of the whole campaign)'), {
      target: { value: 'America/New_York' },
    })
    expect(current()).toEqual({
      schedule: { kind: 'weekly', days: ['mon', 'thu'], time: '18:15' },
      zone: 'America/New_York',
    })
    await waitFor(() => {
      expect(launches()).toHaveLength(5)
      for (const iso of launches()) expect(local(iso, 'America/New_York')).toMatch(/^(Mon|Thu) 18:15$/)
    })
    expect(screen.getByText('The next 5 launches, in America/New_York:')).toBeTruthy()
    const results = await axe.run(document.body, { rules: { region: { enabled: false } } })
    expect(results.violations.map((v) => v.id)).toEqual([])
  })

  it('shows a bad cron as a readable sentence with its code, and launches again once fixed', async () => {
    render(<Holder initial={{ schedule: { kind: 'cron', expression: '0 9 * * 1-5' } }} />)
    await waitFor(() => expect(launches()).toHaveLength(5))
    const box = screen.getByLabelText('Cron expression (minute hour day month weekday)')
    fireEvent.change(box, { target: { value: '61 9 * * *' } })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(
      /^The schedule cannot launch: schedule\.expression: Invalid cron expression.*\(CAMPAIGN_INVALID\)$/,
    )
    expect(launches()).toEqual([])
    fireEvent.change(box, { target: { value: '30 6 1 * *' } })
    await waitFor(() => expect(launches()).toHaveLength(5))
    expect(screen.queryByRole('alert')).toBeNull()
    for (const iso of launches()) expect(new Date(iso).getUTCDate()).toBe(1)
  })

  it('keeps a one-off launch inside the validity window, and none outside it', async () => {
    const at = new Date(Date.now() + 3 * 86_400_000)
    const atLocal = `${at.toISOString().slice(0, 16)}`
    render(<Holder initial={{ schedule: { kind: 'once', at: atLocal } }} />)
    await waitFor(() => expect(launches()).toHaveLength(1))
    fireEvent.change(screen.getByLabelText('Valid until (your local time)'), {
      target: {
        value: (() => {
          const d = new Date(Date.now() + 86_400_000)
          return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
        })(),
      },
    })
    expect(current().validUntil).toMatch(/Z$/)
    await waitFor(() => expect(screen.getByText(/No launch to come/)).toBeTruthy())
    expect(launches()).toEqual([])
  })
})
