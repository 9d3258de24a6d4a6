import { useInfiniteQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, call } from '../../api/client'
import { keys, useOrg } from '../../app/org'
import { Button } from '../../ui/button'
import { SelectField, TextField } from '../../ui/fields'
import { formatTime } from '../../ui/format'
import { Page } from '../../ui/page'
import { Empty, ErrorNotice, Loading } from '../../ui/states'

const OUTCOMES = [
  { id: 'any', label: 'Any outcome' },
  { id: 'ok', label: 'Succeeded' },
  { id: 'denied', label: 'Refused (attacks, failed sign-ins)' },
  { id: 'failed', label: 'Failed' },
]

/** The audit log of the org, newest first, filtered by who, what and when (admins). */
export default function AuditPage() {
  const { org } = useOrg()
  const [action, setAction] = useState('')
  const [since, setSince] = useState('7d')
  const [outcome, setOutcome] = useState('any')
  const [actor, setActor] = useState('')
  const filters = { action, since, outcome }
  const log = useInfiniteQuery({
    queryKey: keys.audit(org, filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ signal, pageParam }) =>
      call(
        api.GET('/v1/orgs/{org}/audit', {
          params: {
            path: { org },
            query: {
              limit: 100,
              cursor: pageParam,
              action: action || undefined,
              since: since || undefined,
              outcome: outcome === 'any' ? undefined : (outcome as 'ok' | 'denied' | 'failed'),
            },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const events = (log.data?.pages ?? [])
    .flatMap((p) => p.events)
    .filter((e) => !actor || [e.actorUser, e.actorToken].some((a) => a?.includes(actor)))
  return (
    <Page title="Audit log">
      <section className="form-row" aria-label="Filter the audit log">
        <TextField label="Action" value={action} onChange={setAction} placeholder="token.* or member.add" />
        <TextField label="Since" value={since} onChange={setSince} description="15m, 24h, 7d or a date" />
        <SelectField label="Outcome" options={OUTCOMES} value={outcome} onChange={setOutcome} />
        <TextField label="Who" value={actor} onChange={setActor} placeholder="a user or token id" />
      </section>
      {log.isPending ? (
        <Loading />
      ) : log.error ? (
        <ErrorNotice error={log.error} onRetry={() => void log.refetch()} />
      ) : events.length === 0 ? (
        <Empty title="No event matches these filters" />
      ) : (
        <>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Who</th>
                <th scope="col">Target</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.at)}</td>
                  <td>{e.action}</td>
                  <td>{e.outcome + (e.reason ? ` (${e.reason})` : '')}</td>
                  <td>{e.actorUser ?? e.actorToken ?? '–'}</td>
                  <td>{e.target ?? '–'}</td>
                  <td>{e.ip ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {log.hasNextPage ? (
            <Button isDisabled={log.isFetchingNextPage} onPress={() => void log.fetchNextPage()}>
              Older events
            </Button>
          ) : null}
        </>
      )}
    </Page>
  )
}
