import type { User } from '@ahub/store'
import { MembershipRepository, type Store, UserRepository } from '@ahub/store'
import { TokenRepository } from '../tokens'

/** The e-mail address of the first admin created on an empty data directory. */
export const BOOTSTRAP_ADMIN_EMAIL = 'admin@localhost'

/**
 * Makes sure `org` has a first admin: the user `admin@localhost` (created when missing) with the
 * admin role, owning tokens made before users existed. With `withToken`, also creates an admin
 * API token for that user and returns its secret (shown once).
 */
export async function bootstrapAdmin(
  store: Store,
  org: string,
  withToken: boolean,
): Promise<{ user: User; secret: string | null }> {
  const users = new UserRepository(store.engine)
  const memberships = new MembershipRepository(store.engine)
  const tokens = new TokenRepository(store.engine)
  const user =
    (await users.findByEmail(BOOTSTRAP_ADMIN_EMAIL)) ??
    (await users.create({ email: BOOTSTRAP_ADMIN_EMAIL, name: 'Admin' }))
  if (!(await memberships.roleIn(user.id, org))) await memberships.set(org, user.id, 'admin')
  await tokens.adoptOrphans(user.id)
  if (!withToken) return { user, secret: null }
  const { secret } = await tokens.create({
    org,
    userId: user.id,
    name: 'first admin',
    scopes: ['read', 'write', 'share', 'send', 'admin'],
  })
  return { user, secret }
}
