import { EventEmitter } from 'eventemitter3'
import { backoffDelayMs } from './backoff'
import { type CloseInfo, classifyClose, defaultShouldReconnect } from './close-policy'
import { decode, type Envelope, encode } from './codec'
import { type WakeReason, watchEnvironment } from './environment'
import { type ErrorCode, LifelineError } from './errors'
import { deliver, flush, post, reportListenerError } from './events'
import { Heartbeat, type HeartbeatOwner } from './heartbeat'
import type { State } from './machine'
import { assertTransition } from './machine'
import {
  type HeartbeatFrames,
  type LifelineOptions,
  MAX_DURATION_MS,
  type ResolvedOptions,
  resolveOptions,
  type UrlSource,
} from './options'
import { defaultWebSocket, listen, receivedBytes, sentBytes, socketOptions, unlisten } from './platform'
import { BoundedQueue } from './queue'
import { PendingRequest, RequestTracker } from './requests'
import { OPEN, release, type SocketEvent, type SocketLike, type SocketListener } from './socket'
import { parseWebSocketUrl, redact, redactIn } from './url'

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

/**
 * The events, each delivered once the transition it reports has finished. Listeners are isolated: one that throws
 * is reported to the platform (`reportError`, or an uncaught exception outside Lifeline's stack) and changes nothing
 * Lifeline does, nor keeps the other listeners from being called.
 */
export interface LifelineEvents<In extends MessageMap = MessageMap> {
  /** The socket opened. `attempt`: failed attempts before this one since the last stable connection (0 the first time). */
  open: (event: { attempt: number }) => void
  close: (event: CloseEvent) => void
  /** A reconnect is scheduled: attempt number (1-based) and the delay before it, in milliseconds. */
  reconnecting: (event: { attempt: number; delayMs: number }) => void
  state: (event: { from: State; to: State }) => void
  /** Each inbound application envelope (not pings, pongs or replies). */
  message: (envelope: InboundEnvelope<In>) => void
  /**
   * Each inbound text frame that is no envelope, as it came: every text frame with `envelopes: false`; with
   * envelopes, a frame that is not one (also reported as a `BAD_MESSAGE` error).
   */
  text: (data: string) => void
  /** Each inbound binary frame, untouched (an ArrayBuffer; a Blob only if you changed `binaryType`). */
  binary: (data: ArrayBuffer | Blob) => void
  /** Each pong: the round-trip time in milliseconds. */
  latency: (event: { rttMs: number }) => void
  error: (error: LifelineError) => void
}

type EventName = keyof LifelineEvents
type Payload<In extends MessageMap, E extends EventName> = Parameters<LifelineEvents<In>[E]>[0]

export interface RequestOptions {
  /**
   * Reply deadline in milliseconds, counted from this call: time queued while disconnected and re-sends after a
   * reconnect count against it. @default the client's `requestTimeoutMs`
   */
  timeoutMs?: number
  /** Aborts the request: it leaves the queue and rejects with `ABORTED`. */
  signal?: AbortSignal
}

type QueueItem = RawData | PendingRequest
const error = (code: ErrorCode, message: string, detail?: unknown): LifelineError => new LifelineError(code, message, detail)
const call = <T>(source: T | (() => T)): T => (typeof source === 'function' ? (source as () => T)() : source)
const isAbortSignal = (s: unknown): s is AbortSignal =>
  typeof s === 'object' &&
  s !== null &&
  typeof (s as AbortSignal).aborted === 'boolean' &&
  typeof (s as AbortSignal).addEventListener === 'function'
/** A cause fit for display: an error's message with every URL in it redacted (tokens live in query strings). */
const displayable = (cause: unknown): unknown =>
  cause instanceof Error ? Object.assign(new Error(redactIn(cause.message)), { name: cause.name }) : cause
const byteLength = (data: RawData): number =>
  typeof data === 'string' ? data.length : ((data as ArrayBufferView).byteLength ?? (data as Blob).size ?? 0)

// biome-ignore lint/suspicious/noExplicitAny: the relay serves clients of any message maps
type AnyLifeline = Lifeline<any, any, any>

/**
 * The one private object of a client that the outside calls: it holds the app's listeners, and it is what the
 * client hands to its sockets (an EventListener object: no closure per socket) and its heartbeat. It keeps those
 * entry points off the client's public surface.
 */
class Relay extends EventEmitter implements SocketListener, HeartbeatOwner {
  constructor(private readonly _c: AnyLifeline) {
    super()
  }

  handleEvent(event: SocketEvent): void {
    this._c['_socketEvent'](event)
  }

  handleMessage(data: unknown): void {
    this._c['_message'](data)
  }

  handleHeartbeat(dead: boolean): void {
    this._c['_heartbeatSays'](dead)
  }

  buffered(): number {
    return this._c['_ws']?.bufferedAmount ?? 0
  }

  received(): number {
    const ws = this._c['_ws']
    return ws === undefined ? 0 : (receivedBytes(ws) ?? 0)
  }

  drained(): number {
    const ws = this._c['_ws']
    if (ws === undefined) return 0
    return sentBytes(ws) ?? this._c['_written'] - ws.bufferedAmount
  }
}

/**
 * One logical WebSocket connection that stays alive (heartbeat) and comes back (backoff reconnect), with a
 * bounded send queue, JSON envelopes and request/response. See README.md for the whole API.
 */
export class Lifeline<
  In extends MessageMap = MessageMap,
  Out extends MessageMap = MessageMap,
  Rpc extends RequestMap = RequestMap,
> {
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
  /** The HTTP status that refused the current handshake, where the runtime tells it. */
  private _httpStatus: number | undefined
  /** Bytes written to the current socket (strings counted in UTF-16 units): with `bufferedAmount`, what has left. */
  private _written = 0
  private _seq = 0
  /** The app's listeners, and the socket's and heartbeat's way in. */
  private readonly _relay: Relay = new Relay(this)
  private readonly _heartbeat: Heartbeat | undefined
  /** Text heartbeat frames, when the server does not speak envelopes (read on every inbound frame, so kept at hand). */
  private readonly _frames: HeartbeatFrames | undefined
  private readonly _queue: BoundedQueue<QueueItem> | undefined
  /** Made on the first request: an idle connection holds none. */
  private _requests: RequestTracker | undefined
  private readonly _unwatch: () => void

  constructor(url: UrlSource, options: LifelineOptions = {}) {
    if (typeof url === 'function') this._url = url
    else if (typeof url === 'string' || url instanceof URL) {
      const parsed = parseWebSocketUrl(url)
      if (parsed instanceof LifelineError) throw parsed
      this._url = url
    } else throw error('BAD_OPTION', 'url must be a string, a URL or a function returning one')
    this._o = resolveOptions(options, defaultWebSocket())
    const hb = this._o.heartbeat
    this._heartbeat = hb ? new Heartbeat(hb, this._relay) : undefined
    this._frames = hb ? hb.frames : undefined
    this._queue = this._o.queue ? new BoundedQueue(this._o.queue.maxMessages) : undefined
    const logger = this._o.logger
    if (logger) this.on('error', (err) => logger.warn('lifeline:', err.code, err.message))
    this._unwatch = this._o.watchNetwork !== false ? watchEnvironment((reason) => this._wake(reason)) : () => undefined
    if (!this._o.lazy)
      queueMicrotask(() => {
        if (this._state === 'idle') this._dial()
        this._flush()
      })
  }

  /** The connection state. */
  get state(): State {
    return this._state
  }

  /** Messages and requests waiting for the socket to open. */
  get queued(): number {
    return this._queue?.size ?? 0
  }

  /** Adds a listener (called with `context` as `this`, if given). Returns the client. */
  on<E extends EventName>(event: E, listener: LifelineEvents<In>[E], context?: unknown): this {
    this._relay.on(event, listener as (...args: unknown[]) => void, context)
    return this
  }

  /** Adds a listener called at most once. Returns the client. */
  once<E extends EventName>(event: E, listener: LifelineEvents<In>[E], context?: unknown): this {
    this._relay.once(event, listener as (...args: unknown[]) => void, context)
    return this
  }

  /** Removes a listener (the one added with the same `context`, if given). Returns the client. */
  off<E extends EventName>(event: E, listener?: LifelineEvents<In>[E], context?: unknown): this {
    this._relay.off(event, listener as ((...args: unknown[]) => void) | undefined, context)
    return this
  }

  /** Removes every listener of `event`, or of every event. Returns the client. */
  removeAllListeners(event?: EventName): this {
    this._relay.removeAllListeners(event)
    return this
  }

  /** How many listeners `event` has. */
  listenerCount(event: EventName): number {
    return this._relay.listenerCount(event)
  }

  /** Dials now if the client is `idle` (lazy) or was stopped by the close policy; a no-op otherwise. Throws `CLOSED` after `close()`. */
  connect(): void {
    if (this._ended) throw error('CLOSED', 'client was closed')
    if (this._state === 'idle' || this._state === 'closed') this._dial()
    this._flush()
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
   * `CLOSED`, `ABORTED`, `QUEUE_FULL`, `NOT_OPEN`, `BAD_INPUT`, `BAD_MESSAGE` (a reply with a malformed `error`), or
   * `REMOTE_ERROR` (the server's error in `detail`). The deadline runs from this call; a request written before a
   * drop is re-sent, with the same id, after the reconnect.
   */
  request<K extends keyof Rpc & string>(type: K, data?: Rpc[K]['data'], options: RequestOptions = {}): Promise<Rpc[K]['reply']> {
    let frame: string
    let timeoutMs: number
    let signal: AbortSignal | undefined
    const id = String(++this._seq)
    try {
      if (!this._o.envelopes) throw error('BAD_INPUT', 'request() needs envelopes (the client has envelopes: false)')
      if (typeof options !== 'object' || options === null) throw error('BAD_INPUT', 'request options must be an object')
      signal = options.signal
      if (signal !== undefined && !isAbortSignal(signal)) throw error('BAD_INPUT', 'signal must be an AbortSignal')
      timeoutMs = options.timeoutMs ?? this._o.requestTimeoutMs
      if (!(typeof timeoutMs === 'number' && timeoutMs >= 1 && timeoutMs <= MAX_DURATION_MS)) {
        throw error('BAD_INPUT', `timeoutMs must be a number in [1, ${MAX_DURATION_MS}], got ${String(timeoutMs)}`)
      }
      frame = encode(type, data, id)
      if (signal?.aborted) throw error('ABORTED', `request '${type}' aborted`)
    } catch (err) {
      return Promise.reject(err)
    }
    this._requests ??= new RequestTracker((entry) => this._queue?.remove((item) => item === entry))
    const requests = this._requests
    const [entry, promise] = requests.add(id, type, frame, timeoutMs)
    const refusal = this._out(frame, entry)
    if (refusal) requests.fail(entry, refusal)
    else if (signal) {
      const abort = (): void => requests.fail(entry, error('ABORTED', `request '${type}' aborted`))
      const detach = (): void => signal.removeEventListener('abort', abort)
      signal.addEventListener('abort', abort)
      promise.then(detach, detach)
    }
    this._flush()
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
    this._requests?.failAll(error('CLOSED', 'client was closed'))
    this._to('closed')
    if (hadSocket) this._post('close', { code, reason, wasClean: true, willReconnect: false })
    this._flush()
  }

  /** Drops the current socket (if any) and dials now, with a fresh attempt count. Revives a client stopped by the close policy or `maxAttempts`. Throws `CLOSED` after `close()`. */
  reconnect(): void {
    if (this._ended) throw error('CLOSED', 'client was closed')
    this._attempt = 0
    const hadSocket = this._release(1000, 'reconnect', false)
    this._dial()
    if (hadSocket) this._post('close', { code: 1000, reason: 'reconnect', wasClean: true, willReconnect: true })
    this._flush()
  }

  // --- events ------------------------------------------------------------------------------------------------------

  /** Queues an event for delivery once the current transition has finished (see `flush`). */
  private _post<E extends EventName>(name: E, payload: Payload<In, E>): void {
    post(this._relay, name, payload)
  }

  private _flush(): void {
    flush()
  }

  // --- transitions -------------------------------------------------------------------------------------------------

  /** Moves to `to`, cancelling the old state's timer and arming the new one's (whose work ends in a flush); posts `state`. */
  private _to(to: State, timerMs?: number, onTimer?: () => void): void {
    const from = this._state
    clearTimeout(this._timer)
    this._timer =
      onTimer &&
      setTimeout(() => {
        onTimer()
        this._flush()
      }, timerMs)
    if (from === to) return
    assertTransition(from, to)
    this._state = to
    if (this._o.logger) {
      try {
        this._o.logger.debug('lifeline:', from, '->', to)
      } catch (err) {
        reportListenerError(err)
      }
    }
    this._post('state', { from, to })
  }

  private _dial(): void {
    const gen = ++this._gen
    this._httpStatus = undefined
    this._openedAt = 0
    this._to('connecting', this._o.connectTimeoutMs, () =>
      this._fail('CONNECT_TIMEOUT', `no handshake within ${this._o.connectTimeoutMs} ms`, 'connect timeout'),
    )
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
      .then(() => this._flush())
  }

  private _open(gen: number, url: string | URL, protocols: string | string[] | undefined): void {
    if (gen !== this._gen) return
    const parsed = typeof this._url === 'function' ? parseWebSocketUrl(url) : url
    if (parsed instanceof LifelineError) {
      this._halt(parsed)
      return
    }
    let ws: SocketLike
    try {
      ws = new this._o.WebSocket(String(parsed), protocols, socketOptions(this._o.wsOptions))
    } catch (cause) {
      const why = cause instanceof Error ? `: ${redactIn(cause.message)}` : ''
      this._halt(error('BAD_OPTION', `the WebSocket constructor refused ${redact(parsed)}${why}`, displayable(cause)))
      return
    }
    this._ws = ws
    this._written = 0
    ws.binaryType = 'arraybuffer'
    listen(ws, this._relay)
  }

  /** The current socket's events (through the relay). Events from any other socket (replaced or released) are ignored. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: called by the Relay, which keeps it off the public surface
  private _socketEvent(event: SocketEvent): void {
    const ws = this._ws
    if (ws === undefined || event.target !== ws) return
    const type = event.type
    if (type === 'message') this._inbound(event.data)
    else if (type === 'open') this._opened(ws)
    else if (type === 'close') {
      const info: CloseInfo = { code: event.code ?? 1006, reason: event.reason ?? '', wasClean: event.wasClean === true }
      if (this._httpStatus !== undefined) info.httpStatus = this._httpStatus
      this._lost(info)
    } else {
      if (event.status !== undefined) this._httpStatus = event.status
      const detail = event.status === undefined ? undefined : { httpStatus: event.status }
      this._post('error', error('SOCKET_ERROR', redactIn(event.message || 'WebSocket error'), detail))
    }
    this._flush()
  }

  /** A message of the current socket (the platform removes this listener from a released socket). */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: called by the Relay, which keeps it off the public surface
  private _message(data: unknown): void {
    if (this._ws === undefined) return
    this._inbound(data)
    this._flush()
  }

  /** Open: the heartbeat starts, re-sent requests and the queue go out, then the events (a `send` from them comes after). */
  private _opened(ws: SocketLike): void {
    const attempt = this._attempt
    this._openedAt = Date.now()
    this._to('open')
    this._heartbeat?.start()
    for (const entry of this._requests?.written() ?? []) this._send(ws, entry.frame)
    for (const item of this._queue?.drain() ?? []) this._write(ws, item)
    this._post('open', { attempt })
  }

  /** Whether to reconnect after `info`, by the app's `shouldReconnect` or the default table. */
  private _policy(info: CloseInfo): boolean {
    try {
      return (this._o.shouldReconnect ?? defaultShouldReconnect)(info)
    } catch (cause) {
      this._post('error', error('BAD_OPTION', 'shouldReconnect threw; not reconnecting', cause))
      return false
    }
  }

  /** The socket is gone (closed by the peer, or by us for a dead link): retry after a backoff delay, or stop. */
  private _lost(info: CloseInfo, hard = false): void {
    this._release(info.code, info.reason, hard)
    const rc = this._o.reconnect
    if (rc && this._openedAt !== 0 && Date.now() - this._openedAt >= rc.stableAfterMs) this._attempt = 0
    this._openedAt = 0
    const retry = rc !== false && this._policy(info)
    if (!rc || !retry || this._attempt >= rc.maxAttempts) {
      this._post('close', { ...info, willReconnect: false })
      this._halt(retry ? error('RECONNECT_EXHAUSTED', `gave up after ${this._attempt} attempts`) : undefined, info.code)
      return
    }
    const delayMs =
      classifyClose(info.code) === 'retry-later'
        ? backoffDelayMs(0, { ...rc, initialDelayMs: rc.maxDelayMs, jitter: 'equal' })
        : backoffDelayMs(this._attempt, rc)
    const attempt = ++this._attempt
    this._post('close', { ...info, willReconnect: true })
    this._to('reconnecting', delayMs, () => this._dial())
    this._post('reconnecting', { attempt, delayMs })
  }

  /**
   * Stops until `connect()`/`reconnect()` (the close policy, `maxAttempts`, or a mistake no retry can fix): state
   * `closed`, pending requests rejected with `CLOSED`. Queued messages stay for a revival; `send` is refused meanwhile.
   */
  private _halt(reason: LifelineError | undefined, code?: number): void {
    this._release(1000, '', false)
    this._to('closed')
    const why = reason ? reason.message : `connection closed (${code}) and not reconnecting`
    this._requests?.failAll(error('CLOSED', why))
    if (reason) this._post('error', reason)
  }

  /** We give up on the current socket: report why, then handle it as a lost link. */
  private _fail(code: ErrorCode, message: string, reason: string, cause?: unknown): void {
    this._post('error', error(code, message, cause))
    this._lost({ code: code === 'HEARTBEAT_TIMEOUT' ? 4000 : 1006, reason, wasClean: false }, true)
  }

  /** Lets go of the socket, if any, and of everything tied to it. Returns whether there was one. */
  private _release(code: number, reason: string, hard: boolean): boolean {
    this._gen++
    this._heartbeat?.stop()
    const ws = this._ws
    this._ws = undefined
    if (ws) {
      unlisten(ws, this._relay)
      release(ws, code, reason, hard)
    }
    return ws !== undefined
  }

  // --- traffic -----------------------------------------------------------------------------------------------------

  private _inbound(data: unknown): void {
    this._heartbeat?.touch()
    if (typeof data !== 'string') {
      this._post('binary', data as ArrayBuffer)
      return
    }
    const frames = this._frames
    if (frames !== undefined && (data === frames.pong || data === frames.ping)) {
      if (data === frames.ping) this._reply(frames.pong)
      else this._latency(undefined)
      return
    }
    if (!this._o.envelopes) {
      this._post('text', data)
      return
    }
    const envelope = decode(data)
    if (envelope instanceof LifelineError) {
      this._post('text', data)
      this._post('error', envelope)
    } else if (envelope.re !== undefined) {
      if (!this._requests?.settle(envelope, data))
        this._post('error', error('BAD_MESSAGE', `reply to no pending request '${envelope.re}'`, data))
    } else if (envelope.type === 'ping') this._reply(JSON.stringify({ type: 'pong', data: envelope.data }))
    else if (envelope.type === 'pong') this._latency(envelope.data)
    else deliver(this._relay, 'message', envelope)
  }

  private _latency(data: unknown): void {
    const rttMs = this._heartbeat?.rttMs((data as { ts?: unknown } | undefined)?.ts, this._openedAt)
    if (rttMs !== undefined) this._post('latency', { rttMs })
  }

  /** Answers the server's heartbeat on the current socket, if it is open. */
  private _reply(frame: string): void {
    const ws = this._ws
    if (ws && ws.readyState === OPEN) this._send(ws, frame)
  }

  /** Writes now if open; queues otherwise. Returns the refusal, if refused. */
  private _out(item: QueueItem, request?: PendingRequest): LifelineError | undefined {
    if (this._state === 'closed') {
      return error('CLOSED', this._ended ? 'client was closed' : 'client is stopped; connect() or reconnect() revives it')
    }
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
      item.written = true
      this._send(ws, item.frame)
    } else this._send(ws, item)
  }

  /** Every write to a socket goes through here, counted for the heartbeat's view of a draining uplink. */
  private _send(ws: SocketLike, data: RawData): void {
    this._written += byteLength(data)
    ws.send(data)
  }

  private _refused(refusal: LifelineError | undefined): boolean {
    if (refusal) this._post('error', refusal)
    this._flush()
    return refusal === undefined
  }

  // --- liveness ----------------------------------------------------------------------------------------------------

  /** The heartbeat (through the relay) asks for a ping (`dead` false) or reports the link dead. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: called by the Relay, which keeps it off the public surface
  private _heartbeatSays(dead: boolean): void {
    if (dead) this._fail('HEARTBEAT_TIMEOUT', 'no inbound frame after a ping: the link is dead', 'heartbeat timeout')
    else {
      const frames = this._frames
      this._reply(frames ? frames.ping : JSON.stringify({ type: 'ping', data: { ts: Date.now() } }))
    }
    this._flush()
  }

  private _wake(reason: WakeReason): void {
    if (this._state === 'reconnecting' && reason !== 'offline') this._dial()
    else if (this._state === 'open') this._heartbeat?.probe()
    this._flush()
  }
}
