import WebSocket from 'isomorphic-ws'
import { SOCKET_EVENTS, type SocketEventType, type SocketLike, type SocketListener, type WebSocketConstructor } from './socket'

// Node and bundlers: `ws` through isomorphic-ws (which resolves to the native WebSocket in browser bundles).
// Browser builds use platform.browser.ts instead (see rollup.config.mjs).

export const defaultWebSocket = (): WebSocketConstructor | undefined => WebSocket as unknown as WebSocketConstructor

/** The client listening to a `ws` socket, kept on the socket itself. */
const owner = Symbol('lifeline.owner')
type OwnedSocket = SocketLike & { [owner]?: SocketListener }

/**
 * `ws`: one shared function per event type for every socket (EventEmitter calls it with the socket as `this`),
 * instead of the closure `ws` would wrap around each `addEventListener` listener: ~400 B less per connection.
 */
const WS_LISTENERS: Record<SocketEventType, (this: OwnedSocket, ...args: never[]) => void> = {
  open(this: OwnedSocket) {
    this[owner]?.handleEvent({ type: 'open', target: this })
  },
  message(this: OwnedSocket, data: unknown, isBinary: boolean) {
    this[owner]?.handleEvent({ type: 'message', target: this, data: isBinary ? data : String(data) })
  },
  close(this: OwnedSocket, code: number, reason: unknown) {
    this[owner]?.handleEvent({ type: 'close', target: this, code, reason: String(reason), wasClean: code !== 1006 })
  },
  error(this: OwnedSocket, err: { message?: string }) {
    this[owner]?.handleEvent({ type: 'error', target: this, message: err?.message ?? 'WebSocket error' })
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
