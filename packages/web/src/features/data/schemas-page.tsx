import { Page } from '../../ui/page'

export default function Screen() {
  return <Page title="schemas-page">Coming next</Page>
}
