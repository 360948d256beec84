import type { AddressInfo } from 'node:net'
import { createServer, type Socket, connect as tcpConnect } from 'node:net'
import { afterEach } from 'vitest'

/** A TCP proxy between a client and a server, on a free port, closed after the test: the hostile network. */
export interface Proxy {
  /** `ws://127.0.0.1:<proxy port><path>`. */
  url(path?: string): string
  /** Client-to-server bytes per second from now on (`Infinity`: unthrottled). */
  throttleUplink(bytesPerSecond: number): void
  /** Forwards nothing in either direction and closes nothing, from now on: a half-open link. */
  blackhole(): void
  close(): Promise<void>
}

const open: Proxy[] = []
afterEach(async () => {
  while (open.length) await open.pop()?.close()
})

/** One tick of the uplink throttle, in milliseconds. */
const TICK_MS = 10

export async function proxy(targetPort: number): Promise<Proxy> {
  let rate = Infinity
  let holed = false
  const pairs = new Set<[Socket, Socket]>()
  /** Uplink bytes waiting for the throttle, per client socket. */
  const pending = new Map<Socket, Buffer[]>()

  const server = createServer((down) => {
    const up = tcpConnect(targetPort, '127.0.0.1')
    const pair: [Socket, Socket] = [down, up]
    pairs.add(pair)
    pending.set(down, [])
    const end = (): void => {
      pairs.delete(pair)
      pending.delete(down)
      down.destroy()
      up.destroy()
    }
    down.on('error', end).on('close', end)
    up.on('error', end).on('close', end)
    up.on('data', (chunk) => {
      if (!holed) down.write(chunk)
    })
    down.on('data', (chunk) => {
      if (holed) return
      if (rate === Infinity) up.write(chunk)
      else {
        pending.get(down)?.push(chunk)
        down.pause() // the client's kernel buffers, then its own, fill up: a slow uplink
      }
    })
  })
  // The throttle: each tick, every client socket may send rate·tick bytes upstream.
  const ticker = setInterval(() => {
    if (rate === Infinity) return
    for (const [down, up] of pairs) {
      const queue = pending.get(down) ?? []
      let budget = (rate * TICK_MS) / 1_000
      while (budget > 0 && queue.length > 0) {
        const head = queue[0] as Buffer
        const part = head.subarray(0, budget)
        up.write(part)
        budget -= part.length
        if (part.length === head.length) queue.shift()
        else queue[0] = head.subarray(part.length)
      }
      if (queue.length === 0 && !holed) down.resume()
    }
  }, TICK_MS)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port

  const p: Proxy = {
    url: (path = '/ws') => `ws://127.0.0.1:${port}${path}`,
    throttleUplink: (bytesPerSecond) => {
      rate = bytesPerSecond
    },
    blackhole: () => {
      holed = true
      for (const [down] of pairs) down.pause()
    },
    close: async () => {
      clearInterval(ticker)
      for (const [down, up] of pairs) {
        down.destroy()
        up.destroy()
      }
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  open.push(p)
  return p
}
