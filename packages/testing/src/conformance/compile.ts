import type { EngineName } from '@ahub/core'
import type { CompileContext, CompiledQuery } from '@ahub/query'
import type { ConformanceCase } from './cases'
import { CONFORMANCE_AUDIENCES, CONFORMANCE_FILTERS } from './harness'

/** The compiler entry point the suite drives: `compileRule` of @ahub/query. */
export type CompileRule = (rule: unknown, ctx: CompileContext) => CompiledQuery

/** The compile context of a conformance case for one dialect. */
export function caseContext(
  dialect: EngineName,
  kase: Pick<ConformanceCase, 'dimension' | 'asOf'>,
  setup: { namespace: string; tables: CompileContext['tables']; asOf: Date },
): CompileContext {
  return {
    dialect,
    tables: setup.tables,
    dimension: kase.dimension ?? 'profiles',
    asOf: kase.asOf ?? setup.asOf,
    namespace: setup.namespace,
    audiences: (id) => {
      const a = Object.hasOwn(CONFORMANCE_AUDIENCES, id) ? CONFORMANCE_AUDIENCES[id] : undefined
      return a ? { namespace: setup.namespace, table: a.table, keyColumns: a.keyColumns } : undefined
    },
    filters: (name) =>
      Object.hasOwn(CONFORMANCE_FILTERS, name)
        ? CONFORMANCE_FILTERS[name as keyof typeof CONFORMANCE_FILTERS]
        : undefined,
  }
}
