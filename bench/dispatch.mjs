// Figure 2: dispatch without network. A fake socket feeds pre-encoded envelopes; Lifeline decodes and emits them.
// The floor: hand-written JSON.parse + eventemitter3 emit. Goal: Lifeline ≤ 1.10× the floor.
import { Lifeline } from '@lifeline/client'
import EventEmitter from 'eventemitter3'
import { Bench } from 'tinybench'
import { quick, report } from './lib/cli.mjs'
import { median, round } from './lib/stats.mjs'

const N = quick ? 20_000 : 200_000
const ROUNDS = quick ? 2 : 6 // bench runs, alternating which task goes first
const ITERATIONS = quick ? 3 : 10 // timed batches per task and run
const frames = Array.from({ length: 256 }, (_, i) =>
  JSON.stringify({ type: 'chat', data: { room: 'lobby', text: `hello world ${i}`, n: i } }),
)

/** Shaped like `ws` (EventEmitter `on`/`off`, listeners called with the socket as `this`), which is what Node users run. */
class FakeSocket {
  readyState = 0
  binaryType = 'blob'
  bufferedAmount = 0
  listeners = {}
  static last
  constructor() {
    FakeSocket.last = this
  }
  on(type, fn) {
    this.listeners[type] = fn
  }
  off(type) {
    delete this.listeners[type]
  }
  addEventListener() {
    throw new Error('ws-shaped: on/off only')
  }
  send() {
    // the benchmark measures inbound dispatch only
  }
  close() {
    this.readyState = 3
  }
}

let sink = 0
const handler = (m) => {
  sink += m.data.n
}

/** An open client over a FakeSocket, and its socket's message listener (what ws calls with each frame). */
function openClient(listen) {
  const client = new Lifeline('ws://bench/', { WebSocket: FakeSocket })
  listen(client)
  client.connect()
  const socket = FakeSocket.last
  socket.readyState = 1
  socket.listeners.open.call(socket)
  return { client, socket, listener: socket.listeners.message }
}

/** Garbage a hostile or broken server floods a client with: each must cost little (issue: ~17 µs each before). */
const garbage = [
  'this is not json',
  '{"type":',
  '[1,2,3]',
  '{"data":"no type"}',
  '{"type":7}',
  '42',
  '<html>',
  '{"type":"x","id":{}}',
]

// tinybench times each batch (one task call = N frames) and does warm-up and statistics; a fresh client per batch is
// set up and closed outside the timed window (beforeEach/afterEach). It runs tasks one after another, so the paired
// comparison below repeats the bench in rounds that alternate the order and takes the median ratio of the rounds.
let open
const perBatch = (listen) => ({
  beforeEach: () => {
    open = openClient(listen)
  },
  afterEach: () => open.client.close(),
})
const onMessage = (client) => client.on('message', handler)
const onError = (client) => client.on('error', () => sink++)

function lifelineBatch() {
  const { socket, listener } = open
  for (let i = 0; i < N; i++) listener.call(socket, frames[i & 255], false)
}
function invalidBatch() {
  const { socket, listener } = open
  for (let i = 0; i < N / 4; i++) listener.call(socket, garbage[i & 7], false)
}
function floorBatch() {
  const ee = new EventEmitter()
  ee.on('message', handler)
  const onmessage = (data) => ee.emit('message', JSON.parse(data))
  for (let i = 0; i < N; i++) onmessage(frames[i & 255], false)
}

/** ns per frame from a task's median batch time (tinybench reports milliseconds). */
const nsPerMessage = (result, n) => (result.latency.p50 * 1e6) / n
const rounds = []
for (let r = 0; r < ROUNDS; r++) {
  const b = new Bench({ iterations: ITERATIONS, time: 0, warmupIterations: 3, warmupTime: 0 })
  const tasks = [
    ['lifeline', lifelineBatch, perBatch(onMessage)],
    ['floor', floorBatch],
  ]
  for (const [name, fn, opts] of r % 2 === 0 ? tasks : tasks.reverse()) b.add(name, fn, opts)
  await b.run()
  const [l, f] = [b.getTask('lifeline').result, b.getTask('floor').result]
  rounds.push({ lifeline: nsPerMessage(l, N), floor: nsPerMessage(f, N), rme: Math.max(l.latency.rme, f.latency.rme) })
}
const invalidBench = new Bench({ iterations: ITERATIONS, time: 0, warmupIterations: 3, warmupTime: 0 })
invalidBench.add('invalid', invalidBatch, perBatch(onError))
await invalidBench.run()
const invalidTask = invalidBench.getTask('invalid')
const invalid = nsPerMessage(invalidTask.result, N / 4)
const lifeline = median(rounds.map((x) => x.lifeline))
const floor = median(rounds.map((x) => x.floor))
const ratio = median(rounds.map((x) => x.lifeline / x.floor))
report('dispatch', {
  messages: N,
  rounds: ROUNDS,
  batchesPerRound: ITERATIONS,
  // tinybench's relative margin of error (%) of a batch time, the worst task of the median round
  rmePercent: round(median(rounds.map((x) => x.rme)), 1),
  nsPerMessage: { lifeline: round(lifeline), floor: round(floor) },
  ratio: round(ratio, 3),
  nsPerInvalidFrame: round(invalid),
  goal: 1.1,
  meetsGoal: ratio <= 1.1,
  sink: sink > 0,
})
console.log(`dispatch: lifeline ${round(lifeline)} ns/msg, floor ${round(floor)} ns/msg, ratio ${round(ratio, 3)} (goal ≤ 1.10)`)
console.log(`dispatch: an invalid frame (BAD_MESSAGE error event) costs ${round(invalid)} ns`)
