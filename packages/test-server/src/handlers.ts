import type { WebSocket } from 'ws'
import type { TimedFault } from './faults.js'
import {
  delayArgs,
  type Envelope,
  failArgs,
  type HandlerResult,
  numbers,
  ProtocolError,
  parseEnvelope,
  roomName,
} from './protocol.js'
import type { Link, Sessions } from './sessions.js'

/** One connected client, as the server sees it. */
export interface Connection {
  readonly id: number
  readonly socket: WebSocket
  readonly url: string
  /** Its session, once it asked to resume (PROTOCOL.md, "Resume"). */
  link?: Link
  /** Frames that came while its `resume` request was being answered: handled, in order, after the answer. */
  held?: string[] | undefined
}

/** Rooms, whether their members sit on this server (protocol v1 clients) or in the session store (resume). */
export interface RoomsPort {
  join(room: string, conn: Connection): Promise<number>
  leave(room: string, conn: Connection): Promise<boolean>
  /** Sends `envelope` to every member but `from`; resolves with how many it reached. */
  broadcast(room: string, from: Connection, envelope: Envelope): Promise<number>
}

type Handler = (data: unknown, conn: Connection) => HandlerResult | Promise<HandlerResult>

/** What the protocol needs from the server around it. */
export interface ProtocolContext {
  rooms: RoomsPort
  /** Writes a frame to a connection (the server's one write path, which `silence` holds). */
  send(conn: Connection, frame: Envelope | string | Buffer): void
  /** Sends an application message: numbered through its session when the connection has one, else written. */
  deliver(conn: Connection, envelope: Envelope): void
  /** Resume's sessions, when the server keeps them. */
  sessions: Sessions<Connection> | undefined
  /** Runs `fn` after `ms`, on a timer the server clears when it closes. */
  later(ms: number, fn: () => void): void
  /** Holds pongs back by its `value` in ms while active. */
  slowPongs: TimedFault
  /** Inbound envelopes, oldest first, at most `keep`. */
  received: Envelope[]
  keep: number
  /** Called with each inbound envelope processed (after resume's duplicate check), pings and pongs aside. */
  record: ((envelope: Envelope) => void) | undefined
}

/**
 * Requests whose handler has effects beyond its reply (rooms) or answers later (delay). With resume, these are accepted
 * (recorded as processed) before they run; every other message runs first and is committed with its reply at once.
 */
export const EFFECTFUL = new Set(['delay', 'join', 'leave', 'broadcast'])

/** The request handlers of protocol v1, by request type. */
function handlers({ rooms, later }: ProtocolContext): Record<string, Handler> {
  return {
    echo: (data) => ({ data }),
    sum: (data) => ({ data: numbers(data).reduce((a, b) => a + b, 0) }),
    fail: (data) => ({ error: failArgs(data) }),
    whoami: (_data, conn) => ({ data: { id: conn.id } }),
    delay: (data) => {
      const args = delayArgs(data)
      return new Promise((resolve) => later(args.ms, () => resolve({ data: args.data })))
    },
    join: async (data, conn) => ({ data: { room: roomName(data), members: await rooms.join(roomName(data), conn) } }),
    leave: async (data, conn) => ({ data: { room: roomName(data), left: await rooms.leave(roomName(data), conn) } }),
    broadcast: async (data, conn) => {
      const room = roomName(data)
      const message = (data as { message?: unknown }).message
      const delivered = await rooms.broadcast(room, conn, { type: 'broadcast', data: { room, from: conn.id, message } })
      return { data: { delivered } }
    },
  }
}

/**
 * The server side of protocol v1: returns what to do with each inbound text frame. Pings are answered, envelopes
 * recorded, fire-and-forget `echo` echoed, requests dispatched to their handler and replied to (an unknown type with
 * `UNKNOWN_TYPE`, a handler's failure with its code), and frames that are no envelope answered with an `error`.
 */
export function protocol(ctx: ProtocolContext): (conn: Connection, text: string) => void {
  const { send, deliver, later, slowPongs, received, keep, sessions, record } = ctx
  /** Keeps a processed envelope in `received` (and hands it to `record`). */
  const remember = (envelope: Envelope): void => {
    if (envelope.type === 'pong' || (envelope.type === 'ping' && envelope.id === undefined)) return
    received.push(envelope)
    if (received.length > keep) received.shift()
    record?.(envelope)
  }
  const table = handlers(ctx)
  const reply = (conn: Connection, request: Envelope, result: HandlerResult): void =>
    deliver(conn, { type: request.type, re: request.id as string, ...result })

  const dispatch = (conn: Connection, envelope: Envelope): void => {
    if (envelope.type === 'ping' && envelope.id === undefined) {
      const pong = JSON.stringify({ type: 'pong', data: envelope.data })
      if (slowPongs.active) later(slowPongs.value, () => send(conn, pong))
      else send(conn, pong)
      return
    }
    if (envelope.type === 'pong') return
    if (envelope.id === undefined) {
      if (envelope.type === 'echo') deliver(conn, { type: 'echo', data: envelope.data })
      return
    }
    const handler = Object.hasOwn(table, envelope.type) ? table[envelope.type] : undefined
    if (!handler) {
      reply(conn, envelope, { error: { code: 'UNKNOWN_TYPE', message: `no handler for '${envelope.type}'` } })
      return
    }
    const failed = (err: unknown): void => {
      const code = err instanceof ProtocolError ? err.code : 'INTERNAL'
      reply(conn, envelope, { error: { code, message: err instanceof Error ? err.message : String(err) } })
    }
    // a synchronous handler replies at once (resume commits the reply with the request: see Sessions#inbound)
    let result: HandlerResult | Promise<HandlerResult>
    try {
      result = handler(envelope.data, conn)
    } catch (err) {
      failed(err)
      return
    }
    if (result instanceof Promise) result.then((r) => reply(conn, envelope, r), failed)
    else reply(conn, envelope, result)
  }

  // Frames after a `resume` request wait for its answer, so they are handled in order: the answer goes out before
  // anything they cause (a pong among them), which tells the client the server speaks resume (PROTOCOL.md, "Resume").
  const handle = (conn: Connection, text: string): void => {
    if (conn.held) {
      conn.held.push(text)
      return
    }
    let envelope: Envelope
    try {
      envelope = parseEnvelope(text)
    } catch (err) {
      const code = err instanceof ProtocolError ? err.code : 'BAD_MESSAGE'
      send(conn, { type: 'error', error: { code, message: (err as Error).message } })
      return
    }
    if (sessions && envelope.type === 'resume' && envelope.id !== undefined) {
      // a client asking to resume (or for a session): answered first, then what it missed is replayed
      const held: string[] = []
      conn.held = held
      void sessions.hello(conn, envelope).finally(() => {
        conn.held = undefined
        for (let i = 0; i < held.length; i++) {
          const again = conn.held as string[] | undefined
          if (again) {
            // another hello among them: the rest waits for its answer in turn
            again.push(...held.slice(i))
            return
          }
          handle(conn, held[i] as string)
        }
      })
    } else if (sessions && conn.link) {
      const effectful = envelope.id !== undefined && EFFECTFUL.has(envelope.type)
      sessions.inbound(
        conn,
        envelope,
        effectful,
        () => dispatch(conn, envelope),
        () => remember(envelope),
      )
    } else {
      remember(envelope)
      dispatch(conn, envelope)
    }
  }
  return handle
}
