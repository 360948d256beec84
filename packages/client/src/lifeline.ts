import type { CloseInfo } from './close-policy'
import { decode, type Envelope, encode } from './codec'
import { type CloseEvent, Connection, error, type State } from './connection'
import { LifelineError } from './errors'
import { deliver, flush } from './events'
import { Heartbeat, pongTo } from './heartbeat'
import { type HeartbeatFrames, type LifelineOptions, resolveOptions, type UrlSource } from './options'
import { defaultWebSocket } from './platform'
import { BoundedQueue } from './queue'
import type { Resumer } from './resume'
import { OPEN, type SocketLike } from './socket'
import { parseWebSocketUrl } from './url'

/**
 * Message types to their `data`, e.g. `{ chat: { text: string } }`: the default when no map is given. A map of your
 * own may be an `interface` or a `type` (the type parameters only ask for an object type).
 */
export type MessageMap = Record<string, unknown>

/**
 * An inbound envelope, narrowed by `type` when an inbound map is given; `data` is what the map declares for that
 * type (declare `undefined` in the map for messages that carry none).
 */
export type InboundEnvelope<In extends object> = {
  [K in keyof In & string]: Omit<Envelope, 'type' | 'data'> & { type: K; data: In[K] }
}[keyof In & string]

/** Raw payloads `sendRaw` accepts. */
export type RawData = string | ArrayBufferLike | ArrayBufferView | Blob

export type { CloseEvent, State }

/**
 * The events, each delivered once the transition it reports has finished. Listeners are isolated: one that throws
 * is reported to the platform (`reportError`, or an uncaught exception outside Lifeline's stack) and changes nothing
 * Lifeline does, nor keeps the other listeners from being called.
 */
export interface LifelineEvents<In extends object = MessageMap> {
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
  /** Resume (`withResume`): an open resumed the session; `replayed`: unacknowledged messages the client sent again. */
  resumed: (event: { session: string; replayed: number }) => void
  /**
   * Resume: the server could not fill the gap (`reason`: `unknown` or `expired` session, `overrun` buffer, or
   * `unsupported`: a server without resume). Numbering starts afresh; `resent` unacknowledged messages were sent again
   * and may arrive twice, and messages from the server may have been missed: the app should resync its state.
   */
  reset: (event: { reason: string; resent: number }) => void
}

export type EventName = keyof LifelineEvents

/**
 * One logical WebSocket connection that stays alive (heartbeat) and comes back (backoff reconnect), with a bounded
 * send queue and JSON envelopes. Request/response ({@link withRequests}) and page watching ({@link watchPage}) are
 * features on top: an app that does not import them does not carry them. See README.md for the whole API.
 */
export interface Lifeline<In extends object = MessageMap, Out extends object = MessageMap> {
  /** The connection state. */
  readonly state: State
  /** Messages and requests waiting for the socket to open. */
  readonly queued: number
  /** Adds a listener (called with `context` as `this`, if given). Returns the client. */
  on<E extends EventName>(event: E, listener: LifelineEvents<In>[E], context?: unknown): this
  /** Adds a listener called at most once. Returns the client. */
  once<E extends EventName>(event: E, listener: LifelineEvents<In>[E], context?: unknown): this
  /** Removes a listener (the one added with the same `context`, if given). Returns the client. */
  off<E extends EventName>(event: E, listener?: LifelineEvents<In>[E], context?: unknown): this
  /** Removes every listener of `event`, or of every event. Returns the client. */
  removeAllListeners(event?: EventName): this
  /** How many listeners `event` has. */
  listenerCount(event: EventName): number
  /** Dials now if the client is `idle` (lazy) or was stopped by the close policy; a no-op otherwise. Throws `CLOSED` after `close()`. */
  connect(): void
  /** Sends an envelope now, or queues it while not open. Returns false (and emits `error`) when refused. Throws `BAD_INPUT` on a bad type or unserializable data. */
  send<K extends keyof Out & string>(type: K, data?: Out[K]): boolean
  /** Sends a frame as is, with no envelope; queued like `send`. Throws `BAD_INPUT` on anything but a string, ArrayBuffer, view or Blob. */
  sendRaw(data: RawData): boolean
  /**
   * Stops for good: closes the socket with `code`/`reason`, rejects pending requests with `CLOSED`, drops the
   * queue, and cancels every timer and listener Lifeline holds. Idempotent. Throws `BAD_INPUT` on a code other
   * than 1000 or 3000-4999, or a reason over 123 bytes.
   */
  close(code?: number, reason?: string): void
  /** Drops the current socket (if any) and dials now, with a fresh attempt count. Revives a client stopped by the close policy or `maxAttempts`. Throws `CLOSED` after `close()`. */
  reconnect(): void
}

export interface LifelineConstructor {
  /** Throws `BAD_OPTION` on an invalid static URL or option. Dials on the next microtask unless `lazy`. */
  new <In extends object = MessageMap, Out extends object = MessageMap>(
    url: UrlSource,
    options?: LifelineOptions,
  ): Lifeline<In, Out>
  readonly prototype: Lifeline
}

/** A message that is waiting for (or was written to) a socket and must be told so: a request. */
export interface Tracked {
  readonly frame: string
  /** Whether it has been written to an open socket at least once. */
  written: boolean
}

export type QueueItem = RawData | Tracked

/** What a feature module (requests, page watching) hooks into. */
export interface Feature {
  /**
   * A socket opened (and resume, if on, has settled), before the queue is flushed: write what must go first
   * (re-sends). `sequenced`: resume re-sent what was in flight, so nothing else may be.
   */
  opened(ws: SocketLike, sequenced: boolean): void
  /** An inbound reply (`re` set): returns whether it answered something of this feature. */
  reply(envelope: Envelope, frame: string): boolean
  /** The client stopped; `ended`: by `close()`, for good. */
  stopped(why: LifelineError, ended: boolean): void
}

const isTracked = (item: QueueItem): item is Tracked => (item as Tracked).frame !== undefined

/** The client: the connection engine with the heartbeat, the queue and envelopes on top. */
export class Client extends Connection {
  private readonly _hb: Heartbeat | undefined
  /** Text heartbeat frames, when the server does not speak envelopes (read on every inbound frame, so kept at hand). */
  private readonly _frames: HeartbeatFrames | undefined
  private readonly _queue: BoundedQueue<QueueItem> | undefined
  /** Feature modules on this client, made when the first is added. */
  private _features: Feature[] | undefined
  /** Resume (withResume), which numbers envelopes and holds writes until the server has answered its hello. */
  protected _resume: Resumer | undefined

  constructor(url: UrlSource, options: LifelineOptions = {}) {
    if (typeof url !== 'function') {
      if (typeof url !== 'string' && !(url instanceof URL)) throw error('BAD_OPTION', 'url must be a string, URL or function')
      const parsed = parseWebSocketUrl(url)
      if (parsed instanceof LifelineError) throw parsed
    }
    const o = resolveOptions(options, defaultWebSocket())
    super(o, url)
    const hb = o.heartbeat
    this._hb = hb ? new Heartbeat(hb, this) : undefined
    this._frames = hb ? hb.frames : undefined
    this._queue = o.queue ? new BoundedQueue(o.queue.maxMessages) : undefined
    if (!o.lazy)
      queueMicrotask(() => {
        if (this._state === 'idle') this._dial()
        flush()
      })
  }

  get queued(): number {
    return this._queue?.size ?? 0
  }

  send(type: string, data?: unknown): boolean {
    return this._refused(this._out(encode(type, data)))
  }

  sendRaw(data: RawData): boolean {
    const ok =
      typeof data === 'string' ||
      data instanceof ArrayBuffer ||
      ArrayBuffer.isView(data) ||
      (typeof Blob !== 'undefined' && data instanceof Blob)
    if (!ok) throw error('BAD_INPUT', 'sendRaw takes a string, ArrayBuffer, view or Blob', data)
    return this._refused(this._out(data))
  }

  /** Adds a feature module (see {@link Feature}). */
  protected _use(feature: Feature): void {
    this._features ??= []
    this._features.push(feature)
  }

  // --- hooks of the engine ---------------------------------------------------------------------------------------

  protected _opened(ws: SocketLike): void {
    this._hb?.start()
    if (this._resume) this._resume._open(ws)
    else this._ready(ws, false)
  }

  /** The link is ready for data: features re-send what they must, then the queue goes out. */
  protected _ready(ws: SocketLike, sequenced: boolean): void {
    for (const f of this._features ?? []) f.opened(ws, sequenced)
    for (const item of this._queue?.drain() ?? []) this._write(ws, item)
  }

  protected _releasing(): void {
    this._hb?.stop()
    this._resume?._released()
  }

  protected _stopped(why: LifelineError, ended: boolean): void {
    if (ended) {
      this._queue?.drain()
      this._resume?._ended()
    }
    for (const f of this._features ?? []) f.stopped(why, ended)
  }

  protected _received(data: unknown): void {
    const verified = this._hb?.touch()
    if (verified) this._verified()
    const frames = this._frames
    if (typeof data !== 'string') this._post('binary', data)
    else if (frames !== undefined && (data === frames.pong || data === frames.ping)) {
      if (data === frames.ping) this._reply(frames.pong)
      else this._latency(undefined)
    } else if (!this._o.envelopes) this._post('text', data)
    else this._envelope(data)
    // after the frame: it may be resume's late answer rather than a sign of a server without resume
    if (verified) this._resume?._alive()
  }

  private _envelope(data: string): void {
    const envelope = decode(data)
    if (envelope instanceof LifelineError) {
      this._post('text', data)
      this._post('error', envelope)
    } else if (this._resume && !this._resume._inbound(this._ws as SocketLike, envelope)) {
      // resume's own frames and duplicates end here
    } else if (envelope.re !== undefined) {
      if (!this._features?.some((f) => f.reply(envelope, data)))
        this._post('error', error('BAD_MESSAGE', `reply to no pending request '${envelope.re}'`, data))
    } else if (envelope.type === 'ping') this._reply(pongTo(envelope.data))
    else if (envelope.type === 'pong') this._latency(envelope.data)
    else deliver(this, 'message', envelope)
  }

  /**
   * A wake-up: a client waiting out a backoff delay dials at once (unless the network just went); an open link is
   * verified (see `Heartbeat#probe`), and one found dead by the wall clock is redialed without a backoff wait.
   */
  protected _wake(offline: boolean): void {
    if (this._state === 'reconnecting') {
      if (!offline) this._redial()
    } else if (this._state === 'open' && this._hb?.probe() === false) {
      // dead by the wall clock (the machine slept): failed, and dialed at once, with no backoff wait
      this._fail('HEARTBEAT_TIMEOUT', 'silent past intervalMs + timeoutMs (asleep?): link dead', 'heartbeat timeout', true)
    }
  }

  /** A probe was answered: what waited for the link to be verified goes out now, in order. */
  private _verified(): void {
    const ws = this._ws
    if (this._state === 'open' && ws && !this._resume?._holding)
      for (const item of this._queue?.drain() ?? []) this._write(ws, item)
  }

  private _latency(data: unknown): void {
    const rttMs = this._hb?.rttMs((data as { ts?: unknown } | undefined)?.ts, this._openedAt)
    if (rttMs !== undefined) this._post('latency', { rttMs })
  }

  // --- traffic -----------------------------------------------------------------------------------------------------

  /** Writes now if open; queues otherwise (dialing a lazy client). Returns the refusal, if refused. */
  protected _out(item: QueueItem): LifelineError | undefined {
    if (this._state === 'closed') {
      return error('CLOSED', this._ended ? 'client was closed' : 'client is stopped; connect() or reconnect() revives it')
    }
    // a send after a sleep, before any timer or page event has run: the link is verified before it is trusted
    if (this._state === 'open' && this._hb?.overdue()) this._wake(false)
    const ws = this._ws
    // with resume, unacknowledged messages count toward the queue's bound
    if (this._resume?._full(this.queued)) return error('QUEUE_FULL', 'send queue is full')
    // while a probe verifies the link (the page woke up, the network changed), or resume awaits the server's answer,
    // data waits in the queue
    const held = this._queue && (this._hb?.verifying || this._resume?._holding)
    if (this._state === 'open' && ws && ws.readyState === OPEN && !held) {
      return this._write(ws, item)
    }
    if (!this._queue) return error('NOT_OPEN', 'not open, and no queue')
    if (!this._queue.push(item)) return error('QUEUE_FULL', 'send queue is full')
    if (this._state === 'idle') this._dial()
    return undefined
  }

  protected _write(ws: SocketLike, item: QueueItem): undefined {
    let frame: unknown = item
    if (isTracked(item)) {
      item.written = true
      frame = item.frame
    }
    this._send(ws, (this._resume ? this._resume._stamp(item, frame) : frame) as RawData)
  }

  private _refused(refusal: LifelineError | undefined): boolean {
    if (refusal) this._post('error', refusal)
    flush()
    return refusal === undefined
  }
}

export type { CloseInfo }
export const Lifeline: LifelineConstructor = Client as unknown as LifelineConstructor
