import { SOCKET_EVENTS, type SocketLike, type SocketListener, type WebSocketConstructor } from './socket'

// Browser builds: the native WebSocket and its EventTarget API, nothing else.

/** The native WebSocket, read when a client is made (so a page can polyfill or stub it first). */
export const defaultWebSocket = (): WebSocketConstructor | undefined =>
  (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket

/** Browsers take no options object: the app's `wsOptions` (meant for `ws`) pass through untouched. */
export const socketOptions = (wsOptions: object | undefined): object | undefined => wsOptions

/** Browsers count down `bufferedAmount` as data leaves: the client's own count of bytes written tells the rest. */
export const sentBytes = (_socket: SocketLike): number | undefined => undefined

/** Browsers count no bytes below the frames: the heartbeat sees frames only. */
export const receivedBytes = (_socket: SocketLike): number | undefined => undefined

/** Starts `listener` (an EventListener object: no closure per socket) hearing open, message, close and error. */
export function listen(socket: SocketLike, listener: SocketListener): void {
  for (const type of SOCKET_EVENTS) socket.addEventListener(type, listener)
}

/** Stops `listener` hearing open, message and close; `error` stays heard, as on every platform. */
export function unlisten(socket: SocketLike, listener: SocketListener): void {
  for (const type of SOCKET_EVENTS) if (type !== 'error') socket.removeEventListener(type, listener)
}
