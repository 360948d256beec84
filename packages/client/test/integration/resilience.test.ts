import { createServer, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { CloseEvent } from '../../src/lifeline'
import { client, server, until } from './helpers'

describe('staying alive and coming back', () => {
  it('reconnects after a dropped link (no close frame), with growing jittered delays', async () => {
    const s = await server()
    const { c, of, opens } = client(s.url, {
      reconnect: { initialDelayMs: 40, maxDelayMs: 1_000, factor: 2, stableAfterMs: 10_000 },
    })
    await opens(1)
    for (let n = 2; n <= 4; n++) {
      s.faults.drop()
      await opens(n)
    }
    expect(of<CloseEvent>('close').map((e) => [e.code, e.willReconnect])).toEqual([
      [1006, true],
      [1006, true],
      [1006, true],
    ])
    const delays = of<{ attempt: number; delayMs: number }>('reconnecting')
    expect(delays.map((d) => d.attempt)).toEqual([1, 2, 3])
    for (const [i, d] of delays.entries()) expect(d.delayMs).toBeLessThanOrEqual(40 * 2 ** i)
    expect(c.state).toBe('open')
  })

  it('detects a half-open link (server silent, no close) within interval + timeout, and recovers', async () => {
    const s = await server()
    const { c, of, opens } = client(s.url, { heartbeat: { intervalMs: 300, timeoutMs: 200 } })
    await opens(1)
    const start = Date.now()
    s.faults.silence(700)
    await until(() => of('close').length, 'the heartbeat timeout', 3_000)
    const elapsed = Date.now() - start
    expect(of<CloseEvent>('close')[0]).toMatchObject({ code: 4000, reason: 'heartbeat timeout', willReconnect: true })
    expect(elapsed).toBeGreaterThanOrEqual(500 - 20)
    expect(elapsed).toBeLessThan(500 + 250)
    // a frame written while the server is still silent would be lost like on any dead link: ask once it speaks again
    await until(() => c.state === 'open' && Date.now() - start > 750, 'open again after the silence', 5_000)
    await expect(c.request('echo', 'alive')).resolves.toBe('alive')
  })

  it('a pong later than timeoutMs is a dead link too; in time, it is life and reports latency', async () => {
    const s = await server()
    const { c, of, opens } = client(s.url, { heartbeat: { intervalMs: 150, timeoutMs: 300 } })
    await opens(1)
    const undo = s.faults.delayPongs(50)
    await until(() => of('latency').length >= 2, 'two latency events')
    expect(of<{ rttMs: number }>('latency')[0]!.rttMs).toBeGreaterThanOrEqual(45)
    expect(of('close')).toEqual([])
    undo()
    s.faults.delayPongs(1_000)
    await until(() => of<CloseEvent>('close').some((e) => e.code === 4000), 'heartbeat timeout')
    s.faults.reset()
    await until(() => c.state === 'open', 'open again')
  })

  it('server restart: messages queued meanwhile arrive in order, before newer ones', async () => {
    const s = await server()
    const { c, opens } = client(s.url)
    await opens(1)
    const restarted = s.faults.restart(300)
    await until(() => c.state !== 'open', 'the drop')
    for (let i = 0; i < 50; i++) expect(c.send('n', i)).toBe(true)
    await restarted
    await opens(2)
    c.send('n', 'after')
    await until(() => s.received.length >= 51, 'all 51 messages')
    expect(s.received.map((e) => e.data)).toEqual([...Array.from({ length: 50 }, (_, i) => i), 'after'])
  })

  it('requests written before a drop are re-sent with the same id and answered after the reconnect', async () => {
    const s = await server()
    const { c, opens } = client(s.url, { requestTimeoutMs: 5_000 })
    await opens(1)
    s.faults.silence(100_000) // the request goes out but is never answered
    const reply = c.request('echo', 'persist')
    await until(() => c.state === 'open', 'written')
    s.faults.reset()
    s.faults.drop()
    await expect(reply).resolves.toBe('persist')
    const ids = s.received.filter((e) => e.type === 'echo').map((e) => e.id)
    expect(ids).toEqual(['1'])
  })

  it('request timeouts count from the write', async () => {
    const s = await server()
    const { c, opens } = client(s.url)
    await opens(1)
    const start = Date.now()
    await expect(c.request('delay', { ms: 1_000 }, { timeoutMs: 150 })).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' })
    expect(Date.now() - start).toBeGreaterThanOrEqual(140)
    await expect(c.request('delay', { ms: 20, data: 'ok' }, { timeoutMs: 1_000 })).resolves.toBe('ok')
  })

  it.each([
    [1000, true],
    [1001, true],
    [1011, true],
    [1012, true],
    [4000, true],
    [4499, true],
    [1008, false],
    [4401, false],
    [4403, false],
    [4500, false],
  ])('close code %i from the server → reconnect: %s', async (code, again) => {
    const s = await server()
    const { c, of, opens } = client(s.url)
    await opens(1)
    s.faults.close(code, 'policy test')
    await until(() => of('close').length, 'the close')
    expect(of<CloseEvent>('close')[0]).toMatchObject({ code, reason: 'policy test', willReconnect: again })
    if (again) await opens(2)
    else expect(c.state).toBe('closed')
  })

  it('a refused handshake (401) is retried with backoff until the server lets it in', async () => {
    const s = await server()
    s.faults.refuse(300, 401)
    const { c, of, errors, opens } = client(s.url)
    await opens(1)
    expect(of('reconnecting').length).toBeGreaterThan(0)
    expect(errors()).toContain('SOCKET_ERROR')
    expect(c.state).toBe('open')
  })

  it('a handshake that hangs is abandoned after connectTimeoutMs and retried, without a crash', async () => {
    const sockets = new Set<Socket>()
    const tarpit = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => socket.destroy())
    })
    await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve))
    const { port } = tarpit.address() as { port: number }
    try {
      const { c, errors } = client(`ws://127.0.0.1:${port}/ws`, { connectTimeoutMs: 150 })
      await until(() => errors().filter((e) => e === 'CONNECT_TIMEOUT').length >= 2, 'two connect timeouts')
      expect(['reconnecting', 'connecting']).toContain(c.state)
      c.close()
      expect(c.state).toBe('closed')
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => tarpit.close(resolve))
    }
  })

  it('maxAttempts reached against a dead port: RECONNECT_EXHAUSTED, and reconnect() revives it', async () => {
    const s = await server()
    const { c, errors, opens } = client(s.url, { reconnect: { initialDelayMs: 10, maxDelayMs: 20, maxAttempts: 2 } })
    await opens(1)
    const undo = s.faults.refuse(60_000, 503)
    s.faults.drop()
    await until(() => errors().includes('RECONNECT_EXHAUSTED'), 'exhaustion')
    expect(c.state).toBe('closed')
    undo()
    c.reconnect()
    await opens(2)
  })
})
