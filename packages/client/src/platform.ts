import WebSocket from 'isomorphic-ws'
import type { WebSocketConstructor } from './socket'

/** Node and bundlers: `ws` through isomorphic-ws (which resolves to the native WebSocket in browser bundles). */
export const defaultWebSocket = (): WebSocketConstructor | undefined => WebSocket as unknown as WebSocketConstructor
