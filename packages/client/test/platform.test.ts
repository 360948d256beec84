import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { listen, receivedBytes, sentBytes, socketOptions, unlisten } from '../src/platform'
import type { SocketEvent, SocketLike, SocketListener } from '../src/socket'

/** Shaped like a `ws` socket: an EventEmitter calling listeners with the socket as `this`. */
class WsLike extends EventEmitter {
  readyState = 1
}

function recorder() {
  const events: SocketEvent[] = []
  const messages: unknown[] = []
  const listener: SocketListener = {
    handleEvent: (e) => events.push(e),
    handleMessage: (data) => messages.push(data),
  }
  return { listener, events, messages }
}

describe('platform (Node, ws)', () => {
  it('socketOptions: a 1 s closing-handshake grace, shared and frozen when the app gives none; the app wins', () => {
    const grace = socketOptions(undefined)
    expect(grace).toEqual({ closeTimeout: 1_000 })
    expect(Object.isFrozen(grace)).toBe(true)
    expect(socketOptions(undefined)).toBe(grace)
    expect(socketOptions({ headers: { a: 'b' } })).toEqual({ closeTimeout: 1_000, headers: { a: 'b' } })
    expect(socketOptions({ closeTimeout: 5 })).toEqual({ closeTimeout: 5 })
  })

  it('receivedBytes and sentBytes read Node counters, and nothing where they are missing', () => {
    const ws = (net: unknown) => ({ _socket: net }) as unknown as SocketLike
    expect(receivedBytes(ws({ bytesRead: 5 }))).toBe(5)
    expect(receivedBytes(ws({ bytesRead: '5' }))).toBeUndefined()
    expect(receivedBytes(ws(undefined))).toBeUndefined()
    expect(sentBytes(ws({ _bytesDispatched: 10, _handle: { writeQueueSize: 3 } }))).toBe(7)
    expect(sentBytes(ws({ _bytesDispatched: 10, _handle: null }))).toBeUndefined()
    expect(sentBytes(ws({ _bytesDispatched: '10', _handle: { writeQueueSize: 3 } }))).toBeUndefined()
    expect(sentBytes(ws({ _bytesDispatched: 10, _handle: { writeQueueSize: undefined } }))).toBeUndefined()
    expect(sentBytes(ws(undefined))).toBeUndefined()
  })

  it('listen: ws events reach the listener as socket events, text as strings, binary untouched', () => {
    const socket = new WsLike()
    const { listener, events, messages } = recorder()
    listen(socket as unknown as SocketLike, listener)
    socket.emit('open')
    socket.emit('message', Buffer.from('héllo'), false)
    const binary = Buffer.from([1, 2])
    socket.emit('message', binary, true)
    socket.emit('close', 1006, Buffer.from(''))
    socket.emit('close', 1000, Buffer.from('bye'))
    socket.emit('error', new Error('Unexpected server response: 401'))
    socket.emit('error', new Error('connect ECONNREFUSED'))
    socket.emit('error', undefined)
    expect(messages).toEqual(['héllo', binary])
    expect(events).toEqual([
      { type: 'open', target: socket },
      { type: 'close', target: socket, code: 1006, reason: '', wasClean: false },
      { type: 'close', target: socket, code: 1000, reason: 'bye', wasClean: true },
      { type: 'error', target: socket, message: 'Unexpected server response: 401', status: 401 },
      { type: 'error', target: socket, message: 'connect ECONNREFUSED', status: undefined },
      { type: 'error', target: socket, message: 'WebSocket error', status: undefined },
    ])
  })

  it('unlisten: open, message and close are no longer heard; error still is (ws throws on an unheard error)', () => {
    const socket = new WsLike()
    const { listener, events, messages } = recorder()
    listen(socket as unknown as SocketLike, listener)
    unlisten(socket as unknown as SocketLike, listener)
    for (const type of ['open', 'message', 'close']) expect(socket.listenerCount(type)).toBe(0)
    socket.emit('message', Buffer.from('x'), false)
    socket.emit('error', new Error('late'))
    expect(messages).toEqual([])
    expect(events.map((e) => e.type)).toEqual(['error'])
  })

  it('an EventTarget socket (a custom WebSocket) gets the listener object for every event type', () => {
    const socket = { addEventListener: vi.fn(), removeEventListener: vi.fn() } as unknown as SocketLike
    const { listener } = recorder()
    listen(socket, listener)
    expect((socket.addEventListener as ReturnType<typeof vi.fn>).mock.calls).toEqual(
      ['open', 'message', 'close', 'error'].map((type) => [type, listener]),
    )
    unlisten(socket, listener)
    expect((socket.removeEventListener as ReturnType<typeof vi.fn>).mock.calls).toEqual(
      ['open', 'message', 'close'].map((type) => [type, listener]),
    )
  })
})
