// Client side of lib/server-process.mjs: start it, send commands, stop it.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export async function benchServer() {
  const child = fork(fileURLToPath(new URL('./server-process.mjs', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let next = 0
  const pending = new Map()
  child.on('message', (msg) => {
    const p = pending.get(msg.id)
    pending.delete(msg.id)
    if (msg.error) p?.reject(new Error(msg.error))
    else p?.resolve(msg)
  })
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next
      pending.set(id, { resolve, reject })
      child.send({ id, cmd, ...args })
    })
  return {
    call,
    async start(kind) {
      const { port } = await call('start', { kind })
      return kind === 'socket.io' ? `http://127.0.0.1:${port}` : `ws://127.0.0.1:${port}/`
    },
    async close() {
      await call('exit').catch(() => undefined)
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve))
    },
  }
}
