// @vitest-environment happy-dom
import { CONFORMANCE_CASES, DEMO_SCHEMA_YAML } from '@ahub/testing'
import { cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'
import { RuleBuilder } from './rule-builder'
import { emptyRule, type RuleNode } from './rule-model'
import type { Tables } from './schema-catalog'

const tables = (parse(DEMO_SCHEMA_YAML) as { tables: Tables }).tables

afterEach(cleanup)

describe('the rule builder', () => {
  it('opens every conformance rule, draws it, and changes nothing until edited', () => {
    for (const c of CONFORMANCE_CASES) {
      const onChange = vi.fn()
      const before = JSON.stringify(c.rule)
      const { unmount } = render(
        <RuleBuilder
          rule={c.rule}
          onChange={onChange}
          tables={tables}
          dimension={c.dimension ?? 'profiles'}
        />,
      )
      expect(onChange, c.name).not.toHaveBeenCalled()
      expect(JSON.stringify(c.rule), c.name).toBe(before)
      unmount()
    }
  })

  it('adds a condition and a link with its where, with the mouse', async () => {
    const user = userEvent.setup()
    let rule: RuleNode = emptyRule()
    const onChange = (next: RuleNode) => {
      rule = next
      view.rerender(<RuleBuilder rule={rule} onChange={onChange} tables={tables} dimension="profiles" />)
    }
    const view = render(<RuleBuilder rule={rule} onChange={onChange} tables={tables} dimension="profiles" />)
    await user.click(screen.getByRole('button', { name: 'Add condition' }))
    await user.click(screen.getByRole('button', { name: 'Add link' }))
    const link = screen.getByRole('group', { name: 'Link' })
    await user.click(within(link).getByRole('button', { name: /Add condition on purchases/ }))
    expect(rule).toMatchObject({
      kind: 'group',
      op: 'and',
      children: [
        { kind: 'condition' },
        { kind: 'link', link: 'purchases', aggregate: { fn: 'exists' }, where: { kind: 'condition' } },
      ],
    })
    await user.click(screen.getAllByRole('button', { name: 'Remove condition' })[0]!)
    expect(rule.kind === 'group' && rule.children.map((c) => c.kind)).toEqual(['link'])
  })

  it('shows a server issue on the node it is about', () => {
    const rule: RuleNode = {
      kind: 'group',
      op: 'and',
      children: [{ kind: 'condition', field: 'nope', op: '=', value: 1 }],
    }
    render(
      <RuleBuilder
        rule={rule}
        onChange={() => {}}
        tables={tables}
        dimension="profiles"
        issues={[
          {
            path: ['children', 0, 'field'],
            code: 'RULE_UNKNOWN_FIELD',
            message: 'Unknown field "nope" on profiles',
          },
        ]}
      />,
    )
    const condition = screen.getByRole('group', { name: 'Condition' })
    expect(within(condition).getByText(/Unknown field "nope"/)).toBeTruthy()
    expect(within(condition).getByText('RULE_UNKNOWN_FIELD')).toBeTruthy()
  })
})
