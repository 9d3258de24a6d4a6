import { AppError, isAppError } from '@ahub/core'

/**
 * Runs the query of a user's rule: an error the engine raised while evaluating values (an
 * overflow, a cast, a limit; each engine marks them `details.evaluation`) is the rule's, not the
 * store's, and becomes RULE_EVALUATION_FAILED with the engine's message and no SQL.
 */
export async function evaluating<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (isAppError(e) && e.code === 'STORE_ERROR' && e.details?.evaluation === true)
      throw new AppError(
        'RULE_EVALUATION_FAILED',
        `The rule cannot be evaluated on this data: ${e.message}`,
        {
          cause: e,
          details: { engineMessage: e.message },
        },
      )
    throw e
  }
}
