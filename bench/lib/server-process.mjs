// The benchmarks' server, in its own process so that its CPU never competes with the client's event loop.
// Driven over IPC: { id, cmd, ...args } → { id, ...reply }.
import { createServer } from 'node:http'
import { Server as SocketIOServer } from 'socket.io'
import { WebSocketServer } from 'ws'

let http
let wss
let io
let port = 0
let kind = 'ws'
let restartAt = 0
let arrivals = []
const sockets = new Set()
/** Every TCP connection, upgraded or not: a restart destroys them all, as a crashed process would. */
const tcp = new Set()
const now = () => Number(process.hrtime.bigint()) / 1e6

/** A protocol v1 minimum: answer `ping` envelopes with `pong` (same data), echo everything else as it came. */
function attachWs() {
  wss = new WebSocketServer({ server: http, perMessageDeflate: false })
  wss.on('connection', (ws) => {
    sockets.add(ws)
    if (restartAt) arrivals.push(now() - restartAt)
    ws.on('message', (data, isBinary) => {
      if (!isBinary && data[2] === 0x74 && data.toString('latin1', 0, 14) === '{"type":"ping"') {
        ws.send(`{"type":"pong"${data.toString('utf8', 14)}`)
      } else ws.send(data, { binary: isBinary })
    })
    ws.on('error', () => ws.terminate())
    ws.on('close', () => sockets.delete(ws))
  })
}

function attachSocketIO() {
  io = new SocketIOServer(http, { transports: ['websocket'], perMessageDeflate: false })
  io.on('connection', (socket) => {
    sockets.add(socket)
    if (restartAt) arrivals.push(now() - restartAt)
    socket.on('chat', (data) => socket.emit('chat', data))
    socket.on('disconnect', () => sockets.delete(socket))
  })
}

const listen = (p) =>
  new Promise((resolve, reject) => {
    http.once('error', reject)
    http.listen(p, '127.0.0.1', () => resolve(http.address().port))
  })

async function start(k) {
  kind = k
  http = createServer()
  http.on('connection', (socket) => {
    tcp.add(socket)
    socket.once('close', () => tcp.delete(socket))
  })
  if (kind === 'socket.io') attachSocketIO()
  else attachWs()
  port = await listen(0)
  return { port }
}

/** Destroys every connection without a goodbye: clients see a dropped link (ws 1006, socket.io "transport close"). */
function dropAll() {
  for (const socket of tcp) socket.destroy()
  tcp.clear()
}

async function restart(downMs) {
  arrivals = []
  const closed = new Promise((resolve) => http.close(resolve))
  http.closeAllConnections?.()
  dropAll()
  restartAt = now()
  await closed
  await new Promise((resolve) => setTimeout(resolve, downMs))
  await listen(port)
  return { restartAt }
}

async function stop() {
  dropAll()
  restartAt = 0
  if (io) await new Promise((resolve) => io.close(() => resolve()))
  wss?.close()
  if (http.listening) await new Promise((resolve) => http.close(resolve))
  http.closeAllConnections?.()
  io = wss = undefined
  return {}
}

const commands = {
  start: ({ kind: k }) => start(k),
  restart: ({ downMs }) => restart(downMs),
  arrivals: () => ({ arrivals }),
  count: () => ({ count: sockets.size }),
  cpu: () => ({ cpu: process.cpuUsage() }),
  stop,
  exit: () => {
    setImmediate(() => process.exit(0))
    return {}
  },
}

process.on('message', async ({ id, cmd, ...args }) => {
  try {
    process.send({ id, ...(await commands[cmd](args)) })
  } catch (err) {
    process.send({ id, error: String(err?.stack ?? err) })
  }
})
process.on('disconnect', () => process.exit(0))
