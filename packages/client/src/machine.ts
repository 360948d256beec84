/**
 * Connection states. `idle`: a `lazy` client that has not dialed yet. `connecting`: a handshake is under way.
 * `open`: messages flow. `reconnecting`: waiting out a backoff delay. `closed`: stopped, by `close()` (for good)
 * or by the close policy / `maxAttempts` (until `reconnect()`).
 */
export type State = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

/** Every allowed transition. Anything else is a bug, and {@link assertTransition} says so. */
export const TRANSITIONS: Readonly<Record<State, readonly State[]>> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'reconnecting', 'closed'],
  open: ['connecting', 'reconnecting', 'closed'],
  reconnecting: ['connecting', 'closed'],
  closed: ['connecting'],
}

export function assertTransition(from: State, to: State): void {
  if (!TRANSITIONS[from].includes(to)) throw new Error(`lifeline: illegal transition ${from} -> ${to}`)
}
