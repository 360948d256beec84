/** The part of the WebSocket API (browser or `ws`) that Lifeline uses. */
export interface SocketLike {
  readonly readyState: number
  binaryType: string
  send(data: string | ArrayBufferLike | ArrayBufferView | Blob): void
  close(code?: number, reason?: string): void
  /** `ws` only: destroys the connection without a closing handshake. */
  terminate?(): void
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null
  onerror: ((event: { message?: string }) => void) | null
}

/** A WebSocket constructor: the browser's, `ws`, or a test double. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: unknown) => SocketLike

export const OPEN = 1

const ignore = (): void => undefined

/**
 * Lets go of a socket: our handlers come off, and it is closed (or, with `hard`, terminated where `ws` allows it,
 * since a dead link would hold a closing handshake for 30 s). An error handler stays, because `ws` throws on an
 * `error` event nobody listens to ("closed before the connection was established").
 */
export function release(socket: SocketLike, code: number, reason: string, hard: boolean): void {
  socket.onopen = socket.onmessage = socket.onclose = null
  socket.onerror = ignore
  if (hard && socket.terminate) socket.terminate()
  else if (socket.readyState <= OPEN) socket.close(code, reason)
}
