import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { GARBAGE_FRAMES } from '../src/faults'
import { startTestServer, type TestServer, type TestServerOptions } from '../src/server'
import { MemoryStore } from '../src/store'
import { RawClient } from './raw-client'
import { until } from './until'

const open: Array<{ close(): unknown }> = []
afterEach(async () => {
  while (open.length) await open.pop()?.close()
})

async function start(options: TestServerOptions = {}): Promise<TestServer> {
  const server = await startTestServer(options)
  open.push(server)
  return server
}
async function connect(url: string, options?: Parameters<typeof RawClient.open>[1]): Promise<RawClient> {
  const client = await RawClient.open(url, options)
  open.push(client)
  return client
}

describe('startTestServer', () => {
  it('listens on a free port on 127.0.0.1 and reports its urls', async () => {
    const s = await start()
    expect(s.port).toBeGreaterThan(0)
    expect(s.url).toBe(`ws://127.0.0.1:${s.port}/ws`)
    expect(s.httpUrl).toBe(`http://127.0.0.1:${s.port}`)
  })

  it('close() stops listening and ends every connection; it is idempotent', async () => {
    const s = await start()
    const c = await connect(s.url)
    await s.close()
    await s.close()
    await until(() => c.closed, 'the client to see the close')
    await expect(RawClient.open(s.url)).rejects.toThrow()
  })

  it('only /ws upgrades', async () => {
    const s = await start()
    await expect(RawClient.refusal(`${s.httpUrl.replace('http', 'ws')}/other`)).resolves.toBe(404)
  })
})

describe('protocol v1', () => {
  it('answers pings with pongs carrying the same data', async () => {
    const s = await start()
    const c = await connect(s.url)
    c.send({ type: 'ping', data: { ts: 12345 } })
    await until(() => c.frames.length, 'the pong')
    expect(c.envelopes()).toEqual([{ type: 'pong', data: { ts: 12345 } }])
  })

  it('pings clients itself when pingIntervalMs is set', async () => {
    const s = await start({ pingIntervalMs: 30 })
    const c = await connect(s.url)
    await until(() => c.frames.length >= 2, 'two pings')
    expect(c.envelopes()[0]).toMatchObject({ type: 'ping', data: { ts: expect.any(Number) } })
  })

  it('echo: replies with the data; a plain echo message is echoed as a message', async () => {
    const s = await start()
    const c = await connect(s.url)
    expect(await c.request('echo', { a: [1, 'b'] })).toEqual({ type: 'echo', re: 'r1', data: { a: [1, 'b'] } })
    c.send({ type: 'echo', data: 'plain' })
    await until(() => c.envelopes().find((e) => e['data'] === 'plain'), 'the echoed message')
    expect(s.received.map((e) => e.type)).toEqual(['echo', 'echo'])
  })

  it('sum: adds numbers; refuses anything else with BAD_REQUEST', async () => {
    const s = await start()
    const c = await connect(s.url)
    expect((await c.request('sum', [1, 2, 3])).data).toBe(6)
    expect((await c.request('sum', [1, 'x'])).error).toMatchObject({ code: 'BAD_REQUEST' })
  })

  it('delay: replies after the given time', async () => {
    const s = await start()
    const c = await connect(s.url)
    const t0 = Date.now()
    expect((await c.request('delay', { ms: 120, data: 'late' })).data).toBe('late')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(115)
    expect((await c.request('delay', { ms: -1 })).error).toMatchObject({ code: 'BAD_REQUEST' })
  })

  it('fail: replies with an error, its code and message chosen by the caller', async () => {
    const s = await start()
    const c = await connect(s.url)
    expect((await c.request('fail', { code: 'E42', message: 'nope' })).error).toEqual({ code: 'E42', message: 'nope' })
    expect((await c.request('fail')).error).toEqual({ code: 'FAILED', message: 'failed on purpose' })
  })

  it('join, broadcast and leave: rooms reach every other member', async () => {
    const s = await start()
    const [a, b, c] = await Promise.all([connect(s.url), connect(s.url), connect(s.url)])
    expect((await a.request('join', { room: 'lobby' })).data).toEqual({ room: 'lobby', members: 1 })
    expect((await b.request('join', { room: 'lobby' })).data).toEqual({ room: 'lobby', members: 2 })
    await c.request('join', { room: 'other' })
    expect((await a.request('broadcast', { room: 'lobby', message: 'hi' })).data).toEqual({ delivered: 1 })
    await until(() => b.envelopes().find((e) => e['type'] === 'broadcast'), 'the broadcast')
    expect(b.envelopes().find((e) => e['type'] === 'broadcast')).toEqual({
      type: 'broadcast',
      data: { room: 'lobby', from: expect.any(Number), message: 'hi' },
    })
    expect(c.envelopes().some((e) => e['type'] === 'broadcast')).toBe(false)
    expect((await b.request('leave', { room: 'lobby' })).data).toEqual({ room: 'lobby', left: true })
    expect((await a.request('broadcast', { room: 'lobby', message: 'again' })).data).toEqual({ delivered: 0 })
    expect((await a.request('join', {})).error).toMatchObject({ code: 'BAD_REQUEST' })
  })

  it('whoami: tells the connection id', async () => {
    const s = await start()
    const c = await connect(s.url)
    expect((await c.request('whoami')).data).toEqual({ id: 1 })
  })

  it('an unknown request type gets an UNKNOWN_TYPE error reply, also for Object.prototype names', async () => {
    const s = await start()
    const c = await connect(s.url)
    expect((await c.request('nope')).error).toMatchObject({ code: 'UNKNOWN_TYPE' })
    expect((await c.request('toString')).error).toMatchObject({ code: 'UNKNOWN_TYPE' })
    expect((await c.request('__proto__')).error).toMatchObject({ code: 'UNKNOWN_TYPE' })
  })

  it('an invalid frame gets an error envelope, never a crash', async () => {
    const s = await start()
    const c = await connect(s.url)
    for (const frame of ['not json', '[]', '{"type":1}', '{"type":"x","id":7}']) c.send(frame)
    await until(() => c.frames.length >= 4, 'four error envelopes')
    expect(c.envelopes().map((e) => (e['error'] as { code: string }).code)).toEqual(Array(4).fill('BAD_MESSAGE'))
    expect((await c.request('echo', 'still here')).data).toBe('still here')
  })

  it('echoes binary frames as binary', async () => {
    const s = await start()
    const c = await connect(s.url)
    c.socket.send(Buffer.from([9, 8, 7]))
    await until(() => c.binary.length, 'the binary echo')
    expect([...c.binary[0]!]).toEqual([9, 8, 7])
  })

  it('closes a client that sends more than maxPayloadBytes with 1009', async () => {
    const s = await start({ maxPayloadBytes: 100 })
    const c = await connect(s.url)
    c.send({ type: 'echo', data: 'x'.repeat(200) })
    await until(() => c.closed, 'the close')
    expect(c.closed?.code).toBe(1009)
  })

  it('refuses origins outside the allow-list with 403', async () => {
    const s = await start({ allowedOrigins: ['http://good.test'] })
    await expect(RawClient.refusal(s.url, { origin: 'http://evil.test' })).resolves.toBe(403)
    await connect(s.url, { origin: 'http://good.test' })
  })
})

describe('resume: the hello', () => {
  it('frames after a resume request wait for its answer: the answer comes before their pong, echoes and replies', async () => {
    // a store slow to open a session, as a remote one can be
    let release: () => void = () => undefined
    const opening = new Promise<void>((resolve) => {
      release = resolve
    })
    const store = new MemoryStore()
    const open = store.open.bind(store)
    store.open = async (session, seq) => {
      await opening
      return open(session, seq)
    }
    const s = await start({ store })
    const c = await connect(s.url)
    c.send(JSON.stringify({ type: 'resume', id: 'resume', data: { session: null, seq: 0 } }))
    c.send(JSON.stringify({ type: 'ping', data: { ts: 1 } }))
    c.send(JSON.stringify({ seq: 1, ack: 0, type: 'echo', data: 'after' }))
    c.send(JSON.stringify({ type: 'resume', id: 'resume', data: { session: null, seq: 0 } }))
    c.send(JSON.stringify({ type: 'ping', data: { ts: 2 } }))
    // the server has read them all (every byte the client wrote), and answered none yet
    type Tcp = { _socket: { bytesRead: number; bytesWritten: number } }
    const written = (c.socket as unknown as Tcp)._socket.bytesWritten
    const conn = [...s.connections][0]
    await until(() => (conn?.socket as unknown as Tcp | undefined)?._socket.bytesRead === written, 'the frames to be read')
    expect(c.frames).toEqual([])
    release()
    await until(() => c.frames.length === 5, 'two answers, two pongs and the echo')
    const types = c.frames.map((f) => (JSON.parse(f) as { type: string }).type)
    expect(types).toEqual(['resume', 'pong', 'echo', 'resume', 'pong'])
  })
})

describe('the raw echo endpoint (a server with no envelopes)', () => {
  it('sends every frame back as it came, text and binary', async () => {
    const s = await start()
    const c = await RawClient.open(s.rawUrl)
    c.socket.send('plain text')
    c.socket.send(Buffer.from([1, 2, 3]))
    await until(() => c.frames.length === 1 && c.binary.length === 1, 'both echoes')
    expect(c.frames).toEqual(['plain text'])
    expect([...(c.binary[0] ?? [])]).toEqual([1, 2, 3])
    expect(s.received).toEqual([])
    c.socket.close()
  })
})

describe('faults', () => {
  it('stall: handshakes begun meanwhile hang (TCP accepted, no answer); later ones succeed', async () => {
    const s = await start()
    s.faults.stall(60_000)
    const hanging = new WebSocket(s.url)
    let answered = false
    hanging.once('upgrade', () => (answered = true))
    hanging.once('error', () => (answered = true))
    await until(() => s.stalled === 1 || undefined, 'the handshake held')
    expect(answered).toBe(false)
    s.faults.reset()
    const c = await connect(s.url)
    expect((await c.request('echo', 1)).data).toBe(1)
    expect(answered).toBe(false) // the held one stays held until the server closes
    hanging.terminate()
  })

  it('drop: terminates sockets without a close frame (1006 at the client)', async () => {
    const s = await start()
    const c = await connect(s.url)
    expect(s.faults.drop()).toBe(1)
    await until(() => c.closed, 'the drop')
    expect(c.closed?.code).toBe(1006)
  })

  it('close: closes with the given code and reason', async () => {
    const s = await start()
    const c = await connect(s.url)
    s.faults.close(4401, 'token expired')
    await until(() => c.closed, 'the close')
    expect(c.closed).toEqual({ code: 4401, reason: 'token expired' })
  })

  it('silence: answers nothing, on current links and links opened meanwhile; ends on time or undo', async () => {
    const s = await start()
    const c = await connect(s.url)
    const undo = s.faults.silence(60_000)
    const late = await connect(s.url)
    c.send({ type: 'ping', data: { ts: 1 } })
    late.send({ type: 'echo', id: 'x', data: 1 })
    const probe = await connect(s.url)
    probe.send({ type: 'ping', data: { ts: 2 } })
    await until(() => s.swallowed >= 3, 'the server to swallow three frames')
    undo()
    const witness = await connect(s.url)
    await witness.request('echo', 'after')
    expect([c.frames, late.frames, probe.frames]).toEqual([[], [], []])
    expect(c.closed).toBeUndefined()
    expect((await c.request('echo', 'back')).data).toBe('back')
    const t0 = Date.now()
    s.faults.silence(50)
    await until(() => Date.now() - t0 > 60, 'the silence to run out')
    expect((await c.request('echo', 'timed')).data).toBe('timed')
  })

  it('delayPongs: holds pongs back by the given time; the undo ends it', async () => {
    const s = await start()
    const c = await connect(s.url)
    const undo = s.faults.delayPongs(150)
    const t0 = Date.now()
    c.send({ type: 'ping', data: { ts: 1 } })
    await until(() => c.frames.length, 'the delayed pong')
    expect(Date.now() - t0).toBeGreaterThanOrEqual(145)
    undo()
    const t1 = Date.now()
    c.send({ type: 'ping', data: { ts: 2 } })
    await until(() => c.frames.length >= 2, 'the prompt pong')
    expect(Date.now() - t1).toBeLessThan(100)
  })

  it('refuse: rejects handshakes with the status (503 by default) until it ends', async () => {
    const s = await start()
    s.faults.refuse(60_000)
    await expect(RawClient.refusal(s.url)).resolves.toBe(503)
    const undo = s.faults.refuse(60_000, 401)
    await expect(RawClient.refusal(s.url)).resolves.toBe(401)
    undo()
    await connect(s.url)
    s.faults.refuse(30, 401)
    await until(
      async () =>
        (await RawClient.open(s.url).then(
          (c) => {
            c.close()
            return true
          },
          () => false,
        )) || undefined,
      'the end of the refusal',
    )
  })

  it('restart: drops everyone, is unreachable while down, then listens on the same port', async () => {
    const s = await start()
    const c = await connect(s.url)
    const back = s.faults.restart(200)
    await until(() => c.closed, 'the drop')
    await expect(RawClient.open(s.url)).rejects.toThrow()
    await back
    const again = await connect(s.url)
    expect((await again.request('echo', 1)).data).toBe(1)
  })

  it('garbage: sends the malformed frames to every client', async () => {
    const s = await start()
    const c = await connect(s.url)
    s.faults.garbage()
    await until(() => c.frames.length >= GARBAGE_FRAMES.length, 'the garbage')
    expect(c.frames).toEqual(GARBAGE_FRAMES)
  })

  it('flood: sends n messages to every client, in order', async () => {
    const s = await start()
    const c = await connect(s.url)
    expect(s.faults.flood(500)).toBe(1)
    await until(() => c.frames.length >= 500, 'the flood')
    expect(c.envelopes().map((e) => (e['data'] as { i: number }).i)).toEqual(Array.from({ length: 500 }, (_, i) => i))
  })

  it('reset: undoes every persistent fault', async () => {
    const s = await start()
    s.faults.silence(60_000)
    s.faults.refuse(60_000)
    s.faults.delayPongs(60_000)
    s.faults.reset()
    const c = await connect(s.url)
    const t0 = Date.now()
    c.send({ type: 'ping', data: { ts: 1 } })
    await until(() => c.frames.length, 'the pong')
    expect(Date.now() - t0).toBeLessThan(100)
  })

  it('refuses nonsense durations with a RangeError', async () => {
    const s = await start()
    expect(() => s.faults.silence(-1)).toThrow(RangeError)
    expect(() => s.faults.refuse(Number.NaN)).toThrow(RangeError)
  })
})

describe('HTTP', () => {
  it('serves the demo and the client bundles, nothing else', async () => {
    const s = await start()
    const page = await fetch(`${s.httpUrl}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    const bundle = await fetch(`${s.httpUrl}/lifeline.min.js`)
    expect(bundle.status).toBe(200)
    expect(await bundle.text()).toContain('Lifeline')
    expect((await fetch(`${s.httpUrl}/lifeline.mjs`)).status).toBe(200)
    expect((await fetch(`${s.httpUrl}/../package.json`)).status).toBe(404)
    expect((await fetch(`${s.httpUrl}/etc/passwd`)).status).toBe(404)
    expect((await fetch(`${s.httpUrl}/healthz`)).status).toBe(200)
  })

  it('serves mounted folders, and nothing above them', async () => {
    const s = await start({ mounts: { '/pages': new URL('.', import.meta.url).pathname } })
    expect((await fetch(`${s.httpUrl}/pages/raw-client.ts`)).status).toBe(200)
    expect((await fetch(`${s.httpUrl}/pages/../src/server.ts`)).status).toBe(404)
    expect((await fetch(`${s.httpUrl}/pages/%2e%2e/src/server.ts`)).status).toBe(404)
    expect((await fetch(`${s.httpUrl}/pages/%E0%A4%A`)).status).toBe(404)
    expect((await fetch(`${s.httpUrl}/pagesX/raw-client.ts`)).status).toBe(404)
  })

  it('faults over HTTP are off unless enabled', async () => {
    const s = await start()
    expect((await fetch(`${s.httpUrl}/__faults/drop`, { method: 'POST' })).status).toBe(404)
  })

  it('POST /__faults/<name> runs the fault with the JSON array body as arguments', async () => {
    const s = await start({ faultsOverHttp: true })
    const c = await connect(s.url)
    const res = await fetch(`${s.httpUrl}/__faults/close`, { method: 'POST', body: JSON.stringify([4000, 'from the page']) })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ fault: 'close', result: 1 })
    await until(() => c.closed, 'the close')
    expect(c.closed).toEqual({ code: 4000, reason: 'from the page' })
    expect((await fetch(`${s.httpUrl}/__faults/nope`, { method: 'POST' })).status).toBe(404)
    expect((await fetch(`${s.httpUrl}/__faults/hasOwnProperty`, { method: 'POST' })).status).toBe(404)
    expect((await fetch(`${s.httpUrl}/__faults/silence`, { method: 'POST', body: '{bad' })).status).toBe(400)
    expect((await fetch(`${s.httpUrl}/__faults/silence`, { method: 'POST', body: '[-5]' })).status).toBe(400)
    const restart = await fetch(`${s.httpUrl}/__faults/restart`, { method: 'POST', body: '[100]' })
    expect(restart.status).toBe(200)
    await until(
      async () =>
        (await fetch(`${s.httpUrl}/healthz`).then(
          (r) => r.ok,
          () => false,
        )) || undefined,
      'the restart',
    )
  })
})
