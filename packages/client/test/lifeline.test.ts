import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watchPage } from '../src/environment'
import { LifelineError } from '../src/errors'
import { Lifeline, type LifelineEvents } from '../src/lifeline'
import type { LifelineOptions } from '../src/options'
import { FakeSocket, WsFakeSocket } from './fake-socket'
import { record, type TestOptions, withRequest } from './recorder'

/** A client over FakeSocket, with requests (`client.request`), that records every event it emits. */
function make(options: TestOptions = {}, url: ConstructorParameters<typeof Lifeline>[0] = 'ws://test/ws') {
  const client = withRequest(url, { WebSocket: FakeSocket, ...options })
  return { client, ...record(client) }
}

/** Lets the constructor's microtask dial. */
const tick = (): Promise<void> => Promise.resolve().then(() => undefined)

async function opened(options: TestOptions = {}) {
  const made = make(options)
  await tick()
  FakeSocket.last().open()
  return { ...made, socket: FakeSocket.last() }
}

beforeEach(() => {
  FakeSocket.instances = []
  vi.useFakeTimers()
  vi.spyOn(Math, 'random').mockReturnValue(0.5)
})
afterEach(() => {
  vi.useRealTimers()
})

describe('connecting and opening', () => {
  it('dials on the next microtask, so listeners added right after construction see every state', async () => {
    const { client, of } = make()
    expect(FakeSocket.instances).toHaveLength(0)
    expect(client.state).toBe('idle')
    await tick()
    expect(FakeSocket.instances).toHaveLength(1)
    expect(FakeSocket.last().url).toBe('ws://test/ws')
    expect(FakeSocket.last().binaryType).toBe('arraybuffer')
    FakeSocket.last().open()
    expect(client.state).toBe('open')
    expect(of('state')).toEqual([
      { from: 'idle', to: 'connecting' },
      { from: 'connecting', to: 'open' },
    ])
    expect(of('open')).toEqual([{ attempt: 0 }])
    client.close()
  })

  it('passes protocols and wsOptions to the constructor', async () => {
    make({ protocols: ['v1', 'v2'], wsOptions: { headers: { a: 'b' } } })
    await tick()
    expect(FakeSocket.last().protocols).toEqual(['v1', 'v2'])
    // plus, in Node, a short closing-handshake grace for ws (see 'close() on a half-open link')
    expect(FakeSocket.last().options).toEqual({ closeTimeout: 1_000, headers: { a: 'b' } })
  })

  it('lazy: waits for the first send, then flushes it on open', async () => {
    const { client } = make({ lazy: true })
    await tick()
    expect(FakeSocket.instances).toHaveLength(0)
    expect(client.send('hello', 1)).toBe(true)
    expect(client.state).toBe('connecting')
    FakeSocket.last().open()
    expect(FakeSocket.last().envelopes()).toEqual([{ type: 'hello', data: 1 }])
    client.close()
  })

  it('lazy: connect() dials', async () => {
    const { client } = make({ lazy: true })
    client.connect()
    expect(FakeSocket.instances).toHaveLength(1)
    client.connect() // no-op while connecting
    expect(FakeSocket.instances).toHaveLength(1)
    client.close()
  })

  it('calls a url function before every dial and dials what it returns', async () => {
    let n = 0
    const url = vi.fn(async () => `ws://test/ws?token=${++n}`)
    const { client } = make({}, url)
    await vi.advanceTimersByTimeAsync(0)
    expect(FakeSocket.last().url).toBe('ws://test/ws?token=1')
    FakeSocket.last().serverClose(1006, '', false)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(FakeSocket.last().url).toBe('ws://test/ws?token=2')
    expect(url).toHaveBeenCalledTimes(2)
    client.close()
  })

  it('a url function that throws is URL_FAILED and retried, not a crash', async () => {
    let fail = true
    const { client, errors } = make({}, () => {
      if (fail) throw new Error('token service down')
      return 'ws://test/ok'
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(errors()).toEqual(['URL_FAILED'])
    expect(client.state).toBe('reconnecting')
    fail = false
    await vi.advanceTimersByTimeAsync(1_000)
    expect(FakeSocket.last().url).toBe('ws://test/ok')
    client.close()
  })

  it('a constructor that throws (options it refuses) stops with BAD_OPTION naming the cause; no retry loop', async () => {
    class Throws extends FakeSocket {
      constructor(url: string) {
        super(url)
        throw new TypeError('Invalid character in header content ["authorization"]')
      }
    }
    const { client, errors, of } = make({ WebSocket: Throws }, 'ws://test/ws?token=secret')
    await tick()
    expect(errors()).toEqual(['BAD_OPTION'])
    const err = of('error')[0] as LifelineError
    expect(err.message).toBe(
      'the WebSocket constructor refused \'ws://test/ws?…\': Invalid character in header content ["authorization"]',
    )
    expect(client.state).toBe('closed')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeSocket.instances).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
    client.connect() // the app fixed something: it may try again
    expect(FakeSocket.instances).toHaveLength(2)
    client.close()
  })

  it('abandons a hanging handshake after connectTimeoutMs and retries (browser: a bare close(), no code)', async () => {
    const { client, errors, of } = make({ connectTimeoutMs: 3_000 })
    await tick()
    const first = FakeSocket.last()
    vi.advanceTimersByTime(2_999)
    expect(client.state).toBe('connecting')
    vi.advanceTimersByTime(1)
    expect(errors()).toEqual(['CONNECT_TIMEOUT'])
    // a browser throws on close(1006): the connecting socket is abandoned with close() and no code
    expect(first.closedWith).toEqual({ code: undefined, reason: undefined })
    expect(first.listening('open')).toBe(0)
    expect(of('close')).toEqual([{ code: 1006, reason: 'connect timeout', wasClean: false, willReconnect: true }])
    expect(client.state).toBe('reconnecting')
    vi.advanceTimersByTime(500)
    expect(FakeSocket.instances).toHaveLength(2)
    client.close()
  })

  it('ws: a hanging handshake is terminated', async () => {
    const { client } = make({ connectTimeoutMs: 3_000, WebSocket: WsFakeSocket })
    await tick()
    const first = FakeSocket.last() as WsFakeSocket
    vi.advanceTimersByTime(3_000)
    expect(first.terminated).toBe(true)
    expect(first.closedWith).toBeUndefined()
    client.close()
  })

  it('rejects a bad url argument with BAD_OPTION', () => {
    expect(() => new Lifeline(42 as unknown as string, { WebSocket: FakeSocket })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION' }),
    )
  })
})

describe('reconnecting', () => {
  it('on a dropped link: close event, then a jittered, growing backoff', async () => {
    const { client, socket, of } = await opened()
    socket.serverClose(1006, '', false)
    expect(of('close')).toEqual([{ code: 1006, reason: '', wasClean: false, willReconnect: true }])
    expect(client.state).toBe('reconnecting')
    // random() = 0.5 → half of each ceiling: 500, 1000, 2000 ms
    expect(of('reconnecting')).toEqual([{ attempt: 1, delayMs: 500 }])
    vi.advanceTimersByTime(499)
    expect(FakeSocket.instances).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.instances).toHaveLength(2)
    FakeSocket.last().serverClose(1006, '', false)
    FakeSocket.last()
    vi.advanceTimersByTime(1_000)
    FakeSocket.last().serverClose(1006, '', false)
    expect(of('reconnecting')).toEqual([
      { attempt: 1, delayMs: 500 },
      { attempt: 2, delayMs: 1_000 },
      { attempt: 3, delayMs: 2_000 },
    ])
    client.close()
  })

  it('the attempt count resets only after stableAfterMs open (no tight loop on accept-then-drop)', async () => {
    const { client, socket, of } = await opened({ reconnect: { stableAfterMs: 5_000 } })
    socket.serverClose(1006)
    vi.advanceTimersByTime(500)
    FakeSocket.last().open()
    vi.advanceTimersByTime(4_999)
    FakeSocket.last().serverClose(1006) // dropped before it was stable: attempt 2
    vi.advanceTimersByTime(1_000)
    FakeSocket.last().open()
    vi.advanceTimersByTime(5_000) // stable now
    FakeSocket.last().serverClose(1006)
    expect(of('reconnecting').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2, 1])
    expect(of('open')).toEqual([{ attempt: 0 }, { attempt: 1 }, { attempt: 2 }])
    client.close()
  })

  it('1013 waits in the upper half of maxDelayMs', async () => {
    const { client, socket, of } = await opened({ reconnect: { maxDelayMs: 20_000 } })
    socket.serverClose(1013, 'try again later')
    expect(of('reconnecting')).toEqual([{ attempt: 1, delayMs: 15_000 }])
    client.close()
  })

  it.each([1002, 1008, 4401, 4403, 4500])(
    'stops after %i, rejects pending requests, keeps plain messages for a revive',
    async (code) => {
      const { client, socket, of, errors } = await opened()
      socket.serverClose(1006)
      const pending = client.request('echo', 1)
      expect(client.send('keep', 1)).toBe(true)
      vi.advanceTimersByTime(500)
      FakeSocket.last().serverClose(code, 'go away')
      expect(client.state).toBe('closed')
      expect(of('close').at(-1)).toEqual({ code, reason: 'go away', wasClean: true, willReconnect: false })
      await expect(pending).rejects.toMatchObject({ code: 'CLOSED' })
      vi.advanceTimersByTime(60_000)
      expect(FakeSocket.instances).toHaveLength(2)
      expect(client.send('refused', 1)).toBe(false)
      expect(errors()).toEqual(['CLOSED'])
      client.reconnect()
      FakeSocket.last().open()
      expect(FakeSocket.last().envelopes()).toEqual([{ type: 'keep', data: 1 }])
      client.close()
    },
  )

  it('a server 1000 reconnects (restarts close with 1000)', async () => {
    const { client, socket } = await opened()
    socket.serverClose(1000)
    expect(client.state).toBe('reconnecting')
    client.close()
  })

  it('shouldReconnect overrides the table; a throwing one stops with an error, not a crash', async () => {
    const { client, socket } = await opened({ shouldReconnect: ({ code }) => code === 4401 })
    socket.serverClose(4401)
    expect(client.state).toBe('reconnecting')
    vi.advanceTimersByTime(500)
    FakeSocket.last().serverClose(1006)
    expect(client.state).toBe('closed')

    const other = await opened({
      shouldReconnect: () => {
        throw new Error('oops')
      },
    })
    other.socket.serverClose(1006)
    expect(other.client.state).toBe('closed')
    expect(other.errors()).toEqual(['BAD_OPTION'])
    client.close()
    other.client.close()
  })

  it('reconnect: false never redials', async () => {
    const { client, socket } = await opened({ reconnect: false })
    socket.serverClose(1006)
    expect(client.state).toBe('closed')
    vi.advanceTimersByTime(100_000)
    expect(FakeSocket.instances).toHaveLength(1)
    client.close()
  })

  it('maxAttempts: stops with RECONNECT_EXHAUSTED; reconnect() revives with a fresh count', async () => {
    const { client, socket, errors, of } = await opened({ reconnect: { maxAttempts: 2 } })
    socket.serverClose(1006)
    vi.advanceTimersByTime(500)
    FakeSocket.last().serverClose(1006)
    vi.advanceTimersByTime(1_000)
    FakeSocket.last().serverClose(1006)
    expect(client.state).toBe('closed')
    expect(errors()).toEqual(['RECONNECT_EXHAUSTED'])
    expect(of('close').at(-1)).toMatchObject({ willReconnect: false })
    client.reconnect()
    expect(client.state).toBe('connecting')
    FakeSocket.last().open()
    expect(of('open').at(-1)).toEqual({ attempt: 0 })
    client.close()
  })

  it('reconnect() drops an open socket and dials at once; the old socket is ignored from then on', async () => {
    const { client, socket, of } = await opened()
    client.reconnect()
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'reconnect' })
    expect(of('close').at(-1)).toEqual({ code: 1000, reason: 'reconnect', wasClean: true, willReconnect: true })
    expect(FakeSocket.instances).toHaveLength(2)
    // the replaced socket is released: only its error listener stays (ws throws on an unheard error) ...
    expect(['open', 'message', 'close'].map((t) => socket.listening(t as 'open'))).toEqual([0, 0, 0])
    socket.dispatch({ type: 'error', message: 'late' })
    // ... and whatever still reaches the client from it changes nothing
    const [listener] = socket.listeners.get('error') ?? []
    listener?.handleEvent({ type: 'message', target: socket, data: '{"type":"late"}' })
    listener?.handleEvent({ type: 'close', target: socket, code: 1006, reason: '', wasClean: false })
    expect(client.state).toBe('connecting')
    expect(of('message')).toEqual([])
    expect(of('error')).toEqual([])
    client.close()
  })

  it('reconnect() while waiting skips the wait', async () => {
    const { client, socket } = await opened()
    socket.serverClose(1006)
    client.reconnect()
    expect(FakeSocket.instances).toHaveLength(2)
    vi.advanceTimersByTime(9_999) // the cancelled backoff would have dialed at 500 ms; only the connect timeout remains
    expect(FakeSocket.instances).toHaveLength(2)
    client.close()
  })
})

describe('close()', () => {
  it('stops for good: closes the socket, cancels every timer, is idempotent', async () => {
    const { client, socket, of } = await opened()
    client.close(4001, 'bye')
    client.close()
    expect(socket.closedWith).toEqual({ code: 4001, reason: 'bye' })
    expect(socket.listening('message')).toBe(0)
    expect(client.state).toBe('closed')
    expect(of('close')).toEqual([{ code: 4001, reason: 'bye', wasClean: true, willReconnect: false }])
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(1_000_000)
    expect(FakeSocket.instances).toHaveLength(1)
  })

  it.each(['idle', 'connecting', 'reconnecting'])('from %s leaves nothing running', async (state) => {
    const { client } = make({ lazy: state === 'idle' })
    await tick()
    if (state === 'reconnecting') FakeSocket.last().serverClose(1006)
    expect(client.state).toBe(state)
    client.close()
    expect(client.state).toBe('closed')
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(1_000_000)
    expect(FakeSocket.instances.length).toBeLessThanOrEqual(1)
  })

  it('right after construction: never dials', async () => {
    const { client } = make()
    client.close()
    await tick()
    expect(FakeSocket.instances).toHaveLength(0)
  })

  it('rejects pending and queued requests with CLOSED, drops the queue', async () => {
    const { client, socket } = await opened()
    const written = client.request('echo', 1)
    socket.serverClose(1006)
    const queued = client.request('echo', 2)
    client.close()
    await expect(written).rejects.toMatchObject({ code: 'CLOSED' })
    await expect(queued).rejects.toMatchObject({ code: 'CLOSED' })
    expect(client.queued).toBe(0)
  })

  it('refuses bad codes and reasons with BAD_INPUT and stays usable', async () => {
    const { client } = await opened()
    expect(() => client.close(1006)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => client.close(1000, 'x'.repeat(124))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(client.state).toBe('open')
    client.close()
  })

  it('afterwards: send is refused, request rejects, reconnect and connect throw CLOSED', async () => {
    const { client, errors } = await opened()
    client.close()
    expect(client.send('x')).toBe(false)
    expect(errors()).toEqual(['CLOSED'])
    await expect(client.request('x')).rejects.toMatchObject({ code: 'CLOSED' })
    expect(() => client.reconnect()).toThrow(expect.objectContaining({ code: 'CLOSED' }))
    expect(() => client.connect()).toThrow(expect.objectContaining({ code: 'CLOSED' }))
  })

  it('from inside a close handler: no reconnect is scheduled', async () => {
    const { client, socket } = await opened()
    client.on('close', () => client.close())
    socket.serverClose(1006)
    expect(client.state).toBe('closed')
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('the queue', () => {
  it('holds messages while not open and flushes them in order before anything new', async () => {
    const { client, socket } = await opened()
    socket.serverClose(1006)
    for (let i = 0; i < 5; i++) expect(client.send('n', i)).toBe(true)
    expect(client.queued).toBe(5)
    client.on('open', () => client.send('n', 'after-open'))
    vi.advanceTimersByTime(500)
    FakeSocket.last().open()
    expect(
      FakeSocket.last()
        .envelopes()
        .map((e) => e.data),
    ).toEqual([0, 1, 2, 3, 4, 'after-open'])
    expect(client.queued).toBe(0)
    client.close()
  })

  it('refuses when full: send returns false, error QUEUE_FULL, nothing queued is lost', async () => {
    const { client, errors } = make({ queue: { maxMessages: 2 } })
    await tick()
    expect([client.send('a'), client.send('b'), client.send('c')]).toEqual([true, true, false])
    expect(errors()).toEqual(['QUEUE_FULL'])
    await expect(client.request('r')).rejects.toMatchObject({ code: 'QUEUE_FULL' })
    FakeSocket.last().open()
    expect(
      FakeSocket.last()
        .envelopes()
        .map((e) => e.type),
    ).toEqual(['a', 'b'])
    client.close()
  })

  it('queue: false refuses while not open with NOT_OPEN', async () => {
    const { client, errors } = make({ queue: false })
    await tick()
    expect(client.send('a')).toBe(false)
    expect(errors()).toEqual(['NOT_OPEN'])
    client.close()
  })

  it('does not write to a socket that is closing; queues instead', async () => {
    const { client, socket } = await opened()
    socket.readyState = 2
    expect(client.send('late')).toBe(true)
    expect(socket.sent).toEqual([])
    expect(client.queued).toBe(1)
    client.close()
  })
})

describe('sending', () => {
  it('send writes an envelope at once when open', async () => {
    const { client, socket } = await opened()
    expect(client.send('chat', { text: 'hi' })).toBe(true)
    expect(socket.sent).toEqual(['{"type":"chat","data":{"text":"hi"}}'])
    client.close()
  })

  it('send throws BAD_INPUT on a bad type or unserializable data, and sends nothing', async () => {
    const { client, socket } = await opened()
    expect(() => client.send('' as string)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => client.send('x', { big: 1n })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(socket.sent).toEqual([])
    client.close()
  })

  it('sendRaw sends strings and binary as they are; refuses other things with BAD_INPUT', async () => {
    const { client, socket } = await opened()
    const bytes = new Uint8Array([1, 2, 3])
    expect(client.sendRaw('plain text')).toBe(true)
    expect(client.sendRaw(bytes)).toBe(true)
    expect(client.sendRaw(bytes.buffer)).toBe(true)
    expect(socket.sent).toEqual(['plain text', bytes, bytes.buffer])
    expect(() => client.sendRaw({} as unknown as string)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    client.close()
  })
})

describe('requests', () => {
  it('resolve with the reply data', async () => {
    const { client, socket } = await opened()
    const reply = client.request('sum', [1, 2, 3])
    const [sent] = socket.envelopes()
    expect(sent).toEqual({ type: 'sum', data: [1, 2, 3], id: '1' })
    socket.receive({ type: 'sum', re: '1', data: 6 })
    await expect(reply).resolves.toBe(6)
    client.close()
  })

  it('reject with REMOTE_ERROR on an error reply', async () => {
    const { client, socket } = await opened()
    const reply = client.request('fail')
    socket.receive({ type: 'fail', re: '1', error: { code: 'NOPE', message: 'no' } })
    await expect(reply).rejects.toMatchObject({ code: 'REMOTE_ERROR', detail: { code: 'NOPE', message: 'no' } })
    client.close()
  })

  it('time out from the call, even while disconnected, and leave the queue', async () => {
    const { client } = make({ requestTimeoutMs: 1_000 })
    await tick()
    const reply = client.request('slow')
    expect(client.queued).toBe(1)
    vi.advanceTimersByTime(999)
    let settled = false
    reply.catch(() => {
      settled = true
    })
    await tick()
    expect(settled).toBe(false)
    vi.advanceTimersByTime(1) // still connecting
    await expect(reply).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' })
    expect(client.queued).toBe(0) // a timed-out request is never sent later
    FakeSocket.last().open()
    expect(FakeSocket.last().sent).toEqual([])
    client.close()
  })

  it('a per-request timeoutMs wins; bad options reject with BAD_INPUT before anything is sent', async () => {
    const { client, socket } = await opened()
    const reply = client.request('x', null, { timeoutMs: 50 })
    vi.advanceTimersByTime(50)
    await expect(reply).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' })
    socket.sent.length = 0
    for (const timeoutMs of [-1, 0, Number.NaN, 3e9, Infinity, '5' as never]) {
      await expect(client.request('x', null, { timeoutMs })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    }
    await expect(client.request('x', null, { signal: 'x' as never })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'signal must be an AbortSignal',
    })
    await expect(client.request('x', null, null as never)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(client.request('', null)).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(socket.sent).toEqual([])
    expect(client.queued).toBe(0)
    client.close()
  })

  it('survive a reconnect: re-sent once with the same id, the clock keeps running', async () => {
    const { client, socket } = await opened({ requestTimeoutMs: 10_000 })
    const reply = client.request('echo', 'x')
    socket.serverClose(1006)
    vi.advanceTimersByTime(500)
    FakeSocket.last().open()
    expect(FakeSocket.last().envelopes()).toEqual([{ type: 'echo', data: 'x', id: '1' }])
    FakeSocket.last().receive({ type: 'echo', re: '1', data: 'x' })
    await expect(reply).resolves.toBe('x')

    const late = client.request('echo', 'y')
    FakeSocket.last().serverClose(1006)
    vi.advanceTimersByTime(10_000)
    await expect(late).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' })
    client.close()
  })

  it('abort: leaves the queue and rejects with ABORTED', async () => {
    const { client } = make()
    await tick()
    const controller = new AbortController()
    const reply = client.request('x', 1, { signal: controller.signal })
    expect(client.queued).toBe(1)
    controller.abort()
    await expect(reply).rejects.toMatchObject({ code: 'ABORTED' })
    expect(client.queued).toBe(0)
    await expect(client.request('x', 1, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' })
    client.close()
  })
})

describe('inbound frames', () => {
  it('emits application envelopes as message, binary frames as binary', async () => {
    const { client, socket, of } = await opened()
    socket.receive({ type: 'chat', data: { text: 'hi' } })
    const buffer = new ArrayBuffer(4)
    socket.receive(buffer)
    expect(of('message')).toEqual([{ type: 'chat', data: { text: 'hi' } }])
    expect(of('binary')).toEqual([buffer])
    client.close()
  })

  it('bad frames are BAD_MESSAGE errors; the connection stays up and nothing throws', async () => {
    const { client, socket, errors, of } = await opened()
    const frames = ['nope', '[]', '{"type":1}', '{"type":"x","re":"999"}', '{"type":"x","id":{}}', '{"x', ' 42']
    for (const frame of frames) socket.receive(frame)
    expect(errors()).toEqual(Array(7).fill('BAD_MESSAGE'))
    // every frame that is no envelope reaches the app as text too (a reply to nothing is an envelope)
    expect(of('text')).toEqual(['nope', '[]', '{"type":1}', '{"type":"x","id":{}}', '{"x', ' 42'])
    expect(client.state).toBe('open')
    expect(of('message')).toEqual([])
    client.close()
  })

  it("answers the server's pings with its data", async () => {
    const { client, socket, of } = await opened()
    socket.receive({ type: 'ping', data: { ts: 123 } })
    expect(socket.envelopes()).toEqual([{ type: 'pong', data: { ts: 123 } }])
    expect(of('message')).toEqual([])
    client.close()
  })
})

describe('heartbeat', () => {
  it('a clock jump (the machine slept, no page event) is noticed within seconds: dead link failed, redialed at once', async () => {
    const { client, errors } = await opened({ reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' } })
    vi.advanceTimersByTime(5_000)
    vi.setSystemTime(Date.now() + 10 * 60_000)
    vi.advanceTimersByTime(2_000) // the watchdog's next look
    expect(errors()).toEqual(['HEARTBEAT_TIMEOUT'])
    expect(FakeSocket.instances).toHaveLength(2)
    expect(client.state).toBe('connecting')
    client.close()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a send right after a sleep, before any timer ran: the dead link is failed first, the message goes to the next one', async () => {
    const { client, socket, errors } = await opened({ reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' } })
    vi.setSystemTime(Date.now() + 10 * 60_000) // no timer has run since
    expect(client.send('after-sleep')).toBe(true)
    expect(errors()).toEqual(['HEARTBEAT_TIMEOUT'])
    expect(socket.sent).toEqual([])
    expect(FakeSocket.instances).toHaveLength(2) // redialed at once
    FakeSocket.last().open()
    expect(
      FakeSocket.last()
        .envelopes()
        .map((e) => e.type),
    ).toEqual(['after-sleep'])
    client.close()
  })

  it('a send with the last life over intervalMs + 10 s ago, yet under intervalMs + timeoutMs: a probe first', async () => {
    const { client, socket } = await opened({ heartbeat: { intervalMs: 50_000, timeoutMs: 20_000 } })
    vi.advanceTimersByTime(45_000)
    socket.receive({ type: 'news' }) // life at 45 s
    vi.setSystemTime(Date.now() + 60_001) // no timer ran since: asleep
    client.send('x')
    expect(socket.envelopes().map((e) => e.type)).toEqual(['ping']) // 60 s of silence: probed, not dead
    socket.receive({ type: 'pong' })
    expect(socket.envelopes().map((e) => e.type)).toEqual(['ping', 'x'])
    client.close()
  })

  it('a send with the last life under intervalMs + 10 s ago is written at once', async () => {
    const { client, socket } = await opened({ heartbeat: { intervalMs: 50_000, timeoutMs: 20_000 } })
    vi.advanceTimersByTime(45_000)
    socket.receive({ type: 'news' })
    vi.setSystemTime(Date.now() + 60_000)
    client.send('x')
    expect(socket.envelopes().map((e) => e.type)).toEqual(['x'])
    client.close()
  })

  it('a short clock jump on a live link: a probe; its answer lets the waiting messages go', async () => {
    const { client, socket } = await opened()
    vi.setSystemTime(Date.now() + 20_000)
    vi.advanceTimersByTime(2_000)
    expect(socket.envelopes().map((e) => e.type)).toEqual(['ping'])
    client.send('held')
    expect(client.queued).toBe(1)
    socket.receive({ type: 'pong' })
    expect(socket.envelopes().map((e) => e.type)).toEqual(['ping', 'held'])
    client.close()
  })

  it("clientPings: false sends no ping, answers the server's, and a silent server is a dead link", async () => {
    const { client, socket, errors } = await opened({ heartbeat: { intervalMs: 1_000, timeoutMs: 500, clientPings: false } })
    vi.advanceTimersByTime(1_000)
    expect(socket.envelopes()).toEqual([])
    socket.receive({ type: 'ping' })
    expect(socket.envelopes()).toEqual([{ type: 'pong' }])
    vi.advanceTimersByTime(1_499)
    expect(client.state).toBe('open')
    vi.advanceTimersByTime(1)
    expect(errors()).toEqual(['HEARTBEAT_TIMEOUT'])
    expect(client.state).toBe('reconnecting')
    client.close()
  })

  it('pings after intervalMs of silence, reports latency on the pong', async () => {
    const { client, socket, of } = await opened({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 } })
    vi.advanceTimersByTime(1_000)
    const [ping] = socket.envelopes()
    expect(ping).toEqual({ type: 'ping', data: { ts: Date.now() } })
    vi.advanceTimersByTime(42)
    socket.receive({ type: 'pong', data: ping?.data })
    expect(of('latency')).toEqual([{ rttMs: 42 }])
    vi.advanceTimersByTime(1_000)
    expect(client.state).toBe('open')
    client.close()
  })

  it('a silent link is closed with 4000 "heartbeat timeout" within interval + timeout, then redialed', async () => {
    const { client, socket, of, errors } = await opened({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 } })
    vi.advanceTimersByTime(1_499)
    expect(client.state).toBe('open')
    vi.advanceTimersByTime(1)
    expect(errors()).toEqual(['HEARTBEAT_TIMEOUT'])
    expect(socket.closedWith).toEqual({ code: 4000, reason: 'heartbeat timeout' }) // ws: terminate() instead
    expect(of('close')).toEqual([{ code: 4000, reason: 'heartbeat timeout', wasClean: false, willReconnect: true }])
    expect(client.state).toBe('reconnecting')
    client.close()
  })

  it('text heartbeat frames for servers with other conventions', async () => {
    const { client, socket, of } = await opened({
      heartbeat: { intervalMs: 1_000, timeoutMs: 500, frames: { ping: 'PING', pong: 'PONG' } },
    })
    vi.advanceTimersByTime(1_000)
    expect(socket.sent).toEqual(['PING'])
    vi.advanceTimersByTime(7)
    socket.receive('PONG')
    expect(of('latency')).toEqual([{ rttMs: 7 }])
    socket.receive('PING')
    expect(socket.sent).toEqual(['PING', 'PONG'])
    client.close()
  })

  it('heartbeat: false sends no pings and never times out', async () => {
    const { client, socket } = await opened({ heartbeat: false })
    vi.advanceTimersByTime(1_000_000)
    expect(socket.sent).toEqual([])
    expect(client.state).toBe('open')
    client.close()
  })
})

describe('re-entrancy', () => {
  it('reconnect() from a close handler dials once, with no stray timer', async () => {
    const { client, socket } = await opened()
    client.once('close', () => client.reconnect())
    socket.serverClose(1006)
    expect(client.state).toBe('connecting')
    expect(FakeSocket.instances).toHaveLength(2)
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.instances.length).toBeGreaterThanOrEqual(2)
    client.close()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('close() from a state handler leaves nothing running', async () => {
    const { client, socket } = await opened()
    client.on('state', ({ to }) => to === 'reconnecting' && client.close())
    socket.serverClose(1006)
    expect(client.state).toBe('closed')
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('LifelineError', () => {
  it('is an Error with a stable code', () => {
    const err = new LifelineError('CLOSED', 'closed')
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('LifelineError')
    expect(err.code).toBe('CLOSED')
  })
})

describe('a throwing app listener changes nothing Lifeline does', () => {
  let reported: unknown[]
  beforeEach(() => {
    reported = []
    vi.stubGlobal('reportError', (err: unknown) => reported.push(err))
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  /** A client whose first listener of `event` throws; the usual recorders come after it. */
  function bombed(event: keyof LifelineEvents, options: LifelineOptions = {}) {
    const bomb = new Error(`app bug in a ${event} listener`)
    const client = withRequest('ws://test/ws', { WebSocket: FakeSocket, ...options })
    client.on(event, () => {
      throw bomb
    })
    return { client, bomb, ...record(client) }
  }

  it('close: the client still reconnects (not left open with no socket) and sends flow on the new link', async () => {
    const { client, bomb, of } = bombed('close')
    await tick()
    FakeSocket.last().open()
    FakeSocket.last().serverClose(1006, '', false)
    expect(client.state).toBe('reconnecting')
    expect(of('close')).toHaveLength(1) // the other listeners still heard it
    expect(client.send('queued')).toBe(true)
    vi.advanceTimersByTime(500)
    FakeSocket.last().open()
    expect(client.state).toBe('open')
    expect(FakeSocket.last().envelopes()).toEqual([{ type: 'queued' }])
    expect(reported).toEqual([bomb])
    client.close()
    expect(reported).toEqual([bomb, bomb]) // close() emits close too
  })

  it('state: the queue is flushed on open all the same', async () => {
    const { client, bomb } = bombed('state')
    client.send('a')
    client.send('b')
    await tick()
    FakeSocket.last().open()
    expect(client.state).toBe('open')
    expect(FakeSocket.last().envelopes()).toEqual([{ type: 'a' }, { type: 'b' }])
    expect(reported.length).toBeGreaterThanOrEqual(2)
    expect(new Set(reported)).toEqual(new Set([bomb]))
    client.close()
  })

  it('open: the queue is flushed and the heartbeat runs', async () => {
    const { client } = bombed('open', { heartbeat: { intervalMs: 1_000, timeoutMs: 500 } })
    client.send('a')
    await tick()
    FakeSocket.last().open()
    expect(FakeSocket.last().envelopes()).toEqual([{ type: 'a' }])
    vi.advanceTimersByTime(1_000)
    expect(FakeSocket.last().envelopes().at(-1)?.type).toBe('ping')
    expect(reported).toHaveLength(1)
    client.close()
  })

  it('error on HEARTBEAT_TIMEOUT: the heartbeat stays on, link after link', async () => {
    const { client, of } = bombed('error', { heartbeat: { intervalMs: 1_000, timeoutMs: 500 } })
    await tick()
    for (let link = 1; link <= 3; link++) {
      FakeSocket.last().open()
      vi.advanceTimersByTime(1_500) // silent: ping, then death
      expect(of('error').map((e) => (e as LifelineError).code)).toEqual(Array(link).fill('HEARTBEAT_TIMEOUT'))
      expect(client.state).toBe('reconnecting')
      vi.advanceTimersByTime(1_000)
    }
    expect(reported).toHaveLength(3)
    client.close()
  })

  it('message: every later frame is still heard (the link is not deafened)', async () => {
    const { client, of } = bombed('message', { heartbeat: { intervalMs: 1_000, timeoutMs: 500 } })
    await tick()
    const socket = FakeSocket.last()
    socket.open()
    for (let i = 0; i < 3; i++) socket.receive({ type: 'n', data: i })
    expect(of('message')).toEqual([0, 1, 2].map((data) => ({ type: 'n', data })))
    expect(reported).toHaveLength(3)
    const reply = client.request('echo', 1)
    socket.receive({ type: 'echo', re: '1', data: 1 })
    await expect(reply).resolves.toBe(1)
    client.close()
  })

  it.each(['text', 'binary', 'latency', 'reconnecting'] as const)('%s: the client goes on', async (event) => {
    const { client, of } = bombed(event, { heartbeat: { intervalMs: 1_000, timeoutMs: 500 } })
    await tick()
    const socket = FakeSocket.last()
    socket.open()
    socket.receive('plain')
    socket.receive(new ArrayBuffer(2))
    vi.advanceTimersByTime(1_100) // two frames came: the ping is up to min(1 s, interval / 10) late
    expect(socket.envelopes().at(-1)?.type).toBe('ping')
    socket.receive({ type: 'pong', data: socket.envelopes().at(-1)?.data })
    expect(of('text')).toEqual(['plain'])
    expect(of('binary')).toHaveLength(1)
    expect(of('latency')).toHaveLength(1)
    socket.serverClose(1006, '', false)
    expect(of('reconnecting')).toHaveLength(1)
    vi.advanceTimersByTime(500)
    FakeSocket.last().open()
    expect(client.state).toBe('open')
    expect(reported).toHaveLength(1)
    client.close()
  })
})

describe('events are delivered once the transition is complete', () => {
  it('a send() from a state(open) or open listener goes after the queued messages', async () => {
    const { client } = make()
    client.on('state', ({ to }) => {
      if (to === 'open') client.send('from-state')
    })
    client.on('open', () => client.send('from-open'))
    client.send('queued-1')
    client.send('queued-2')
    await tick()
    FakeSocket.last().open()
    expect(
      FakeSocket.last()
        .envelopes()
        .map((e) => e.type),
    ).toEqual(['queued-1', 'queued-2', 'from-state', 'from-open'])
    client.close()
  })

  it('close() from a close listener: the events stay in causal order and nothing dials', async () => {
    const { client, socket, events } = await opened()
    client.on('close', (e) => {
      if (e.willReconnect) client.close()
    })
    events.length = 0
    socket.serverClose(1006, '', false)
    expect(events.map(({ name, payload }) => (name === 'state' ? `state:${(payload as { to: string }).to}` : name))).toEqual([
      'close',
      'state:reconnecting',
      'reconnecting',
      'state:closed',
    ])
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.instances).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a client the policy stops refuses a send() from its close listener instead of queueing it for nobody', async () => {
    const { client, socket, errors } = await opened()
    let accepted: boolean | undefined
    client.on('close', () => {
      accepted = client.send('lost?')
    })
    socket.serverClose(4401, 'token expired')
    expect(client.state).toBe('closed')
    expect(accepted).toBe(false)
    expect(errors()).toEqual(['CLOSED'])
    expect(client.queued).toBe(0)
  })

  it('1009 (one message too big) reconnects: the client is not ended by one oversize message', async () => {
    const { client, socket, of } = await opened()
    socket.serverClose(1009, 'message too big')
    expect(of('close').at(-1)).toMatchObject({ code: 1009, willReconnect: true })
    expect(client.state).toBe('reconnecting')
    expect(client.send('next')).toBe(true)
    vi.advanceTimersByTime(500)
    FakeSocket.last().open()
    expect(FakeSocket.last().envelopes()).toEqual([{ type: 'next' }])
    client.close()
  })
})

describe('mistakes that can never succeed stop at once with BAD_OPTION', () => {
  it.each(['not a url', 'ftp://example.com/ws', 'http://', ''])('the static url %j throws at construction', (url) => {
    expect(() => new Lifeline(url, { WebSocket: FakeSocket })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }))
    expect(FakeSocket.instances).toHaveLength(0)
  })

  it('a url function returning no URL stops the client (state closed, BAD_OPTION), with no retry loop', async () => {
    const { client, errors } = make({}, () => 'not a url?token=secret')
    await vi.advanceTimersByTimeAsync(0)
    expect(errors()).toEqual(['BAD_OPTION'])
    expect(client.state).toBe('closed')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(FakeSocket.instances).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
    client.close()
  })
})

describe('requests: malformed replies settle at once', () => {
  it('a numeric re, error: null and id: null are accepted; an error of the wrong shape rejects with BAD_MESSAGE', async () => {
    const { client, socket, errors } = await opened()
    const a = client.request('a')
    const b = client.request('b')
    const c = client.request('c')
    socket.receive('{"type":"a","re":1,"data":"one","id":null}')
    socket.receive('{"type":"b","re":"2","error":null,"data":"two"}')
    socket.receive('{"type":"c","re":"3","error":"boom"}')
    await expect(a).resolves.toBe('one')
    await expect(b).resolves.toBe('two')
    await expect(c).rejects.toMatchObject({ code: 'BAD_MESSAGE', detail: '{"type":"c","re":"3","error":"boom"}' })
    expect(errors()).toEqual([])
    expect(vi.getTimerCount()).toBeGreaterThan(0) // the heartbeat, not the requests' deadlines
    client.close()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('text frames that are no envelopes', () => {
  it('reach the text event in envelope mode, also reported as BAD_MESSAGE', async () => {
    const { client, socket, of, errors } = await opened()
    socket.receive('hi from a plain echo server')
    expect(of('text')).toEqual(['hi from a plain echo server'])
    expect(errors()).toEqual(['BAD_MESSAGE'])
    client.close()
  })

  it('envelopes: false decodes nothing: every text frame reaches text, no errors, requests refused', async () => {
    const { client, socket, of, errors } = await opened({ envelopes: false, heartbeat: false })
    const frames = ['hi', '{"type":"chat","data":1}', '{"type":"x","re":"1"}', '']
    for (const frame of frames) socket.receive(frame)
    expect(of('text')).toEqual(frames)
    expect(of('message')).toEqual([])
    expect(errors()).toEqual([])
    await expect(client.request('x')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(client.sendRaw('plain')).toBe(true)
    expect(socket.sent).toEqual(['plain'])
    client.close()
  })

  it('envelopes: false with text heartbeat frames: they are answered and counted, not passed on', async () => {
    const { client, socket, of } = await opened({
      envelopes: false,
      heartbeat: { intervalMs: 1_000, timeoutMs: 500, frames: { ping: 'ping', pong: 'pong' } },
    })
    socket.receive('ping')
    expect(socket.sent).toEqual(['pong'])
    vi.advanceTimersByTime(1_000)
    expect(socket.sent).toEqual(['pong', 'ping'])
    socket.receive('pong')
    expect(of('text')).toEqual([])
    expect(of('latency')).toHaveLength(1)
    client.close()
  })

  it('envelopes: false needs heartbeat frames or no heartbeat (envelope pings could not be told from data)', () => {
    expect(() => new Lifeline('ws://x', { WebSocket: FakeSocket, envelopes: false })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION', message: expect.stringContaining('heartbeat.frames') }),
    )
  })
})

describe('liveness details', () => {
  it('a pong whose ts is implausible reports no latency', async () => {
    const { client, socket, of } = await opened({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 } })
    vi.advanceTimersByTime(1_000)
    socket.receive({ type: 'pong', data: { ts: 1 } })
    socket.receive({ type: 'pong', data: { ts: Date.now() + 60_000 } })
    expect(of('latency')).toEqual([])
    client.close()
  })

  it('a busy, slow uplink: the ping waits behind data that is still draining, and the link is not declared dead', async () => {
    const { client, socket, errors } = await opened({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 } })
    socket.bufferedAmount = 40_000
    client.sendRaw('x'.repeat(40_000)) // the app keeps the uplink full
    vi.advanceTimersByTime(1_000) // ping, behind 40 KB
    for (let i = 0; i < 8; i++) {
      socket.bufferedAmount -= 4_000 // 16 KB/s leaves
      vi.advanceTimersByTime(250)
    }
    expect(errors()).toEqual([])
    expect(client.state).toBe('open')
    socket.receive({ type: 'pong' }) // the pong, once the data has gone
    // now the buffer stalls with data in it: that is a dead link
    vi.advanceTimersByTime(1_000 + 500 + 500)
    expect(errors()).toEqual(['HEARTBEAT_TIMEOUT'])
    client.close()
  })

  it('a refused handshake carries its HTTP status (Node) to the close event and shouldReconnect', async () => {
    const seen: unknown[] = []
    const shouldReconnect = (info: { httpStatus?: number }): boolean => {
      seen.push(info.httpStatus)
      return info.httpStatus !== 404
    }
    const { client, of } = make({ shouldReconnect })
    await tick()
    const socket = FakeSocket.last()
    socket.dispatch({ type: 'error', message: 'Unexpected server response: 404', status: 404 })
    socket.serverClose(1006, '', false)
    expect(seen).toEqual([404])
    expect(of('close')).toEqual([{ code: 1006, reason: '', wasClean: false, httpStatus: 404, willReconnect: false }])
    expect(client.state).toBe('closed')
    client.close()
  })
})

describe('no secret from a URL in any message, detail or log line', () => {
  it('connect timeout, socket errors and a refusing constructor see the URL redacted', async () => {
    let refuse = false
    class Sometimes extends FakeSocket {
      constructor(url: string, protocols?: string | string[], options?: unknown) {
        super(url, protocols, options)
        if (refuse) throw new SyntaxError(`Invalid URL: ${url}`)
      }
    }
    const url = 'wss://alice:pw123@test.example/ws?token=secret42#frag'
    const { client, of } = make({ WebSocket: Sometimes, connectTimeoutMs: 1_000 }, url)
    await tick()
    FakeSocket.last().dispatch({ type: 'error', message: `connect failed to ${url}` })
    vi.advanceTimersByTime(1_000) // connect timeout
    refuse = true
    vi.advanceTimersByTime(1_000) // the next dial: the constructor refuses
    const errs = of('error') as LifelineError[]
    expect(errs.map((e) => e.code)).toEqual(['SOCKET_ERROR', 'CONNECT_TIMEOUT', 'BAD_OPTION'])
    const text = JSON.stringify([errs.map((e) => [e.message, String(e.detail), (e.detail as Error | undefined)?.message])])
    for (const secret of ['secret42', 'pw123', 'alice', 'frag']) expect(text).not.toContain(secret)
    expect(errs[2]?.message).toBe(
      "the WebSocket constructor refused 'wss://test.example/ws?…': Invalid URL: wss://test.example/ws?…",
    )
    client.close()
  })
})

describe('the public surface', () => {
  it('is an instance of Lifeline, whose published declaration holds no internal member (types.test-d.ts)', () => {
    const client = new Lifeline('ws://x', { WebSocket: FakeSocket, lazy: true })
    expect(client).toBeInstanceOf(Lifeline)
    for (const name of ['state', 'queued', 'on', 'once', 'off', 'connect', 'send', 'sendRaw', 'close', 'reconnect']) {
      expect(name in client).toBe(true)
    }
    client.close()
  })
})

describe('promises pinned (each was a surviving mutant)', () => {
  it('aborting one request removes it alone from the queue', async () => {
    const { client } = make()
    await tick()
    const controller = new AbortController()
    client.send('a')
    const aborted = client.request('r1', null, { signal: controller.signal })
    const kept = client.request('r2')
    client.send('b')
    controller.abort()
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' })
    expect(client.queued).toBe(3)
    FakeSocket.last().open()
    expect(
      FakeSocket.last()
        .envelopes()
        .map((e) => e.type),
    ).toEqual(['a', 'r2', 'b'])
    FakeSocket.last().receive({ type: 'r2', re: '2', data: 'ok' })
    await expect(kept).resolves.toBe('ok')
    client.close()
  })

  it('with text heartbeat frames, application traffic is still application traffic', async () => {
    const { client, socket, of } = await opened({
      heartbeat: { intervalMs: 1_000, timeoutMs: 500, frames: { ping: 'PING', pong: 'PONG' } },
    })
    socket.receive({ type: 'chat', data: 1 })
    socket.receive('hello')
    socket.receive('PING')
    expect(of('message')).toEqual([{ type: 'chat', data: 1 }])
    expect(of('text')).toEqual(['hello'])
    expect(socket.sent).toEqual(['PONG'])
    client.close()
  })

  it('close() from the close listener reconnect() fires: the new socket is let go, nothing more dials', async () => {
    const { client, socket } = await opened()
    client.on('close', ({ willReconnect }) => {
      if (willReconnect) client.close()
    })
    client.reconnect()
    expect(client.state).toBe('closed')
    expect(FakeSocket.instances).toHaveLength(2)
    expect(FakeSocket.last().closedWith).toEqual({ code: undefined, reason: undefined }) // abandoned while connecting
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'reconnect' })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeSocket.instances).toHaveLength(2)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('close() or reconnect() with no socket emit no close event', async () => {
    const idle = make({ lazy: true })
    idle.client.close()
    expect(idle.of('close')).toEqual([])
    const { client, socket, of } = await opened({
      reconnect: { initialDelayMs: 5_000, maxDelayMs: 5_000, jitter: 'none' },
    })
    socket.serverClose(1006, '', false) // now waiting, no socket
    expect(of('close')).toHaveLength(1)
    client.reconnect()
    expect(of('close')).toHaveLength(1)
    FakeSocket.last().serverClose(1006, '', false)
    expect(of('close')).toHaveLength(2)
    client.close() // waiting again, no socket
    expect(of('close')).toHaveLength(2)
  })

  it('connect() revives a client the close policy stopped', async () => {
    const { client, socket } = await opened()
    socket.serverClose(4401, 'token expired')
    expect(client.state).toBe('closed')
    client.connect()
    expect(client.state).toBe('connecting')
    FakeSocket.last().open()
    expect(client.state).toBe('open')
    expect(client.send('again')).toBe(true)
    client.close()
  })

  it('a string protocol is passed as is; a protocols function is called before every dial', async () => {
    make({ protocols: 'v1' })
    await tick()
    expect(FakeSocket.last().protocols).toBe('v1')
    const protocols = vi.fn(() => ['p1', 'p2'])
    const { client } = make({ protocols })
    await vi.advanceTimersByTimeAsync(0)
    expect(FakeSocket.last().protocols).toEqual(['p1', 'p2'])
    FakeSocket.last().serverClose(1006, '', false)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(protocols).toHaveBeenCalledTimes(2)
    client.close()
  })

  it('a server request (an envelope with an id) is an ordinary message', async () => {
    const { client, socket, of, errors } = await opened()
    socket.receive({ type: 'server-asks', id: '5', data: 1 })
    expect(of('message')).toEqual([{ type: 'server-asks', id: '5', data: 1 }])
    expect(errors()).toEqual([])
    client.close()
  })

  it('the heartbeat never declares death before timeoutMs, even when its timer fires early (clock set back)', async () => {
    const { client, socket, errors } = await opened({ heartbeat: { intervalMs: 1_000, timeoutMs: 5_000 } })
    vi.advanceTimersByTime(1_000) // ping
    expect(socket.envelopes().at(-1)?.type).toBe('ping')
    vi.setSystemTime(Date.now() - 3_000) // NTP sets the clock back 3 s
    vi.advanceTimersByTime(5_000) // the deadline timer fires; by the wall clock only 2 s have passed
    expect(errors()).toEqual([])
    vi.advanceTimersByTime(2_999)
    expect(errors()).toEqual([])
    vi.advanceTimersByTime(1)
    expect(errors()).toEqual(['HEARTBEAT_TIMEOUT'])
    client.close()
  })

  it.each<[string, unknown, unknown]>([
    ['a code over 4999', 5000, ''],
    ['a code under 3000 other than 1000', 2999, ''],
    ['a fractional code', 3000.5, ''],
    ['a reason that is no string', 1000, 42],
    ['a reason of 124 bytes', 1000, 'x'.repeat(124)],
    ['a reason of 62 two-byte characters (124 bytes)', 1000, 'é'.repeat(62)],
  ])('close() refuses %s with BAD_INPUT and stays open', async (_what, code, reason) => {
    const { client } = await opened()
    expect(() => client.close(code as number, reason as string)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(client.state).toBe('open')
    client.close()
  })

  it('close() takes 4999 and a reason of exactly 123 bytes', async () => {
    const { client, socket } = await opened()
    const reason = `${'é'.repeat(61)}a`
    client.close(4999, reason)
    expect(socket.closedWith).toEqual({ code: 4999, reason })
  })
})

describe('more promises pinned', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['an object with no addEventListener', { aborted: false }],
    ['an object with no aborted flag', { addEventListener: () => undefined }],
    ['an object whose aborted is no boolean', { aborted: 'no', addEventListener: () => undefined }],
  ])('a signal that is %s is refused with BAD_INPUT before sending', async (_what, signal) => {
    const { client, socket } = await opened()
    await expect(client.request('x', null, { signal: signal as never })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(socket.sent).toEqual([])
    client.close()
  })

  it('the cause of a refusing constructor keeps its name, with the URL redacted from its message', async () => {
    class Refuses extends FakeSocket {
      constructor(url: string) {
        super(url)
        throw new TypeError(`bad ${url}`)
      }
    }
    const { client, of } = make({ WebSocket: Refuses }, 'ws://test/ws?token=s3cret')
    await tick()
    const detail = (of('error')[0] as LifelineError).detail as Error
    expect(detail).toBeInstanceOf(Error)
    expect(detail.name).toBe('TypeError')
    expect(detail.message).toBe('bad ws://test/ws?…')
    client.close()
  })

  it('BAD_MESSAGE errors carry no stack (a flood stays cheap) and leave Error.stackTraceLimit as it was', async () => {
    const { client, socket, of } = await opened()
    const limit = Error.stackTraceLimit
    socket.receive('garbage')
    const err = of('error')[0] as LifelineError
    expect(err.code).toBe('BAD_MESSAGE')
    expect(err.stack?.split('\n').filter((line) => line.trim().startsWith('at '))).toEqual([])
    expect(Error.stackTraceLimit).toBe(limit)
    expect(new Error('x').stack?.split('\n').length).toBeGreaterThan(1)
    client.close()
  })

  it('a message the socket delivers while a listener runs comes after the events already pending', async () => {
    const { client, events } = make()
    await tick()
    const socket = FakeSocket.last()
    client.on('state', ({ to }) => {
      if (to === 'open') socket.receive({ type: 'early' }) // e.g. a test double, or a synchronous polyfill
    })
    socket.open()
    expect(events.map((e) => e.name).filter((n) => n !== 'state')).toEqual(['open', 'message'])
    client.close()
  })

  it('binary data counts by its bytes for the busy-uplink rule', async () => {
    const { client, socket, errors } = await opened({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 } })
    socket.bufferedAmount = 40_000
    client.sendRaw(new Uint8Array(40_000))
    vi.advanceTimersByTime(1_000) // ping behind 40 KB
    for (let i = 0; i < 4; i++) {
      socket.bufferedAmount -= 8_000
      vi.advanceTimersByTime(500)
    }
    expect(errors()).toEqual([])
    client.close()
  })
})

describe('the engine and the client, pinned (each was a surviving mutant)', () => {
  it('close(): the default reason is empty; a second close(), even with a bad code, does nothing; 3000 is a code', async () => {
    const { client, socket } = await opened()
    client.close()
    expect(socket.closedWith).toEqual({ code: 1000, reason: '' })
    expect(() => client.close(999)).not.toThrow()
    const other = await opened()
    other.client.close(3000, 'bye')
    expect(other.socket.closedWith).toEqual({ code: 3000, reason: 'bye' })
  })

  it('says why, in every refusal', async () => {
    const { client } = make({ lazy: true, queue: { maxMessages: 1 } })
    expect(() => client.close(2000)).toThrow('close code must be 1000 or 3000-4999, got 2000')
    expect(() => client.close(1000, 'x'.repeat(124))).toThrow('close reason must be a string of at most 123 bytes')
    expect(() => client.sendRaw(5 as never)).toThrow('sendRaw takes a string, ArrayBuffer, view or Blob')
    const errors: LifelineError[] = []
    client.on('error', (e) => errors.push(e))
    client.send('a')
    client.send('b')
    expect(errors.map((e) => e.message)).toEqual(['send queue is full'])
    client.close()
    expect(() => client.connect()).toThrow('client was closed')
    expect(() => client.reconnect()).toThrow('client was closed')
    client.send('c')
    expect(errors.map((e) => e.message).at(-1)).toBe('client was closed')
    const noQueue = make({ queue: false })
    await tick()
    noQueue.client.on('error', (e) => errors.push(e))
    noQueue.client.send('x')
    expect(errors.map((e) => e.message).at(-1)).toBe('not open, and no queue')
    noQueue.client.close()
    expect(() => new Lifeline(42 as never)).toThrow('url must be a string, URL or function')
  })

  it('a client the policy stopped says so, and closing it then emits no state change', async () => {
    const { client, socket, of } = await opened()
    socket.serverClose(1008, 'policy')
    expect(client.state).toBe('closed')
    const errors: LifelineError[] = []
    client.on('error', (e) => errors.push(e))
    client.send('x')
    expect(errors.map((e) => e.message)).toEqual(['client is stopped; connect() or reconnect() revives it'])
    const states = of('state').length
    client.close()
    expect(of('state')).toHaveLength(states)
  })

  it('the timeouts and failures name themselves', async () => {
    const { client, errors, of } = make({ connectTimeoutMs: 500 })
    await tick()
    vi.advanceTimersByTime(500)
    expect((of('error') as LifelineError[]).map((e) => e.message)).toEqual(['no handshake in 500 ms'])
    expect(errors()).toEqual(['CONNECT_TIMEOUT'])
    client.close()
    const hb = await opened({ heartbeat: { intervalMs: 100, timeoutMs: 50 } })
    vi.advanceTimersByTime(150)
    expect((hb.of('error') as LifelineError[]).map((e) => e.message)).toEqual(['no reply to a ping: link dead'])
    hb.client.close()
    const policy = await opened({
      shouldReconnect: () => {
        throw new Error('bug')
      },
    })
    policy.socket.serverClose(1006)
    expect((policy.of('error') as LifelineError[]).map((e) => e.message)).toEqual(['shouldReconnect threw; not reconnecting'])
    policy.client.close()
    const exhausted = await opened({ reconnect: { maxAttempts: 0 } })
    exhausted.socket.serverClose(1006)
    expect((exhausted.of('error') as LifelineError[]).map((e) => e.message)).toEqual(['gave up after 0 attempts'])
    exhausted.client.close()
  })

  it('a url function that rejects after close() is not reported; one that resolves after close() opens nothing', async () => {
    let reject!: (e: Error) => void
    const late = make({}, () => new Promise<string>((_, r) => (reject = r)))
    await tick()
    late.client.close()
    reject(new Error('token service down'))
    await tick()
    await tick()
    expect(late.errors()).toEqual([])
    let resolve!: (u: string) => void
    const slow = make({}, () => new Promise<string>((r) => (resolve = r)))
    await tick()
    slow.client.close()
    resolve('ws://test/late')
    await tick()
    await tick()
    expect(FakeSocket.instances.filter((s) => s.url === 'ws://test/late')).toEqual([])
    const failing = make({}, () => Promise.reject(new Error('down')))
    await tick()
    await tick()
    await tick()
    expect((failing.of('error') as LifelineError[]).map((e) => e.message)).toEqual(['url or protocols function failed'])
    failing.client.close()
  })

  it('a constructor that throws something that is no Error: the message names the URL alone', async () => {
    class Throws extends FakeSocket {
      constructor(url: string) {
        super(url)
        throw 'nope'
      }
    }
    const { client, of } = make({ WebSocket: Throws })
    await tick()
    expect((of('error') as LifelineError[]).map((e) => e.message)).toEqual(["the WebSocket constructor refused 'ws://test/ws'"])
    client.close()
  })

  it('socket errors: the message, or a default; detail only with an HTTP status; an old socket is not heard', async () => {
    const { client, socket, of } = await opened()
    socket.dispatch({ type: 'error' })
    socket.dispatch({ type: 'error', message: 'boom' })
    const errs = of('error') as LifelineError[]
    expect(errs.map((e) => [e.message, e.detail])).toEqual([
      ['WebSocket error', undefined],
      ['boom', undefined],
    ])
    client.reconnect()
    socket.dispatch({ type: 'error', message: 'from the old socket' })
    expect(of('error')).toHaveLength(2)
    FakeSocket.last().open()
    FakeSocket.last().serverClose(1006)
    const close = of<Record<string, unknown>>('close').at(-1)
    expect(close && 'httpStatus' in close).toBe(false)
    client.close()
  })

  it('reconnect() closes an open ws socket with a handshake (1000, reconnect), not a terminate', async () => {
    const { client } = make({ WebSocket: WsFakeSocket })
    await tick()
    const socket = FakeSocket.last() as WsFakeSocket
    socket.open()
    client.reconnect()
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'reconnect' })
    expect(socket.terminated).toBe(false)
    client.close()
  })

  it('a socket the server closed is not terminated on top', async () => {
    const { client } = make({ WebSocket: WsFakeSocket })
    await tick()
    const socket = FakeSocket.last() as WsFakeSocket
    socket.open()
    socket.serverClose(1001)
    expect(socket.terminated).toBe(false)
    client.close()
  })

  it('close() empties the queue', () => {
    const { client } = make({ lazy: true })
    client.connect()
    client.send('a')
    expect(client.queued).toBe(1)
    client.close()
    expect(client.queued).toBe(0)
  })

  it('a socket that is closing is not written to: the message waits for the next one', async () => {
    const { client, socket } = await opened()
    socket.readyState = 2
    expect(client.send('later')).toBe(true)
    expect(client.queued).toBe(1)
    expect(socket.sent).toEqual([])
    client.close()
  })

  it('sendRaw takes a Blob', async () => {
    const { client, socket } = await opened()
    const blob = new Blob(['xy'])
    expect(client.sendRaw(blob)).toBe(true)
    expect(socket.sent).toEqual([blob])
    client.close()
  })

  it('the bytes written are counted per kind, for the heartbeat: strings, buffers, views, Blobs', async () => {
    const { client, socket } = await opened({ heartbeat: false })
    client.sendRaw('abc')
    client.sendRaw(new ArrayBuffer(5))
    client.sendRaw(new Uint8Array(4))
    client.sendRaw(new Blob(['xy']))
    socket.bufferedAmount = 6
    const owner = client as unknown as { drained(): number; buffered(): number }
    expect(owner.buffered()).toBe(6)
    expect(owner.drained()).toBe(3 + 5 + 4 + 2 - 6)
    client.close()
    expect(owner.buffered()).toBe(0)
    expect(owner.drained()).toBe(0)
  })

  it('with two features (requests and page watching), a reply that one answers is no error', async () => {
    const { client, socket, errors } = await opened()
    watchPage(client)
    const reply = client.request('x')
    socket.receive({ type: 'x', re: '1', data: 2 })
    await expect(reply).resolves.toBe(2)
    expect(errors()).toEqual([])
    client.close()
  })
})
