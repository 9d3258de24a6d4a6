import './sharing.css'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, call } from '../api/client'
import { useOrg } from '../app/org'
import { can } from '../app/session'
import { formatTime } from '../ui/format'
import { Page, Section } from '../ui/page'
import { Empty, ErrorNotice, Loading } from '../ui/states'

type Protection = 'none' | 'sha256' | 'hmac-sha256' | 'aes-cbc'

export const dataSourcesKey = (org: string) => ['org', org, 'sharing', 'data-sources'] as const

/** The org's hub data sources; creating one takes its key once (sealed by the server, never shown again). */
export default function DataSourcesPage() {
  const { org, role } = useOrg()
  const queryClient = useQueryClient()
  const list = useQuery({
    queryKey: dataSourcesKey(org),
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/sharing/data-sources', { params: { path: { org } }, signal })),
  })
  const [form, setForm] = useState({
    label: '',
    alias: '',
    namespace: 'email',
    idType: 'declared' as 'visitor' | 'declared',
    channel: 'email' as 'email' | 'sms' | 'other',
    protection: 'sha256' as Protection,
    key: '',
    iv: '',
    bits: 256 as 128 | 192 | 256,
  })
  const create = useMutation({
    mutationFn: () => {
      const protection =
        form.protection === 'hmac-sha256'
          ? { kind: form.protection, key: form.key }
          : form.protection === 'aes-cbc'
            ? { kind: form.protection, key: form.key, iv: form.iv, bits: form.bits }
            : { kind: form.protection }
      return call(
        api.POST('/v1/orgs/{org}/sharing/data-sources', {
          params: { path: { org } },
          body: {
            label: form.label,
            alias: form.alias,
            namespace: form.namespace,
            idType: form.idType,
            channel: form.channel,
            protection,
          },
        }),
      )
    },
    onSettled: () => {
      // The key leaves the browser's memory whatever the answer: it is typed once.
      setForm((f) => ({ ...f, key: '', iv: '' }))
      void queryClient.invalidateQueries({ queryKey: dataSourcesKey(org) })
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: k === 'bits' ? Number(e.target.value) : e.target.value }))
  const needsKey = form.protection === 'hmac-sha256' || form.protection === 'aes-cbc'
  return (
    <Page title="Data sources">
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorNotice error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.dataSources.length === 0 ? (
        <Empty title="No data source yet" />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Data source</th>
              <th>Id</th>
              <th>Namespace</th>
              <th>Type</th>
              <th>Protection</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {list.data.dataSources.map((d) => (
              <tr key={d.id}>
                <td>{d.label}</td>
                <td>
                  <code>{d.id}</code>
                </td>
                <td>{d.namespace}</td>
                <td>{d.idType}</td>
                <td>
                  {d.protection.kind}
                  {d.protection.bits ? ` ${d.protection.bits}` : ''}
                  {d.protection.hasKey ? ' (key sealed)' : ''}
                </td>
                <td>{formatTime(d.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can(role, 'admin') || can(role, 'write') ? (
        <Section title="New data source">
          <form className="stack-form" onSubmit={submit}>
            <label>
              Label <input required value={form.label} onChange={set('label')} />
            </label>
            <label>
              Alias <input required value={form.alias} onChange={set('alias')} pattern="[a-z][a-z0-9_-]*" />
            </label>
            <label>
              Namespace <input required value={form.namespace} onChange={set('namespace')} />
            </label>
            <label>
              ID type
              <select value={form.idType} onChange={set('idType')}>
                <option value="declared">declared</option>
                <option value="visitor">visitor</option>
              </select>
            </label>
            <label>
              Channel
              <select value={form.channel} onChange={set('channel')}>
                <option value="email">email</option>
                <option value="sms">sms</option>
                <option value="other">other</option>
              </select>
            </label>
            <label>
              Protection
              <select value={form.protection} onChange={set('protection')}>
                <option value="none">none</option>
                <option value="sha256">sha256</option>
                <option value="hmac-sha256">hmac-sha256</option>
                <option value="aes-cbc">aes-cbc</option>
              </select>
            </label>
            {needsKey ? (
              <label>
                Key (typed once, never shown again)
                <input type="password" autoComplete="off" required value={form.key} onChange={set('key')} />
              </label>
            ) : null}
            {form.protection === 'aes-cbc' ? (
              <>
                <label>
                  IV{' '}
                  <input type="password" autoComplete="off" required value={form.iv} onChange={set('iv')} />
                </label>
                <label>
                  Bits
                  <select value={form.bits} onChange={set('bits')}>
                    <option value={128}>128</option>
                    <option value={192}>192</option>
                    <option value={256}>256</option>
                  </select>
                </label>
              </>
            ) : null}
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              Create
            </button>
            {create.error ? <ErrorNotice error={create.error} /> : null}
            {create.isSuccess ? <p role="status">Created {create.data.id}.</p> : null}
          </form>
        </Section>
      ) : null}
    </Page>
  )
}
