/** What a close code asks of the client. */
export type CloseVerdict = 'retry' | 'retry-later' | 'stop'

/** The facts of a closed connection, as the `close` event and `shouldReconnect` see them. */
export interface CloseInfo {
  /** The WebSocket close code (1006 when the link died without one). */
  code: number
  /** The close reason, `''` when none. */
  reason: string
  /** Whether the closing handshake completed. */
  wasClean: boolean
  /**
   * The HTTP status of a refused handshake (e.g. 401, 403, 404), where the runtime tells it: Node (`ws`) does;
   * browsers hide it from pages, so there a refused handshake is a plain 1006 with no status.
   */
  httpStatus?: number
}

const STOP = new Set([1002, 1003, 1007, 1008, 1010, 3000, 3003, 4401, 4403])

/**
 * The default close-code policy, a pure function.
 *
 * | code | verdict | why |
 * | --- | --- | --- |
 * | 1000, 1001, 1005, 1006, 1011, 1012, 1014, 1015 | retry | normal server close (restarts close with 1000), going away, no status, dropped link, server error, service restart, bad gateway, TLS |
 * | 1009 | retry | one message was too big for the server: that message is gone, the next ones are not |
 * | 1013 | retry-later | "try again later": the delay is drawn from the upper half of `maxDelayMs` |
 * | 1002, 1003, 1007, 1008, 1010 | stop | protocol error, unsupported data, bad payload, policy violation, missing extension: a retry would fail the same way |
 * | 3000, 3003, 4401, 4403 | stop | unauthorized / forbidden (IANA-registered and application forms): dial again with `reconnect()` after fixing credentials |
 * | 3001-3999, 4000-4499 (others) | retry | the server asks the client to come back |
 * | 4500-4999 | stop | the server asks the client to stay away |
 * | anything else | retry | |
 *
 * A refused handshake is a 1006 (with `httpStatus` in Node): retried, since a URL function may bring a fresh token;
 * a `shouldReconnect` of your own can stop on `httpStatus`. The user's own `close()` never reconnects, whatever the
 * code; that is decided before this policy runs.
 */
export function classifyClose(code: number): CloseVerdict {
  if (code === 1013) return 'retry-later'
  if (STOP.has(code) || (code >= 4500 && code <= 4999)) return 'stop'
  return 'retry'
}

/** The default `shouldReconnect`: true unless {@link classifyClose} says `stop`. */
export function defaultShouldReconnect(close: CloseInfo): boolean {
  return classifyClose(close.code) !== 'stop'
}
