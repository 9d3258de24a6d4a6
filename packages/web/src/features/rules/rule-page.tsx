import { Page } from '../../ui/page'

export default function RulePage(_: { mode: 'new-audience' | 'edit-audience' | 'scratch' }) {
  return <Page title="Rule builder">Coming next</Page>
}
