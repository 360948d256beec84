// Figure 3: Node wire throughput of JSON envelopes, round trip, and ping-pong latency p50/p99, every client against
// the same server process, interleaved. Goals: Lifeline ≥ 0.95× raw ws (with hand-written JSON), ≥ 1.8× socket.io.
import { quick, report } from './lib/cli.mjs'
import { PEERS } from './lib/peers.mjs'
import { benchServer } from './lib/server.mjs'
import { interleaved, median, nowMs, quantile, round } from './lib/stats.mjs'

const N = quick ? 5_000 : 100_000
const PINGS = quick ? 200 : 5_000
const ROUNDS = quick ? 1 : 9
const names = Object.keys(PEERS)
const payload = { room: 'lobby', text: 'hello world, this is a chat line', n: 0 }

const server = await benchServer()
const urls = { ws: await server.start('ws') }
const ioServer = await benchServer()
urls['socket.io'] = await ioServer.start('socket.io')

async function measure(name, n = N, pings = PINGS) {
  const peer = PEERS[name]
  let received = 0
  let onEcho = () => undefined
  const conn = peer.connect(urls[peer.server], () => {
    received++
    onEcho()
  })
  await conn.ready
  // throughput: N messages out back to back, wait for all N echoes
  const all = new Promise((resolve) => {
    onEcho = () => received === n && resolve()
  })
  const t0 = nowMs()
  for (let i = 0; i < n; i++) {
    payload.n = i
    conn.send('chat', payload)
  }
  await all
  const msgsPerSec = n / ((nowMs() - t0) / 1000)
  // latency: one message in flight at a time
  const rtts = []
  for (let i = 0; i < pings; i++) {
    const echoed = new Promise((resolve) => {
      onEcho = resolve
    })
    const s = nowMs()
    conn.send('chat', payload)
    await echoed
    rtts.push((nowMs() - s) * 1000)
  }
  conn.close()
  return { msgsPerSec, p50us: quantile(rtts, 0.5), p99us: quantile(rtts, 0.99) }
}

// warm-up, not recorded: JIT both ends for every client
for (const name of names) await measure(name, Math.ceil(N / 10), Math.ceil(PINGS / 10))
const runs = await interleaved(names, ROUNDS, (name) => measure(name))
await server.close()
await ioServer.close()

const rows = {}
for (const name of names) {
  rows[name] = {
    msgsPerSec: round(median(runs[name].map((r) => r.msgsPerSec))),
    p50us: round(median(runs[name].map((r) => r.p50us)), 1),
    p99us: round(median(runs[name].map((r) => r.p99us)), 1),
  }
}
// Ratios are paired: within a round every client runs back to back, so each round's ratio cancels the machine's
// drift between rounds; the figure is the median of the per-round ratios.
const pairedRatio = (a, b) => median(runs[a].map((r, i) => r.msgsPerSec / runs[b][i].msgsPerSec))
for (const name of names) rows[name].vsRaw = round(pairedRatio(name, 'raw ws'), 3)
const vsSocketIO = round(pairedRatio('lifeline', 'socket.io'), 2)
report('throughput', {
  messages: N,
  pings: PINGS,
  rounds: ROUNDS,
  rows,
  lifelineVsRaw: rows.lifeline.vsRaw,
  lifelineVsSocketIO: vsSocketIO,
  meetsGoal: rows.lifeline.vsRaw >= 0.95 && vsSocketIO >= 1.8,
})
for (const [name, r] of Object.entries(rows)) {
  console.log(
    `${name.padEnd(24)} ${String(r.msgsPerSec).padStart(8)} msg/s (${r.vsRaw}× raw)  p50 ${r.p50us} µs  p99 ${r.p99us} µs`,
  )
}
console.log(`lifeline vs socket.io: ${vsSocketIO}×`)
