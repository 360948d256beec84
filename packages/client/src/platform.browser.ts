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

type MessageFn = (event: { data: unknown }) => void
/** Each client's message function, made once per client: it reads `data` alone (each DOM getter costs). */
const messageFns = new WeakMap<SocketListener, MessageFn>()
function messageFn(listener: SocketListener): MessageFn {
  let fn = messageFns.get(listener)
  if (fn === undefined) {
    fn = (event) => listener.handleMessage(event.data)
    messageFns.set(listener, fn)
  }
  return fn
}

/**
 * Starts `listener` hearing open, close and error (as an EventListener object: no closure per socket), and
 * messages through its one message function (bench/browser-dispatch.mjs measures the difference in Chromium).
 */
export function listen(socket: SocketLike, listener: SocketListener): void {
  for (const type of SOCKET_EVENTS) {
    if (type === 'message') socket.addEventListener(type, messageFn(listener) as never)
    else socket.addEventListener(type, listener)
  }
}

/** Stops `listener` hearing open, message and close; `error` stays heard, as on every platform. */
export function unlisten(socket: SocketLike, listener: SocketListener): void {
  socket.removeEventListener('open', listener)
  socket.removeEventListener('message', messageFn(listener) as never)
  socket.removeEventListener('close', listener)
}
