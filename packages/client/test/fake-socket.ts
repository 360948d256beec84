import type { SocketEvent, SocketEventType, SocketLike, SocketListener } from '../src/socket'

/** What a browser throws: a DOMException-like error with its name. */
const domError = (name: string, message: string): Error => Object.assign(new Error(message), { name })

/**
 * A scriptable WebSocket double: records what the client does, and lets a test play the server and the network.
 * It refuses what browsers refuse: `close(code)` with a code other than 1000 or 3000-4999 (`InvalidAccessError`), a
 * reason over 123 bytes (`SyntaxError`), `send` while connecting (`InvalidStateError`); `send` after closing is
 * discarded, as browsers do.
 */
export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = []
  static last(): FakeSocket {
    const socket = FakeSocket.instances.at(-1)
    if (!socket) throw new Error('no socket was made')
    return socket
  }

  readyState = 0
  binaryType = 'blob'
  /** Set by the test to play a slow uplink. */
  bufferedAmount = 0
  sent: unknown[] = []
  /** Frames `send` took after the socket started closing, which a browser silently drops. */
  discarded: unknown[] = []
  closedWith: { code: number | undefined; reason: string | undefined } | undefined
  readonly listeners = new Map<SocketEventType, Set<SocketListener>>()

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
    readonly options?: unknown,
  ) {
    FakeSocket.instances.push(this)
  }

  addEventListener(type: SocketEventType, listener: SocketListener): void {
    const set = this.listeners.get(type) ?? new Set()
    set.add(listener)
    this.listeners.set(type, set)
  }

  removeEventListener(type: SocketEventType, listener: SocketListener): void {
    this.listeners.get(type)?.delete(listener)
  }

  /** Delivers an event to whoever listens, as a browser or `ws` would. */
  dispatch(event: Omit<SocketEvent, 'target'>): void {
    for (const listener of [...(this.listeners.get(event.type as SocketEventType) ?? [])])
      listener.handleEvent({ ...event, target: this })
  }

  listening(type: SocketEventType): number {
    return this.listeners.get(type)?.size ?? 0
  }

  send(data: unknown): void {
    if (this.readyState === 0)
      throw domError('InvalidStateError', "Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.")
    if (this.readyState !== 1) this.discarded.push(data)
    else this.sent.push(data)
  }

  close(code?: number, reason?: string): void {
    if (code !== undefined && code !== 1000 && !(Number.isInteger(code) && code >= 3000 && code <= 4999)) {
      throw domError('InvalidAccessError', `The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`)
    }
    if (reason !== undefined && new TextEncoder().encode(reason).length > 123) {
      throw domError('SyntaxError', 'The close reason must not be greater than 123 UTF-8 bytes.')
    }
    this.closedWith = { code, reason }
    if (this.readyState < 2) this.readyState = 2
  }

  // --- the test plays the other side --------------------------------------------------------------------------------

  open(): void {
    this.readyState = 1
    this.dispatch({ type: 'open' })
  }

  receive(data: unknown): void {
    this.dispatch({
      type: 'message',
      data: typeof data === 'object' && !(data instanceof ArrayBuffer) ? JSON.stringify(data) : data,
    })
  }

  serverClose(code: number, reason = '', wasClean = true): void {
    this.readyState = 3
    this.dispatch({ type: 'close', code, reason, wasClean })
  }

  /** Parsed envelopes sent so far (raw frames that are not JSON are skipped). */
  envelopes(): Array<{ type: string; data?: unknown; id?: string }> {
    return this.sent.flatMap((frame) => {
      if (typeof frame !== 'string') return []
      try {
        return [JSON.parse(frame)]
      } catch {
        return []
      }
    })
  }
}

/** The same double with `ws`'s extra: `terminate()`, which destroys the connection without a closing handshake. */
export class WsFakeSocket extends FakeSocket {
  terminated = false

  terminate(): void {
    this.terminated = true
    this.readyState = 3
  }
}
