// The cost of resume (PROTOCOL.md, "Resume"), against the test server in its own process (memory mode), Lifeline
// with resume vs without: bytes on the wire per message (both ways, through a counting TCP proxy), round-trip
// throughput (N echoes back to back; paired ratio, goal ≥ 0.9×), and idle memory per connection (goal: still ≤ raw ws
// + 1,100 B). The bundle growth is size-limit's (`pnpm size`: the core vs the core with withResume).
import { fork, spawn } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { quick, report } from './lib/cli.mjs'
import { PEERS, RESUME_PEERS } from './lib/peers.mjs'
import { interleaved, median, nowMs, round } from './lib/stats.mjs'
import { until } from './lib/wait.mjs'

const N = quick ? 2_000 : 50_000
const ROUNDS = quick ? 1 : 15
const CONNS = quick ? 100 : 2_000
const MEM_ROUNDS = quick ? 1 : 3
const bin = fileURLToPath(new URL('../packages/test-server/bin/lifeline-test-server.js', import.meta.url))

/** The test server in a child process, on a free port. */
async function testServer() {
  const child = spawn(process.execPath, [bin, '--port', '0', '--no-faults'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (chunk) => {
    out += chunk
  })
  const url = await until(() => /websocket: (\S+)/.exec(out)?.[1], 'the test server', 10_000)
  return { url, stop: () => child.kill('SIGTERM') }
}

/** A TCP proxy that counts the bytes each way. */
async function countingProxy(port) {
  const bytes = { up: 0, down: 0 }
  const server = createServer((down) => {
    const up = connect(port, '127.0.0.1')
    down.on('data', (chunk) => {
      bytes.up += chunk.length
      up.write(chunk)
    })
    up.on('data', (chunk) => {
      bytes.down += chunk.length
      down.write(chunk)
    })
    const end = () => {
      down.destroy()
      up.destroy()
    }
    down.on('error', end).on('close', end)
    up.on('error', end).on('close', end)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: server.address().port, bytes, close: () => new Promise((resolve) => server.close(resolve)) }
}

const variants = { lifeline: PEERS.lifeline, 'lifeline+resume': RESUME_PEERS['lifeline+resume'] }
const payload = { room: 'lobby', text: 'hello world, this is a chat line', n: 0 }

/** N echoes back to back through `url`; msg/s. */
async function throughput(name, url, n = N) {
  let received = 0
  let done = () => undefined
  // with resume, messages the server has not acknowledged yet count toward the queue's bound: a burst of n needs room
  const conn = variants[name].connect(
    url,
    (type) => {
      if (type === 'echo' && ++received === n) done()
    },
    { queue: { maxMessages: 2 * n } },
  )
  await conn.ready
  const all = new Promise((resolve) => {
    done = resolve
  })
  const t0 = nowMs()
  for (let i = 0; i < n; i++) {
    payload.n = i
    conn.send('echo', payload)
  }
  await all
  const msgsPerSec = n / ((nowMs() - t0) / 1000)
  conn.close()
  return msgsPerSec
}

const server = await testServer()
const port = Number(new URL(server.url).port)

// bytes per message: one run of each through the counting proxy (handshake and hello included, amortized over N)
const wire = {}
for (const name of Object.keys(variants)) {
  const proxy = await countingProxy(port)
  await throughput(name, `ws://127.0.0.1:${proxy.port}/ws`, N)
  await until(() => proxy.bytes.down > 0, 'the bytes')
  wire[name] = { up: proxy.bytes.up / N, down: proxy.bytes.down / N }
  await proxy.close()
}
const added = { up: wire['lifeline+resume'].up - wire.lifeline.up, down: wire['lifeline+resume'].down - wire.lifeline.down }

// throughput, interleaved rounds after a warm-up; ratio = median of the per-round ratios
for (const name of Object.keys(variants)) await throughput(name, server.url, Math.ceil(N / 10))
const runs = await interleaved(Object.keys(variants), ROUNDS, (name) => throughput(name, server.url))
const ratio = median(runs['lifeline+resume'].map((r, i) => r / runs.lifeline[i]))

// idle memory per connection, each variant in a fresh process (bench/memory-worker.mjs), against the same server
const memory = (name) =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./memory-worker.mjs', import.meta.url)), [name, server.url, String(CONNS)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    child.once('message', (m) => resolve(m.heapPerConn))
    child.once('exit', (code) => code !== 0 && reject(new Error(`${name}: memory worker exited with ${code}`)))
  })
const mem = await interleaved(['raw ws', 'lifeline', 'lifeline+resume'], MEM_ROUNDS, memory)
server.stop()
const heap = Object.fromEntries(Object.entries(mem).map(([k, v]) => [k, round(median(v))]))
const overRaw = round(heap['lifeline+resume'] - heap['raw ws'])

report('resume', {
  messages: N,
  rounds: ROUNDS,
  bytesPerMessage: {
    lifeline: { up: round(wire.lifeline.up, 1), down: round(wire.lifeline.down, 1) },
    resume: { up: round(wire['lifeline+resume'].up, 1), down: round(wire['lifeline+resume'].down, 1) },
    added: { up: round(added.up, 1), down: round(added.down, 1) },
  },
  msgsPerSec: { lifeline: round(median(runs.lifeline)), resume: round(median(runs['lifeline+resume'])) },
  ratio: round(ratio, 3),
  connections: CONNS,
  heapPerConn: heap,
  resumeOverRaw: overRaw,
  meetsGoal: ratio >= 0.9 && overRaw <= 1_100,
})
console.log(
  `resume: +${round(added.up, 1)} B up, +${round(added.down, 1)} B down per message (${round(wire.lifeline.up, 1)} → ${round(wire['lifeline+resume'].up, 1)} B up)`,
)
console.log(
  `resume: round trip ${round(median(runs['lifeline+resume']))} vs ${round(median(runs.lifeline))} msg/s: ${round(ratio, 3)}× (goal ≥ 0.9)`,
)
console.log(
  `resume: idle heap per connection ${heap['lifeline+resume']} B (raw ws ${heap['raw ws']}, lifeline ${heap.lifeline}): raw + ${overRaw} B (goal ≤ 1,100)`,
)
process.exit(0)
