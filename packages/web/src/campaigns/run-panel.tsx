import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { api, call } from '../api/client'
import { keys } from '../app/org'
import { formatTime } from '../ui/format'
import { ErrorNotice } from '../ui/states'

type Run = Awaited<ReturnType<typeof fetchRun>>

function fetchRun(org: string, id: string, run: string, signal?: AbortSignal) {
  return call(
    api.GET('/v1/orgs/{org}/campaigns/{id}/runs/{run}', { params: { path: { org, id, run } }, signal }),
  )
}

export const runKey = (org: string, id: string, run: string) =>
  [...keys.campaigns(org), id, 'runs', run] as const

const ACTIVE = new Set(['running', 'paused'])

/**
 * A run of the campaign as the canvas shows it: its state, the count on every transition and the
 * status of every activity. Read once, then kept current by the run's server-sent events while it
 * is active (no polling): each `run` event replaces the cached run. The browser's EventSource
 * reconnects by itself (the server asks for 1 s) and the first event after a reconnect is the
 * whole run again, so nothing is missed; the stream is closed once the run has ended.
 */
export function useRun(org: string, id: string, run: string | null) {
  const queryClient = useQueryClient()
  const key = runKey(org, id, run ?? '')
  const query = useQuery({
    queryKey: key,
    enabled: Boolean(run),
    queryFn: ({ signal }) => fetchRun(org, id, run!, signal),
  })
  const [connection, setConnection] = useState<'open' | 'reconnecting' | 'closed'>('closed')
  const active = query.data ? ACTIVE.has(query.data.state) : false
  useEffect(() => {
    if (!run || !active || typeof EventSource === 'undefined') return
    const url = `/v1/orgs/${encodeURIComponent(org)}/campaigns/${encodeURIComponent(id)}/runs/${encodeURIComponent(run)}/events`
    const source = new EventSource(url, { withCredentials: true })
    source.onopen = () => setConnection('open')
    source.onerror = () => setConnection(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting')
    source.addEventListener('run', (e) => {
      const next = JSON.parse((e as MessageEvent<string>).data) as Run
      queryClient.setQueryData(runKey(org, id, run), next)
      if (!ACTIVE.has(next.state)) {
        source.close()
        setConnection('closed')
      }
    })
    return () => {
      source.close()
      setConnection('closed')
    }
  }, [org, id, run, active, queryClient])
  return Object.assign(query, { connection, key })
}

/** Counts per transition and statuses per activity of a run, for the canvas. */
export function runFigures(run: Run | undefined): {
  counts: Record<string, number> | undefined
  statuses: Record<string, string> | undefined
} {
  if (!run) return { counts: undefined, statuses: undefined }
  return {
    counts: run.transitions,
    statuses: Object.fromEntries(run.tasks.map((t) => [t.activity, t.status])),
  }
}

/** Test, publish, start, pause, resume, stop, restart; the run's state, history and logs. */
export function RunPanel({
  org,
  id,
  status,
  run,
  onRun,
  canWrite,
  current,
}: {
  org: string
  id: string
  status: string
  run: string | null
  onRun: (run: string | null) => void
  canWrite: boolean
  /** The run followed (useRun of the screen, which also feeds the canvas). */
  current: ReturnType<typeof useRun>
}) {
  const queryClient = useQueryClient()
  const history = useQuery({
    queryKey: [...keys.campaigns(org), id, 'runs'],
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/campaigns/{id}/runs', { params: { path: { org, id } }, signal })),
  })
  const logs = useQuery({
    queryKey: [...runKey(org, id, run ?? ''), 'logs', current.data?.state, current.dataUpdatedAt],
    enabled: Boolean(run),
    queryFn: ({ signal }) =>
      call(
        api.GET('/v1/orgs/{org}/campaigns/{id}/runs/{run}/logs', {
          params: { path: { org, id, run: run! }, query: { after: 0 } },
          signal,
        }),
      ),
  })
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: keys.campaigns(org) })
  }
  useEffect(() => {
    if (current.data && current.data.state !== 'running') void history.refetch()
  }, [current.data, history.refetch])

  const command = useMutation({
    mutationFn: async (what: 'test' | 'live' | 'publish' | 'pause' | 'resume' | 'stop' | 'restart') => {
      const path = { org, id }
      switch (what) {
        case 'test':
        case 'live': {
          const r = await call(
            api.POST('/v1/orgs/{org}/campaigns/{id}/runs', { params: { path }, body: { mode: what } }),
          )
          onRun(r.id)
          return
        }
        case 'publish':
          await call(api.POST('/v1/orgs/{org}/campaigns/{id}/publish', { params: { path } }))
          return
        case 'restart': {
          const r = await call(api.POST('/v1/orgs/{org}/campaigns/{id}/restart', { params: { path } }))
          onRun(r.id)
          return
        }
        default: {
          const runPath = { ...path, run: run! }
          if (what === 'pause')
            await call(
              api.POST('/v1/orgs/{org}/campaigns/{id}/runs/{run}/pause', {
                params: { path: runPath },
                body: {},
              }),
            )
          else if (what === 'resume')
            await call(
              api.POST('/v1/orgs/{org}/campaigns/{id}/runs/{run}/resume', { params: { path: runPath } }),
            )
          else
            await call(
              api.POST('/v1/orgs/{org}/campaigns/{id}/runs/{run}/stop', { params: { path: runPath } }),
            )
        }
      }
    },
    onSettled: refresh,
  })
  const state = current.data?.state
  const button = (what: Parameters<typeof command.mutate>[0], label: string, enabled = true) => (
    <button
      type="button"
      disabled={!canWrite || command.isPending || !enabled}
      onClick={() => command.mutate(what)}
    >
      {label}
    </button>
  )
  return (
    <section className="run-panel" aria-label="Runs">
      <h2>Runs</h2>
      <div className="canvas-toolbar" role="toolbar" aria-label="Run commands">
        {button('test', 'Test', state !== 'running')}
        {button('publish', 'Publish', status === 'draft')}
        {button('live', 'Start', status === 'published' && state !== 'running')}
        {button('pause', 'Pause', state === 'running')}
        {button('resume', 'Resume', state === 'paused')}
        {button('stop', 'Stop', state === 'running' || state === 'paused')}
        {button('restart', 'Restart', Boolean(run) && state !== 'running')}
      </div>
      {command.error ? <ErrorNotice error={command.error} /> : null}
      {current.data ? (
        <p
          role="status"
          className="run-state"
          data-state={current.data.state}
          data-connection={current.connection}
        >
          Run <code>{current.data.id}</code> ({current.data.mode}): {current.data.state}
          {current.connection === 'reconnecting' ? ' (reconnecting…)' : ''}
          {current.data.error ? ` — ${current.data.error.message}` : ''}
        </p>
      ) : null}
      {logs.data?.events.length ? (
        <details className="run-logs">
          <summary>Logs ({logs.data.events.length})</summary>
          <ol>
            {logs.data.events.map((e) => (
              <li key={e.seq} data-level={e.level}>
                {formatTime(e.at)} {e.activity ? <strong>{e.activity}</strong> : null} {e.message}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {history.data?.runs.length ? (
        <details className="run-history">
          <summary>History ({history.data.runs.length})</summary>
          <ul>
            {history.data.runs.map((r) => (
              <li key={r.id}>
                <button type="button" className="linkish" onClick={() => onRun(r.id)}>
                  {formatTime(r.createdAt)} · {r.mode} · {r.state}
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  )
}

/** The population of a transition in a run: its count and first rows, with the columns enrichment added. */
export function TransitionPreviewTable({
  org,
  id,
  run,
  transition,
}: {
  org: string
  id: string
  run: string
  transition: string
}) {
  const preview = useQuery({
    queryKey: [...runKey(org, id, run), 'preview', transition],
    queryFn: ({ signal }) =>
      call(
        api.GET('/v1/orgs/{org}/campaigns/{id}/runs/{run}/transitions/{transition}', {
          params: { path: { org, id, run, transition }, query: { limit: 20 } },
          signal,
        }),
      ),
  })
  if (preview.error) return <ErrorNotice error={preview.error} />
  if (!preview.data) return null
  const p = preview.data
  return (
    <section aria-label={`Population of ${transition}`} className="transition-preview">
      <h2>
        {transition}: {p.count.toLocaleString('en')} member(s)
      </h2>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              {p.columns.map((c) => (
                <th key={c.name} title={c.type}>
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no key of their own
              <tr key={i}>
                {p.columns.map((c) => (
                  <td key={c.name}>{row[c.name] === null ? '' : String(row[c.name])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
