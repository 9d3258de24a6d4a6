// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { matchReport } from './match-report'
import { MatchReportChart } from './match-report-chart'

afterEach(cleanup)

describe('the match report', () => {
  it('splits what was received into parts that add up to it', () => {
    const r = matchReport({ received: 10, matched: 6, unmatched: 2, invalid: 1, ambiguous: 1 })
    expect(r.addsUp).toBe(true)
    expect(r.parts.map((p) => p.share)).toEqual([0.6, 0.2, 0.1, 0.1])
  })

  it('says so when the parts do not add up, without scaling them to look whole', () => {
    const r = matchReport({ received: 10, matched: 5, unmatched: 2, invalid: 0, ambiguous: 0 })
    expect(r.addsUp).toBe(false)
    expect(r.parts.reduce((n, p) => n + p.share, 0)).toBeCloseTo(0.7)
    render(<MatchReportChart counts={{ received: 10, matched: 5, unmatched: 2, invalid: 0, ambiguous: 0 }} />)
    expect(screen.getByText(/add up to 7, not the 10 received/)).toBeTruthy()
  })

  it('draws one bar per part, widths in proportion, with a text alternative', () => {
    render(<MatchReportChart counts={{ received: 4, matched: 3, unmatched: 0, invalid: 1, ambiguous: 0 }} />)
    const img = screen.getByRole('img')
    expect(img.getAttribute('aria-label')).toBe(
      'Matched 3, Unmatched 0, Invalid 1, Ambiguous 0 of 4 received',
    )
    const widths = [...img.querySelectorAll('rect')].map((r) => Number(r.getAttribute('width')))
    expect(widths).toEqual([300, 0, 100, 0])
    expect(screen.getByText('4 = 4 received')).toBeTruthy()
  })
})
