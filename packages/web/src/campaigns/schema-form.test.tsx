// @vitest-environment happy-dom
import { ACTIVITIES, describeActivities } from '@ahub/campaigns'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ACTIVITY_INFO } from './activity-catalog'
import { type JsonSchema, SchemaForm, variantIndex } from './schema-form'

afterEach(cleanup)

const schemaOf = (type: string) => describeActivities().find((a) => a.type === type)!.options as JsonSchema

/** Holds the form's value the way the editor does, and shows it for the assertions. */
function Holder({ schema, initial }: { schema: JsonSchema; initial: unknown }) {
  const [value, setValue] = useState(initial)
  return (
    <>
      <SchemaForm schema={schema} value={value} onChange={setValue} />
      <output data-testid="value">{JSON.stringify(value)}</output>
    </>
  )
}
const current = () => JSON.parse(screen.getByTestId('value').textContent ?? 'null')

describe('forms generated from the activity schemas', () => {
  it('draws a form for every activity type, with a labelled control for each top-level option', () => {
    for (const a of describeActivities()) {
      const { unmount } = render(
        <Holder schema={a.options as JsonSchema} initial={ACTIVITY_INFO[a.type].initialOptions()} />,
      )
      expect(document.querySelector('.schema-form'), a.type).toBeTruthy()
      const props = Object.keys((a.options as JsonSchema).properties ?? {})
      for (const k of props)
        expect(document.body.textContent?.toLowerCase(), `${a.type}.${k}`).toContain(
          k
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .replace(/_/g, ' ')
            .toLowerCase(),
        )
      unmount()
    }
  })

  it('edits a Split: adds a subset, names it, limits it to 70 % and turns the complement on', async () => {
    render(<Holder schema={schemaOf('split')} initial={{ subsets: [] }} />)
    await userEvent.click(screen.getByRole('button', { name: 'Add subset' }))
    fireEvent.change(screen.getByLabelText('Code *'), { target: { value: 'first' } })
    await userEvent.click(screen.getByRole('button', { name: 'Add limit' }))
    fireEvent.change(screen.getByLabelText('Percent'), { target: { value: '70' } })
    await userEvent.click(screen.getByLabelText('Complement'))
    const value = current()
    expect(value).toEqual({
      subsets: [{ code: 'first', limit: { percent: 70 } }],
      complement: true,
    })
    expect(ACTIVITIES.split.options.safeParse(value).success).toBe(true)
  })

  it('chooses a variant of a oneOf by its kind and keeps values of the other fields', async () => {
    render(<Holder schema={schemaOf('deduplication')} initial={{ fields: ['email'] }} />)
    const method = screen.getByLabelText('Method')
    fireEvent.change(method, {
      target: {
        value: String(
          [...method.querySelectorAll('option')].findIndex((o) => o.textContent === 'expression') - 1,
        ),
      },
    })
    expect(current().method).toMatchObject({ kind: 'expression' })
    expect(current().fields).toEqual(['email'])
    const list = screen.getByRole('group', { name: 'Fields' })
    expect(within(list).getByDisplayValue('email')).toBeTruthy()
  })

  it('finds the variant of a value by its constants', () => {
    const variants: JsonSchema[] = [
      { type: 'object', properties: { kind: { const: 'a' } } },
      { type: 'object', properties: { kind: { const: 'b' } } },
    ]
    expect(variantIndex(variants, { kind: 'b' })).toBe(1)
    expect(variantIndex(variants, { kind: 'c' })).toBe(-1)
    expect(variantIndex(variants, undefined)).toBe(-1)
  })

  it('hands every option marked x-expression to renderSpecial with its path, and only those', () => {
    const seen: string[] = []
    for (const [type, initial] of [
      ['enrichment', { expressions: [{ name: 'k', expression: 'score' }] }],
      ['deduplication', { method: { kind: 'expression', expression: 'score', keep: 'smallest' } }],
      [
        'split',
        { subsets: [{ code: 'a', limit: { count: 1, order: { kind: 'expression', expression: 'score' } } }] },
      ],
    ] as const) {
      const { unmount } = render(
        <SchemaForm
          schema={schemaOf(type)}
          value={initial}
          onChange={() => {}}
          renderSpecial={(_key, value, _set, info) => {
            if (!info.schema['x-expression']) return null
            seen.push(`${type}:${info.path}=${String(value)}`)
            return <span>expression editor</span>
          }}
        />,
      )
      unmount()
    }
    expect([...new Set(seen)]).toEqual([
      'enrichment:expressions.0.expression=score',
      'deduplication:method.expression=score',
      'split:subsets.0.limit.order.expression=score',
    ])
  })
})
