import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { DropZone, FileTrigger, Text } from 'react-aria-components'
import { useParams } from 'react-router'
import { api, call } from '../../api/client'
import { keys, useOrg } from '../../app/org'
import { can } from '../../app/session'
import { Button } from '../../ui/button'
import { formatDuration, formatNumber, formatTime } from '../../ui/format'
import { Page, Section } from '../../ui/page'
import { Progress } from '../../ui/progress'
import { Empty, ErrorNotice, Loading } from '../../ui/states'
import { type BatchReport, uploadBatch } from './upload'

/** A dataset: its counts and sample, its batches with their reports, and an upload zone. */
export default function DatasetPage() {
  const { org, role } = useOrg()
  const table = useParams().table!
  const dataset = useQuery({
    queryKey: keys.dataset(org, table),
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/datasets/{table}', { params: { path: { org, table } }, signal })),
  })
  const batches = useQuery({
    queryKey: keys.batches(org, table),
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/batches', { params: { path: { org }, query: { table, limit: 50 } }, signal })),
  })
  return (
    <Page title={`Dataset ${table}`}>
      {dataset.isPending ? (
        <Loading />
      ) : dataset.error ? (
        <ErrorNotice error={dataset.error} onRetry={() => void dataset.refetch()} />
      ) : (
        <div className="grid-3">
          <Section title="Rows">
            <span className="stat">{formatNumber(dataset.data.rows)}</span>
            <span className="stat-label">revision {dataset.data.revision}</span>
          </Section>
          <Section title="Identity links">
            {dataset.data.identityLinks.length === 0 ? (
              <p className="muted">No identity links.</p>
            ) : (
              <ul>
                {dataset.data.identityLinks.map((l) => (
                  <li key={l.namespace}>
                    {l.namespace}: {formatNumber(l.links)} links, {formatNumber(l.profiles)} profiles
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section title="Flagged identities">
            <span className="stat">{formatNumber(dataset.data.flaggedIdentities)}</span>
          </Section>
        </div>
      )}
      {can(role, 'write') ? <UploadPanel org={org} table={table} /> : null}
      <Section title="Batches">
        {batches.isPending ? (
          <Loading />
        ) : batches.error ? (
          <ErrorNotice error={batches.error} onRetry={() => void batches.refetch()} />
        ) : batches.data.batches.length === 0 ? (
          <Empty title="No batches yet">
            <p>Upload a file to load rows into this dataset.</p>
          </Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Status</th>
                <th scope="col">Inserted</th>
                <th scope="col">Updated</th>
                <th scope="col">Deleted</th>
                <th scope="col">Rejected</th>
                <th scope="col">Started</th>
                <th scope="col">Rejects</th>
              </tr>
            </thead>
            <tbody>
              {batches.data.batches.map((b) => {
                const report = b.report && 'inserted' in b.report ? b.report : null
                return (
                  <tr key={b.id}>
                    <td>{b.file}</td>
                    <td>
                      <span
                        className={`badge ${b.status === 'succeeded' ? 'badge-ok' : b.status === 'failed' ? 'badge-bad' : ''}`}
                      >
                        {b.status}
                      </span>
                    </td>
                    <td>{formatNumber(report?.inserted)}</td>
                    <td>{formatNumber(report?.updated)}</td>
                    <td>{formatNumber(report?.deleted)}</td>
                    <td>{formatNumber(report?.rejected)}</td>
                    <td>{formatTime(b.startedAt)}</td>
                    <td>
                      {report?.rejected ? (
                        <a href={`/v1/orgs/${org}/batches/${b.id}/rejects`} download>
                          Reject file
                        </a>
                      ) : (
                        '–'
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </Section>
    </Page>
  )
}

function UploadPanel({ org, table }: { org: string; table: string }) {
  const queryClient = useQueryClient()
  const [progress, setProgress] = useState(0)
  const upload = useMutation({
    mutationFn: (file: File) => {
      setProgress(0)
      return uploadBatch(org, table, file, setProgress)
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: keys.batches(org, table) })
      void queryClient.invalidateQueries({ queryKey: keys.dataset(org, table) })
      void queryClient.invalidateQueries({ queryKey: keys.datasets(org) })
    },
  })
  const send = (files: File[]) => {
    const file = files[0]
    if (file) upload.mutate(file)
  }
  return (
    <Section title="Upload a file">
      <DropZone
        className="dropzone"
        aria-label={`Drop a CSV, NDJSON or Parquet file into ${table}`}
        onDrop={async (e) => {
          const files: File[] = []
          for (const item of e.items) if (item.kind === 'file') files.push(await item.getFile())
          send(files)
        }}
      >
        <Text slot="label">Drop a CSV, NDJSON or Parquet file here (gzip is fine), or </Text>
        <FileTrigger
          acceptedFileTypes={['.csv', '.ndjson', '.jsonl', '.parquet', '.gz']}
          onSelect={(list) => send(list ? Array.from(list) : [])}
        >
          <Button>Choose a file</Button>
        </FileTrigger>
      </DropZone>
      {upload.isPending ? (
        <Progress label={progress < 1 ? 'Uploading' : 'Loading into the dataset'} value={progress < 1 ? progress * 100 : undefined} />
      ) : null}
      {upload.error ? <ErrorNotice error={upload.error} /> : null}
      {upload.data ? <BatchResult report={upload.data} /> : null}
    </Section>
  )
}

/** What a batch did, and its first rejected lines. */
export function BatchResult({ report }: { report: BatchReport }) {
  return (
    <div className="batch-result" role="status">
      <p>
        <strong>{report.file}</strong> {report.status} in {formatDuration(report.durationMs)}:{' '}
        {formatNumber(report.received)} received, {formatNumber(report.inserted)} inserted,{' '}
        {formatNumber(report.updated)} updated, {formatNumber(report.deleted)} deleted,{' '}
        {formatNumber(report.rejected)} rejected.
      </p>
      {report.rejectSample.length > 0 ? (
        <table className="table">
          <caption>First rejected lines</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Code</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.rejectSample.map((r) => (
              <tr key={`${r.line}:${r.column}:${r.code}`}>
                <td>{r.line ?? '–'}</td>
                <td>{r.column ?? '–'}</td>
                <td>
                  <code>{r.code}</code>
                </td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.rejectFile ? (
        <a href={report.rejectFile} download>
          Download the reject file
        </a>
      ) : null}
    </div>
  )
}
