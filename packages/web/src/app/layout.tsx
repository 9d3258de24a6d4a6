import { useQuery } from '@tanstack/react-query'
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router'
import { queries } from '../api/queries'
import { SelectField } from '../ui/fields'
import { useOrg } from './org'
import { can, useSession } from './session'

function OrgSwitcher() {
  const { org } = useOrg()
  const navigate = useNavigate()
  const location = useLocation()
  const orgs = useQuery(queries.orgs())
  const options = (orgs.data?.orgs ?? [{ id: org, name: org }]).map((o) => ({ id: o.id, label: o.name }))
  return (
    <SelectField
      label="Organisation"
      className="org-switcher"
      options={options}
      value={org}
      onChange={(next) => {
        if (next === org) return
        // Same screen in the other org, unless it was an object of this one.
        const area = location.pathname.split('/')[3] ?? ''
        navigate(`/o/${next}/${area}`)
      }}
    />
  )
}

async function signOut() {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' })
  window.location.assign('/')
}

/** The frame of every screen: navigation with the org switcher, the signed-in person, the screen. */
export function AppLayout() {
  const { org, role } = useOrg()
  const me = useSession()
  const link = (to: string, label: string, end = false) => (
    <li>
      <NavLink to={`/o/${org}${to}`} end={end}>
        {label}
      </NavLink>
    </li>
  )
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">Audience Hub</div>
        <OrgSwitcher />
        <nav aria-label="Main">
          <ul>
            {link('', 'Overview', true)}
            {link('/audiences', 'Audiences')}
            {link('/rules', 'Rule builder')}
            {link('/campaigns', 'Campaigns')}
          </ul>
          <p className="nav-group">Data</p>
          <ul>
            {link('/data/datasets', 'Datasets')}
            {link('/data/schemas', 'Schemas')}
          </ul>
          <p className="nav-group">Sharing</p>
          <ul>
            {link('/sharing/data-sources', 'Data sources')}
            {link('/sharing/shared-audiences', 'Shared audiences')}
            {link('/sharing/jobs', 'Sharing jobs')}
          </ul>
          {can(role, 'admin') ? (
            <>
              <p className="nav-group">Administration</p>
              <ul>
                {link('/admin/members', 'Members')}
                {link('/admin/tokens', 'API tokens')}
                {link('/admin/audit', 'Audit log')}
              </ul>
            </>
          ) : null}
        </nav>
        <div className="whoami">
          <span>{me.user.email}</span>
          <span className="role">{role ?? 'no role'}</span>
          <button type="button" className="btn btn-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className="main">
        <Outlet />
      </main>
    </div>
  )
}
