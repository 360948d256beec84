// Figure 6: dead-link detection. The test server goes silent (a half-open link); time from `silence` to Lifeline's
// reconnect. Worst case: silence right after a pong (a full interval must pass before the ping). Goal: within
// intervalMs + timeoutMs + 50 ms. Also: silence at a random moment (the typical case).
import { Lifeline } from '@lifeline/client'
import { startTestServer } from '@lifeline/test-server'
import { quick, report } from './lib/cli.mjs'
import { median, nowMs, round } from './lib/stats.mjs'
import { until } from './lib/wait.mjs'

const REPS = quick ? 2 : 10
const heartbeat = { intervalMs: 1_000, timeoutMs: 500 }
const budget = heartbeat.intervalMs + heartbeat.timeoutMs

const server = await startTestServer()
const client = new Lifeline(server.url, { heartbeat, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } })
let pongs = 0
let reconnectingAt = 0
client.on('latency', () => pongs++)
client.on('reconnecting', () => {
  reconnectingAt = nowMs()
})
await until(() => client.state === 'open', 'the first open')

async function once(afterPong) {
  if (afterPong) {
    const seen = pongs
    await until(() => pongs > seen, 'a pong', 5_000)
  } else await new Promise((resolve) => setTimeout(resolve, Math.random() * heartbeat.intervalMs))
  reconnectingAt = 0
  const t0 = nowMs()
  server.faults.silence(60_000)
  await until(() => reconnectingAt, 'the reconnect', budget * 3)
  const ms = reconnectingAt - t0
  server.faults.reset()
  await until(() => client.state === 'open', 'open again', 5_000)
  return ms
}

const worst = []
const typical = []
for (let i = 0; i < REPS; i++) {
  worst.push(await once(true))
  typical.push(await once(false))
}
client.close()
await server.close()
const row = (xs) => ({ medianMs: round(median(xs), 1), maxMs: round(Math.max(...xs), 1) })
const result = { reps: REPS, heartbeat, budgetMs: budget, afterPong: row(worst), randomMoment: row(typical) }
report('deadlink', { ...result, meetsGoal: Math.max(...worst, ...typical) <= budget + 50 })
console.log(
  `dead link: after a pong median ${result.afterPong.medianMs} ms, max ${result.afterPong.maxMs} ms; at a random moment median ${result.randomMoment.medianMs} ms, max ${result.randomMoment.maxMs} ms (budget ${budget} + 50 ms)`,
)
