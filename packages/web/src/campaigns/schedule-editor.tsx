import { useQuery } from '@tanstack/react-query'
import { useId, useMemo } from 'react'
import { ApiError, api, call } from '../api/client'
import type { JsonSchema } from './schema-form'
import { useDebounced } from './use-debounced'

/** How long the schedule must stay unchanged before its launches are asked for. */
export const SCHEDULE_PREVIEW_DELAY_MS = 300

const WEEKDAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const

const KIND_TITLES: Record<string, string> = {
  once: 'Once',
  daily: 'Every day',
  weekly: 'Every week',
  monthly: 'Every month',
  cron: 'Cron expression',
}

type Schedule = { kind: string } & Record<string, unknown>
export interface SchedulerOptions {
  schedule?: Schedule
  validFrom?: string
  validUntil?: string
}

/** The schedule kinds the Scheduler's options schema allows (the `kind` const of each variant). */
export function scheduleKinds(optionsSchema: JsonSchema): string[] {
  const variants =
    optionsSchema.properties?.schedule?.oneOf ?? optionsSchema.properties?.schedule?.anyOf ?? []
  const kinds = variants
    .map((v) => v.properties?.kind?.const)
    .filter((k): k is string => typeof k === 'string')
  return kinds.length > 0 ? kinds : Object.keys(KIND_TITLES)
}

/** A new schedule of a kind, filled so that it launches. */
export function newSchedule(kind: string): Schedule {
  switch (kind) {
    case 'once': {
      const tomorrow = new Date(Date.now() + 86_400_000)
      return { kind, at: `${tomorrow.toISOString().slice(0, 10)}T09:00` }
    }
    case 'daily':
      return { kind, times: ['09:00'] }
    case 'weekly':
      return { kind, days: ['mon'], time: '09:00' }
    case 'monthly':
      return { kind, days: [1], time: '09:00' }
    case 'cron':
      return { kind, expression: '0 9 * * 1-5' }
    default:
      return { kind }
  }
}

/** Every zone the browser knows, UTC first. */
export function timeZones(): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return ['UTC', ...all.filter((z) => z !== 'UTC')]
}

/** A readable sentence for a preview failure: the server's message, each issue, the code. */
export function previewErrorSentence(error: unknown): string {
  if (!(error instanceof ApiError))
    return error instanceof Error ? error.message : 'The launches could not be computed'
  const issues = (error.details as { issues?: { path?: (string | number)[]; message: string }[] } | undefined)
    ?.issues
  const parts = issues?.length
    ? issues.map((i) => `${i.path?.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
    : [error.message]
  return `The schedule cannot launch: ${parts.join('; ')} (${error.code})`
}

/** ISO instant to a datetime-local value in the browser's zone, and back. */
const toLocalInput = (iso: string | undefined) => {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
}
const fromLocalInput = (v: string) => (v === '' ? undefined : new Date(v).toISOString())

/**
 * The Scheduler's options as a schedule editor: the kind of schedule (as its options schema allows),
 * the fields of that kind, the campaign's time zone, the validity window, and the next five launches
 * computed by the server as the schedule is edited (POST campaigns/schedule-preview, debounced).
 */
export function ScheduleEditor({
  org,
  schema,
  value,
  onChange,
  timeZone,
  onTimeZone,
  errors = {},
}: {
  org: string
  /** The Scheduler's options schema (GET campaign-activities). */
  schema: JsonSchema
  value: SchedulerOptions
  onChange: (next: SchedulerOptions) => void
  /** The campaign's time zone (settings.timeZone), which every schedule of it is read in. */
  timeZone: string
  onTimeZone: (zone: string) => void
  /** Messages of the campaign validation by option path. */
  errors?: Record<string, string>
}) {
  const id = useId()
  const kinds = useMemo(() => scheduleKinds(schema), [schema])
  const zones = useMemo(() => {
    const all = timeZones()
    return all.includes(timeZone) ? all : [timeZone, ...all]
  }, [timeZone])
  const schedule = value.schedule
  const set = (patch: Partial<SchedulerOptions>) => {
    const next: SchedulerOptions = { ...value, ...patch }
    for (const k of ['validFrom', 'validUntil'] as const) if (next[k] === undefined) delete next[k]
    onChange(next)
  }
  const setSchedule = (patch: Record<string, unknown>) => set({ schedule: { ...schedule!, ...patch } })

  const request = useDebounced(JSON.stringify({ ...value, timeZone }), SCHEDULE_PREVIEW_DELAY_MS)
  const preview = useQuery({
    queryKey: ['org', org, 'schedule-preview', request],
    enabled: schedule !== undefined,
    retry: false,
    queryFn: ({ signal }) =>
      call(
        api.POST('/v1/orgs/{org}/campaigns/schedule-preview', {
          params: { path: { org } },
          // The server checks the shape; a half-typed schedule comes back as a coded error.
          body: JSON.parse(request),
          signal,
        }),
      ),
  })
  const shown = new Intl.DateTimeFormat('en-GB', {
    timeZone: zones.includes(timeZone) ? timeZone : 'UTC',
    dateStyle: 'full',
    timeStyle: 'short',
  })
  const pending = request !== JSON.stringify({ ...value, timeZone }) || preview.isFetching

  return (
    <div className="schedule-editor">
      <div className="schema-field">
        <label htmlFor={`${id}-kind`}>Schedule</label>
        <select
          id={`${id}-kind`}
          value={schedule?.kind ?? ''}
          onChange={(e) => set({ schedule: e.target.value === '' ? undefined : newSchedule(e.target.value) })}
        >
          {schedule ? null : <option value="">—</option>}
          {kinds.map((k) => (
            <option key={k} value={k}>
              {KIND_TITLES[k] ?? k}
            </option>
          ))}
        </select>
      </div>
      {schedule?.kind === 'once' ? (
        <div className="schema-field">
          <label htmlFor={`${id}-at`}>Launch at</label>
          <input
            id={`${id}-at`}
            type="datetime-local"
            value={String(schedule.at ?? '').slice(0, 16)}
            onChange={(e) => setSchedule({ at: e.target.value })}
          />
        </div>
      ) : null}
      {schedule?.kind === 'daily' ? (
        <fieldset className="schema-array">
          <legend>Times of day</legend>
          {((schedule.times as string[] | undefined) ?? []).map((t, i, all) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: times are positional
            <div key={i} className="schema-array-item">
              <label htmlFor={`${id}-time-${i}`}>Time {i + 1}</label>
              <input
                id={`${id}-time-${i}`}
                type="time"
                value={t}
                onChange={(e) => setSchedule({ times: all.map((x, j) => (j === i ? e.target.value : x)) })}
              />
              <button
                type="button"
                className="schema-remove"
                onClick={() => setSchedule({ times: all.filter((_, j) => j !== i) })}
              >
                Remove time {i + 1}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="schema-add"
            onClick={() => setSchedule({ times: [...((schedule.times as string[]) ?? []), '12:00'] })}
          >
            Add a time
          </button>
        </fieldset>
      ) : null}
      {schedule?.kind === 'weekly' ? (
        <fieldset className="schedule-days">
          <legend>Days of the week</legend>
          {WEEKDAYS.map(([day, name]) => {
            const days = (schedule.days as string[] | undefined) ?? []
            return (
              <div key={day} className="schema-field schema-check">
                <input
                  id={`${id}-${day}`}
                  type="checkbox"
                  checked={days.includes(day)}
                  onChange={(e) =>
                    setSchedule({
                      days: e.target.checked
                        ? WEEKDAYS.map(([d]) => d).filter((d) => d === day || days.includes(d))
                        : days.filter((d) => d !== day),
                    })
                  }
                />
                <label htmlFor={`${id}-${day}`}>{name}</label>
              </div>
            )
          })}
        </fieldset>
      ) : null}
      {schedule?.kind === 'monthly' ? (
        <div className="schema-field">
          <label htmlFor={`${id}-mdays`}>Days of the month (1-31, comma-separated)</label>
          <input
            id={`${id}-mdays`}
            inputMode="numeric"
            value={((schedule.days as number[] | undefined) ?? []).join(', ')}
            onChange={(e) =>
              setSchedule({
                days: e.target.value
                  .split(/[\s,]+/)
                  .filter((x) => x !== '')
                  .map(Number),
              })
            }
          />
        </div>
      ) : null}
      {schedule?.kind === 'weekly' || schedule?.kind === 'monthly' ? (
        <div className="schema-field">
          <label htmlFor={`${id}-time`}>Time of day</label>
          <input
            id={`${id}-time`}
            type="time"
            value={String(schedule.time ?? '')}
            onChange={(e) => setSchedule({ time: e.target.value })}
          />
        </div>
      ) : null}
      {schedule?.kind === 'cron' ? (
        <div className="schema-field">
          <label htmlFor={`${id}-cron`}>Cron expression (minute hour day month weekday)</label>
          <input
            id={`${id}-cron`}
            className="expression-text"
            spellCheck={false}
            value={String(schedule.expression ?? '')}
            onChange={(e) => setSchedule({ expression: e.target.value })}
          />
        </div>
      ) : null}
      <div className="schema-field">
        <label htmlFor={`${id}-zone`}>Time zone (of the whole campaign)</label>
        <select id={`${id}-zone`} value={timeZone} onChange={(e) => onTimeZone(e.target.value)}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      <div className="schema-field">
        <label htmlFor={`${id}-from`}>Valid from (your local time)</label>
        <input
          id={`${id}-from`}
          type="datetime-local"
          value={toLocalInput(value.validFrom)}
          onChange={(e) => set({ validFrom: fromLocalInput(e.target.value) })}
        />
      </div>
      <div className="schema-field">
        <label htmlFor={`${id}-until`}>Valid until (your local time)</label>
        <input
          id={`${id}-until`}
          type="datetime-local"
          value={toLocalInput(value.validUntil)}
          onChange={(e) => set({ validUntil: fromLocalInput(e.target.value) })}
        />
      </div>
      {Object.entries(errors).map(([path, message]) => (
        <p key={path} className="field-error">
          {path}: {message}
        </p>
      ))}
      <section className="schedule-launches" aria-label="Next launches">
        <h3>Next launches</h3>
        <p role="status" className="schedule-state">
          {schedule === undefined
            ? 'Choose a schedule.'
            : pending
              ? 'Computing…'
              : preview.error
                ? ''
                : preview.data?.next.length === 0
                  ? 'No launch to come (the schedule is over or outside its validity window).'
                  : `The next ${preview.data?.next.length ?? 0} launches, in ${timeZone}:`}
        </p>
        {preview.error && !pending ? (
          <p role="alert" className="field-error">
            {previewErrorSentence(preview.error)}
          </p>
        ) : null}
        {schedule !== undefined && preview.data && !preview.error ? (
          <ol className="schedule-next">
            {preview.data.next.map((iso) => (
              <li key={iso}>
                <time dateTime={iso}>{shown.format(new Date(iso))}</time>
              </li>
            ))}
          </ol>
        ) : null}
      </section>
    </div>
  )
}
