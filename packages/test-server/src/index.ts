export type { FaultActions } from './faults.js'
export { GARBAGE_FRAMES } from './faults.js'
export type { Envelope } from './protocol.js'
export { type Connection, startTestServer, type TestServer, type TestServerOptions } from './server.js'
