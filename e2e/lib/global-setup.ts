import { buildSpa } from './spa'

/** Builds the SPA once for every engine, and refuses a browser bundle that carries `ws`. */
export default async function globalSetup(): Promise<void> {
  const { files, code } = await buildSpa()
  if (files.length === 0) throw new Error('vite emitted no JavaScript')
  if (/createWebSocketStream|WebSocketServer|permessage-deflate|isomorphic-ws/.test(code)) {
    throw new Error('the SPA bundle carries ws: the browser export condition did not apply')
  }
}
