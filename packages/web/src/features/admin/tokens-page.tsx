import { Page } from '../../ui/page'

export default function Screen() {
  return <Page title="tokens-page">Coming next</Page>
}
