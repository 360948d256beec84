/** The part of the WebSocket API (browser or `ws`) that Lifeline uses. */
export interface SocketLike {
  readonly readyState: number
  binaryType: string
  send(data: string | ArrayBufferLike | ArrayBufferView | Blob): void
  close(code?: number, reason?: string): void
  /** `ws` only: destroys the connection without a closing handshake. */
  terminate?(): void
  addEventListener(type: SocketEventType, listener: SocketListener): void
  removeEventListener(type: SocketEventType, listener: SocketListener): void
  /** `ws` only: its EventEmitter API, which calls listeners with the socket as `this`. */
  on?(type: SocketEventType, listener: (this: SocketLike, ...args: never[]) => void): unknown
  off?(type: SocketEventType, listener: (this: SocketLike, ...args: never[]) => void): unknown
}

export type SocketEventType = 'open' | 'message' | 'close' | 'error'

/** The socket events Lifeline reads; `target` tells which socket they came from. */
export interface SocketEvent {
  type: string
  target: unknown
  data?: unknown
  code?: number
  reason?: string
  wasClean?: boolean
  message?: string
}

/** An EventListener object: one per client, not four closures per socket. */
export interface SocketListener {
  handleEvent(event: SocketEvent): void
}

/** A WebSocket constructor: the browser's, `ws`, or a test double. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: unknown) => SocketLike

export const OPEN = 1
export const SOCKET_EVENTS: readonly SocketEventType[] = ['open', 'message', 'close', 'error']

/** The client listening to a `ws` socket, kept on the socket itself. */
const owner = Symbol('lifeline.owner')
type OwnedSocket = SocketLike & { [owner]?: SocketListener }

/**
 * `ws` in Node: one shared function per event type for every socket (EventEmitter calls it with the socket as
 * `this`), instead of the closure `ws` would wrap around each `addEventListener` listener.
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

/**
 * Lets go of a socket: `listener` stops hearing it, and it is closed (or, with `hard`, terminated where `ws` allows
 * it, since a dead link would hold a closing handshake for 30 s). The `error` listener stays, because `ws` throws on
 * an `error` event nobody listens to ("closed before the connection was established"); the listener ignores events
 * from sockets it no longer holds.
 */
export function release(socket: SocketLike, listener: SocketListener, code: number, reason: string, hard: boolean): void {
  for (const type of SOCKET_EVENTS) {
    if (type === 'error') continue
    if (typeof socket.off === 'function') socket.off(type, WS_LISTENERS[type])
    else socket.removeEventListener(type, listener)
  }
  if (hard && socket.terminate) socket.terminate()
  else if (socket.readyState <= OPEN) socket.close(code, reason)
}
