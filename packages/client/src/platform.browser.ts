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

/**
 * The function each client's listener object is heard through, made once per client. Chromium calls a function
 * listener faster than an EventListener object's `handleEvent` (measured: bench/browser-dispatch.mjs), and a page
 * holds few clients, so the closure's memory does not matter here (in Node, where it would, the object stays).
 */
const fns = new WeakMap<SocketListener, (event: Event) => void>()
function fnOf(listener: SocketListener): (event: Event) => void {
  let fn = fns.get(listener)
  if (fn === undefined) {
    fn = (event) => listener.handleEvent(event as unknown as Parameters<SocketListener['handleEvent']>[0])
    fns.set(listener, fn)
  }
  return fn
}

/** Starts `listener` hearing open, message, close and error. */
export function listen(socket: SocketLike, listener: SocketListener): void {
  const fn = fnOf(listener)
  for (const type of SOCKET_EVENTS) (socket as unknown as EventTarget).addEventListener(type, fn)
}

/** Stops `listener` hearing open, message and close; `error` stays heard, as on every platform. */
export function unlisten(socket: SocketLike, listener: SocketListener): void {
  const fn = fnOf(listener)
  for (const type of SOCKET_EVENTS) if (type !== 'error') (socket as unknown as EventTarget).removeEventListener(type, fn)
}
