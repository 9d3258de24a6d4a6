import { Page } from '../../ui/page'

export default function Screen() {
  return <Page title="audience-detail-page">Coming next</Page>
}
