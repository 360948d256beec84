// The soak: Node clients (in a worker) exchange numbered messages and requests with test-server backends through
// hostile proxies while random faults hit them: black-holed links, cuts in the middle of a frame, resets, throttled
// links, backends dropping every link, going silent, refusing handshakes, restarting, and (in fleet mode, with Redis)
// being killed with SIGKILL and started again. Then it stops the faults, lets everything settle, and counts: what each
// side accepted, what the other side got (once? twice? never?), requests executed, settled or hung, what is left
// running after close(), and how the clients' heap grew after the warm-up.
//
//   node bench/soak.mjs                 # with resume, >= 10,000 faults; then without resume, for comparison (< 5 min)
//   node bench/soak.mjs --quick         # with resume, about 600 faults (the short mode in `pnpm test`)
//   options: --faults N --seconds S --clients C --no-compare --seed K
//            --hello-ms M (resume's helloTimeoutMs; the client's default when absent)
//
// Exits 1 when the resume run loses, doubles or hangs anything, leaves anything running after close(), or (full run)
// grows the heap by 5 % or more after the warm-up.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { startRedis } from '@lifeline/test-server'
import { faultyProxy } from './lib/faulty-proxy.mjs'
import { until } from './lib/wait.mjs'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    faults: { type: 'string' },
    seconds: { type: 'string' },
    clients: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'hello-ms': { type: 'string' },
    'no-compare': { type: 'boolean', default: false },
  },
})
const quick = values.quick
const helloMs = values['hello-ms'] === undefined ? undefined : Number(values['hello-ms'])
const here = fileURLToPath(new URL('.', import.meta.url))
const bin = join(here, '..', 'packages', 'test-server', 'bin', 'lifeline-test-server.js')

// A small seeded generator (mulberry32): a soak can be run again with the same fault sequence (--seed).
let seed = Number(values.seed) >>> 0
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (xs) => xs[Math.floor(random() * xs.length)]

/** A test-server process, killed for real (SIGKILL) like a crashed backend; it records what it processed. */
function backend(port, redisUrl, record, resume) {
  let child
  const args = () => [
    bin,
    '--port',
    String(port),
    '--record',
    record,
    ...(redisUrl ? ['--redis-url', redisUrl] : []),
    ...(resume ? [] : ['--no-resume']),
  ]
  const self = {
    port,
    down: false,
    async start() {
      child = spawn(process.execPath, args(), { stdio: ['ignore', 'pipe', 'inherit'] })
      await new Promise((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`backend :${port} exited (${code})`)))
        child.stdout.on('data', (chunk) => chunk.toString().includes('websocket:') && resolve())
      })
      child.removeAllListeners('exit')
      self.down = false
    },
    async kill() {
      self.down = true
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    },
    fault: (name, faultArgs) =>
      fetch(`http://127.0.0.1:${port}/__faults/${name}`, { method: 'POST', body: JSON.stringify(faultArgs) }).then(
        (r) => r.ok,
        () => false, // down, or restarting: that fault did not happen (it is not counted)
      ),
  }
  return self
}

const freePort = async () => {
  const { createServer } = await import('node:net')
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** One soak run. Returns its table row and the checks. */
async function run(options) {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-soak-'))
  const redis = options.fleet ? await startRedis() : undefined
  const backends = []
  try {
    return await soak(options, dir, redis, backends)
  } finally {
    for (const b of backends) if (!b.down) await b.kill()
    await redis?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function soak({ resume, fleet, faults: wantFaults, seconds, clients: nClients }, dir, redis, backends) {
  const count = fleet ? 3 : 1
  for (let i = 0; i < count; i++) backends.push(backend(await freePort(), redis?.url, join(dir, `b${i}.jsonl`), resume))
  await Promise.all(backends.map((b) => b.start()))
  const live = () => backends.filter((b) => !b.down).map((b) => b.port)
  const proxies = await Promise.all(Array.from({ length: nClients }, (_, c) => faultyProxy(live, c % count)))

  const everyMs = 100 // 10 messages a second per client
  const requestEvery = 10
  const maxMessages = Math.ceil(((seconds + 5) * 1000) / everyMs)
  const worker = new Worker(join(here, 'soak-worker.mjs'), {
    workerData: { urls: proxies.map((p) => p.url), resume, everyMs, requestEvery, maxMessages, helloMs },
  })
  const replies = []
  worker.on('message', (m) => replies.push(m))
  worker.on('error', (err) => {
    console.error('soak worker:', err)
    process.exitCode = 1
  })
  const ask = async (cmd, key) => {
    const from = replies.length
    const asked = Date.now()
    worker.postMessage({ cmd })
    const reply = await until(() => replies.slice(from).find((r) => key in r), `the worker's ${key}`, 120_000)
    if (Date.now() - asked > 5_000) console.log(`soak: the worker took ${Date.now() - asked} ms to answer '${cmd}'`)
    return reply
  }
  await until(() => replies.find((r) => r.ready), 'the worker to start', 10_000)

  // the faults: a steady rate over the run; link faults on linked clients, backend faults on live backends
  const kinds = { blackhole: 0, cut: 0, reset: 0, throttle: 0, drop: 0, silence: 0, refuse: 0, restart: 0, kill: 0 }
  let injected = 0
  let killing = false
  const inject = async () => {
    const r = random()
    if (r < 0.8) {
      const linked = proxies.filter((p) => p.linked)
      if (linked.length === 0) return
      const p = pick(linked)
      const kind = r < 0.3 ? 'blackhole' : r < 0.5 ? 'cut' : r < 0.7 ? 'reset' : 'throttle'
      if (kind === 'throttle') p.throttle(2_048, 1_500)
      else p[kind]()
      kinds[kind]++
      injected++
      return
    }
    const b = pick(backends.filter((x) => !x.down))
    if (!b) return
    if (r > 0.97 && fleet && !killing && live().length > 1) {
      // a backend killed (SIGKILL) and started again a moment later
      killing = true
      kinds.kill++
      injected++
      await b.kill()
      setTimeout(() => b.start().finally(() => (killing = false)), 500)
      return
    }
    const kind = r < 0.86 ? 'drop' : r < 0.91 ? 'silence' : r < 0.95 ? 'refuse' : 'restart'
    const args = { drop: [], silence: [800], refuse: [500, 503], restart: [300] }[kind]
    if (await b.fault(kind, args)) {
      kinds[kind]++
      injected++
    }
  }
  const started = Date.now()
  const intervalMs = (seconds * 1000) / wantFaults
  let warmHeap
  const warmAt = started + seconds * 250 // after a quarter of the run
  const scheduler = setInterval(() => {
    if (injected < wantFaults) void inject()
  }, intervalMs)
  await until(
    async () => {
      if (!warmHeap && Date.now() > warmAt) warmHeap = (await ask('heap', 'heap')).heap
      return injected >= wantFaults && Date.now() - started >= seconds * 1000
    },
    'the faults',
    (seconds + 120) * 1000,
    200,
  )
  clearInterval(scheduler)
  await until(() => !killing, 'the killed backend to restart', 10_000)
  const faultSeconds = (Date.now() - started) / 1000
  await ask('stop-sending', 'sent')

  // settle: with resume, everything arrives; without, wait until nothing more comes (then the rest is lost)
  const settleDeadline = Date.now() + (resume ? 60_000 : 8_000)
  let settled = false
  while (Date.now() < settleDeadline) {
    settled = (await ask('settled', 'settled')).settled
    if (settled) break
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  if (!settled && resume) {
    const { stuck } = await ask('stuck', 'stuck')
    console.log(`soak: not settled after 60 s; ${stuck.length} client(s):`)
    for (const x of stuck.slice(0, 10)) console.log(`  ${JSON.stringify(x)}`)
  }
  const { result, heapEnd, left, twice, badMessages, badCount } = await ask('finish', 'result')
  if (twice.length) console.log(`soak: delivered twice: ${JSON.stringify(twice)}`)
  if (badCount) console.log(`soak: ${badCount} BAD_MESSAGE errors, e.g. ${JSON.stringify(badMessages.slice(0, 5))}`)
  await worker.terminate()
  for (const p of proxies) await p.close()

  // what the servers processed, from their records (a SIGKILLed backend has written everything it processed)
  const processed = result.map((r) => new Uint8Array(r.accepted.length))
  const executed = result.map((r) => new Uint8Array(r.requests.length))
  for (let i = 0; i < count; i++) {
    let text = ''
    try {
      text = readFileSync(join(dir, `b${i}.jsonl`), 'utf8')
    } catch {
      // a backend that processed nothing wrote no file
    }
    for (const line of text.split('\n')) {
      if (!line) continue
      const e = JSON.parse(line)
      if (e.type === 'echo' && e.data) processed[e.data.c][e.data.n]++
      else if (e.type === 'sum' && Array.isArray(e.data)) executed[e.data[0]][e.data[1] / requestEvery]++
    }
  }

  const t = {
    up: { accepted: 0, delivered: 0, lost: 0, duplicated: 0 },
    down: { sent: 0, delivered: 0, lost: 0, duplicated: 0 },
    requests: { made: 0, executed: 0, duplicated: 0, settled: 0, wrong: 0, hung: 0 },
    resets: 0,
    resumes: 0,
    replayed: 0,
  }
  result.forEach((r, c) => {
    t.resets += r.resets
    t.resumes += r.resumes
    t.replayed += r.replayed
    for (let n = 1; n <= r.n; n++) {
      // processed: recorded by a backend, or proven by its echo (only processing makes one): a backend killed after
      // committing a message and before writing its record line has processed it all the same
      const got = Math.max(processed[c][n], r.received[n] > 0 ? 1 : 0)
      if (r.accepted[n]) {
        t.up.accepted++
        if (got > 0) t.up.delivered++
        else t.up.lost++
      }
      if (got > 1) t.up.duplicated += got - 1
      // each processing of an echo sent one back
      t.down.sent += got
      if (got > 0 && r.received[n] === 0) t.down.lost++
      if (r.received[n] > 0) t.down.delivered++
      if (r.received[n] > 1) t.down.duplicated += r.received[n] - 1
    }
    for (let k = 1; k < r.requests.length; k++) {
      const s = r.requests[k]
      if (s === 0) continue
      t.requests.made++
      if (executed[c][k] > 0 || s === 2) t.requests.executed++
      if (executed[c][k] > 1) t.requests.duplicated += executed[c][k] - 1
      if (s === 1) t.requests.hung++
      else t.requests.settled++
      if (s === 3) t.requests.wrong++
    }
  })
  const heapGrowth = warmHeap ? (heapEnd - warmHeap) / warmHeap : Number.NaN
  return { resume, fleet, faults: injected, kinds, faultSeconds, clients: nClients, t, heapGrowth, warmHeap, heapEnd, left }
}

const pct = (x, of) => (of === 0 ? '0' : `${((100 * x) / of).toFixed(2)} %`)
function print(r) {
  const { t } = r
  console.log(
    `\n${r.resume ? 'WITH resume' : 'WITHOUT resume (protocol v1)'}, ${r.fleet ? 'fleet: 3 backends + Redis' : 'one backend'}, ${r.clients} clients: ${r.faults} faults in ${r.faultSeconds.toFixed(0)} s`,
  )
  console.log(
    `  faults: ${Object.entries(r.kinds)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  )
  console.log('  | direction | accepted | delivered | lost | duplicated |')
  console.log('  | --- | --- | --- | --- | --- |')
  console.log(
    `  | client → server | ${t.up.accepted} | ${t.up.delivered} | ${t.up.lost} (${pct(t.up.lost, t.up.accepted)}) | ${t.up.duplicated} |`,
  )
  console.log(
    `  | server → client | ${t.down.sent} | ${t.down.delivered} | ${t.down.lost} (${pct(t.down.lost, t.down.sent)}) | ${t.down.duplicated} |`,
  )
  console.log(
    `  requests: ${t.requests.made} made, ${t.requests.executed} executed, ${t.requests.duplicated} executed twice or more, ${t.requests.settled} settled (${t.requests.wrong} wrong), ${t.requests.hung} hung`,
  )
  console.log(`  resumes ${t.resumes} (${t.replayed} messages re-sent by clients), resets ${t.resets}`)
  console.log(
    `  after close(): ${r.left.length === 0 ? 'nothing left running' : `left running: ${r.left.join(', ')}`}; client heap ${(r.warmHeap / 1e6).toFixed(1)} MB after warm-up → ${(r.heapEnd / 1e6).toFixed(1)} MB at the end (${(100 * r.heapGrowth).toFixed(1)} %)`,
  )
}

const seconds = Number(values.seconds ?? (quick ? 12 : 175))
const faults = Number(values.faults ?? (quick ? 600 : 10_200))
const clients = Number(values.clients ?? 40)
const t0 = Date.now()
const withResume = await run({ resume: true, fleet: true, faults, seconds, clients })
print(withResume)
const failures = []
const { t } = withResume
if (t.up.lost || t.down.lost) failures.push('lost messages')
if (t.up.duplicated || t.down.duplicated) failures.push('duplicated messages')
if (t.requests.hung || t.requests.duplicated || t.requests.wrong) failures.push('hung, duplicated or wrong requests')
if (withResume.left.length) failures.push('left running after close()')
if (!quick && !(withResume.heapGrowth < 0.05)) failures.push('heap growth of 5 % or more')
if (!quick && !values['no-compare']) {
  const without = await run({
    resume: false,
    fleet: true,
    faults: Math.round(faults / 5),
    seconds: Math.round(seconds / 5),
    clients,
  })
  print(without)
}
console.log(
  `\nsoak: ${((Date.now() - t0) / 1000).toFixed(0)} s; ${failures.length ? `FAILED: ${failures.join(', ')}` : 'with resume: 0 lost, 0 duplicated, 0 hung, nothing left running'}`,
)
if (failures.length) process.exitCode = 1
