// `node scripts/start.mjs --fleet`: the demo in fleet mode. A Redis of its own, two test servers sharing sessions,
// replay buffers and rooms through it, and a small TCP balancer on the public port in front of them (every connection
// goes to the current backend; when that one is down, to the next, as nginx's consistent hash would for one client).
// The demo page's "Kill this backend" button SIGKILLs the backend serving it; this script starts it again 2 s later.
import { spawn } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'

export async function startFleet({ root, port, host }) {
  const { startRedis } = await import(join(root, 'packages/test-server/dist/index.js'))
  const cli = join(root, 'packages/test-server/dist/cli.js')
  const redis = await startRedis()
  let stopping = false

  /** A backend process; `port` is fixed after its first start, so a restart takes the same one. */
  const backend = (name) => {
    const b = { name, port: 0, up: false, child: undefined }
    b.start = () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [cli, '--port', String(b.port), '--redis-url', redis.url, '--killable'], {
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        b.child = child
        let out = ''
        child.stdout.on('data', (chunk) => {
          out += chunk
          const m = /websocket: ws:\/\/[^:]+:(\d+)/.exec(out)
          if (m && !b.up) {
            b.port = Number(m[1])
            b.up = true
            resolve()
          }
        })
        child.once('exit', (code, signal) => {
          const was = b.up
          b.up = false
          if (!was) return reject(new Error(`backend ${name} exited (${code ?? signal}) before it served`))
          if (stopping) return
          console.log(`lifeline: backend ${name} died (${signal ?? code}); starting it again in 2 s`)
          setTimeout(() => b.start().then(() => console.log(`lifeline: backend ${name} is back on :${b.port}`)), 2_000)
        })
      })
    return b
  }
  const backends = [backend('A'), backend('B')]
  for (const b of backends) await b.start()

  let current = 0
  const balancer = createServer((down) => {
    const tryFrom = (k, left) => {
      const b = backends[k % backends.length]
      if (left === 0) return down.destroy()
      if (!b.up) return tryFrom(k + 1, left - 1)
      const up = connect(b.port, '127.0.0.1')
      up.once('error', () => tryFrom(k + 1, left - 1))
      up.once('connect', () => {
        current = k % backends.length
        up.removeAllListeners('error')
        down.pipe(up).pipe(down)
        const end = () => {
          down.destroy()
          up.destroy()
        }
        up.on('error', end).on('close', end)
        down.on('error', end).on('close', end)
      })
    }
    tryFrom(current, backends.length)
  })
  await new Promise((resolve, reject) => {
    balancer.once('error', reject)
    balancer.listen(port, host, resolve)
  })
  const publicPort = balancer.address().port
  console.log(
    `Lifeline fleet demo\n  demo:      http://${host}:${publicPort}/\n  websocket: ws://${host}:${publicPort}/ws\n  backends:  ${backends.map((b) => `${b.name} :${b.port}`).join(', ')} (sessions in Redis, ${redis.url})`,
  )
  return async () => {
    stopping = true
    balancer.close()
    for (const b of backends) b.child?.kill('SIGTERM')
    await redis.stop()
  }
}
