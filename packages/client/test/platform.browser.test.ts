import { afterEach, describe, expect, it, vi } from 'vitest'
import { defaultWebSocket, listen, receivedBytes, sentBytes, socketOptions, unlisten } from '../src/platform.browser'
import type { SocketEvent, SocketLike, SocketListener } from '../src/socket'

afterEach(() => {
  vi.unstubAllGlobals()
})

function recorder() {
  const events: SocketEvent[] = []
  const messages: unknown[] = []
  const listener: SocketListener = {
    handleEvent: (e) => events.push(e),
    handleMessage: (data) => messages.push(data),
  }
  return { listener, events, messages }
}

describe('platform (browsers)', () => {
  it('the native WebSocket, read when asked (a page may stub it first); options pass through; no byte counters', () => {
    class Stub {}
    vi.stubGlobal('WebSocket', Stub)
    expect(defaultWebSocket()).toBe(Stub)
    const options = { a: 1 }
    expect(socketOptions(options)).toBe(options)
    expect(socketOptions(undefined)).toBeUndefined()
    const socket = {} as SocketLike
    expect(sentBytes(socket)).toBeUndefined()
    expect(receivedBytes(socket)).toBeUndefined()
  })

  it('open, close and error go to the listener object; messages to one function per client, reading data alone', () => {
    const socket = new EventTarget() as unknown as SocketLike
    const { listener, events, messages } = recorder()
    listen(socket, listener)
    const target = socket as unknown as EventTarget
    target.dispatchEvent(new Event('open'))
    target.dispatchEvent(new MessageEvent('message', { data: 'hi' }))
    target.dispatchEvent(new Event('error'))
    target.dispatchEvent(new Event('close'))
    expect(messages).toEqual(['hi'])
    expect(events.map((e) => e.type)).toEqual(['open', 'error', 'close'])
    unlisten(socket, listener)
    target.dispatchEvent(new Event('open'))
    target.dispatchEvent(new MessageEvent('message', { data: 'late' }))
    target.dispatchEvent(new Event('close'))
    target.dispatchEvent(new Event('error')) // error stays heard, as on every platform
    expect(messages).toEqual(['hi'])
    expect(events.map((e) => e.type)).toEqual(['open', 'error', 'close', 'error'])
  })

  it('one message function per client, reused across its sockets', () => {
    const add = vi.fn()
    const socket = { addEventListener: add, removeEventListener: vi.fn() } as unknown as SocketLike
    const { listener } = recorder()
    listen(socket, listener)
    listen(socket, listener)
    const fns = add.mock.calls.filter(([type]) => type === 'message').map(([, fn]) => fn)
    expect(fns).toHaveLength(2)
    expect(fns[0]).toBe(fns[1])
    expect(typeof fns[0]).toBe('function')
    const other = recorder().listener
    listen(socket, other)
    expect(add.mock.calls.at(-3)?.[1]).not.toBe(fns[0])
  })
})
