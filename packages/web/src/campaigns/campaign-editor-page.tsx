import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useNavigate, useParams } from 'react-router'
import { api, call } from '../api/client'
import { keys, useOrg } from '../app/org'
import { can } from '../app/session'
import { Button } from '../ui/button'
import { TextField } from '../ui/fields'
import { Page } from '../ui/page'
import { ErrorNotice, Loading } from '../ui/states'
import { ActivityForm } from './activity-form'
import { CampaignCanvas, type CanvasIssue } from './campaign-canvas'
import {
  type CanvasState,
  type DefinitionJson,
  emptyCanvas,
  fromDefinition,
  type History,
  record,
  startHistory,
  toDefinition,
  transitionDimensions,
  updateActivity,
} from './canvas-model'
import { RunPanel, runFigures, TransitionPreviewTable, useRun } from './run-panel'

/** Issues of one activity's options by option path (`subsets.0.code`), for its form. */
export function optionIssues(issues: ApiIssue[], index: number): Record<string, string> {
  const out: Record<string, string> = {}
  for (const i of issues)
    if (i.path[0] === 'activities' && i.path[1] === index && i.path[2] === 'options')
      out[i.path.slice(3).join('.')] ??= i.message
  return out
}

interface ApiIssue {
  path: (string | number)[]
  code: string
  message: string
}

/** Places each issue of the validate route on the activity or transition its path names. */
export function placeIssues(state: CanvasState, issues: ApiIssue[]): CanvasIssue[] {
  return issues.map((i) => {
    const [head, index] = i.path
    const out: CanvasIssue = { code: i.code, message: i.message }
    if (head === 'activities' && typeof index === 'number' && state.activities[index])
      out.activity = state.activities[index].id
    if (head === 'transitions' && typeof index === 'number' && state.transitions[index]) {
      out.transition = state.transitions[index].id
      out.activity = state.transitions[index].to
    }
    return out
  })
}

/** Validates the definition as it is edited (debounced), through the validate route. */
function useValidation(org: string, state: CanvasState) {
  const definition = useMemo(() => toDefinition(state), [state])
  const [debounced, setDebounced] = useState(definition)
  useEffect(() => {
    const t = setTimeout(() => setDebounced(definition), 300)
    return () => clearTimeout(t)
  }, [definition])
  return useQuery({
    queryKey: ['org', org, 'campaign-validate', debounced],
    queryFn: ({ signal }) =>
      call(
        api.POST('/v1/orgs/{org}/campaigns/validate', {
          params: { path: { org } },
          body: debounced as Record<string, unknown>,
          signal,
        }),
      ),
    placeholderData: (prev) => prev,
  })
}

/** Draws a new campaign or opens a saved one on the canvas; saves the same JSON the CLI reads. */
export default function CampaignEditorPage() {
  const { org } = useOrg()
  const { id } = useParams()
  const saved = useQuery({
    queryKey: [...keys.campaigns(org), id],
    enabled: Boolean(id),
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/campaigns/{id}', { params: { path: { org, id: id! } }, signal })),
  })
  if (id && saved.isPending) return <Loading />
  if (id && saved.error) return <ErrorNotice error={saved.error} onRetry={() => saved.refetch()} />
  const campaign = saved.data?.campaign
  return (
    <Editor
      key={id ?? 'new'}
      id={id ?? null}
      status={campaign?.status ?? 'draft'}
      lastRun={campaign?.lastRun ?? null}
      initial={campaign ? fromDefinition(campaign.definition as DefinitionJson) : emptyCanvas()}
    />
  )
}

function Editor({
  id,
  status,
  lastRun,
  initial,
}: {
  id: string | null
  status: string
  lastRun: string | null
  initial: CanvasState
}) {
  const { org, role } = useOrg()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [history, setHistory] = useState<History>(() => startHistory(initial))
  const [selected, setSelected] = useState<string | null>(null)
  const [run, setRun] = useState<string | null>(lastRun)
  const [previewed, setPreviewed] = useState<string | null>(null)
  const runQuery = useRun(org, id ?? '', id ? run : null)
  const figures = runFigures(runQuery.data)
  const state = history.present
  const validation = useValidation(org, state)
  const issues = useMemo(() => placeIssues(state, validation.data?.issues ?? []), [state, validation.data])
  const readOnly = status !== 'draft' || !can(role, 'write')
  const label = typeof state.rest.label === 'string' ? state.rest.label : ''
  const dimension = ((state.rest.settings ?? {}) as { dimension?: string }).dimension ?? 'profiles'

  const save = useMutation({
    mutationFn: async () => {
      const body = toDefinition(state) as Record<string, unknown>
      if (id) return call(api.PUT('/v1/orgs/{org}/campaigns/{id}', { params: { path: { org, id } }, body }))
      return call(api.POST('/v1/orgs/{org}/campaigns', { params: { path: { org } }, body }))
    },
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: keys.campaigns(org) })
      if (!id) navigate(`/o/${org}/campaigns/${c.id}`, { replace: true })
    },
  })

  const selectedActivity = state.activities.find((a) => a.id === selected)
  return (
    <Page
      title={id ? `Campaign ${label}` : 'New campaign'}
      actions={
        readOnly ? null : (
          <Button variant="primary" onPress={() => save.mutate()} isDisabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </Button>
        )
      }
    >
      <div className="campaign-header">
        <TextField
          label="Campaign name"
          value={label}
          onChange={(v) =>
            setHistory((h) => record(h, { ...h.present, rest: { ...h.present.rest, label: v } }))
          }
        />
        <p role="status" className="campaign-validity">
          {validation.data
            ? validation.data.valid
              ? 'The campaign is valid'
              : `${validation.data.issues.length} issue(s)`
            : 'Validating…'}
        </p>
        {save.error ? <ErrorNotice error={save.error} /> : null}
        {save.isSuccess ? <p role="status">Saved.</p> : null}
      </div>
      <div className="campaign-editor">
        <CampaignCanvas
          history={history}
          onChange={setHistory}
          issues={issues}
          selected={selected}
          onSelect={setSelected}
          counts={figures.counts}
          statuses={figures.statuses}
          onTransitionClick={(t) => setPreviewed(t)}
          readOnly={readOnly}
        />
        <aside className="canvas-side" aria-label="Details">
          {selectedActivity ? (
            <ActivityForm
              org={org}
              activity={selectedActivity}
              dimension={
                transitionDimensions(state)[
                  state.transitions.find((t) => t.to === selectedActivity.id)?.id ?? ''
                ] ?? dimension
              }
              issues={optionIssues(validation.data?.issues ?? [], state.activities.indexOf(selectedActivity))}
              readOnly={readOnly}
              timeZone={((state.rest.settings ?? {}) as { timeZone?: string }).timeZone ?? 'UTC'}
              onTimeZone={(timeZone) =>
                setHistory((h) =>
                  record(h, {
                    ...h.present,
                    rest: {
                      ...h.present.rest,
                      settings: { ...((h.present.rest.settings ?? {}) as object), timeZone },
                    },
                  }),
                )
              }
              onChange={(patch) =>
                setHistory((h) => record(h, updateActivity(h.present, selectedActivity.id, patch)))
              }
            />
          ) : null}
          {id ? (
            <RunPanel
              org={org}
              id={id}
              status={status}
              run={run}
              onRun={(r) => {
                setRun(r)
                setPreviewed(null)
              }}
              canWrite={can(role, 'write')}
              current={runQuery}
            />
          ) : (
            <p>Save the campaign to test or start it.</p>
          )}
          <section aria-label="Issues">
            <h2>Issues</h2>
            {issues.length === 0 ? (
              <p>None.</p>
            ) : (
              <ul className="canvas-issues">
                {issues.map((i, n) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: issues have no id; the list is redrawn whole
                  <li key={n} data-code={i.code}>
                    {i.activity ? <strong>{i.activity}: </strong> : null}
                    {i.message} <code>{i.code}</code>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
      {id && run && previewed ? (
        <TransitionPreviewTable org={org} id={id} run={run} transition={previewed} />
      ) : null}
    </Page>
  )
}
