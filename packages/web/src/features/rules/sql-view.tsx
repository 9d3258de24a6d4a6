import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { memo, useState } from 'react'
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components'
import { api, call } from '../../api/client'
import { Section } from '../../ui/page'
import { ErrorNotice, Loading } from '../../ui/states'
import type { RuleNode } from './rule-model'

const DIALECTS = [
  { id: 'duckdb', label: 'DuckDB' },
  { id: 'postgres', label: 'PostgreSQL' },
  { id: 'clickhouse', label: 'ClickHouse' },
] as const
type Dialect = (typeof DIALECTS)[number]['id']

/** The SQL the rule compiles to, per engine, with its bound parameters. */
export const SqlView = memo(function SqlView({
  org,
  rule,
  dimension,
  asOf,
  enabled,
  ready,
}: {
  org: string
  rule: RuleNode
  dimension: string
  asOf?: string
  enabled: boolean
  /** The rule's count is on screen: asked only then, so it never races the count. */
  ready: boolean
}) {
  const [dialect, setDialect] = useState<Dialect>('duckdb')
  const sql = useQuery({
    queryKey: ['org', org, 'sql', dialect, dimension, asOf ?? null, rule],
    enabled: enabled && ready,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      call(
        api.POST('/v1/orgs/{org}/rules/sql', {
          params: { path: { org } },
          body: { rule, dimension, dialect, ...(asOf ? { asOf } : {}) },
          signal,
        }),
      ),
  })
  return (
    <Section title="Compiled SQL">
      <Tabs selectedKey={dialect} onSelectionChange={(k) => setDialect(k as Dialect)}>
        <TabList className="tabs-list" aria-label="Engine">
          {DIALECTS.map((d) => (
            <Tab key={d.id} id={d.id} className="tab">
              {d.label}
            </Tab>
          ))}
        </TabList>
        {DIALECTS.map((d) => (
          <TabPanel key={d.id} id={d.id}>
            {!enabled ? (
              <p className="muted">Complete the rule to see its SQL.</p>
            ) : sql.isPending ? (
              <Loading />
            ) : sql.error ? (
              <ErrorNotice error={sql.error} />
            ) : (
              <>
                <pre className="sql">{sql.data.sql}</pre>
                <pre className="sql-params">
                  {sql.data.params
                    .map((p, i) => `-- ${i + 1}: ${JSON.stringify(p.value)} (${p.type})`)
                    .join('\n')}
                </pre>
              </>
            )}
          </TabPanel>
        ))}
      </Tabs>
    </Section>
  )
})
