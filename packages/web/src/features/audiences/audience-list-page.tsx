import { useQuery } from '@tanstack/react-query'
import type { ColumnDef } from '@tanstack/react-table'
import { useMemo, useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { type AudienceSummary, queries } from '../../api/queries'
import { useOrg } from '../../app/org'
import { can } from '../../app/session'
import { DataTable } from '../../ui/data-table'
import { SelectField, TextField } from '../../ui/fields'
import { formatNumber, formatTime } from '../../ui/format'
import { Page } from '../../ui/page'
import { Empty, ErrorNotice, Loading } from '../../ui/states'

type Audience = AudienceSummary

const TYPES = [
  { id: 'all', label: 'All types' },
  { id: 'query', label: 'Query' },
  { id: 'list', label: 'List' },
  { id: 'file', label: 'File' },
  { id: 'shared', label: 'Shared' },
]

/** Every audience of the org: search, filter by type, sort by any column; rows are virtualised. */
export default function AudienceListPage() {
  const { org, role } = useOrg()
  const navigate = useNavigate()
  const [search, setSearch] = useState('')
  const [type, setType] = useState('all')
  const audiences = useQuery(queries.audiences(org))
  const columns = useMemo<ColumnDef<Audience, unknown>[]>(
    () => [
      {
        header: 'Audience',
        accessorKey: 'label',
        cell: (c) => <Link to={`/o/${org}/audiences/${c.row.original.id}`}>{c.row.original.label}</Link>,
      },
      { header: 'Type', accessorKey: 'type' },
      { header: 'Size', accessorKey: 'size', cell: (c) => formatNumber(c.getValue() as number) },
      { header: 'Version', accessorKey: 'version' },
      { header: 'Last refresh', accessorKey: 'updatedAt', cell: (c) => formatTime(c.getValue() as string) },
      { header: 'Owner', accessorKey: 'owner' },
    ],
    [org],
  )
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase()
    return (audiences.data?.audiences ?? []).filter(
      (a) => (type === 'all' || a.type === type) && (!needle || a.label.toLowerCase().includes(needle)),
    )
  }, [audiences.data, search, type])
  return (
    <Page
      title="Audiences"
      actions={
        can(role, 'write') ? (
          <Link className="btn btn-primary" to={`/o/${org}/audiences/new`}>
            New audience
          </Link>
        ) : null
      }
    >
      <div className="row">
        <TextField
          label="Search"
          type="search"
          value={search}
          onChange={setSearch}
          placeholder="Audience name"
        />
        <SelectField label="Type" options={TYPES} value={type} onChange={setType} />
      </div>
      {audiences.isPending ? (
        <Loading />
      ) : audiences.error ? (
        <ErrorNotice error={audiences.error} onRetry={() => void audiences.refetch()} />
      ) : audiences.data.audiences.length === 0 ? (
        <Empty title="No audiences yet">
          <p>Build one from a rule: "New audience".</p>
        </Empty>
      ) : rows.length === 0 ? (
        <Empty title="No audience matches these filters" />
      ) : (
        <DataTable
          label="Audiences"
          columns={columns}
          data={rows}
          getRowId={(a) => a.id}
          height={600}
          onRowClick={(a) => navigate(`/o/${org}/audiences/${a.id}`)}
        />
      )}
    </Page>
  )
}
