import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, call } from '../../api/client'
import { keys, useOrg } from '../../app/org'
import { can } from '../../app/session'
import { Button } from '../../ui/button'
import { TextField } from '../../ui/fields'
import { formatTime } from '../../ui/format'
import { Page, Section } from '../../ui/page'
import { Empty, ErrorNotice, Loading } from '../../ui/states'

const SCOPES = ['read', 'write', 'share', 'send', 'admin'] as const
type Scope = (typeof SCOPES)[number]

/** API tokens of the org: yours (everyone's for admins), create one (its secret shown once), revoke. */
export default function TokensPage() {
  const { org, role } = useOrg()
  const client = useQueryClient()
  const tokens = useQuery({
    queryKey: keys.tokens(org),
    queryFn: ({ signal }) => call(api.GET('/v1/orgs/{org}/tokens', { params: { path: { org } }, signal })),
  })
  const [name, setName] = useState('')
  const [days, setDays] = useState('30')
  const [scopes, setScopes] = useState<Scope[]>(['read'])
  const [secret, setSecret] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST('/v1/orgs/{org}/tokens', {
          params: { path: { org } },
          body: { name, scopes, expiresInDays: Number(days) },
        }),
      ),
    onSuccess: (made) => {
      setSecret(made.secret)
      setCopied(false)
      setName('')
      void client.invalidateQueries({ queryKey: keys.tokens(org) })
    },
  })
  const revoke = useMutation({
    mutationFn: (id: string) =>
      call(api.DELETE('/v1/orgs/{org}/tokens/{id}', { params: { path: { org, id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.tokens(org) }),
  })
  // A token never holds more than its creator's role grants: offer only those scopes.
  const offered = SCOPES.filter((s) => can(role, s === 'send' ? 'share' : s))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }

  return (
    <Page title="API tokens">
      <Section title="Create a token">
        <form className="form-row" onSubmit={submit} aria-label="Create a token">
          <TextField label="Name" value={name} onChange={setName} isRequired placeholder="ci-loader" />
          <TextField
            label="Expires in (days)"
            type="number"
            value={days}
            onChange={setDays}
            description="At most 90 days"
          />
          <fieldset className="scopes">
            <legend>Scopes</legend>
            {offered.map((s) => (
              <label key={s} className="checkbox">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) =>
                    setScopes((now) => (e.target.checked ? [...now, s] : now.filter((x) => x !== s)))
                  }
                />
                {s}
              </label>
            ))}
          </fieldset>
          <Button
            type="submit"
            variant="primary"
            isDisabled={!name || scopes.length === 0 || create.isPending}
          >
            Create token
          </Button>
        </form>
        {create.error ? <ErrorNotice error={create.error} /> : null}
        {secret ? (
          <div className="secret-once" role="status">
            <p>
              <strong>Copy the secret now:</strong> it is shown only this once and cannot be read again.
            </p>
            <code data-testid="token-secret">{secret}</code>{' '}
            <Button
              onPress={() => {
                void navigator.clipboard?.writeText(secret).then(() => setCopied(true))
              }}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>{' '}
            <Button variant="quiet" onPress={() => setSecret(null)}>
              Done
            </Button>
          </div>
        ) : null}
      </Section>
      <Section title="Tokens">
        {tokens.isPending ? (
          <Loading />
        ) : tokens.error ? (
          <ErrorNotice error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : tokens.data.tokens.length === 0 ? (
          <Empty title="No tokens yet" />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Scopes</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{formatTime(t.expiresAt)}</td>
                  <td>{formatTime(t.lastUsedAt)}</td>
                  <td>{t.revokedAt ? `revoked ${formatTime(t.revokedAt)}` : 'active'}</td>
                  <td>
                    {t.revokedAt ? null : (
                      <Button
                        variant="danger"
                        aria-label={`Revoke ${t.name}`}
                        isDisabled={revoke.isPending}
                        onPress={() => revoke.mutate(t.id)}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {revoke.error ? <ErrorNotice error={revoke.error} /> : null}
      </Section>
    </Page>
  )
}
