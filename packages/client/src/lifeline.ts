import { EventEmitter } from 'eventemitter3'
import { backoffDelayMs } from './backoff'
import { type CloseInfo, classifyClose, defaultShouldReconnect } from './close-policy'
import { decode, type Envelope, encode } from './codec'
import { type WakeReason, watchEnvironment } from './environment'
import { type ErrorCode, LifelineError } from './errors'
import { Heartbeat, type HeartbeatOwner } from './heartbeat'
import type { State } from './machine'
import { assertTransition } from './machine'
import {
  checkNumber,
  type HeartbeatFrames,
  type LifelineOptions,
  type ResolvedOptions,
  resolveOptions,
  type UrlSource,
} from './options'
import { defaultWebSocket, listen, unlisten } from './platform'
import { BoundedQueue } from './queue'
import { PendingRequest, RequestTracker } from './requests'
import { OPEN, release, type SocketEvent, type SocketLike, type SocketListener } from './socket'

/** Message types to their `data`, e.g. `{ chat: { text: string } }`. */
export type MessageMap = Record<string, unknown>
/** Request types to their `data` and reply, e.g. `{ sum: { data: number[]; reply: number } }`. */
export type RequestMap = Record<string, { data: unknown; reply: unknown }>

/** An inbound envelope, narrowed by `type` when an inbound map is given. */
export type InboundEnvelope<In extends MessageMap> = { [K in keyof In & string]: Envelope<K, In[K]> }[keyof In & string]

/** Raw payloads `sendRaw` accepts. */
export type RawData = string | ArrayBufferLike | ArrayBufferView | Blob

export interface CloseEvent extends CloseInfo {
  /** Whether a reconnect follows. */
  willReconnect: boolean
}

export interface LifelineEvents<In extends MessageMap = MessageMap> {
  /** The socket opened. `attempt`: failed attempts before this one since the last stable connection (0 the first time). */
  open: (event: { attempt: number }) => void
  close: (event: CloseEvent) => void
  /** A reconnect is scheduled: attempt number (1-based) and the delay before it, in milliseconds. */
  reconnecting: (event: { attempt: number; delayMs: number }) => void
  state: (event: { from: State; to: State }) => void
  /** Each inbound application envelope (not pings, pongs or replies). */
  message: (envelope: InboundEnvelope<In>) => void
  /** Each inbound binary frame, untouched (an ArrayBuffer; a Blob only if you changed `binaryType`). */
  binary: (data: ArrayBuffer | Blob) => void
  /** Each pong: the round-trip time in milliseconds. */
  latency: (event: { rttMs: number }) => void
  error: (error: LifelineError) => void
}

export interface RequestOptions {
  /** Reply deadline in milliseconds, counted from when the request is written to an open socket. @default the client's `requestTimeoutMs` */
  timeoutMs?: number
  /** Aborts the request: it leaves the queue and rejects with `ABORTED`. */
  signal?: AbortSignal
}

type Frame = RawData
type QueueItem = Frame | PendingRequest
const error = (code: ErrorCode, message: string, detail?: unknown): LifelineError => new LifelineError(code, message, detail)
const call = <T>(source: T | (() => T)): T => (typeof source === 'function' ? (source as () => T)() : source)

/**
 * One logical WebSocket connection that stays alive (heartbeat) and comes back (backoff reconnect), with a
 * bounded send queue, JSON envelopes and request/response. See README.md for the whole API.
 */
export class Lifeline<
    In extends MessageMap = MessageMap,
    Out extends MessageMap = MessageMap,
    Rpc extends RequestMap = RequestMap,
  >
  extends EventEmitter<LifelineEvents<In>>
  implements SocketListener, HeartbeatOwner
{
  private readonly _o: ResolvedOptions
  private readonly _url: UrlSource
  private _state: State = 'idle'
  /** Set by `close()` only: the client is finished for good. */
  private _ended = false
  /** Stamps each dial: an asynchronous step (the URL function) of a superseded dial sees another number and stops. */
  private _gen = 0
  private _ws: SocketLike | undefined
  /** The current state's one timer: connect timeout or backoff wait. */
  private _timer: ReturnType<typeof setTimeout> | undefined
  /** Failed attempts since the last stable connection. */
  private _attempt = 0
  /** When the socket opened (epoch ms), 0 when not open: a link open `stableAfterMs` resets the attempt count. */
  private _openedAt = 0
  private _seq = 0
  private readonly _heartbeat: Heartbeat | undefined
  /** Text heartbeat frames, when the server does not speak envelopes (read on every inbound frame, so kept at hand). */
  private readonly _frames: HeartbeatFrames | undefined
  private readonly _queue: BoundedQueue<QueueItem> | undefined
  private readonly _requests = new RequestTracker()
  private readonly _unwatch: () => void

  constructor(url: UrlSource, options: LifelineOptions = {}) {
    super()
    if (typeof url !== 'string' && typeof url !== 'function' && !(url instanceof URL)) {
      throw error('BAD_OPTION', 'url must be a string, a URL or a function returning one')
    }
    this._url = url
    this._o = resolveOptions(options, defaultWebSocket())
    const hb = this._o.heartbeat
    this._heartbeat = hb ? new Heartbeat(hb, this) : undefined
    this._frames = hb ? hb.frames : undefined
    this._queue = this._o.queue ? new BoundedQueue(this._o.queue.maxMessages) : undefined
    const logger = this._o.logger
    if (logger) this.on('error', (err) => logger.warn('lifeline:', err.code, err.message))
    this._unwatch = this._o.watchNetwork !== false ? watchEnvironment((reason) => this._wake(reason)) : () => undefined
    if (!this._o.lazy) queueMicrotask(() => this._state === 'idle' && this._dial())
  }

  /** The connection state. */
  get state(): State {
    return this._state
  }

  /** Messages and requests waiting for the socket to open. */
  get queued(): number {
    return this._queue?.size ?? 0
  }

  /** Dials now if the client is `idle` (lazy) or was stopped by the close policy; a no-op otherwise. Throws `CLOSED` after `close()`. */
  connect(): void {
    if (this._ended) throw error('CLOSED', 'client was closed')
    if (this._state === 'idle' || this._state === 'closed') this._dial()
  }

  /** Sends an envelope now, or queues it while not open. Returns false (and emits `error`) when refused. Throws `BAD_INPUT` on a bad type or unserializable data. */
  send<K extends keyof Out & string>(type: K, data?: Out[K]): boolean {
    return this._refused(this._out(encode(type, data)))
  }

  /** Sends a frame as is, with no envelope; queued like `send`. Throws `BAD_INPUT` on anything but a string, ArrayBuffer, view or Blob. */
  sendRaw(data: RawData): boolean {
    const ok =
      typeof data === 'string' ||
      data instanceof ArrayBuffer ||
      ArrayBuffer.isView(data) ||
      (typeof Blob !== 'undefined' && data instanceof Blob)
    if (!ok) throw error('BAD_INPUT', 'sendRaw takes a string, ArrayBuffer, ArrayBufferView or Blob', data)
    return this._refused(this._out(data))
  }

  /**
   * Sends a request and resolves with the reply's `data`. Rejects with a `LifelineError`: `REQUEST_TIMEOUT`,
   * `CLOSED`, `ABORTED`, `QUEUE_FULL`, `NOT_OPEN`, `BAD_INPUT`, or `REMOTE_ERROR` (the server's error in `detail`).
   * The clock starts when the request is written to an open socket; a request written before a drop is re-sent,
   * with the same id, after the reconnect.
   */
  request<K extends keyof Rpc & string>(type: K, data?: Rpc[K]['data'], options: RequestOptions = {}): Promise<Rpc[K]['reply']> {
    const signal = options.signal
    let frame: string
    let timeoutMs: number
    const id = String(++this._seq)
    try {
      frame = encode(type, data, id)
      timeoutMs = options.timeoutMs === undefined ? this._o.requestTimeoutMs : checkNumber('timeoutMs', options.timeoutMs, 1)
      if (signal?.aborted) throw error('ABORTED', `request '${type}' aborted`)
    } catch (err) {
      return Promise.reject(err)
    }
    const [entry, promise] = this._requests.add(id, frame, timeoutMs)
    const refusal = this._out(frame, entry)
    if (refusal) this._requests.fail(entry, refusal)
    else if (signal) {
      const abort = (): void => {
        this._queue?.remove((item) => item === entry)
        this._requests.fail(entry, error('ABORTED', `request '${type}' aborted`))
      }
      const detach = (): void => signal.removeEventListener('abort', abort)
      signal.addEventListener('abort', abort)
      promise.then(detach, detach)
    }
    return promise
  }

  /**
   * Stops for good: closes the socket with `code`/`reason`, rejects pending requests with `CLOSED`, drops the
   * queue, and cancels every timer and listener Lifeline holds. Idempotent. Throws `BAD_INPUT` on a code other
   * than 1000 or 3000-4999, or a reason over 123 bytes.
   */
  close(code = 1000, reason = ''): void {
    if (this._ended) return
    if (code !== 1000 && !(code >= 3000 && code <= 4999 && Number.isInteger(code))) {
      throw error('BAD_INPUT', `close code must be 1000 or 3000-4999, got ${code}`)
    }
    if (typeof reason !== 'string' || new TextEncoder().encode(reason).length > 123) {
      throw error('BAD_INPUT', 'close reason must be a string of at most 123 bytes')
    }
    this._ended = true
    const hadSocket = this._release(code, reason, false)
    this._unwatch()
    this._queue?.drain()
    this._requests.failAll(error('CLOSED', 'client was closed'))
    if (hadSocket) this.emit('close', { code, reason, wasClean: true, willReconnect: false })
    this._to('closed')
  }

  /** Drops the current socket (if any) and dials now, with a fresh attempt count. Revives a client stopped by the close policy or `maxAttempts`. Throws `CLOSED` after `close()`. */
  reconnect(): void {
    if (this._ended) throw error('CLOSED', 'client was closed')
    this._attempt = 0
    if (this._release(1000, 'reconnect', false)) {
      this.emit('close', { code: 1000, reason: 'reconnect', wasClean: true, willReconnect: true })
    }
    if (!this._ended) this._dial()
  }

  // --- transitions -------------------------------------------------------------------------------------------------

  /** Moves to `to`, cancelling the old state's timer and arming the new one's; then emits `state`. */
  private _to(to: State, timerMs?: number, onTimer?: () => void): void {
    const from = this._state
    clearTimeout(this._timer)
    this._timer = onTimer && setTimeout(onTimer, timerMs)
    if (from === to) return
    assertTransition(from, to)
    this._state = to
    this._o.logger?.debug('lifeline:', from, '->', to)
    this.emit('state', { from, to })
  }

  private _dial(): void {
    const gen = ++this._gen
    this._to('connecting', this._o.connectTimeoutMs, () =>
      this._fail('CONNECT_TIMEOUT', `no handshake within ${this._o.connectTimeoutMs} ms`, 'connect timeout'),
    )
    if (gen !== this._gen) return
    const { protocols } = this._o
    if (typeof this._url !== 'function' && typeof protocols !== 'function') {
      this._open(gen, this._url, protocols)
      return
    }
    Promise.resolve()
      .then(() => Promise.all([call(this._url), call(protocols)]))
      .then(
        ([url, p]) => this._open(gen, url, p),
        (cause: unknown) =>
          gen === this._gen && this._fail('URL_FAILED', 'the url or protocols function failed', 'url failed', cause),
      )
  }

  private _open(gen: number, url: string | URL, protocols: string | string[] | undefined): void {
    if (gen !== this._gen) return
    let ws: SocketLike
    try {
      ws = new this._o.WebSocket(String(url), protocols, this._o.wsOptions)
    } catch (cause) {
      this._fail('URL_FAILED', `cannot open a WebSocket to '${String(url)}'`, 'url failed', cause)
      return
    }
    this._ws = ws
    ws.binaryType = 'arraybuffer'
    listen(ws, this)
  }

  /**
   * @internal The current socket's events, through this one listener object. Events from any other socket (one that
   * was replaced or released) are ignored.
   */
  handleEvent(event: SocketEvent): void {
    const ws = this._ws
    if (ws === undefined || event.target !== ws) return
    const type = event.type
    if (type === 'message') this._inbound(event.data)
    else if (type === 'open') this._opened(ws)
    else if (type === 'close')
      this._lost({ code: event.code ?? 1006, reason: event.reason ?? '', wasClean: event.wasClean === true })
    else this.emit('error', error('SOCKET_ERROR', event.message || 'WebSocket error', event))
  }

  private _opened(ws: SocketLike): void {
    const attempt = this._attempt
    this._openedAt = Date.now()
    this._to('open')
    if (this._ws !== ws) return
    this._heartbeat?.start()
    for (const entry of this._requests.written()) ws.send(entry.frame)
    for (const item of this._queue?.drain() ?? []) this._write(ws, item)
    this.emit('open', { attempt })
  }

  /** The socket is gone (closed by the peer, or by us for a dead link): report it, then retry or stop. */
  private _lost(info: CloseInfo, hard = false): void {
    this._release(info.code, info.reason, hard)
    const rc = this._o.reconnect
    if (rc && this._openedAt !== 0 && Date.now() - this._openedAt >= rc.stableAfterMs) this._attempt = 0
    this._openedAt = 0
    let retry = false
    try {
      retry = rc !== false && (this._o.shouldReconnect ?? defaultShouldReconnect)(info)
    } catch (cause) {
      this.emit('error', error('BAD_OPTION', 'shouldReconnect threw; not reconnecting', cause))
    }
    const exhausted = rc !== false && retry && this._attempt >= rc.maxAttempts
    const gen = this._gen
    this.emit('close', { ...info, willReconnect: retry && !exhausted })
    if (gen !== this._gen || this._ended) return
    if (!retry || exhausted || rc === false) {
      this._to('closed')
      this._requests.failAll(error('CLOSED', `connection closed (${info.code}) and not reconnecting`))
      this._queue?.remove((item) => item instanceof PendingRequest)
      if (exhausted) this.emit('error', error('RECONNECT_EXHAUSTED', `gave up after ${this._attempt} attempts`))
      return
    }
    const delayMs =
      classifyClose(info.code) === 'retry-later'
        ? backoffDelayMs(0, { ...rc, initialDelayMs: rc.maxDelayMs, jitter: 'equal' })
        : backoffDelayMs(this._attempt, rc)
    const attempt = ++this._attempt
    this._to('reconnecting', delayMs, () => this._dial())
    if (gen === this._gen && this._state === 'reconnecting') this.emit('reconnecting', { attempt, delayMs })
  }

  /** We give up on the current socket: report why, then handle it as a lost link. */
  private _fail(code: ErrorCode, message: string, reason: string, cause?: unknown): void {
    const gen = this._gen
    this.emit('error', error(code, message, cause))
    if (gen === this._gen && !this._ended)
      this._lost({ code: code === 'HEARTBEAT_TIMEOUT' ? 4000 : 1006, reason, wasClean: false }, true)
  }

  /** Lets go of the socket, if any, and of everything tied to it. Returns whether there was one. */
  private _release(code: number, reason: string, hard: boolean): boolean {
    this._gen++
    this._heartbeat?.stop()
    const ws = this._ws
    this._ws = undefined
    if (ws) {
      unlisten(ws, this)
      release(ws, code, reason, hard)
    }
    return ws !== undefined
  }

  // --- traffic -----------------------------------------------------------------------------------------------------

  private _inbound(data: unknown): void {
    this._heartbeat?.touch()
    if (typeof data !== 'string') {
      this.emit('binary', data as ArrayBuffer)
      return
    }
    const frames = this._frames
    if (frames !== undefined && (data === frames.pong || data === frames.ping)) {
      if (data === frames.ping) this._ws?.send(frames.pong)
      else this._latency(undefined)
      return
    }
    const envelope = decode(data)
    if (envelope instanceof LifelineError) this.emit('error', envelope)
    else if (envelope.re !== undefined) {
      if (!this._requests.settle(envelope))
        this.emit('error', error('BAD_MESSAGE', `reply to no pending request '${envelope.re}'`, data))
    } else if (envelope.type === 'ping') this._ws?.send(JSON.stringify({ type: 'pong', data: envelope.data }))
    else if (envelope.type === 'pong') this._latency(envelope.data)
    else this.emit('message', envelope as InboundEnvelope<In>)
  }

  private _latency(data: unknown): void {
    const ts = (data as { ts?: unknown } | undefined)?.ts
    const sentAt = typeof ts === 'number' ? ts : this._heartbeat?.lastPingAt
    if (sentAt) this.emit('latency', { rttMs: Date.now() - sentAt })
  }

  /** Writes now if open; queues otherwise. Returns the refusal, if refused. */
  private _out(item: QueueItem, request?: PendingRequest): LifelineError | undefined {
    if (this._state === 'closed') return error('CLOSED', 'client is closed')
    const ws = this._ws
    if (this._state === 'open' && ws && ws.readyState === OPEN) {
      this._write(ws, request ?? item)
      return undefined
    }
    if (!this._queue) return error('NOT_OPEN', 'socket is not open and the queue is disabled')
    if (!this._queue.push(request ?? item)) return error('QUEUE_FULL', 'send queue is full')
    if (this._state === 'idle') this._dial()
    return undefined
  }

  private _write(ws: SocketLike, item: QueueItem): void {
    if (item instanceof PendingRequest) {
      ws.send(item.frame)
      this._requests.wrote(item)
    } else ws.send(item)
  }

  private _refused(refusal: LifelineError | undefined): boolean {
    if (refusal) this.emit('error', refusal)
    return refusal === undefined
  }

  // --- liveness ----------------------------------------------------------------------------------------------------

  /** @internal The heartbeat asks for a ping (`dead` false) or reports the link dead. */
  handleHeartbeat(dead: boolean): void {
    if (dead) {
      this._fail('HEARTBEAT_TIMEOUT', 'no inbound frame after a ping: the link is dead', 'heartbeat timeout')
      return
    }
    const frames = this._frames
    const ws = this._ws
    if (ws && ws.readyState === OPEN) ws.send(frames ? frames.ping : JSON.stringify({ type: 'ping', data: { ts: Date.now() } }))
  }

  private _wake(reason: WakeReason): void {
    if (this._state === 'reconnecting' && reason !== 'offline') this._dial()
    else if (this._state === 'open') this._heartbeat?.probe()
  }
}
