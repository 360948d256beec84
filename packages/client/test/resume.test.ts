import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Lifeline } from '../src/lifeline'
import { withRequests } from '../src/requests'
import { withResume } from '../src/resume'
import { FakeSocket } from './fake-socket'
import { record } from './recorder'

type Frame = { type: string; data?: unknown; id?: string; re?: string; seq?: number; ack?: number }

/** A client with resume over FakeSocket, its socket opened (the hello sent, not yet answered). */
async function opened(options: { maxMessages?: number; heartbeat?: boolean } = {}) {
  const client = new Lifeline('ws://test/ws', {
    WebSocket: FakeSocket,
    heartbeat: options.heartbeat ? { intervalMs: 50_000, timeoutMs: 10_000 } : false,
    reconnect: { initialDelayMs: 10, maxDelayMs: 10, jitter: 'none' },
    ...(options.maxMessages ? { queue: { maxMessages: options.maxMessages } } : {}),
  })
  const resume = withResume(client, { helloTimeoutMs: 1_000 })
  const rec = record(client)
  await Promise.resolve()
  const socket = FakeSocket.last()
  socket.open()
  return { client, resume, socket, ...rec }
}

const frames = (socket: FakeSocket): Frame[] => socket.envelopes() as Frame[]
const answer = (socket: FakeSocket, data: object): void => socket.receive({ type: 'resume', re: 'resume', data })
/** Drops the link and opens the next socket; returns it. */
function redial(socket: FakeSocket): FakeSocket {
  socket.serverClose(1006, '', false)
  vi.advanceTimersByTime(10)
  const next = FakeSocket.last()
  next.open()
  return next
}

beforeEach(() => {
  FakeSocket.instances = []
  vi.useFakeTimers()
})
afterEach(() => {
  expect(vi.getTimerCount()).toBe(0)
  vi.useRealTimers()
})

describe('withResume: the hello', () => {
  it('asks for a session on open and holds every write until the answer', async () => {
    const { client, resume, socket } = await opened()
    expect(frames(socket)).toEqual([{ type: 'resume', id: 'resume', data: { session: null, seq: 0 } }])
    client.send('chat', 'queued meanwhile')
    expect(frames(socket)).toHaveLength(1)
    expect(client.queued).toBe(1)
    answer(socket, { session: 's1', resumed: false, seq: 0, reason: 'new' })
    expect(resume).toMatchObject({ session: 's1', active: true, resumed: false, unacked: 1 })
    expect(frames(socket)[1]).toEqual({ seq: 1, ack: 0, type: 'chat', data: 'queued meanwhile' })
    client.close()
  })

  it('one per client; refuses a client without envelopes; checks its options', () => {
    const client = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, lazy: true, heartbeat: false })
    expect(withResume(client)).toBe(withResume(client))
    const raw = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, lazy: true, heartbeat: false, envelopes: false })
    expect(() => withResume(raw)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }))
    const other = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, lazy: true, heartbeat: false })
    expect(() => withResume(other, { helloTimeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }))
    client.close()
    raw.close()
    other.close()
  })

  it('a v1 server (UNKNOWN_TYPE) or no answer at all: goes on unnumbered, at once or after helloTimeoutMs', async () => {
    const { client, resume, socket, errors } = await opened()
    client.send('a')
    socket.receive({ type: 'resume', re: 'resume', error: { code: 'UNKNOWN_TYPE', message: "no handler for 'resume'" } })
    expect(resume.active).toBe(false)
    expect(frames(socket).slice(1)).toEqual([{ type: 'a' }])
    expect(errors()).toEqual([])
    const next = redial(socket)
    client.send('b')
    vi.advanceTimersByTime(999)
    expect(frames(next)).toHaveLength(1) // the hello: b waits
    vi.advanceTimersByTime(1)
    expect(frames(next).slice(1)).toEqual([{ type: 'b' }])
    client.close()
  })

  it('no answer once the client has a session: the link is taken for dead (CONNECT_TIMEOUT) and redialed', async () => {
    const { client, resume, socket, errors } = await opened()
    answer(socket, { session: 's1', resumed: false, seq: 0 })
    const next = redial(socket)
    client.send('waits')
    vi.advanceTimersByTime(1_000)
    expect(errors()).toEqual(['CONNECT_TIMEOUT'])
    expect(next.readyState).toBeGreaterThanOrEqual(2) // closing or closed: abandoned
    expect(client.state).toBe('reconnecting')
    vi.advanceTimersByTime(10)
    const third = FakeSocket.last()
    third.open()
    answer(third, { session: 's1', resumed: true, seq: 0 })
    expect(resume.resumed).toBe(true)
    expect(frames(third).slice(1)).toEqual([{ seq: 1, ack: 0, type: 'waits' }])
    client.close()
  })

  it('no answer and no session: a probe; the pong of a foreign server lets the held messages go unnumbered', async () => {
    const { client, resume, socket, errors } = await opened({ heartbeat: true })
    client.send('a')
    vi.advanceTimersByTime(1_000)
    const ping = frames(socket)[1] as Frame
    expect(ping.type).toBe('ping')
    expect(frames(socket)).toHaveLength(2) // a still waits
    socket.receive({ type: 'pong', data: ping.data })
    expect(resume.active).toBe(false)
    expect(frames(socket).slice(2)).toEqual([{ type: 'a' }])
    expect(errors()).toEqual([])
    client.close()
  })

  it('no answer, no session, no pong: the link is dead (HEARTBEAT_TIMEOUT); nothing went unnumbered', async () => {
    const { client, resume, socket, errors } = await opened({ heartbeat: true })
    client.send('a')
    vi.advanceTimersByTime(1_000 + 10_000)
    expect(errors()).toEqual(['HEARTBEAT_TIMEOUT'])
    expect(frames(socket).map((f) => f.type)).toEqual(['resume', 'ping'])
    vi.advanceTimersByTime(10)
    const next = FakeSocket.last()
    next.open()
    answer(next, { session: 's1', resumed: false, seq: 0, reason: 'new' })
    expect(resume.active).toBe(true)
    expect(frames(next).slice(1)).toEqual([{ seq: 1, ack: 0, type: 'a' }])
    client.close()
  })

  it('the answer comes while the probe is out: numbering as usual', async () => {
    const { client, resume, socket } = await opened({ heartbeat: true })
    client.send('a')
    vi.advanceTimersByTime(1_000)
    answer(socket, { session: 's1', resumed: false, seq: 0, reason: 'new' })
    expect(resume.active).toBe(true)
    expect(frames(socket).slice(2)).toEqual([{ seq: 1, ack: 0, type: 'a' }])
    client.close()
  })

  it('an answer after the client went on unnumbered: the session is taken up, delivered messages count', async () => {
    const { client, resume, socket, of } = await opened()
    const messages = () => of<{ data: unknown }>('message')
    vi.advanceTimersByTime(1_000) // no heartbeat to probe with: unnumbered at once
    client.send('early')
    socket.receive({ seq: 1, type: 'news', data: 1 })
    socket.receive({ seq: 2, type: 'news', data: 2 })
    answer(socket, { session: 's1', resumed: false, seq: 0, reason: 'new' })
    expect(resume).toMatchObject({ session: 's1', active: true, lastSeq: 2 })
    socket.receive({ seq: 2, type: 'news', data: 2 }) // a duplicate now
    socket.receive({ seq: 3, type: 'news', data: 3 })
    expect(messages().map((m) => m.data)).toEqual([1, 2, 3])
    client.send('late')
    expect(frames(socket).slice(1)).toEqual([{ type: 'early' }, { seq: 1, ack: 3, type: 'late' }])
    const next = redial(socket)
    expect(frames(next)[0]).toEqual({ type: 'resume', id: 'resume', data: { session: 's1', seq: 3 } })
    client.close()
  })

  it('a malformed answer is BAD_MESSAGE, and the client goes on unnumbered', async () => {
    const { client, resume, socket, errors } = await opened()
    answer(socket, { session: 7 })
    expect(errors()).toEqual(['BAD_MESSAGE'])
    expect(resume.active).toBe(false)
    client.close()
  })
})

describe('withResume: numbering and acknowledgements', () => {
  it('numbers envelopes, not raw frames; drops duplicates; reports a gap once and goes on', async () => {
    const { client, resume, socket, of, errors } = await opened()
    answer(socket, { session: 's1', resumed: false, seq: 0 })
    client.send('x', 1)
    client.sendRaw('not numbered')
    client.send('y', 2)
    expect(socket.sent.slice(1)).toEqual([
      '{"seq":1,"ack":0,"type":"x","data":1}',
      'not numbered',
      '{"seq":2,"ack":0,"type":"y","data":2}',
    ])
    socket.receive({ type: 'm', seq: 1, data: 'one' })
    socket.receive({ type: 'm', seq: 1, data: 'one again' })
    socket.receive({ type: 'm', seq: 3, data: 'three' })
    expect(of<Frame>('message').map((m) => m.data)).toEqual(['one', 'three'])
    expect(errors()).toEqual(['BAD_MESSAGE'])
    expect(resume.lastSeq).toBe(3)
    socket.receive({ type: 'ping', data: { ts: 1 } }) // unnumbered control frames pass as before
    client.close()
  })

  it('acknowledges after 32 messages, or 200 ms after the first; piggy-backs on its own messages', async () => {
    const { client, socket } = await opened()
    answer(socket, { session: 's1', resumed: false, seq: 0 })
    for (let seq = 1; seq <= 31; seq++) socket.receive({ type: 'm', seq })
    expect(socket.sent).toHaveLength(1) // the hello
    socket.receive({ type: 'm', seq: 32 })
    expect(socket.sent.at(-1)).toBe('{"type":"ack","ack":32}')
    socket.receive({ type: 'm', seq: 33 })
    vi.advanceTimersByTime(199)
    expect(socket.sent.at(-1)).toBe('{"type":"ack","ack":32}')
    vi.advanceTimersByTime(1)
    expect(socket.sent.at(-1)).toBe('{"type":"ack","ack":33}')
    socket.receive({ type: 'm', seq: 34 })
    client.send('reply')
    expect(socket.sent.at(-1)).toBe('{"seq":1,"ack":34,"type":"reply"}')
    const before = socket.sent.length
    vi.advanceTimersByTime(200)
    expect(socket.sent).toHaveLength(before) // the piggy-back acknowledged 6: no ack frame
    client.close()
  })

  it('the server acknowledges (ack field or ack frame): what it holds leaves the outbox', async () => {
    const { client, resume, socket } = await opened()
    answer(socket, { session: 's1', resumed: false, seq: 0 })
    for (let n = 0; n < 5; n++) client.send('x', n)
    expect(resume.unacked).toBe(5)
    socket.receive({ type: 'ack', ack: 2 })
    expect(resume.unacked).toBe(3)
    socket.receive({ type: 'm', seq: 1, ack: 5 })
    expect(resume.unacked).toBe(0)
    // all acknowledged, the outbox is let go; what comes next is kept afresh and re-sent on a resume
    client.send('y', 6)
    expect(resume.unacked).toBe(1)
    const next = redial(socket)
    answer(next, { session: 's1', resumed: true, seq: 5 })
    expect(frames(next).slice(1)).toEqual([{ seq: 6, ack: 1, type: 'y', data: 6 }])
    client.close()
  })

  it('unacknowledged and queued messages share the queue bound: QUEUE_FULL past maxMessages', async () => {
    const { client, resume, socket, errors } = await opened({ maxMessages: 3 })
    answer(socket, { session: 's1', resumed: false, seq: 0 })
    expect([client.send('a'), client.send('b'), client.send('c')]).toEqual([true, true, true])
    expect(client.send('d')).toBe(false)
    expect(errors()).toEqual(['QUEUE_FULL'])
    socket.receive({ type: 'ack', ack: 1 })
    expect(client.send('d')).toBe(true)
    expect(resume.unacked).toBe(3)
    client.close()
  })
})

describe('withResume: across reconnects', () => {
  it('resumes: re-sends what the server lacks with the same numbers, before the queue; requests are not re-sent twice', async () => {
    const { client, resume, socket, of } = await opened()
    const rpc = withRequests(client)
    answer(socket, { session: 's1', resumed: false, seq: 0 })
    client.send('a')
    const sum = rpc.request('sum', [1, 2])
    client.send('b')
    socket.receive({ type: 'm', seq: 1 })
    const next = redial(socket)
    client.send('c') // queued while the hello is out
    expect(frames(next)).toEqual([{ type: 'resume', id: 'resume', data: { session: 's1', seq: 1 } }])
    answer(next, { session: 's1', resumed: true, seq: 1 }) // the server had 'a'
    expect(frames(next).slice(1)).toEqual([
      { seq: 2, ack: 1, type: 'sum', data: [1, 2], id: '1' },
      { seq: 3, ack: 1, type: 'b' },
      { seq: 4, ack: 1, type: 'c' },
    ])
    expect(resume).toMatchObject({ resumed: true, replayed: 2 })
    expect(of('resumed')).toEqual([{ session: 's1', replayed: 2 }])
    next.receive({ type: 'sum', re: '1', seq: 2, data: 3 })
    await expect(sum).resolves.toBe(3)
    client.close()
  })

  it('a reset: numbering starts afresh, plain messages are sent again, requests through their feature; the app hears it', async () => {
    const { client, resume, socket, of } = await opened()
    const rpc = withRequests(client)
    answer(socket, { session: 's1', resumed: false, seq: 0 })
    client.send('a')
    const sum = rpc.request('sum', [1])
    socket.receive({ type: 'm', seq: 1 })
    const next = redial(socket)
    answer(next, { session: 's2', resumed: false, seq: 0, reason: 'expired' })
    expect(frames(next).slice(1)).toEqual([
      { seq: 1, ack: 0, type: 'a' },
      { seq: 2, ack: 0, type: 'sum', data: [1], id: '1' },
    ])
    expect(of('reset')).toEqual([{ reason: 'expired', resent: 1 }])
    expect(resume).toMatchObject({ session: 's2', lastSeq: 0, resumed: false })
    next.receive({ type: 'm', seq: 1, data: 'new numbering' })
    expect(of<Frame>('message').at(-1)?.data).toBe('new numbering')
    next.receive({ type: 'sum', re: '1', seq: 2, data: 1 })
    await expect(sum).resolves.toBe(1)
    client.close()
  })

  it('close() ends it: no timer left, nothing re-sent', async () => {
    const { client, socket } = await opened()
    answer(socket, { session: 's1', resumed: false, seq: 0 })
    socket.receive({ type: 'm', seq: 1 }) // an ack is due in 200 ms
    client.send('a')
    client.close()
    client.close()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a socket released while the hello is out: its timer ends with it', async () => {
    const { client, socket } = await opened()
    socket.serverClose(1006, '', false)
    expect(vi.getTimerCount()).toBe(1) // the backoff wait only
    client.close()
  })
})
