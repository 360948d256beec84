import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'
import { type FaultActions, GARBAGE_FRAMES, TimedFault } from './faults.js'
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
import { Rooms } from './rooms.js'
import { staticFile } from './static.js'

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
}

/** One connected client, as the server sees it. */
export interface Connection {
  readonly id: number
  readonly socket: WebSocket
  readonly url: string
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
  close(): Promise<void>
}

type Handler = (data: unknown, conn: Connection) => HandlerResult | Promise<HandlerResult>

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1'
  const keep = options.keepReceived ?? 10_000
  const connections = new Set<Connection>()
  const rooms = new Rooms<Connection>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const received: Envelope[] = []
  let accepted = 0
  let swallowed = 0
  let nextId = 1
  let closing = false

  const silence = new TimedFault()
  const slowPongs = new TimedFault()
  const refusal = new TimedFault()
  const stall = new TimedFault()
  /** Sockets whose upgrade `stall` holds unanswered. */
  const stalled = new Set<Socket>()

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      fn()
    }, ms)
    timers.add(timer)
  }

  /** Every frame the server writes goes through here, so `silence` holds for all of them. */
  const send = (conn: Connection, frame: Envelope | string | Buffer): void => {
    if (silence.active || conn.socket.readyState !== WebSocket.OPEN) return
    conn.socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame))
  }

  const handlers: Record<string, Handler> = {
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

  const reply = (conn: Connection, request: Envelope, result: HandlerResult): void =>
    send(conn, { type: request.type, re: request.id as string, ...result })

  const onText = (conn: Connection, text: string): void => {
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
    const handler = Object.hasOwn(handlers, envelope.type) ? handlers[envelope.type] : undefined
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

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1_048_576 })
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
    })
  })

  const rejectUpgrade = (socket: Socket, status: number, text: string): void => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }

  const http: Server = createServer((req, res) => {
    void handleHttp(req, res)
  })
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
    if (path === '/raw') return rawEcho.handleUpgrade(req, socket, head, (ws) => rawEcho.emit('connection', ws, req))
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  const rawEcho = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1_048_576 })
  rawEcho.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(isBinary ? data : String(data)))
  })

  const forEachSocket = (fn: (socket: WebSocket) => void): number => {
    for (const conn of connections) fn(conn.socket)
    return connections.size
  }

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      http.once('error', reject)
      http.listen(port, host, () => {
        http.off('error', reject)
        resolve((http.address() as AddressInfo).port)
      })
    })

  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      http.close(() => resolve())
      http.closeAllConnections()
    })

  const faults: FaultActions = {
    drop: () => forEachSocket((socket) => socket.terminate()),
    close: (code, reason = '') => forEachSocket((socket) => socket.close(code, reason)),
    silence: (ms) => silence.set(ms),
    delayPongs: (ms) => slowPongs.set(60 * 60_000, ms),
    stall: (ms) => stall.set(ms),
    refuse: (ms, status = 503) => refusal.set(ms, status),
    restart: async (downMs) => {
      faults.drop()
      await stopListening()
      await new Promise<void>((resolve) => later(downMs, resolve))
      if (!closing) await listen(port)
    },
    garbage: () =>
      forEachSocket((socket) => {
        for (const frame of GARBAGE_FRAMES) socket.send(frame)
      }),
    flood: (n) => {
      const count = Math.max(0, Math.min(100_000, Math.floor(n)))
      return forEachSocket((socket) => {
        for (let i = 0; i < count; i++) socket.send(JSON.stringify({ type: 'flood', data: { i } }))
      })
    },
    reset: () => {
      silence.clear()
      slowPongs.clear()
      refusal.clear()
      stall.clear()
    },
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (req.method === 'POST' && path.startsWith('/__faults/')) return faultOverHttp(path.slice(10), req, res)
    if (req.method !== 'GET' && req.method !== 'HEAD') return respond(res, 405, 'method not allowed')
    if (path === '/healthz') return respond(res, 200, 'ok')
    const file = staticFile(path, options.mounts)
    if (!file) return respond(res, 404, 'not found')
    try {
      const body = await readFile(file.path)
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(body)
    } catch (err) {
      respond(res, 404, `not built: ${(err as Error).message}`)
    }
  }

  const respond = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain' }).end(text)
  }

  /** `POST /__faults/<name>` with an optional JSON array of arguments as the body. */
  async function faultOverHttp(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!options.faultsOverHttp) return respond(res, 404, 'faults over HTTP are disabled')
    const fault = Object.hasOwn(faults, name) ? (faults as unknown as Record<string, unknown>)[name] : undefined
    if (typeof fault !== 'function') return respond(res, 404, `no fault '${name}'`)
    let body = ''
    for await (const chunk of req) body += chunk
    let args: unknown
    try {
      args = body.trim() === '' ? [] : JSON.parse(body)
      if (!Array.isArray(args)) throw new TypeError('body must be a JSON array of arguments')
      const ok = (result: unknown, then?: () => void): void => {
        const body = JSON.stringify({ fault: name, result: typeof result === 'number' ? result : null })
        res.writeHead(200, { 'content-type': 'application/json' }).end(body, then)
      }
      if (name === 'restart') {
        // answer first: the restart closes every connection, this one included
        const downMs = args[0]
        if (typeof downMs !== 'number' || !(downMs >= 0 && downMs <= 60_000))
          throw new RangeError('restart takes [downMs: 0..60000]')
        ok(null, () => void faults.restart(downMs))
      } else ok(fault(...args))
    } catch (err) {
      respond(res, 400, (err as Error).message)
    }
  }

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
    faults,
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
    close: async () => {
      if (closing) return
      closing = true
      faults.reset()
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      faults.drop()
      for (const socket of stalled) socket.destroy()
      for (const ws of rawEcho.clients) ws.terminate()
      rawEcho.close()
      wss.close()
      if (http.listening) await stopListening()
      port = 0
    },
  }
}
