import type { WebSocketConstructor } from './socket'

/** Browser builds: the native WebSocket, read when a client is made (so a page can polyfill or stub it first). */
export const defaultWebSocket = (): WebSocketConstructor | undefined =>
  (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
