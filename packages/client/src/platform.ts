import WebSocket from 'isomorphic-ws'
import { SOCKET_EVENTS, type SocketEventType, type SocketLike, type SocketListener, type WebSocketConstructor } from './socket'

// Node and bundlers: `ws` through isomorphic-ws (which resolves to the native WebSocket in browser bundles).
// Browser builds use platform.browser.ts instead (see rollup.config.mjs).

export const defaultWebSocket = (): WebSocketConstructor | undefined => WebSocket as unknown as WebSocketConstructor

/**
 * How long `ws` waits for the peer to finish a closing handshake before it destroys the connection, in milliseconds
 * (its own default is 30 s, which keeps a process alive after `close()` on a half-open link).
 */
export const CLOSE_GRACE_MS = 1_000

const GRACE_ONLY = Object.freeze({ closeTimeout: CLOSE_GRACE_MS })

/** The options handed to `ws`: the app's, with a short closing-handshake grace unless the app set its own. */
export const socketOptions = (wsOptions: object | undefined): object =>
  wsOptions === undefined ? GRACE_ONLY : { closeTimeout: CLOSE_GRACE_MS, ...wsOptions }

/** What `ws` keeps under a socket: Node's net.Socket and its libuv handle. */
interface WsInternals {
  _socket?: { _bytesDispatched?: unknown; _handle?: { writeQueueSize?: unknown } | null; bytesRead?: unknown }
}

/**
 * Bytes read from this socket so far (Node's `net.Socket#bytesRead`), or `undefined` where it cannot be told. The
 * heartbeat counts any of them as life: protocol-level pings and pongs (which `ws` answers itself) and frames still
 * arriving, at no cost per frame.
 */
export function receivedBytes(socket: SocketLike): number | undefined {
  const read = (socket as WsInternals)._socket?.bytesRead
  return typeof read === 'number' ? read : undefined
}

/**
 * Bytes the kernel has taken from this socket so far, or `undefined` where it cannot be told. `ws`'s `bufferedAmount`
 * moves in steps (Node frees a whole batch of queued writes at once), so a busy uplink would look stalled between
 * steps; Node's own counters move as the kernel takes data: bytes handed to libuv minus those it still queues.
 */
export function sentBytes(socket: SocketLike): number | undefined {
  const net = (socket as WsInternals)._socket
  const dispatched = net?._bytesDispatched
  const queued = net?._handle?.writeQueueSize
  return typeof dispatched === 'number' && typeof queued === 'number' ? dispatched - queued : undefined
}

/** The client listening to a `ws` socket, kept on the socket itself. */
const owner = Symbol('lifeline.owner')
type OwnedSocket = SocketLike & { [owner]?: SocketListener }

/** `ws` reports a refused handshake as this error (websocket.js, `abortHandshake`): the status is all we need. */
const UNEXPECTED_RESPONSE = /^Unexpected server response: (\d{3})$/

/**
 * `ws`: one shared function per event type for every socket (EventEmitter calls it with the socket as `this`),
 * instead of the closure `ws` would wrap around each `addEventListener` listener: ~400 B less per connection.
 */
const WS_LISTENERS: Record<SocketEventType, (this: OwnedSocket, ...args: never[]) => void> = {
  open(this: OwnedSocket) {
    this[owner]?.handleEvent({ type: 'open', target: this })
  },
  message(this: OwnedSocket, data: unknown, isBinary: boolean) {
    this[owner]?.handleMessage(isBinary ? data : String(data))
  },
  close(this: OwnedSocket, code: number, reason: unknown) {
    this[owner]?.handleEvent({ type: 'close', target: this, code, reason: String(reason), wasClean: code !== 1006 })
  },
  error(this: OwnedSocket, err: { message?: string }) {
    const message = err?.message ?? 'WebSocket error'
    const status = UNEXPECTED_RESPONSE.exec(message)?.[1]
    this[owner]?.handleEvent({ type: 'error', target: this, message, status: status ? Number(status) : undefined })
  },
}

/** Starts `listener` hearing the socket's open, message, close and error events. */
export function listen(socket: SocketLike, listener: SocketListener): void {
  if (typeof socket.on === 'function') {
    ;(socket as OwnedSocket)[owner] = listener
    for (const type of SOCKET_EVENTS) socket.on(type, WS_LISTENERS[type])
  } else for (const type of SOCKET_EVENTS) socket.addEventListener(type, listener)
}

/** Stops `listener` hearing open, message and close; `error` stays heard (ws throws on an unheard error). */
export function unlisten(socket: SocketLike, listener: SocketListener): void {
  for (const type of SOCKET_EVENTS) {
    if (type === 'error') continue
    if (typeof socket.off === 'function') socket.off(type, WS_LISTENERS[type])
    else socket.removeEventListener(type, listener)
  }
}
