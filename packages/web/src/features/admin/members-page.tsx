import { Page } from '../../ui/page'

export default function Screen() {
  return <Page title="members-page">Coming next</Page>
}
