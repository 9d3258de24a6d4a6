import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useNavigate, useParams } from 'react-router'
import { api, call } from '../../api/client'
import { queries } from '../../api/queries'
import { keys, useOrg } from '../../app/org'
import { can } from '../../app/session'
import { Button } from '../../ui/button'
import { ModalDialog } from '../../ui/dialog'
import { SelectField, TextField } from '../../ui/fields'
import { Page, Section } from '../../ui/page'
import { ErrorNotice, Loading } from '../../ui/states'
import { DistributionChart } from './distribution-chart'
import { LiveCount } from './live-count'
import { RuleBuilder, type RuleIssue } from './rule-builder'
import { emptyRule, type RuleNode } from './rule-model'
import { fieldsOf, type Tables } from './schema-catalog'
import { SqlView } from './sql-view'
import { useLiveCount } from './use-live-count'

type Mode = 'new-audience' | 'edit-audience' | 'scratch'

/** `2026-11-01T00:00` typed in a datetime-local box, read as UTC. */
function asOfIso(local: string): string | undefined {
  if (!local) return undefined
  const d = new Date(`${local}Z`)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

const NO_ISSUES: RuleIssue[] = []

/** The org's tables by name; the same object for the same answer, so what is memoised on it stays. */
const tablesCache = new WeakMap<object, Tables>()
function tablesOf(list: { name: string; definition: unknown }[]): Tables {
  let tables = tablesCache.get(list)
  if (!tables) {
    tables = Object.fromEntries(list.map((t) => [t.name, t.definition as Tables[string]]))
    tablesCache.set(list, tables)
  }
  return tables
}

function isEmpty(rule: RuleNode): boolean {
  return rule.kind === 'group' && rule.children.length === 0
}

/** The rule builder screen: the editor, its live count, as-of date, distribution, SQL and JSON; saves an audience. */
export default function RulePage({ mode }: { mode: Mode }) {
  const { org, role } = useOrg()
  const { id } = useParams()
  const schemas = useQuery(queries.schemas(org))
  const audience = useQuery({
    queryKey: keys.audience(org, id ?? ''),
    enabled: mode === 'edit-audience' && Boolean(id),
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/audiences/{id}', { params: { path: { org, id: id! } }, signal })),
  })
  if (schemas.isPending || (mode === 'edit-audience' && audience.isPending))
    return (
      <Page title="Rule builder">
        <Loading />
      </Page>
    )
  const error = schemas.error ?? audience.error
  if (error)
    return (
      <Page title="Rule builder">
        <ErrorNotice error={error} onRetry={() => void schemas.refetch()} />
      </Page>
    )
  const tables = tablesOf(schemas.data!.tables)
  const existing = audience.data?.audience
  return (
    <RuleScreen
      org={org}
      canWrite={can(role, 'write')}
      mode={mode}
      tables={tables}
      initialRule={(existing?.rule as RuleNode | null | undefined) ?? emptyRule()}
      initialDimension={
        existing?.dimension ?? ('profiles' in tables ? 'profiles' : (Object.keys(tables)[0] ?? ''))
      }
      audience={existing ? { id: existing.id, label: existing.label } : null}
    />
  )
}

function RuleScreen(props: {
  org: string
  canWrite: boolean
  mode: Mode
  tables: Tables
  initialRule: RuleNode
  initialDimension: string
  audience: { id: string; label: string } | null
}) {
  const { org, tables, mode } = props
  const [rule, setRule] = useState<RuleNode>(props.initialRule)
  const [dimension, setDimension] = useState(props.initialDimension)
  const [asOfLocal, setAsOfLocal] = useState('')
  const [label, setLabel] = useState('')
  const [jsonOpen, setJsonOpen] = useState(false)
  const asOf = asOfIso(asOfLocal)
  const complete = !isEmpty(rule)
  const count = useLiveCount(complete ? { org, rule, dimension, asOf } : null)
  const issues = useMemo<RuleIssue[]>(() => {
    const e = count.error as { code?: string; details?: { issues?: RuleIssue[] } } | null
    return count.status === 'error' && e?.code === 'RULE_INVALID'
      ? (e.details?.issues ?? NO_ISSUES)
      : NO_ISSUES
  }, [count.status, count.error])
  const audiences = useQuery(queries.audiences(org))
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const save = useMutation({
    mutationFn: async () => {
      if (mode === 'edit-audience' && props.audience) {
        await call(
          api.PATCH('/v1/orgs/{org}/audiences/{id}', {
            params: { path: { org, id: props.audience.id } },
            body: { rule },
          }),
        )
        return props.audience.id
      }
      const saved = await call(
        api.POST('/v1/orgs/{org}/audiences', {
          params: { path: { org } },
          body: { type: 'query', label, rule, dimension } as { type: 'query' },
        }),
      )
      return saved.audience.id
    },
    onSuccess: async (audienceId) => {
      await queryClient.invalidateQueries({ queryKey: keys.audiences(org) })
      navigate(`/o/${org}/audiences/${audienceId}`)
    },
  })
  const fields = useMemo(() => fieldsOf(tables, dimension), [tables, dimension])
  const audienceOptions = useMemo(
    () => (audiences.data?.audiences ?? []).map((a) => ({ id: a.id, label: a.label })),
    [audiences.data],
  )
  // The distribution and the SQL follow the count: asked once the count of this very rule is on
  // screen, so they never take the engine from it while the rule is edited (and an edit cancels them).
  const validForTools = complete && count.status !== 'error'
  return (
    <Page
      title={
        props.audience
          ? `Rule of ${props.audience.label}`
          : mode === 'new-audience'
            ? 'New audience'
            : 'Rule builder'
      }
    >
      <div className="rule-layout">
        <div className="rule-main">
          <Section
            title="Rule"
            actions={
              <div className="row">
                <SelectField
                  label="Select from"
                  options={Object.keys(tables).map((t) => ({ id: t, label: tables[t]?.label ?? t }))}
                  value={dimension}
                  onChange={(d) => {
                    setDimension(d)
                    setRule(emptyRule())
                  }}
                />
                <Button onPress={() => setJsonOpen(true)}>Edit as JSON</Button>
              </div>
            }
          >
            <RuleBuilder
              rule={rule}
              onChange={setRule}
              tables={tables}
              dimension={dimension}
              issues={issues}
              audiences={audienceOptions}
            />
          </Section>
        </div>
        <aside className="rule-side" aria-label="Count and save">
          <Section title="Count">
            <LiveCount state={count} dimension={dimension} />
            <TextField
              label="As of (UTC)"
              type="datetime-local"
              value={asOfLocal}
              onChange={setAsOfLocal}
              description="Replays relative dates at a past time; empty means now."
            />
          </Section>
          {props.canWrite ? (
            <Section title={props.audience ? 'Save' : 'Save as audience'}>
              {props.audience ? null : <TextField label="Audience name" value={label} onChange={setLabel} />}
              <Button
                variant="primary"
                isDisabled={!complete || save.isPending || (!props.audience && label.trim() === '')}
                onPress={() => save.mutate()}
              >
                {props.audience ? 'Save rule' : 'Save audience'}
              </Button>
              {save.error ? <ErrorNotice error={save.error} /> : null}
            </Section>
          ) : null}
        </aside>
      </div>
      <div className="grid-2">
        <DistributionChart
          org={org}
          rule={rule}
          dimension={dimension}
          asOf={asOf}
          fields={fields}
          enabled={validForTools}
          ready={count.settled}
        />
        <SqlView
          org={org}
          rule={rule}
          dimension={dimension}
          asOf={asOf}
          enabled={validForTools}
          ready={count.settled}
        />
      </div>
      <Section title="Rule JSON">
        <pre>{JSON.stringify(rule, null, 2)}</pre>
      </Section>
      <JsonDialog
        isOpen={jsonOpen}
        onOpenChange={setJsonOpen}
        rule={rule}
        onApply={(next) => {
          setRule(next)
          setJsonOpen(false)
        }}
      />
    </Page>
  )
}

function JsonDialog({
  isOpen,
  onOpenChange,
  rule,
  onApply,
}: {
  isOpen: boolean
  onOpenChange: (open: boolean) => void
  rule: RuleNode
  onApply: (rule: RuleNode) => void
}) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (isOpen) {
      setText(JSON.stringify(rule, null, 2))
      setError(null)
    }
  }, [isOpen, rule])
  return (
    <ModalDialog title="Edit the rule as JSON" isOpen={isOpen} onOpenChange={onOpenChange}>
      <p className="muted">
        Paste a rule made with the CLI or the API (docs/rules.md); the builder opens it as it is.
      </p>
      <textarea
        className="json-input"
        aria-label="Rule JSON"
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="row">
        <Button
          variant="primary"
          onPress={() => {
            try {
              const parsed = JSON.parse(text) as RuleNode
              if (!parsed || typeof parsed !== 'object' || !('kind' in parsed))
                throw new Error('A rule is an object with a "kind"')
              onApply(parsed)
            } catch (e) {
              setError(e instanceof Error ? e.message : String(e))
            }
          }}
        >
          Apply
        </Button>
        <Button onPress={() => onOpenChange(false)}>Cancel</Button>
      </div>
    </ModalDialog>
  )
}
