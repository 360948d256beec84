/**
 * Stable error codes. Match on `err.code`, never on the message.
 *
 * | code | raised when |
 * | --- | --- |
 * | `BAD_OPTION` | a constructor option or the static URL is invalid (thrown by `new Lifeline`); or the WebSocket constructor refused the URL or options, or a URL function returned no URL (`error` event; the client stops in `closed`) |
 * | `BAD_INPUT` | `send`/`request`/`sendRaw`/`close` got an argument it cannot use (thrown, or the request rejects) |
 * | `BAD_MESSAGE` | an inbound text frame is no valid envelope, or replies to no pending request (`error` event); a reply whose `error` is malformed (its request rejects) |
 * | `QUEUE_FULL` | the send queue is full; the new message was refused |
 * | `NOT_OPEN` | the queue is disabled and the socket is not open; the message was refused |
 * | `CLOSED` | the client was closed (requests pending at that moment reject with it) |
 * | `REQUEST_TIMEOUT` | no reply within `timeoutMs` of the `request()` call |
 * | `ABORTED` | the request's `AbortSignal` fired |
 * | `REMOTE_ERROR` | the server replied with `error`; `detail` holds its `{ code, message }` |
 * | `CONNECT_TIMEOUT` | the handshake did not finish within `connectTimeoutMs` |
 * | `HEARTBEAT_TIMEOUT` | no inbound frame within `timeoutMs` of a ping: the link is dead |
 * | `SOCKET_ERROR` | the WebSocket reported an error (a `close` follows); `detail.httpStatus` for a refused handshake in Node |
 * | `URL_FAILED` | the URL (or protocols) function threw or rejected: retried |
 * | `RECONNECT_EXHAUSTED` | `maxAttempts` reconnects failed; the client stays closed until `reconnect()` |
 */
export type ErrorCode =
  | 'BAD_OPTION'
  | 'BAD_INPUT'
  | 'BAD_MESSAGE'
  | 'QUEUE_FULL'
  | 'NOT_OPEN'
  | 'CLOSED'
  | 'REQUEST_TIMEOUT'
  | 'ABORTED'
  | 'REMOTE_ERROR'
  | 'CONNECT_TIMEOUT'
  | 'HEARTBEAT_TIMEOUT'
  | 'SOCKET_ERROR'
  | 'URL_FAILED'
  | 'RECONNECT_EXHAUSTED'

/** The one error type Lifeline raises, emits and rejects with. */
export class LifelineError extends Error {
  /** Stable, machine-readable code. */
  readonly code: ErrorCode
  /** Extra facts, per code: the server's `{ code, message }` for `REMOTE_ERROR`, the offending frame for `BAD_MESSAGE`, the cause otherwise. */
  readonly detail: unknown

  constructor(code: ErrorCode, message: string, detail?: unknown) {
    super(message)
    this.name = 'LifelineError'
    this.code = code
    this.detail = detail
  }
}

/**
 * A `BAD_MESSAGE` error about an inbound frame, built without a stack trace: it is about data, not about code, and
 * a flood of bad frames must stay cheap (capturing a stack costs microseconds). Engines without
 * `Error.stackTraceLimit` build it as usual.
 */
export function badMessage(message: string, frame: string): LifelineError {
  const E = Error as { stackTraceLimit?: number }
  const limit = E.stackTraceLimit
  if (limit === undefined) return new LifelineError('BAD_MESSAGE', message, frame)
  E.stackTraceLimit = 0
  const err = new LifelineError('BAD_MESSAGE', message, frame)
  E.stackTraceLimit = limit
  return err
}
