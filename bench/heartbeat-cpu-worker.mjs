// N idle Lifeline clients, heartbeat on or off; reports this process's CPU over a window (run by heartbeat-cpu.mjs).
import { connectMany } from './lib/connect-many.mjs'

const [url, countText, heartbeatText, windowText] = process.argv.slice(2)
const heartbeat = heartbeatText === 'off' ? false : { intervalMs: Number(heartbeatText), timeoutMs: Number(heartbeatText) }
const conns = await connectMany('lifeline', url, Number(countText), { heartbeat, watchNetwork: false })
// let the connect burst settle, then measure a quiet window
await new Promise((resolve) => setTimeout(resolve, 1_500))
let pongs = 0
for (const c of conns) c.client.on('latency', () => pongs++)
const cpu0 = process.cpuUsage()
const t0 = performance.now()
await new Promise((resolve) => setTimeout(resolve, Number(windowText)))
const cpu = process.cpuUsage(cpu0)
const seconds = (performance.now() - t0) / 1000
process.send({
  cpuMsPerSec: (cpu.user + cpu.system) / 1000 / seconds,
  pongsPerSec: pongs / seconds,
  open: conns.filter((c) => c.client.state === 'open').length,
})
for (const c of conns) c.close()
setTimeout(() => process.exit(0), 300)
