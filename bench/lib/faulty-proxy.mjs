// The soak's hostile network: one TCP proxy per client, in front of a set of backends (it also balances: a client
// prefers backend `prefer`, and moves to the next one that answers when that one is down, as nginx's consistent hash
// does). Faults act on the current link: black-hole, a cut in the middle of a frame, a reset, a throttled downlink.
import { connect, createServer } from 'node:net'

export async function faultyProxy(backendPorts, prefer) {
  /** The current link: the client's socket and the backend's, and what is being done to it. */
  let link
  const server = createServer((down) => {
    down.setNoDelay(true)
    const pair = { down, up: undefined, holed: false, cutNext: false, rate: Infinity, nextAt: 0, held: [], timers: new Set() }
    link = pair
    const end = () => {
      for (const t of pair.timers) clearTimeout(t)
      down.destroy()
      pair.up?.destroy()
      if (link === pair) link = undefined
    }
    down.on('error', end)
    down.on('close', end)
    const ports = backendPorts()
    const attempt = (k) => {
      if (k >= ports.length) return end()
      const up = connect(ports[(prefer + k) % ports.length], '127.0.0.1')
      up.setNoDelay(true)
      up.once('error', () => (pair.up === up ? end() : attempt(k + 1)))
      up.once('connect', () => {
        pair.up = up
        up.on('error', end)
        up.on('close', end)
        for (const chunk of pair.held) forward(pair, chunk, up)
        pair.held = []
        up.on('data', (chunk) => forward(pair, chunk, down))
      })
    }
    down.on('data', (chunk) => {
      if (pair.up) forward(pair, chunk, pair.up)
      else pair.held.push(chunk)
    })
    attempt(0)
  })

  /** Forwards a chunk unless a fault says otherwise; the downlink obeys the throttle. */
  function forward(pair, chunk, to) {
    if (pair.holed) return
    if (pair.cutNext && chunk.length > 1) {
      // a cut in the middle of a frame: half of it goes through, then both sides are destroyed
      to.write(chunk.subarray(0, chunk.length >> 1), () => {
        pair.down.destroy()
        pair.up?.destroy()
      })
      pair.holed = true
      return
    }
    const now = Date.now()
    if (to === pair.down && (pair.rate !== Infinity || pair.nextAt > now)) {
      // in order: each chunk leaves after the one before it, at the throttled rate
      pair.nextAt = Math.max(now, pair.nextAt) + (pair.rate === Infinity ? 0 : (chunk.length / pair.rate) * 1000)
      const timer = setTimeout(() => {
        pair.timers.delete(timer)
        if (!pair.holed && to.writable) to.write(chunk)
      }, pair.nextAt - now)
      pair.timers.add(timer)
      return
    }
    to.write(chunk)
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    /** Whether a link is up now (faults on it count). */
    get linked() {
      return link?.up !== undefined && !link.holed
    },
    /** Forwards nothing more either way and closes nothing: a half-open link. */
    blackhole() {
      if (link) link.holed = true
    },
    /** Cuts the link in the middle of the next chunk (or at once, if nothing flows within 200 ms). */
    cut() {
      const pair = link
      if (!pair) return
      pair.cutNext = true
      setTimeout(() => {
        if (!pair.holed) {
          pair.down.destroy()
          pair.up?.destroy()
        }
      }, 200)
    },
    /** A TCP reset both ways. */
    reset() {
      if (!link) return
      link.down.resetAndDestroy()
      link.up?.resetAndDestroy()
    },
    /** Slows the downlink to `bytesPerSecond` for `ms`. */
    throttle(bytesPerSecond, ms) {
      const pair = link
      if (!pair) return
      pair.rate = bytesPerSecond
      setTimeout(() => {
        pair.rate = Infinity
      }, ms)
    },
    close() {
      link?.down.destroy()
      link?.up?.destroy()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}
