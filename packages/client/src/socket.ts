/** The part of the WebSocket API (browser or `ws`) that Lifeline uses. */
export interface SocketLike {
  /** The URL dialed (browsers and `ws` both have it). */
  readonly url?: string
  readonly readyState: number
  /** Bytes accepted by `send` and not yet handed to the network. */
  readonly bufferedAmount: number
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

/**
 * The socket events Lifeline reads; `target` tells which socket they came from. Node adds, on a refused handshake,
 * the HTTP `status`.
 */
export interface SocketEvent {
  type: string
  target: unknown
  data?: unknown
  code?: number
  reason?: string
  wasClean?: boolean
  message?: string
  status?: number | undefined
}

/** An EventListener object: one per client, not four closures per socket. */
export interface SocketListener {
  handleEvent(event: SocketEvent): void
  /**
   * The hot path: a message's data alone, from a listener the platform removes when the socket is released (so it
   * cannot come from a replaced socket), without reading the event's `type` and `target`.
   */
  handleMessage(data: unknown): void
}

/** A WebSocket constructor: the browser's, `ws`, or a test double. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: unknown) => SocketLike

export const OPEN = 1
export const SOCKET_EVENTS: readonly SocketEventType[] = ['open', 'message', 'close', 'error']

/** The close codes a browser lets a page send (anything else throws `InvalidAccessError`). */
export const isSendableCloseCode = (code: number): boolean =>
  code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999)

/**
 * Closes a socket we let go of (its listener already removed). With `hard`, terminates it where `ws` allows it (a
 * dead link would hold a closing handshake). A socket still connecting is abandoned with a bare `close()`, and a
 * code a browser would refuse (internal ones such as 1006) is never sent: browsers throw on it.
 */
export function release(socket: SocketLike, code: number, reason: string, hard: boolean): void {
  if (hard && socket.terminate) socket.terminate()
  else if (socket.readyState === OPEN && isSendableCloseCode(code)) socket.close(code, reason)
  else if (socket.readyState <= OPEN) socket.close()
}
