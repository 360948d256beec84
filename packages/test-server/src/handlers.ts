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
import type { Rooms } from './rooms.js'

/** One connected client, as the server sees it. */
export interface Connection {
  readonly id: number
  readonly socket: WebSocket
  readonly url: string
}

type Handler = (data: unknown, conn: Connection) => HandlerResult | Promise<HandlerResult>

/** What the protocol needs from the server around it. */
export interface ProtocolContext {
  rooms: Rooms<Connection>
  /** Writes a frame to a connection (the server's one write path, which `silence` holds). */
  send(conn: Connection, frame: Envelope | string | Buffer): void
  /** Runs `fn` after `ms`, on a timer the server clears when it closes. */
  later(ms: number, fn: () => void): void
  /** Holds pongs back by its `value` in ms while active. */
  slowPongs: TimedFault
  /** Inbound envelopes, oldest first, at most `keep`. */
  received: Envelope[]
  keep: number
}

/** The request handlers of protocol v1, by request type. */
function handlers({ rooms, send, later }: ProtocolContext): Record<string, Handler> {
  return {
    echo: (data) => ({ data }),
    sum: (data) => ({ data: numbers(data).reduce((a, b) => a + b, 0) }),
    fail: (data) => ({ error: failArgs(data) }),
    whoami: (_data, conn) => ({ data: { id: conn.id } }),
    delay: (data) => {
      const args = delayArgs(data)
      return new Promise((resolve) => later(args.ms, () => resolve({ data: args.data })))
    },
    join: (data, conn) => ({ data: { room: roomName(data), members: rooms.join(roomName(data), conn) } }),
    leave: (data, conn) => ({ data: { room: roomName(data), left: rooms.leave(roomName(data), conn) } }),
    broadcast: (data, conn) => {
      const room = roomName(data)
      const message = (data as { message?: unknown }).message
      const others = rooms.members(room).filter((member) => member !== conn)
      for (const member of others) send(member, { type: 'broadcast', data: { room, from: conn.id, message } })
      return { data: { delivered: others.length } }
    },
  }
}

/**
 * The server side of protocol v1: returns what to do with each inbound text frame. Pings are answered, envelopes
 * recorded, fire-and-forget `echo` echoed, requests dispatched to their handler and replied to (an unknown type with
 * `UNKNOWN_TYPE`, a handler's failure with its code), and frames that are no envelope answered with an `error`.
 */
export function protocol(ctx: ProtocolContext): (conn: Connection, text: string) => void {
  const { send, later, slowPongs, received, keep } = ctx
  const table = handlers(ctx)
  const reply = (conn: Connection, request: Envelope, result: HandlerResult): void =>
    send(conn, { type: request.type, re: request.id as string, ...result })

  return (conn, text) => {
    let envelope: Envelope
    try {
      envelope = parseEnvelope(text)
    } catch (err) {
      const code = err instanceof ProtocolError ? err.code : 'BAD_MESSAGE'
      send(conn, { type: 'error', error: { code, message: (err as Error).message } })
      return
    }
    if (envelope.type === 'ping' && envelope.id === undefined) {
      const pong = JSON.stringify({ type: 'pong', data: envelope.data })
      if (slowPongs.active) later(slowPongs.value, () => send(conn, pong))
      else send(conn, pong)
      return
    }
    if (envelope.type === 'pong') return
    received.push(envelope)
    if (received.length > keep) received.shift()
    if (envelope.id === undefined) {
      if (envelope.type === 'echo') send(conn, { type: 'echo', data: envelope.data })
      return
    }
    const handler = Object.hasOwn(table, envelope.type) ? table[envelope.type] : undefined
    if (!handler) {
      reply(conn, envelope, { error: { code: 'UNKNOWN_TYPE', message: `no handler for '${envelope.type}'` } })
      return
    }
    Promise.resolve()
      .then(() => handler(envelope.data, conn))
      .then(
        (result) => reply(conn, envelope, result),
        (err: unknown) => {
          const code = err instanceof ProtocolError ? err.code : 'INTERNAL'
          reply(conn, envelope, { error: { code, message: err instanceof Error ? err.message : String(err) } })
        },
      )
  }
}
