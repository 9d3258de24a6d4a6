import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, call } from '../../api/client'
import { keys, useOrg } from '../../app/org'
import { useSession } from '../../app/session'
import { Button } from '../../ui/button'
import { SelectField, TextField } from '../../ui/fields'
import { Page, Section } from '../../ui/page'
import { Empty, ErrorNotice, Loading } from '../../ui/states'

const ROLES = [
  { id: 'viewer', label: 'viewer' },
  { id: 'marketer', label: 'marketer' },
  { id: 'admin', label: 'admin' },
]
type Role = 'viewer' | 'marketer' | 'admin'

/** Members of the org with their roles: add (an existing account is invited), change role, disable, remove. */
export default function MembersPage() {
  const { org } = useOrg()
  const me = useSession()
  const client = useQueryClient()
  const members = useQuery({
    queryKey: keys.members(org),
    queryFn: ({ signal }) => call(api.GET('/v1/orgs/{org}/members', { params: { path: { org } }, signal })),
  })
  const refresh = () => void client.invalidateQueries({ queryKey: keys.members(org) })
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const add = useMutation({
    mutationFn: () =>
      call(api.POST('/v1/orgs/{org}/members', { params: { path: { org } }, body: { email, role } })),
    onSuccess: () => {
      setEmail('')
      refresh()
    },
  })
  const change = useMutation({
    mutationFn: (v: { user: string; role: Role }) =>
      call(
        api.PUT('/v1/orgs/{org}/members/{user}', {
          params: { path: { org, user: v.user } },
          body: { role: v.role },
        }),
      ),
    onSuccess: refresh,
  })
  const disable = useMutation({
    mutationFn: (v: { user: string; disabled: boolean }) =>
      call(
        api.PUT('/v1/orgs/{org}/members/{user}/disabled', {
          params: { path: { org, user: v.user } },
          body: { disabled: v.disabled },
        }),
      ),
    onSuccess: refresh,
  })
  const remove = useMutation({
    mutationFn: (user: string) =>
      call(api.DELETE('/v1/orgs/{org}/members/{user}', { params: { path: { org, user } } })),
    onSuccess: refresh,
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    add.mutate()
  }
  const failure = add.error ?? change.error ?? disable.error ?? remove.error
  return (
    <Page title="Members">
      <Section title="Add a member">
        <form className="form-row" onSubmit={submit} aria-label="Add a member">
          <TextField label="E-mail" type="email" value={email} onChange={setEmail} isRequired />
          <SelectField label="Role" options={ROLES} value={role} onChange={(r) => setRole(r as Role)} />
          <Button type="submit" variant="primary" isDisabled={!email || add.isPending}>
            Add
          </Button>
        </form>
        <p className="hint">A person who already has an account is invited: they join when they accept.</p>
      </Section>
      {failure ? <ErrorNotice error={failure} /> : null}
      <Section title="Members">
        {members.isPending ? (
          <Loading />
        ) : members.error ? (
          <ErrorNotice error={members.error} onRetry={() => void members.refetch()} />
        ) : members.data.members.length === 0 ? (
          <Empty title="No members" />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m) => (
                <tr key={m.user.id}>
                  <td>{m.user.email}</td>
                  <td>{m.user.name ?? '–'}</td>
                  <td>
                    <SelectField
                      label={`Role of ${m.user.email}`}
                      hideLabel
                      options={ROLES}
                      value={m.role}
                      onChange={(r) => change.mutate({ user: m.user.id, role: r as Role })}
                    />
                  </td>
                  <td>{m.status}</td>
                  <td>
                    {m.user.id === me.user.id || m.status === 'invited' ? null : (
                      <Button
                        aria-label={`${m.status === 'disabled' ? 'Enable' : 'Disable'} ${m.user.email}`}
                        onPress={() => disable.mutate({ user: m.user.id, disabled: m.status !== 'disabled' })}
                      >
                        {m.status === 'disabled' ? 'Enable' : 'Disable'}
                      </Button>
                    )}{' '}
                    {m.user.id === me.user.id ? null : (
                      <Button
                        variant="danger"
                        aria-label={`Remove ${m.user.email}`}
                        onPress={() => remove.mutate(m.user.id)}
                      >
                        {m.status === 'invited' ? 'Withdraw' : 'Remove'}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </Page>
  )
}
