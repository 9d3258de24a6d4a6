import { parentPort } from 'node:worker_threads'
import { normalisePhone } from '@ahub/core'

// A worker thread of normalisePhones (phones.ts): normalises the chunks it is sent to E.164.
// The built CLI bundles it as phone-worker.js; from the sources it runs under tsx.
if (!parentPort) throw new Error('phone-worker.ts runs as a worker thread')
const port = parentPort
port.on('message', ({ raws, countries }: { raws: string[]; countries: (string | null)[] }) => {
  port.postMessage(
    raws.map((raw, i) => {
      const r = normalisePhone(raw, countries[i] ?? undefined)
      return r.ok ? r.value : null
    }),
  )
})
port.postMessage('ready')
