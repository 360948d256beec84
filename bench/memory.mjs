// Figure 4: idle memory per connection, N connections per library, Lifeline with its heartbeat on (defaults).
// Each library in its own process, several times, interleaved; medians. Goal: Lifeline ≤ raw ws + 1,100 B.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { quick, report } from './lib/cli.mjs'
import { PEERS } from './lib/peers.mjs'
import { benchServer } from './lib/server.mjs'
import { interleaved, median, round } from './lib/stats.mjs'

const N = quick ? 200 : 5_000
const ROUNDS = quick ? 1 : 3
const names = Object.keys(PEERS)
const servers = { ws: await benchServer(), 'socket.io': await benchServer() }
const urls = { ws: await servers.ws.start('ws'), 'socket.io': await servers['socket.io'].start('socket.io') }

/** The smaller count the goal also holds at (raw ws and Lifeline only). */
const SMALL_N = quick ? 100 : 2_000

const measure = (name, count = N) =>
  new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(new URL('./memory-worker.mjs', import.meta.url)),
      [name, urls[PEERS[name].server], String(count)],
      {
        execArgv: ['--expose-gc'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    )
    child.once('message', resolve)
    child.once('exit', (code) => code !== 0 && reject(new Error(`${name}: worker exited with ${code}`)))
  })

const runs = await interleaved(names, ROUNDS, (name) => measure(name))
const small = await interleaved(['raw ws', 'lifeline'], ROUNDS, (name) => measure(name, SMALL_N))
for (const s of Object.values(servers)) await s.close()
const rows = {}
for (const name of names) {
  rows[name] = {
    heapBytes: round(median(runs[name].map((r) => r.heapPerConn))),
    rssBytes: round(median(runs[name].map((r) => r.rssPerConn))),
  }
}
for (const name of names) rows[name].heapOverRaw = round(rows[name].heapBytes - rows['raw ws'].heapBytes)
const heapAt = (name) => median(small[name].map((r) => r.heapPerConn))
const lifelineOverRawSmall = round(heapAt('lifeline') - heapAt('raw ws'))
report('memory', {
  connections: N,
  rounds: ROUNDS,
  rows,
  lifelineOverRaw: rows.lifeline.heapOverRaw,
  smallConnections: SMALL_N,
  lifelineOverRawSmall,
  goal: 1_100,
  meetsGoal: rows.lifeline.heapOverRaw <= 1_100 && lifelineOverRawSmall <= 1_100,
})
console.log(`at ${SMALL_N} connections: lifeline heap raw +${lifelineOverRawSmall} B/conn`)
for (const [name, r] of Object.entries(rows)) {
  console.log(
    `${name.padEnd(24)} heap ${String(r.heapBytes).padStart(6)} B/conn (raw +${r.heapOverRaw})  rss ${r.rssBytes} B/conn`,
  )
}
