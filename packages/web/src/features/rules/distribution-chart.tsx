import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { memo, useState } from 'react'
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { api, call } from '../../api/client'
import { SelectField } from '../../ui/fields'
import { formatNumber } from '../../ui/format'
import { Section } from '../../ui/page'
import { Empty, ErrorNotice, Loading } from '../../ui/states'
import type { RuleNode } from './rule-model'
import type { FieldInfo } from './schema-catalog'

/** The most frequent values of a field among the rule's members, as a bar chart. */
export const DistributionChart = memo(function DistributionChart({
  org,
  rule,
  dimension,
  asOf,
  fields,
  enabled,
  ready,
}: {
  org: string
  rule: RuleNode
  dimension: string
  asOf?: string
  fields: FieldInfo[]
  enabled: boolean
  /** The rule's count is on screen: asked only then, so it never races the count. */
  ready: boolean
}) {
  const candidates = fields.filter((f) => !f.path.includes('.'))
  const [field, setField] = useState<string | null>(
    candidates.find((f) => f.type === 'enum')?.path ?? candidates[0]?.path ?? null,
  )
  const distribution = useQuery({
    queryKey: ['org', org, 'distribution', field, dimension, asOf ?? null, rule],
    enabled: enabled && ready && field !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      call(
        api.POST('/v1/orgs/{org}/rules/distribution', {
          params: { path: { org } },
          body: { rule, dimension, field: field!, limit: 20, ...(asOf ? { asOf } : {}) },
          signal,
        }),
      ),
  })
  const data = (distribution.data?.values ?? []).map((v) => ({
    value: v.value === null ? '(empty)' : String(v.value),
    count: v.count,
  }))
  return (
    <Section
      title="Distribution"
      actions={
        <SelectField
          label="Field"
          options={candidates.map((f) => ({ id: f.path, label: f.label }))}
          value={field}
          onChange={setField}
        />
      }
    >
      {!enabled ? (
        <Empty title="Complete the rule to see its distribution" />
      ) : distribution.isPending ? (
        <Loading />
      ) : distribution.error ? (
        <ErrorNotice error={distribution.error} />
      ) : data.length === 0 ? (
        <Empty title="No members" />
      ) : (
        <figure className="chart" aria-label={`Members by ${field}`}>
          <ResponsiveContainer width="100%" height={Math.max(160, data.length * 28)}>
            <BarChart data={data} layout="vertical" margin={{ left: 24, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tickFormatter={formatNumber} />
              <YAxis type="category" dataKey="value" width={120} />
              <Tooltip formatter={(v) => formatNumber(Number(v))} />
              <Bar dataKey="count" fill="#2346c8" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <table className="visually-hidden">
            <caption>Members by {field}</caption>
            <tbody>
              {data.map((d) => (
                <tr key={d.value}>
                  <th scope="row">{d.value}</th>
                  <td>{d.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      )}
    </Section>
  )
})
