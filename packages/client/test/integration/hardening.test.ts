import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import type { LifelineError } from '../../src/errors'
import type { CloseEvent } from '../../src/lifeline'
import { client, server, until } from './helpers'
import { proxy } from './proxy'

/** A `ws` constructor that remembers the sockets it made, so a test can watch the real connection. */
function spied() {
  const made: WebSocket[] = []
  class Spy extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      made.push(this)
    }
  }
  return { made, Spy: Spy as unknown as typeof WebSocket }
}

/** A foreign `ws` server on a free port, stopped after the test by `close`. */
async function foreign(onConnection: (ws: WebSocket) => void) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  wss.on('connection', onConnection)
  const timers = new Set<ReturnType<typeof setInterval>>()
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    every: (ms: number, fn: () => void) => timers.add(setInterval(fn, ms)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t)
        for (const ws of wss.clients) ws.terminate()
        wss.close(() => resolve())
      }),
  }
}

describe('foreign servers', () => {
  it('a plain echo server: replies that are no envelopes reach the text event', async () => {
    const s = await server()
    const { c, of, opens, errors } = client(s.rawUrl, { heartbeat: false })
    await opens(1)
    c.sendRaw('hi')
    await until(() => of('text').length || undefined, 'the echo')
    expect(of('text')).toEqual(['hi'])
    expect(errors()).toEqual(['BAD_MESSAGE']) // envelope mode still reports it
  })

  it('envelopes: false makes Lifeline a plain reconnecting socket: text in, text out, no errors', async () => {
    const s = await server()
    const { c, of, opens, errors } = client(s.rawUrl, {
      envelopes: false,
      // an echo sends our ping back: Lifeline answers it as a server ping, and the echoed answer is the pong
      heartbeat: { intervalMs: 300, timeoutMs: 200, frames: { ping: 'ping', pong: 'pong' } },
    })
    await opens(1)
    for (const line of ['one', '{"type":"two"}', 'three']) c.sendRaw(line)
    await until(() => of('text').length >= 3 || undefined, 'three echoes')
    expect(of('text')).toEqual(['one', '{"type":"two"}', 'three'])
    await until(() => of('latency').length >= 2 || undefined, 'two heartbeats answered by the echo', 3_000)
    expect(errors()).toEqual([])
    expect(c.state).toBe('open')
  })

  it('protocol-level pings from a quiet server count as life (no false HEARTBEAT_TIMEOUT)', async () => {
    let pings = 0
    // Like Python's websockets: answers no application frame, keeps the link alive with ping frames every 100 ms.
    const f = await foreign((ws) => {
      const timer = setInterval(() => {
        ws.ping()
        pings++
      }, 100)
      ws.on('close', () => clearInterval(timer))
    })
    try {
      const { c, opens, errors } = client(f.url, { heartbeat: { intervalMs: 300, timeoutMs: 200 } })
      await opens(1)
      await until(() => pings >= 15 || undefined, '15 pings: 1.5 s, three times interval + timeout', 5_000)
      expect(errors()).toEqual([])
      expect(c.state).toBe('open')
    } finally {
      await f.close()
    }
  })

  it('a refused handshake tells the HTTP status to the close event and to shouldReconnect (Node)', async () => {
    const s = await server()
    s.faults.refuse(60_000, 404)
    const seen: Array<number | undefined> = []
    const { c, of, errors } = client(s.url, {
      shouldReconnect: (info) => {
        seen.push(info.httpStatus)
        return info.httpStatus !== 404
      },
    })
    await until(() => c.state === 'closed' || undefined, 'stopped by the policy')
    expect(seen).toEqual([404])
    expect(of<CloseEvent>('close')).toEqual([{ code: 1006, reason: '', wasClean: false, httpStatus: 404, willReconnect: false }])
    expect(errors()).toEqual(['SOCKET_ERROR'])
    expect(of<LifelineError>('error')[0]?.detail).toEqual({ httpStatus: 404 })
  })

  it('options ws refuses (a non-ASCII header, as in a copied "Bearer …") stop at once with BAD_OPTION naming the cause', async () => {
    const s = await server()
    const { c, of } = client(s.url, { wsOptions: { headers: { authorization: 'Bearer …' } } })
    await until(() => of('error').length || undefined, 'the refusal')
    const [err] = of<LifelineError>('error')
    expect(err?.code).toBe('BAD_OPTION')
    expect(err?.message).toMatch(
      /^the WebSocket constructor refused 'ws:\/\/127\.0\.0\.1:\d+\/ws': Invalid character in header content \["authorization"\]$/,
    )
    expect(c.state).toBe('closed')
    await until(() => of('state').length >= 2 || undefined, 'the states')
    expect(s.accepted).toBe(0)
    expect(of('reconnecting')).toEqual([])
  })
})

describe('hostile networks', () => {
  it('a handshake that never completes: CONNECT_TIMEOUT, retries with backoff, open once the server answers', async () => {
    const s = await server()
    s.faults.stall(60_000)
    const { c, errors, of, opens } = client(s.url, { connectTimeoutMs: 300 })
    await until(() => errors().filter((e) => e === 'CONNECT_TIMEOUT').length >= 2 || undefined, 'two connect timeouts')
    expect(of('reconnecting').length).toBeGreaterThanOrEqual(2)
    s.faults.reset()
    await opens(1)
    expect(c.state).toBe('open')
    await expect(c.request('echo', 'through')).resolves.toBe('through')
  })

  it("close() on a half-open link lets the process go within a short grace (not ws's 30 s)", async () => {
    const s = await server()
    const p = await proxy(s.port)
    const { made, Spy } = spied()
    const { c, opens } = client(p.url(), { WebSocket: Spy as never, heartbeat: false })
    await opens(1)
    p.blackhole()
    const start = Date.now()
    c.close()
    const ws = made[0] as WebSocket
    await until(() => ws.readyState === WebSocket.CLOSED || undefined, 'the socket released', 5_000)
    expect(Date.now() - start).toBeLessThan(1_500)
  })

  it('a busy, slow uplink: the ping waits behind 12 MB of data, and the link is not declared dead', async () => {
    const s = await server({ keepReceived: 1_000 })
    const p = await proxy(s.port)
    const { c, opens, errors } = client(p.url(), { heartbeat: { intervalMs: 300, timeoutMs: 800 } })
    await opens(1)
    p.throttleUplink(8_000_000) // 8 MB/s; the kernel alone takes ~4 MB before ws buffers any
    const chunk = 'x'.repeat(60_000)
    for (let i = 0; i < 200; i++) expect(c.send('upload', { i, chunk })).toBe(true)
    await until(
      () => s.received.filter((e) => e.type === 'upload').length === 200 || undefined,
      `all 200 uploads (errors: ${errors()})`,
      15_000,
    ).catch((err) => {
      throw new Error(`${err.message}; got ${s.received.filter((e) => e.type === 'upload').length}, errors ${errors()}`)
    })
    expect(errors()).toEqual([])
    expect(c.state).toBe('open')
    expect(s.accepted).toBe(1)
  })
})
