// The soak's clients, in a worker thread of their own: their heap is measured alone, apart from the proxies, the
// fault scheduler and the accounting in the main thread. Every counter is preallocated, so the accounting itself
// does not grow the heap between the warm-up and the end.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parentPort, workerData } from 'node:worker_threads'
import { Lifeline, withRequests, withResume } from '@lifeline/client'

const { urls, resume, everyMs, requestEvery, maxMessages, helloMs } = workerData
// --expose-gc is a process flag, refused in a worker's execArgv: V8 gives it out this way instead
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')
const heap = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const clients = urls.map((url, c) => {
  const client = new Lifeline(url, {
    heartbeat: { intervalMs: 500, timeoutMs: 500 },
    reconnect: { initialDelayMs: 20, maxDelayMs: 300, stableAfterMs: 1_000 },
    connectTimeoutMs: 1_000,
    queue: { maxMessages: 20_000 },
  })
  const rpc = withRequests(client, { timeoutMs: 600_000 }) // a request that never settles is what the soak calls hung
  const state = resume ? withResume(client, helloMs ? { helloTimeoutMs: helloMs } : {}) : undefined
  const a = {
    client,
    rpc,
    state,
    n: 0,
    accepted: new Uint8Array(maxMessages + 1),
    received: new Uint8Array(maxMessages + 1),
    /** Per request (message n / requestEvery): 0 none, 1 pending, 2 right reply, 3 wrong reply, 4 rejected. */
    requests: new Uint8Array(Math.floor(maxMessages / requestEvery) + 1),
    resets: 0,
    resumes: 0,
    replayed: 0,
  }
  client.on('message', (m) => {
    if (m.type !== 'echo' || m.data?.c !== c) return
    if (a.received[m.data.n] > 0 && twice.length < 20) {
      // for the report: what a second delivery looked like
      twice.push({ c, n: m.data.n, seq: m.seq, lastSeq: a.state?.lastSeq, active: a.state?.active, state: client.state })
    }
    if (a.received[m.data.n] < 255) a.received[m.data.n]++
  })
  client.on('error', (e) => {
    if (e.code === 'BAD_MESSAGE') badMessages.push({ c, message: e.message })
  })
  client.on('reset', () => a.resets++)
  client.on('resumed', ({ replayed }) => {
    a.resumes++
    a.replayed += replayed
  })
  client.on('error', () => {
    // the faults make errors (heartbeat timeouts, refused handshakes): counted by what is lost, not by errors
  })
  return a
})

/** Second deliveries of one echo, and BAD_MESSAGE errors, for the report (both should stay empty). */
const twice = []
const badMessages = []
let sending = true
const tick = setInterval(() => {
  if (!sending) return
  for (let c = 0; c < clients.length; c++) {
    const a = clients[c]
    if (a.n >= maxMessages) continue
    const n = ++a.n
    if (a.client.send('echo', { c, n })) a.accepted[n] = 1
    if (n % requestEvery === 0) {
      const k = n / requestEvery
      a.requests[k] = 1
      a.rpc.request('sum', [c, n]).then(
        (sum) => {
          a.requests[k] = sum === c + n ? 2 : 3
        },
        () => {
          a.requests[k] = 4
        },
      )
    }
  }
}, everyMs)

/** Whether every client is open, has nothing unacknowledged, and has every echo and reply it can still get. */
function settled() {
  return clients.every((a) => {
    if (a.client.state !== 'open') return false
    if (a.state && (a.state.unacked > 0 || !a.state.active)) return false
    if (a.rpc.pending > 0) return false
    for (let n = 1; n <= a.n; n++) if (a.accepted[n] && !a.received[n]) return false
    return true
  })
}

/** The clients that keep the soak from settling, and what each one waits for. */
function stuck() {
  const out = []
  clients.forEach((a, c) => {
    const missing = []
    for (let n = 1; n <= a.n && missing.length < 5; n++) if (a.accepted[n] && !a.received[n]) missing.push(n)
    const s = a.state
    if (a.client.state === 'open' && (!s || (s.active && s.unacked === 0)) && a.rpc.pending === 0 && !missing.length) return
    out.push({
      c,
      state: a.client.state,
      active: s?.active,
      session: s?.session,
      unacked: s?.unacked,
      lastSeq: s?.lastSeq,
      pending: a.rpc.pending,
      missing,
    })
  })
  return out
}

parentPort.on('message', async (msg) => {
  if (msg.cmd === 'heap') parentPort.postMessage({ heap: heap() })
  else if (msg.cmd === 'stop-sending') {
    sending = false
    clearInterval(tick)
    parentPort.postMessage({ sent: clients.reduce((s, a) => s + a.n, 0) })
  } else if (msg.cmd === 'settled') parentPort.postMessage({ settled: settled() })
  else if (msg.cmd === 'stuck') parentPort.postMessage({ stuck: stuck() })
  else if (msg.cmd === 'finish') {
    const heapEnd = heap()
    const result = clients.map((a) => ({
      n: a.n,
      accepted: a.accepted,
      received: a.received,
      requests: a.requests,
      pending: a.rpc.pending,
      resets: a.resets,
      resumes: a.resumes,
      replayed: a.replayed,
    }))
    for (const a of clients) a.client.close()
    // what is left running after close(): nothing of Lifeline's may be (the worker's own port aside)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const left = process.getActiveResourcesInfo().filter((r) => r !== 'MessagePort')
    parentPort.postMessage({ result, heapEnd, left, twice, badMessages: badMessages.slice(0, 20), badCount: badMessages.length })
  }
})
parentPort.postMessage({ ready: true })
