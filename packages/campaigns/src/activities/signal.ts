import type { Issue } from '@ahub/core'
import { z } from 'zod'
import { hasType, ParameterDecl } from '../parameters'
import { DEFAULT_RETRY, defineActivity } from './types'

/**
 * Signal: a start marker like Scheduler; runs start by API call (`signal`) with values of the
 * parameters declared here, usable as `{ "param": name }` in rules and `$name` in expressions.
 */
export const signal = defineActivity({
  type: 'signal',
  options: z.object({ parameters: z.array(ParameterDecl).max(50).default([]) }).strict(),
  inputs: { min: 0, max: 0 },
  producesPopulation: false,
  needsPopulation: false,
  outlets: () => ['out'],
  retry: DEFAULT_RETRY,
  check(o): Issue[] {
    const issues: Issue[] = []
    const seen = new Set<string>()
    o.parameters.forEach((p, i) => {
      if (seen.has(p.name))
        issues.push({
          path: ['parameters', i, 'name'],
          code: 'CAMPAIGN_BAD_OPTIONS',
          message: `Parameter "${p.name}" is declared twice`,
        })
      seen.add(p.name)
      if (p.default !== undefined && !hasType(p.type, p.default))
        issues.push({
          path: ['parameters', i, 'default'],
          code: 'CAMPAIGN_PARAMETER_TYPE',
          message: `The default of "${p.name}" is not a ${p.type}`,
        })
    })
    return issues
  },
  execute: async () => ({ out: null }),
})
