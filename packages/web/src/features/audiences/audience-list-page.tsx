import { Page } from '../../ui/page'

export default function Screen() {
  return <Page title="audience-list-page">Coming next</Page>
}
