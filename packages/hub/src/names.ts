import { AppError, IDENTIFIER_PATTERN } from '@ahub/core'

/** Throws VALIDATION_FAILED unless `org` is an org identifier ([a-z][a-z0-9_]*, at most 63 characters). */
export function assertOrgName(org: string, what = 'org'): string {
  if (!IDENTIFIER_PATTERN.test(org)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid ${what} "${org.slice(0, 80)}": use lower-case letters, digits and _ (start with a letter)`,
      { details: { issues: [{ path: [what], message: 'not an org identifier' }] } },
    )
  }
  return org
}

const OBJECT_ID = /^(ds|sa)_[a-z0-9]{10,40}$/

/** True when `id` has the shape of a hub object id (checked before it is inlined into COPY). */
export function isHubObjectId(id: string): boolean {
  return OBJECT_ID.test(id)
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,200}$/

/** Throws VALIDATION_FAILED unless `requestId` is 1 to 200 characters of [A-Za-z0-9._:-]. */
export function assertRequestId(requestId: string): string {
  if (!REQUEST_ID.test(requestId)) {
    throw new AppError('VALIDATION_FAILED', 'requestId must be 1 to 200 characters of A-Z a-z 0-9 . _ : -', {
      details: { issues: [{ path: ['requestId'], message: 'invalid request id' }] },
    })
  }
  return requestId
}
