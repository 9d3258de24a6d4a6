import { AppError } from '@ahub/core'
import type { Session } from '@ahub/store'

/** A channel activity of one run. */
export interface ActivityRef {
  org: string
  runId: string
  activity: string
}

/** Default confirmation threshold: a send to more recipients waits for a person. */
export const DEFAULT_CONFIRM_ABOVE = 10_000

/** Recipients of a populated delivery that are (or were) to be sent to: everyone not excluded. */
async function recipientsToSend(s: Session, ref: ActivityRef): Promise<number | null> {
  const rows = await s.query<{ populated: number; n: number }>(
    `SELECT count(*) FILTER (WHERE member = '' AND status = 'populated') AS populated,
            count(*) FILTER (WHERE member <> '' AND status <> 'excluded') AS n
       FROM meta.channel_messages WHERE org = $1 AND run = $2 AND activity = $3`,
    [ref.org, ref.runId, ref.activity],
  )
  return Number(rows[0]?.populated ?? 0) === 0 ? null : Number(rows[0]?.n ?? 0)
}

/**
 * Throws CHANNEL_CONFIRMATION_REQUIRED when the populated delivery has more recipients than
 * `threshold` and no person confirmed it yet (the run pauses; `confirmSend` then resumes it).
 */
export async function assertConfirmed(s: Session, ref: ActivityRef, threshold: number): Promise<void> {
  const n = (await recipientsToSend(s, ref)) ?? 0
  if (n <= threshold) return
  const done = await s.query('SELECT 1 FROM meta.channel_confirmations WHERE run = $1 AND activity = $2', [
    ref.runId,
    ref.activity,
  ])
  if (done.length > 0) return
  throw new AppError(
    'CHANNEL_CONFIRMATION_REQUIRED',
    `${n} recipients is more than ${threshold}: a person with the send permission must confirm the send`,
    { details: { activity: ref.activity, recipients: n, threshold } },
  )
}

/**
 * Records a person's confirmation of a delivery. `recipients` is the number they were shown: a
 * different population (CAMPAIGN_BAD_STATE) is not confirmed, nor a delivery not yet populated.
 */
export async function confirmSend(
  s: Session,
  ref: ActivityRef,
  confirmation: { by: string; recipients: number },
): Promise<void> {
  const n = await recipientsToSend(s, ref)
  if (n === null)
    throw new AppError(
      'CAMPAIGN_BAD_STATE',
      `The channel activity "${ref.activity}" awaits no confirmation`,
      {
        details: { activity: ref.activity },
      },
    )
  if (n !== confirmation.recipients)
    throw new AppError(
      'CAMPAIGN_BAD_STATE',
      `The send is to ${n} recipients, not ${confirmation.recipients}: check the count and confirm again`,
      { details: { activity: ref.activity, recipients: n, confirmed: confirmation.recipients } },
    )
  await s.run(
    `INSERT INTO meta.channel_confirmations VALUES ($1, $2, $3, $4, $5, current_timestamp) ON CONFLICT DO NOTHING`,
    [ref.org, ref.runId, ref.activity, n, confirmation.by],
  )
}
