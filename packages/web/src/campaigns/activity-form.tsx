import { useQuery } from '@tanstack/react-query'
import { api, call } from '../api/client'
import { keys } from '../app/org'
import { RuleBuilder } from '../features/rules/rule-builder'
import { emptyRule, type RuleNode } from '../features/rules/rule-model'
import type { Tables } from '../features/rules/schema-catalog'
import { ErrorNotice, Loading } from '../ui/states'
import { ACTIVITY_INFO } from './activity-catalog'
import type { CanvasActivity } from './canvas-model'
import { ExpressionEditor } from './expression-editor'
import { ScheduleEditor, type SchedulerOptions } from './schedule-editor'
import { type JsonSchema, SchemaForm } from './schema-form'

/** The activity types with their options schemas (GET campaign-activities), cached for the session. */
export function useActivitySchemas(org: string) {
  return useQuery({
    queryKey: ['org', org, 'campaign-activities'],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: ({ signal }) =>
      call(api.GET('/v1/orgs/{org}/campaign-activities', { params: { path: { org } }, signal })),
  })
}

function useTables(org: string) {
  return useQuery({
    queryKey: keys.schemas(org),
    queryFn: ({ signal }) => call(api.GET('/v1/orgs/{org}/schemas', { params: { path: { org } }, signal })),
    select: (d) =>
      Object.fromEntries(d.tables.map((t) => [t.name, t.definition as unknown as Tables[string]])) as Tables,
  })
}

/** The options of the selected activity, as a form generated from its type's schema; rules in the rule builder. */
export function ActivityForm({
  org,
  activity,
  dimension,
  issues,
  onChange,
  readOnly,
  timeZone,
  onTimeZone,
}: {
  org: string
  activity: CanvasActivity
  dimension: string
  /** Messages by option path. */
  issues: Record<string, string>
  onChange: (patch: { options?: Record<string, unknown>; label?: string }) => void
  readOnly: boolean
  /** The campaign's time zone (settings.timeZone): the Scheduler's schedule is read in it. */
  timeZone: string
  onTimeZone: (zone: string) => void
}) {
  const schemas = useActivitySchemas(org)
  const tables = useTables(org)
  if (schemas.isPending) return <Loading />
  if (schemas.error) return <ErrorNotice error={schemas.error} />
  const described = schemas.data.activities.find((a) => a.type === activity.type)
  return (
    <fieldset className="activity-form" disabled={readOnly} aria-label={`Options of ${activity.id}`}>
      <legend>
        {ACTIVITY_INFO[activity.type].title} <code>{activity.id}</code>
      </legend>
      <div className="schema-field">
        <label htmlFor={`label-${activity.id}`}>Display name</label>
        <input
          id={`label-${activity.id}`}
          value={activity.label ?? ''}
          onChange={(e) => onChange({ label: e.target.value })}
        />
      </div>
      {described && activity.type === 'scheduler' ? (
        <ScheduleEditor
          key={activity.id}
          org={org}
          schema={described.options as JsonSchema}
          value={activity.options as SchedulerOptions}
          onChange={(v) => onChange({ options: v as Record<string, unknown> })}
          timeZone={timeZone}
          onTimeZone={onTimeZone}
          errors={issues}
        />
      ) : described ? (
        <SchemaForm
          key={activity.id}
          schema={described.options as JsonSchema}
          value={activity.options}
          errors={issues}
          onChange={(v) => onChange({ options: (v ?? {}) as Record<string, unknown> })}
          renderSpecial={(key, value, set, info) =>
            info.schema['x-expression'] ? (
              <ExpressionEditor
                org={org}
                label={info.label}
                value={typeof value === 'string' ? value : ''}
                onChange={set}
                dimension={dimension}
                error={info.error}
                required={info.required}
              />
            ) : (key === 'rule' || info.schema['x-rule']) && tables.data ? (
              <div className="activity-rule">
                <p className="nav-group">{info.label}</p>
                {value === undefined ? (
                  <button type="button" onClick={() => set(emptyRule())}>
                    Add {key === 'rule' ? 'a rule' : `a rule as ${info.label.toLowerCase()}`}
                  </button>
                ) : (
                  <RuleBuilder
                    rule={value as RuleNode}
                    onChange={set}
                    tables={tables.data}
                    dimension={dimension}
                  />
                )}
              </div>
            ) : null
          }
        />
      ) : (
        <p>The server describes no options for {activity.type}.</p>
      )}
    </fieldset>
  )
}
