/**
 * An open-loop load generator, run as its own process by bench/api.ts: keeps `connections`
 * keep-alive connections open and sends `rate` GET requests a second, spread evenly (a few every
 * millisecond, not a burst each second), after two unmeasured seconds at the same rate (warm-up).
 * Each latency is counted from the moment the request was
 * due, so a slow answer that delays later requests is charged to them too (no coordinated omission).
 * Prints one JSON line: { p50, p90, p99, max, sent, ok, failed, achievedRps }.
 *
 * Usage: node --import tsx bench/load.ts <url> <token> <connections> <rate> <seconds>
 */
import { Agent, request } from 'node:http'

const [url, token, connectionsArg, rateArg, secondsArg] = process.argv.slice(2)
if (!url || !token) {
  console.error('usage: load.ts <url> <token> <connections> <rate> <seconds>')
  process.exit(2)
}
const connections = Number(connectionsArg ?? 200)
const rate = Number(rateArg ?? 2000)
const seconds = Number(secondsArg ?? 10)

const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections })
const target = new URL(url)
const latencies: number[] = []
let failed = 0
let sent = 0

function send(due: number): Promise<void> {
  sent++
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - due)
          else failed++
          resolve()
        })
      },
    )
    req.on('error', () => {
      failed++
      resolve()
    })
    req.end()
  })
}

// Opens every connection first, so the measurement does not include TCP set-up.
await Promise.all(Array.from({ length: connections }, () => send(performance.now())))
latencies.length = 0
sent = 0
failed = 0

/** Sends `rate` requests a second for `durationS` seconds, each timed from when it was due. */
async function run(durationS: number): Promise<number> {
  const start = performance.now()
  const end = start + durationS * 1000
  const inFlight = new Set<Promise<void>>()
  let scheduled = 0
  while (performance.now() < end) {
    // Every request whose time has come is sent now; the agent queues it when all connections are busy.
    const due = Math.floor(((performance.now() - start) / 1000) * rate)
    for (; scheduled < due; scheduled++) {
      const p = send(start + (scheduled / rate) * 1000)
      inFlight.add(p)
      void p.then(() => inFlight.delete(p))
    }
    // Sleep to the next millisecond rather than spin: a busy loop would take a core from the server.
    await new Promise((r) => setTimeout(r, 1))
  }
  await Promise.all(inFlight)
  return start
}

// Two seconds at the same rate first, unmeasured: the server's code is compiled and its caches
// filled, as in any server that has been up for a while.
await run(2)
latencies.length = 0
sent = 0
failed = 0
const start = await run(seconds)
const elapsed = (performance.now() - start) / 1000
latencies.sort((a, b) => a - b)
const at = (q: number) =>
  Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 100) / 100
console.log(
  JSON.stringify({
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: at(1),
    sent,
    ok: latencies.length,
    failed,
    achievedRps: Math.round(latencies.length / elapsed),
  }),
)
agent.destroy()
