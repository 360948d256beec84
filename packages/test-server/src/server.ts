import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'
import { createFaults, type FaultActions } from './faults.js'
import { type Connection, protocol, type RoomsPort } from './handlers.js'
import { httpHandler } from './http.js'
import type { Envelope } from './protocol.js'
import { RedisStore } from './redis-store.js'
import { Rooms } from './rooms.js'
import { Sessions } from './sessions.js'
import { DEFAULT_LIMITS, MemoryStore, type SessionStore, type StoreLimits } from './store.js'

export type { Connection } from './handlers.js'

export interface TestServerOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number
  /** Address to bind. @default '127.0.0.1' */
  host?: string
  /** Send `{ type: 'ping', data: { ts } }` to every client this often, in milliseconds; 0 for never. @default 0 */
  pingIntervalMs?: number
  /** Origins allowed to connect; a handshake with another `Origin` header gets 403. @default undefined (any) */
  allowedOrigins?: string[]
  /** Largest inbound message in bytes; bigger ones close the socket with 1009. @default 1_048_576 */
  maxPayloadBytes?: number
  /** Serve `POST /__faults/<name>` so a page on the same origin can inject faults. @default false */
  faultsOverHttp?: boolean
  /** Keep the last this many inbound envelopes in `received`. @default 10_000 */
  keepReceived?: number
  /** Extra folders to serve, by URL prefix, e.g. `{ '/e2e': './pages' }`. @default {} */
  mounts?: Record<string, string>
  /** Answer clients' `resume` requests (PROTOCOL.md, "Resume"); protocol v1 clients never notice. @default true */
  resume?: boolean
  /**
   * Fleet mode: keep sessions, replay buffers and rooms in Redis at this URL (e.g. `redis://127.0.0.1:6379`), so a
   * client resumes on whichever server it reaches. @default undefined (in this process's memory)
   */
  redisUrl?: string
  /** A store to share between servers of one process (tests); overrides `redisUrl`. @default undefined */
  store?: SessionStore
  /** Bounds of each session's replay buffer. @default { maxBuffered: 10_000, ttlMs: 300_000 } */
  sessionLimits?: Partial<StoreLimits>
  /** Lets `POST /__faults/kill` (with faults over HTTP) end the process at once, by calling this. @default undefined */
  onKill?: () => void
  /** Called with each inbound envelope processed (pings and pongs aside; duplicates dropped by resume aside). @default undefined */
  onProcessed?: (envelope: Envelope) => void
}

export interface TestServer {
  /** The WebSocket endpoint, `ws://host:port/ws`. */
  url: string
  /** Handshakes `stall` holds unanswered right now. */
  readonly stalled: number
  /** A plain echo endpoint, `ws://host:port/raw`: every frame comes back as it is (a server that knows no envelopes). */
  rawUrl: string
  /** The HTTP origin, `http://host:port`, serving the demo and the client bundles. */
  httpUrl: string
  port: number
  faults: FaultActions
  /** Inbound envelopes, oldest first (not pings or pongs). */
  received: Envelope[]
  /** The live connections. */
  readonly connections: ReadonlySet<Connection>
  /** How many handshakes have succeeded since start. */
  readonly accepted: number
  /** How many inbound frames `silence` swallowed since start. */
  readonly swallowed: number
  /** Resume: client messages dropped as duplicates (and after a gap, never expected) since start; undefined without resume. */
  readonly resume: { readonly duplicates: number; readonly gaps: number } | undefined
  close(): Promise<void>
}

/**
 * The server loop: one HTTP server for the demo and faults (http.ts), WebSocket upgrades on `/ws` (protocol v1,
 * handlers.ts) and `/raw` (a plain echo), faults consulted on every handshake and write (faults.ts).
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1'
  const connections = new Set<Connection>()
  const rooms = new Rooms<Connection>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const received: Envelope[] = []
  let accepted = 0
  let swallowed = 0
  let nextId = 1
  let closing = false

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      fn()
    }, ms)
    timers.add(timer)
  }

  const faults = createFaults({
    sockets: () => [...connections].map((conn) => conn.socket),
    restart: async (downMs) => {
      faults.actions.drop()
      await stopListening()
      await new Promise<void>((resolve) => later(downMs, resolve))
      if (!closing) await listen(port)
    },
  })
  const { silence, refusal, stall, stalled } = faults

  /** Every frame the server writes goes through here, so `silence` holds for all of them. */
  const send = (conn: Connection, frame: Envelope | string | Buffer): void => {
    if (silence.active || conn.socket.readyState !== WebSocket.OPEN) return
    conn.socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame))
  }

  const limits = { ...DEFAULT_LIMITS, ...options.sessionLimits }
  const ownStore =
    options.resume === false || options.store
      ? undefined
      : options.redisUrl
        ? await RedisStore.connect(options.redisUrl, limits)
        : new MemoryStore(limits)
  const store = options.store ?? ownStore
  const sessions = store ? new Sessions<Connection>({ store, write: send, later }) : undefined
  const deliver = (conn: Connection, envelope: Envelope): void => {
    if (sessions && conn.link) void sessions.deliverTo(conn.link.session, envelope)
    else send(conn, envelope)
  }
  /** Room members: this server's protocol v1 connections, and sessions in the store (any backend). */
  const roomsPort: RoomsPort = {
    join: async (room, conn) => {
      if (store && conn.link) await store.join(room, conn.link.session)
      else rooms.join(room, conn)
      return rooms.members(room).length + (store ? (await store.members(room)).length : 0)
    },
    leave: async (room, conn) => (store && conn.link ? store.leave(room, conn.link.session) : rooms.leave(room, conn)),
    broadcast: async (room, from, envelope) => {
      let delivered = 0
      for (const member of rooms.members(room)) {
        if (member === from) continue
        send(member, envelope)
        delivered++
      }
      if (!store || !sessions) return delivered
      for (const session of await store.members(room)) {
        if (session !== from.link?.session && (await sessions.deliverTo(session, envelope))) delivered++
      }
      return delivered
    },
  }
  const onText = protocol({
    rooms: roomsPort,
    deliver,
    sessions,
    send,
    later,
    slowPongs: faults.slowPongs,
    received,
    keep: options.keepReceived ?? 10_000,
    record: options.onProcessed,
  })

  const maxPayload = options.maxPayloadBytes ?? 1_048_576
  const wss = new WebSocketServer({ noServer: true, maxPayload })
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const conn: Connection = { id: nextId++, socket, url: request.url ?? '' }
    connections.add(conn)
    accepted++
    socket.on('message', (data, isBinary) => {
      if (silence.active) {
        swallowed++
        return
      }
      if (isBinary) send(conn, Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]))
      else onText(conn, data.toString())
    })
    socket.on('error', () => socket.terminate())
    socket.on('close', () => {
      connections.delete(conn)
      rooms.leaveAll(conn)
      sessions?.closed(conn)
    })
  })
  const rawEcho = new WebSocketServer({ noServer: true, maxPayload })
  rawEcho.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(isBinary ? data : String(data)))
  })

  const rejectUpgrade = (socket: Socket, status: number, text: string): void => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }

  const http: Server = createServer(
    httpHandler({
      mounts: options.mounts,
      faultsOverHttp: options.faultsOverHttp === true,
      faults: faults.actions,
      kill: options.faultsOverHttp ? options.onKill : undefined,
      status: () => ({
        port,
        connections: connections.size,
        sessions: [...connections].flatMap((c) => (c.link ? [c.link.session] : [])),
        accepted,
        resume: sessions
          ? { duplicates: sessions.duplicates, gaps: sessions.gaps, store: options.redisUrl ? 'redis' : 'memory' }
          : null,
        killable: options.faultsOverHttp === true && options.onKill !== undefined,
      }),
    }),
  )
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const path = (req.url ?? '').split('?')[0]
    if (path !== '/ws' && path !== '/raw') return rejectUpgrade(socket, 404, 'Not Found')
    if (stall.active) {
      stalled.add(socket)
      socket.on('close', () => stalled.delete(socket))
      return
    }
    if (refusal.active) return rejectUpgrade(socket, refusal.value, 'Refused')
    const origin = req.headers.origin
    if (options.allowedOrigins && origin !== undefined && !options.allowedOrigins.includes(origin)) {
      return rejectUpgrade(socket, 403, 'Forbidden')
    }
    const target = path === '/raw' ? rawEcho : wss
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req))
  })

  const listen = (at: number): Promise<number> =>
    new Promise((resolve, reject) => {
      http.once('error', reject)
      http.listen(at, host, () => {
        http.off('error', reject)
        resolve((http.address() as AddressInfo).port)
      })
    })

  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      http.close(() => resolve())
      http.closeAllConnections()
    })

  let port = await listen(options.port ?? 0)
  if (options.pingIntervalMs) {
    const interval = setInterval(() => {
      for (const conn of connections) send(conn, { type: 'ping', data: { ts: Date.now() } })
    }, options.pingIntervalMs)
    timers.add(interval)
  }

  return {
    url: `ws://${host}:${port}/ws`,
    rawUrl: `ws://${host}:${port}/raw`,
    httpUrl: `http://${host}:${port}`,
    port,
    faults: faults.actions,
    received,
    connections,
    get accepted() {
      return accepted
    },
    get swallowed() {
      return swallowed
    },
    get stalled() {
      return stalled.size
    },
    get resume() {
      return sessions ? { duplicates: sessions.duplicates, gaps: sessions.gaps } : undefined
    },
    close: async () => {
      if (closing) return
      closing = true
      faults.actions.reset()
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      faults.actions.drop()
      for (const socket of stalled) socket.destroy()
      for (const ws of rawEcho.clients) ws.terminate()
      rawEcho.close()
      wss.close()
      if (http.listening) await stopListening()
      sessions?.close()
      await ownStore?.close()
      port = 0
    },
  }
}
