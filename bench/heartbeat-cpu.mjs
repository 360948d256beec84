// Figure 7: the heartbeat's cost at scale. N idle Lifeline connections in one process, CPU per second with the
// heartbeat on (amplified to a 1 s interval so the cost is measurable) and off; the difference, per ping, and
// scaled to the default 50 s interval.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { quick, report } from './lib/cli.mjs'
import { benchServer } from './lib/server.mjs'
import { interleaved, median, round } from './lib/stats.mjs'

const N = quick ? 200 : 5_000
const WINDOW_MS = quick ? 2_000 : 8_000
const ROUNDS = quick ? 1 : 2
const INTERVAL_MS = 1_000

const server = await benchServer()
const url = await server.start('ws')
const measure = (variant) =>
  new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(new URL('./heartbeat-cpu-worker.mjs', import.meta.url)),
      [url, String(N), variant === 'on' ? String(INTERVAL_MS) : 'off', String(WINDOW_MS)],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    )
    child.once('message', resolve)
    child.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)))
  })
const runs = await interleaved(['on', 'off'], ROUNDS, measure)
await server.close()
const on = median(runs.on.map((r) => r.cpuMsPerSec))
const off = median(runs.off.map((r) => r.cpuMsPerSec))
const pongsPerSec = median(runs.on.map((r) => r.pongsPerSec))
const costMsPerSec = on - off
const perPingUs = (costMsPerSec * 1000) / pongsPerSec
const atDefaultMsPerSec = (costMsPerSec * INTERVAL_MS) / 50_000
report('heartbeatCpu', {
  connections: N,
  intervalMs: INTERVAL_MS,
  windowMs: WINDOW_MS,
  cpuMsPerSec: { heartbeatOn: round(on, 1), heartbeatOff: round(off, 1) },
  pongsPerSec: round(pongsPerSec),
  heartbeatCostMsPerSec: round(costMsPerSec, 1),
  perPingUs: round(perPingUs, 1),
  atDefault50sMsPerSec: round(atDefaultMsPerSec, 2),
  allOpen: runs.on.every((r) => r.open === N),
})
console.log(
  `heartbeat CPU, ${N} connections: ${round(on, 1)} ms/s with a ${INTERVAL_MS} ms heartbeat, ${round(off, 1)} ms/s without; ${round(pongsPerSec)} pongs/s, ${round(perPingUs, 1)} µs per ping; at the default 50 s: ${round(atDefaultMsPerSec, 2)} ms/s`,
)
