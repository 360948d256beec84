// Figure 2: dispatch without network. A fake socket feeds pre-encoded envelopes; Lifeline decodes and emits them.
// The floor: hand-written JSON.parse + eventemitter3 emit. Goal: Lifeline ≤ 1.10× the floor.
import { Lifeline } from '@lifeline/client'
import EventEmitter from 'eventemitter3'
import { quick, report } from './lib/cli.mjs'
import { interleaved, median, nowMs, round } from './lib/stats.mjs'

const N = quick ? 20_000 : 200_000
const ROUNDS = quick ? 3 : 15
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

function lifelineRun() {
  const client = new Lifeline('ws://bench/', { WebSocket: FakeSocket })
  client.on('message', handler)
  client.connect()
  const socket = FakeSocket.last
  socket.readyState = 1
  socket.listeners.open.call(socket)
  // what ws hands its message listeners: the data and whether it is binary, the socket as `this`
  const listener = socket.listeners.message
  const t0 = nowMs()
  for (let i = 0; i < N; i++) listener.call(socket, frames[i & 255], false)
  const ns = ((nowMs() - t0) * 1e6) / N
  client.close()
  return ns
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

function invalidRun() {
  const client = new Lifeline('ws://bench/', { WebSocket: FakeSocket })
  client.on('error', () => sink++)
  client.connect()
  const socket = FakeSocket.last
  socket.readyState = 1
  socket.listeners.open.call(socket)
  const listener = socket.listeners.message
  const n = N / 4
  const t0 = nowMs()
  for (let i = 0; i < n; i++) listener.call(socket, garbage[i & 7], false)
  const ns = ((nowMs() - t0) * 1e6) / n
  client.close()
  return ns
}

function floorRun() {
  const ee = new EventEmitter()
  ee.on('message', handler)
  const onmessage = (data) => ee.emit('message', JSON.parse(data))
  const t0 = nowMs()
  for (let i = 0; i < N; i++) onmessage(frames[i & 255], false)
  return ((nowMs() - t0) * 1e6) / N
}

// warm both paths up before measuring
for (let i = 0; i < 3; i++) {
  lifelineRun()
  floorRun()
}
const runs = await interleaved(['lifeline', 'JSON.parse + emit'], ROUNDS, (v) => (v === 'lifeline' ? lifelineRun() : floorRun()))
const invalid = median(Array.from({ length: ROUNDS }, invalidRun))
const lifeline = median(runs.lifeline)
const floor = median(runs['JSON.parse + emit'])
const ratio = lifeline / floor
report('dispatch', {
  messages: N,
  rounds: ROUNDS,
  nsPerMessage: { lifeline: round(lifeline), floor: round(floor) },
  ratio: round(ratio, 3),
  nsPerInvalidFrame: round(invalid),
  goal: 1.1,
  meetsGoal: ratio <= 1.1,
  sink: sink > 0,
})
console.log(`dispatch: lifeline ${round(lifeline)} ns/msg, floor ${round(floor)} ns/msg, ratio ${round(ratio, 3)} (goal ≤ 1.10)`)
console.log(`dispatch: an invalid frame (BAD_MESSAGE error event) costs ${round(invalid)} ns`)
