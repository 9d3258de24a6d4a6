import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { queries } from '../../api/queries'
import { api, call } from '../../api/client'
import { keys, useOrg } from '../../app/org'
import { Page, Section } from '../../ui/page'
import { Empty, ErrorNotice, Loading } from '../../ui/states'

interface Field {
  type: string
  nullable?: boolean
  values?: string[]
  identity?: { namespace: string } & Record<string, unknown>
}
interface Relationship {
  target: string
  cardinality: string
  on: Record<string, string>
}

/**
 * The org's schema: each table with its fields (type, identity, primary key) and, drawn as a small
 * diagram, the relationships between tables (one arrow per relationship, with its cardinality).
 */
export default function SchemasPage() {
  const { org } = useOrg()
  const schemas = useQuery({
    ...queries.schemas(org),
  })
  return (
    <Page title="Schemas">
      {schemas.isPending ? (
        <Loading />
      ) : schemas.error ? (
        <ErrorNotice error={schemas.error} onRetry={() => void schemas.refetch()} />
      ) : schemas.data.tables.length === 0 ? (
        <Empty title="No schema yet">
          <p>
            Apply a schema file with <code>ahub schema apply schema.yaml</code>; docs/schema-format.md describes it.
          </p>
        </Empty>
      ) : (
        <>
          <Section title="Relationships">
            <Diagram
              tables={schemas.data.tables.map((t) => ({
                name: t.name,
                relationships: (t.definition.relationships ?? {}) as Record<string, Relationship>,
              }))}
            />
          </Section>
          {schemas.data.tables.map((t) => (
            <Section key={t.name} title={`${t.name} (revision ${t.revision})`}>
              <p>
                <Link to={`/o/${org}/data/datasets/${t.name}`}>Dataset and batches</Link>
              </p>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Type</th>
                    <th scope="col">Identity</th>
                    <th scope="col">Notes</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(t.definition.fields as Record<string, Field>).map(([name, f]) => (
                    <tr key={name}>
                      <td>
                        <code>{name}</code>
                      </td>
                      <td>{f.type}</td>
                      <td>{f.identity ? f.identity.namespace : '–'}</td>
                      <td>
                        {[
                          t.definition.primaryKey.includes(name) ? 'primary key' : null,
                          f.nullable === false ? 'required' : null,
                          f.values ? `values: ${f.values.join(', ')}` : null,
                        ]
                          .filter(Boolean)
                          .join('; ') || '–'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Section>
          ))}
        </>
      )}
    </Page>
  )
}

/** Tables as boxes in a row, relationships as labelled arrows between them (SVG). */
function Diagram({ tables }: { tables: { name: string; relationships: Record<string, Relationship> }[] }) {
  const width = 180
  const gap = 80
  const x = (i: number) => 10 + i * (width + gap)
  const index = new Map(tables.map((t, i) => [t.name, i]))
  const arrows = tables.flatMap((t) =>
    Object.entries(t.relationships).map(([name, r]) => ({ from: t.name, to: r.target, name, cardinality: r.cardinality })),
  )
  const total = 20 + tables.length * (width + gap)
  return (
    <svg
      className="schema-diagram"
      role="img"
      aria-label={`Tables ${tables.map((t) => t.name).join(', ')}; ${arrows.map((a) => `${a.from} ${a.cardinality} ${a.to} (${a.name})`).join('; ') || 'no relationships'}`}
      viewBox={`0 0 ${total} ${80 + arrows.length * 22}`}
      width="100%"
    >
      {tables.map((t, i) => (
        <g key={t.name}>
          <rect x={x(i)} y={10} width={width} height={40} rx={6} fill="#eef3ff" stroke="#3355aa" />
          <text x={x(i) + width / 2} y={35} textAnchor="middle" fontSize={14} fill="#111">
            {t.name}
          </text>
        </g>
      ))}
      {arrows.map((a, k) => {
        const from = index.get(a.from)
        const to = index.get(a.to)
        if (from === undefined || to === undefined) return null
        const y = 62 + k * 22
        const x1 = x(from) + width / 2
        const x2 = x(to) + width / 2
        return (
          <g key={`${a.from}.${a.name}`}>
            <line x1={x1} y1={50} x2={x1} y2={y} stroke="#555" />
            <line x1={x1} y1={y} x2={x2} y2={y} stroke="#555" markerEnd="url(#arrow)" />
            <text x={(x1 + x2) / 2} y={y - 4} textAnchor="middle" fontSize={12} fill="#222">
              {`${a.name} (${a.cardinality})`}
            </text>
          </g>
        )
      })}
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" fill="#555" />
        </marker>
      </defs>
    </svg>
  )
}
