// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import axe from 'axe-core'
import { useState } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { describeProblem, ExpressionEditor } from './expression-editor'
import { editorServer } from './test-support'

// The API client keeps the fetch it was made with: route it, before any import, to the real server.
const route = vi.hoisted(() => {
  const route: { answer: (request: Request) => Promise<Response> } = {
    answer: async () => new Response(null, { status: 503 }),
  }
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    route.answer(
      input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost/'), init),
    )
  return route
})

let server: Awaited<ReturnType<typeof editorServer>>
beforeAll(async () => {
  server = await editorServer()
  route.answer = server.answer
})
afterAll(() => server?.close())
afterEach(cleanup)

function Holder({ initial }: { initial: string }) {
  const [value, setValue] = useState<string | undefined>(initial)
  return (
    <QueryClientProvider client={new QueryClient()}>
      <ExpressionEditor
        org="acme"
        label="Expression"
        value={value ?? ''}
        onChange={setValue}
        dimension="profiles"
        required
      />
    </QueryClientProvider>
  )
}

describe('the expression editor', () => {
  it('checks the text as it is typed and shows each problem with its line and column', async () => {
    render(<Holder initial="score * 2" />)
    const box = screen.getByLabelText('Expression *')
    expect(box.tagName).toBe('TEXTAREA')
    await waitFor(() => expect(screen.getByText('The expression is valid.')).toBeTruthy())
    expect(box.getAttribute('aria-invalid')).toBe('false')

    fireEvent.change(box, { target: { value: 'score *\n  (2 +' } })
    await waitFor(() => expect(document.querySelector('[data-code="EXPR_PARSE"]')).toBeTruthy())
    expect(document.querySelector('[data-code="EXPR_PARSE"]')?.textContent).toMatch(/^Line 2, column \d+: /)
    expect(box.getAttribute('aria-invalid')).toBe('true')

    fireEvent.change(box, { target: { value: "score + 'a'" } })
    await waitFor(() => expect(document.querySelector('[data-code="EXPR_TYPE"]')).toBeTruthy())
    expect(document.querySelector('[data-code="EXPR_TYPE"]')?.textContent).toMatch(
      /^Line 1, column \d+: .*EXPR_TYPE$/,
    )

    fireEvent.change(box, { target: { value: 'nope + 1' } })
    await waitFor(() =>
      expect(screen.getByRole('list', { name: 'Problems of expression' }).textContent).toMatch(/nope/),
    )

    fireEvent.change(box, { target: { value: 'score + 1' } })
    await waitFor(() => expect(screen.getByText('The expression is valid.')).toBeTruthy())
    expect(document.querySelectorAll('.expression-problems li')).toHaveLength(0)
    // Only settled text reached the server, never a request per keystroke.
    const sent = server.requests.filter((r) => r.url.endsWith('/expressions/validate'))
    expect(sent.map((r) => (r.body as { expression: string }).expression)).toEqual([
      'score * 2',
      'score *\n  (2 +',
      "score + 'a'",
      'nope + 1',
      'score + 1',
    ])
    const results = await axe.run(document.body, { rules: { region: { enabled: false } } })
    expect(results.violations.map((v) => v.id)).toEqual([])
  })

  it('words a located problem without repeating its location', () => {
    expect(
      describeProblem({
        code: 'EXPR_PARSE',
        message: 'Unexpected end at line 2, column 5',
        line: 2,
        column: 5,
      }),
    ).toBe('Line 2, column 5: Unexpected end')
    expect(describeProblem({ code: 'RULE_UNKNOWN_FIELD', message: 'Unknown field' })).toBe('Unknown field')
  })
})
