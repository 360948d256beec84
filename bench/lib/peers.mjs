// One adapter per client library, so every benchmark drives them the same way. Each opens a connection to `url`
// and exposes: ready (resolves on open), send(type, data), onMessage(fn(type, data)), close().
import { Lifeline, withResume } from '@lifeline/client'
import PartySocket from 'partysocket/ws'
import ReconnectingWebSocket from 'reconnecting-websocket'
import { io } from 'socket.io-client'
import WebSocket from 'ws'

const opened = (target) => new Promise((resolve) => target.addEventListener('open', resolve, { once: true }))

export const PEERS = {
  'raw ws': {
    server: 'ws',
    connect(url, onMessage) {
      const ws = new WebSocket(url, { perMessageDeflate: false })
      ws.on('message', (raw) => {
        const m = JSON.parse(raw)
        onMessage(m.type, m.data)
      })
      // what any real ws app must listen to: an unheard 'error' crashes the process, and 'close' is the drop
      ws.on('error', () => undefined)
      ws.on('close', () => undefined)
      return { ready: opened(ws), send: (type, data) => ws.send(JSON.stringify({ type, data })), close: () => ws.terminate() }
    },
  },
  lifeline: {
    server: 'ws',
    connect(url, onMessage, options = {}) {
      const client = new Lifeline(url, { wsOptions: { perMessageDeflate: false }, ...options })
      client.on('message', (m) => onMessage(m.type, m.data))
      return {
        client,
        ready: new Promise((resolve) => client.once('open', resolve)),
        send: (type, data) => client.send(type, data),
        close: () => client.close(),
      }
    },
  },
  'reconnecting-websocket': {
    server: 'ws',
    connect(url, onMessage, options = {}) {
      // Its default minReconnectionDelay is drawn once per module load; a browser tab draws its own, so each client
      // here gets its own draw, as it would in the field.
      const rws = new ReconnectingWebSocket(url, [], { WebSocket, minReconnectionDelay: 1000 + Math.random() * 4000, ...options })
      rws.addEventListener('message', (e) => {
        const m = JSON.parse(e.data)
        onMessage(m.type, m.data)
      })
      return { ready: opened(rws), send: (type, data) => rws.send(JSON.stringify({ type, data })), close: () => rws.close() }
    },
  },
  partysocket: {
    server: 'ws',
    connect(url, onMessage, options = {}) {
      const ps = new PartySocket(url, [], { WebSocket, ...options })
      ps.addEventListener('message', (e) => {
        const m = JSON.parse(e.data)
        onMessage(m.type, m.data)
      })
      return { ready: opened(ps), send: (type, data) => ps.send(JSON.stringify({ type, data })), close: () => ps.close() }
    },
  },
  'socket.io': {
    server: 'socket.io',
    connect(url, onMessage, options = {}) {
      const socket = io(url, { transports: ['websocket'], forceNew: true, perMessageDeflate: false, ...options })
      socket.on('chat', (data) => onMessage('chat', data))
      return {
        ready: new Promise((resolve) => socket.once('connect', resolve)),
        send: (type, data) => socket.emit(type, data),
        close: () => socket.disconnect(),
      }
    },
  },
}

/** Lifeline with resume, for bench/resume.mjs only: it needs a server that speaks resume (the test server). */
export const RESUME_PEERS = {
  'lifeline+resume': {
    server: 'test-server',
    connect(url, onMessage, options = {}) {
      const client = new Lifeline(url, { wsOptions: { perMessageDeflate: false }, ...options })
      const resume = withResume(client)
      client.on('message', (m) => onMessage(m.type, m.data))
      return {
        client,
        // ready once the session is settled: the hello answered, numbering on
        ready: new Promise((resolve) => {
          const check = () => (resume.active ? resolve() : setTimeout(check, 2))
          client.once('open', check)
        }),
        send: (type, data) => client.send(type, data),
        close: () => client.close(),
      }
    },
  },
}
