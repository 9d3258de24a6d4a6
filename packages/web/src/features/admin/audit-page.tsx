import { Page } from '../../ui/page'

export default function Screen() {
  return <Page title="audit-page">Coming next</Page>
}
