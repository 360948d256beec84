import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Lifeline } from '../src/lifeline'
import { withRequests } from '../src/requests'
import { FakeSocket } from './fake-socket'
import { record } from './recorder'

/** A client over FakeSocket with the requests feature, opened. */
async function opened(timeoutMs?: number) {
  const client = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, heartbeat: false })
  const rpc = withRequests(client, { timeoutMs })
  await Promise.resolve()
  const socket = FakeSocket.last()
  socket.open()
  return { client, rpc, socket, ...record(client) }
}

beforeEach(() => {
  FakeSocket.instances = []
  vi.useFakeTimers()
})
afterEach(() => {
  expect(vi.getTimerCount()).toBe(0)
  vi.useRealTimers()
})

describe('withRequests', () => {
  it('resolves with the reply data and forgets the request', async () => {
    const { client, rpc, socket } = await opened()
    const promise = rpc.request('echo', 1)
    expect(rpc.pending).toBe(1)
    expect(socket.envelopes()).toEqual([{ type: 'echo', data: 1, id: '1' }])
    socket.receive({ type: 'echo', re: '1', data: { ok: true } })
    await expect(promise).resolves.toEqual({ ok: true })
    expect(rpc.pending).toBe(0)
    client.close()
  })

  it('one per client: a second call returns the same handle, and ids never collide', async () => {
    const { client, rpc } = await opened()
    expect(withRequests(client)).toBe(rpc)
    client.close()
  })

  it('rejects with REMOTE_ERROR carrying the server error', async () => {
    const { client, rpc, socket } = await opened()
    const promise = rpc.request('fail')
    socket.receive({ type: 'fail', re: '1', error: { code: 'NOPE', message: 'not allowed' } })
    await expect(promise).rejects.toMatchObject({ code: 'REMOTE_ERROR', message: 'not allowed', detail: { code: 'NOPE' } })
    client.close()
  })

  it.each([['boom'], [{ message: 1 }], [{ code: 'X' }], [42]])(
    'an error of the wrong shape (%j) settles at once with BAD_MESSAGE carrying the frame',
    async (bad) => {
      const { client, rpc, socket, errors } = await opened()
      const promise = rpc.request('fail')
      const frame = JSON.stringify({ type: 'fail', re: '1', error: bad })
      socket.receive(frame)
      await expect(promise).rejects.toMatchObject({ code: 'BAD_MESSAGE', detail: frame })
      expect(rpc.pending).toBe(0)
      expect(errors()).toEqual([]) // the request carries it, not the error event
      client.close()
    },
  )

  it('the clock starts at the call, whether or not the request was written; an unwritten one leaves the queue', async () => {
    const client = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, lazy: true, heartbeat: false })
    const rpc = withRequests(client, { timeoutMs: 1_000 })
    client.send('first')
    const promise = rpc.request('sum', [1])
    client.send('last')
    expect(client.queued).toBe(3)
    vi.advanceTimersByTime(999)
    expect(rpc.pending).toBe(1)
    vi.advanceTimersByTime(1)
    await expect(promise).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', message: "no reply to 'sum' in 1000 ms" })
    expect(rpc.pending).toBe(0)
    expect(client.queued).toBe(2) // only the request left; the two messages stay
    client.close()
  })

  it('a reply after the timeout matches nothing: BAD_MESSAGE on the error event', async () => {
    const { client, rpc, socket, errors } = await opened(10)
    const promise = rpc.request('x')
    vi.advanceTimersByTime(10)
    await expect(promise).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' })
    socket.receive({ type: 'x', re: '1' })
    expect(errors()).toEqual(['BAD_MESSAGE'])
    client.close()
  })

  it('re-sends written requests in the order they were made, before the queue, after a drop', async () => {
    const { client, rpc, socket } = await opened()
    const a = rpc.request('a')
    const b = rpc.request('b')
    socket.receive({ type: 'a', re: '1' }) // a is done
    const c = rpc.request('c')
    socket.serverClose(1006)
    client.send('queued')
    const d = rpc.request('d') // queued, not written
    vi.advanceTimersByTime(1_000)
    const next = FakeSocket.last()
    next.open()
    expect(next.envelopes().map((e) => [e['type'], e['id']])).toEqual([
      ['b', '2'],
      ['c', '3'],
      ['queued', undefined],
      ['d', '4'],
    ])
    client.close()
    await expect(a).resolves.toBeUndefined()
    for (const p of [b, c, d]) await expect(p).rejects.toMatchObject({ code: 'CLOSED' })
  })

  it('a stop by the close policy fails every pending request with CLOSED, saying why', async () => {
    const { client, rpc, socket } = await opened()
    const p = rpc.request('x')
    socket.serverClose(1008, 'policy')
    await expect(p).rejects.toMatchObject({ code: 'CLOSED', message: 'closed (1008), not reconnecting' })
    client.close()
  })

  it('requests on a client without envelopes reject with BAD_INPUT', async () => {
    const client = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, envelopes: false, heartbeat: false })
    await expect(withRequests(client).request('x')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    client.close()
  })

  it.each([[0], [-1], ['5'], [2 ** 31]])('a bad default timeoutMs (%j) throws BAD_OPTION', (timeoutMs) => {
    const client = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, lazy: true })
    expect(() => withRequests(client, { timeoutMs: timeoutMs as number })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION', message: expect.stringContaining('timeoutMs') }),
    )
    client.close()
  })

  it('a client without the feature has no request(), and a reply is BAD_MESSAGE', async () => {
    const client = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, heartbeat: false })
    const { errors } = record(client)
    expect('request' in client).toBe(false)
    await Promise.resolve()
    FakeSocket.last().open()
    FakeSocket.last().receive({ type: 'x', re: '1' })
    expect(errors()).toEqual(['BAD_MESSAGE'])
    client.close()
  })
})

describe('withRequests, pinned', () => {
  it('says why a request is refused', async () => {
    const { client, rpc } = await opened()
    await expect(rpc.request('x', 1, 5 as never)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'request options must be an object',
    })
    await expect(rpc.request('x', 1, { timeoutMs: 0 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'timeoutMs must be a number in [1, 2147483647], got 0',
    })
    const controller = new AbortController()
    controller.abort()
    await expect(rpc.request('x', 1, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
      message: "request 'x' aborted",
    })
    const live = new AbortController()
    const p = rpc.request('y', 1, { signal: live.signal })
    live.abort()
    await expect(p).rejects.toMatchObject({ code: 'ABORTED', message: "request 'y' aborted" })
    client.close()
    const plain = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, envelopes: false, heartbeat: false })
    await expect(withRequests(plain).request('x')).rejects.toMatchObject({
      message: 'request() needs envelopes (the client has envelopes: false)',
    })
    plain.close()
  })

  it('a malformed error names the request', async () => {
    const { client, rpc, socket } = await opened()
    const p = rpc.request('sum')
    socket.receive({ type: 'sum', re: '1', error: 'oops' })
    await expect(p).rejects.toMatchObject({ code: 'BAD_MESSAGE', message: "reply to 'sum' has a malformed error" })
    client.close()
  })

  it('lets go of the abort listener once the request settles', async () => {
    const { client, rpc, socket } = await opened()
    const signal = { aborted: false, addEventListener: vi.fn(), removeEventListener: vi.fn() }
    const p = rpc.request('x', 1, { signal: signal as unknown as AbortSignal })
    socket.receive({ type: 'x', re: '1', data: 'ok' })
    await expect(p).resolves.toBe('ok')
    const added = signal.addEventListener.mock.calls[0]
    expect(added?.[0]).toBe('abort')
    expect(signal.removeEventListener).toHaveBeenCalledWith('abort', added?.[1])
    client.close()
  })

  it('null options take the default deadline', async () => {
    const client = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, lazy: true })
    const rpc = withRequests(client, null as never)
    const p = rpc.request('x')
    vi.advanceTimersByTime(9_999)
    expect(rpc.pending).toBe(1)
    vi.advanceTimersByTime(1)
    await expect(p).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', message: "no reply to 'x' in 10000 ms" })
    client.close()
  })
})
