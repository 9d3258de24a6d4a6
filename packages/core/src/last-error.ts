import { z } from 'zod'

/**
 * The latest failure of work that runs in the background (a scheduled launch, a push-started
 * import): no caller is there to receive the error, so the object shows it until a success clears it.
 */
export const LastError = z.object({
  code: z.string(),
  message: z.string(),
  at: z.string().describe('When it failed (ISO 8601)'),
})
export type LastError = z.infer<typeof LastError>
