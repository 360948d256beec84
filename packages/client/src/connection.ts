import { EventEmitter } from 'eventemitter3'
import { backoffDelayMs } from './backoff'
import { type CloseInfo, classifyClose, defaultShouldReconnect } from './close-policy'
import { type ErrorCode, LifelineError } from './errors'
import { flush, post } from './events'
import type { HeartbeatOwner } from './heartbeat'
import type { ResolvedOptions, UrlSource } from './options'
import { listen, receivedBytes, sentBytes, socketOptions, unlisten } from './platform'
import { OPEN, release, type SocketEvent, type SocketLike, type SocketListener } from './socket'
import { parseWebSocketUrl, redact, redactIn } from './url'

/**
 * Connection states. `idle`: a `lazy` client that has not dialed yet. `connecting`: a handshake is under way.
 * `open`: messages flow. `reconnecting`: waiting out a backoff delay. `closed`: stopped, by `close()` (for good)
 * or by the close policy / `maxAttempts` (until `connect()` or `reconnect()`).
 */
export type State = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

/**
 * What can happen to a connection. `dial`: a new socket (first dial, `connect()`, `reconnect()`, a backoff wait
 * over, a wake). `open`: its handshake finished. `retry`: the socket is gone and the policy says come back after a
 * backoff delay. `stop`: gone for now (policy, `maxAttempts`, a refusal no retry can fix) or for good (`close()`).
 * `suspend`: the page went into the back/forward cache or was frozen: the socket is closed cleanly and the client
 * waits, with its queue, for the page to come back (no timer: the page's `pageshow`/`resume` dials).
 */
export type Step = 'dial' | 'open' | 'retry' | 'stop' | 'suspend'

/**
 * The whole lifecycle, `(state, step) → state`. A step missing from a row cannot happen in that state: it is a bug,
 * and `next` throws. The effects of each step are in `Connection`: `dial` releases the old socket and arms
 * the connect timeout; `open` starts the features (heartbeat, re-sends, queue); `retry` releases the socket and
 * arms the backoff wait; `stop` releases the socket and fails what waits for a reply.
 */
export const TRANSITIONS: Readonly<Record<State, Readonly<Partial<Record<Step, State>>>>> = {
  idle: { dial: 'connecting', stop: 'closed' },
  connecting: { dial: 'connecting', open: 'open', retry: 'reconnecting', stop: 'closed', suspend: 'reconnecting' },
  open: { dial: 'connecting', retry: 'reconnecting', stop: 'closed', suspend: 'reconnecting' },
  reconnecting: { dial: 'connecting', stop: 'closed', suspend: 'reconnecting' },
  closed: { dial: 'connecting', stop: 'closed' },
}

/** The state `step` leads to from `from`. Throws on a step the table does not allow there. */
export function next(from: State, step: Step): State {
  const to = TRANSITIONS[from][step]
  if (to === undefined) throw new Error(`lifeline: no step ${step} from ${from}`)
  return to
}

export interface CloseEvent extends CloseInfo {
  /** Whether a reconnect follows. */
  willReconnect: boolean
}

export const error = (code: ErrorCode, message: string, detail?: unknown): LifelineError =>
  new LifelineError(code, message, detail)
const call = <T>(source: T | (() => T)): T => (typeof source === 'function' ? (source as () => T)() : source)
/** A cause fit for display: an error's message with every URL in it redacted (tokens live in query strings). */
const displayable = (cause: unknown): unknown =>
  cause instanceof Error ? Object.assign(new Error(redactIn(cause.message)), { name: cause.name }) : cause

/**
 * The connection engine: the state, the socket and its generation, the one timer of a state (connect timeout or
 * backoff wait), and the steps of {@link TRANSITIONS}. It holds the app's listeners (an EventEmitter) and posts
 * events during a step; they are delivered once the step has finished (every entry point ends in `_flush`).
 *
 * It reports upward through three hooks, which the client implements: `_opened` (a socket opened: start the
 * features and flush the queue), `_received` (a frame of the current socket), `_stopped` (the client stopped:
 * fail what waits). It is the socket's listener (an EventListener object: no closure per socket) and the
 * heartbeat's owner: one object per client.
 */
export abstract class Connection extends EventEmitter implements SocketListener, HeartbeatOwner {
  protected _state: State = 'idle'
  /** Set by `close()` only: the client is finished for good. */
  protected _ended = false
  /** Stamps each socket: an event or an asynchronous step (the URL function) of a superseded one is ignored. */
  private _gen = 0
  protected _ws: SocketLike | undefined
  /** The current state's one timer: connect timeout or backoff wait. */
  private _timer: ReturnType<typeof setTimeout> | undefined
  /** Failed attempts since the last stable connection. */
  private _attempt = 0
  /** When the socket opened (epoch ms), 0 when not open: a link open `stableAfterMs` resets the attempt count. */
  protected _openedAt = 0
  /** The HTTP status that refused the current handshake, where the runtime tells it. */
  private _httpStatus: number | undefined
  /** Bytes written to the current socket (strings counted in UTF-16 units): with `bufferedAmount`, what has left. */
  protected _written = 0

  constructor(
    protected readonly _o: ResolvedOptions,
    private readonly _url: UrlSource,
  ) {
    super()
  }

  /** A socket opened (state `open` already): start the features, write what waited. */
  protected abstract _opened(ws: SocketLike): void
  /** A frame of the current socket. */
  protected abstract _received(data: unknown): void
  /** The client stopped (`ended`: by `close()`, for good): fail what waits for a reply. */
  protected abstract _stopped(why: LifelineError, ended: boolean): void

  /** The connection state. */
  get state(): State {
    return this._state
  }

  /** See `Lifeline#connect`. */
  connect(): void {
    if (this._ended) throw error('CLOSED', 'client was closed')
    if (this._state === 'idle' || this._state === 'closed') this._dial()
    flush()
  }

  /** See `Lifeline#reconnect`. */
  reconnect(): void {
    if (this._ended) throw error('CLOSED', 'client was closed')
    this._attempt = 0
    const had = this._ws !== undefined
    this._dial()
    if (had) this._post('close', { code: 1000, reason: 'reconnect', wasClean: true, willReconnect: true })
    flush()
  }

  /** See `Lifeline#close`. */
  close(code = 1000, reason = ''): void {
    if (this._ended) return
    if (code !== 1000 && !(code >= 3000 && code <= 4999 && Number.isInteger(code))) {
      throw error('BAD_INPUT', `close code must be 1000 or 3000-4999, got ${code}`)
    }
    if (typeof reason !== 'string' || new TextEncoder().encode(reason).length > 123) {
      throw error('BAD_INPUT', 'close reason must be a string of at most 123 bytes')
    }
    this._ended = true
    const had = this._release(code, reason, false)
    this._step('stop')
    this._stopped(error('CLOSED', 'client was closed'), true)
    if (had) this._post('close', { code, reason, wasClean: true, willReconnect: false })
    flush()
  }

  // --- steps -------------------------------------------------------------------------------------------------------

  /** Takes `step`: the new state, the old state's timer cancelled and the new one's armed (its work ends in a flush). */
  private _step(step: Step, timerMs?: number, onTimer?: () => void): void {
    const from = this._state
    const to = next(from, step)
    clearTimeout(this._timer)
    this._timer =
      onTimer &&
      setTimeout(() => {
        onTimer()
        flush()
      }, timerMs)
    this._state = to
    if (from !== to) this._post('state', { from, to })
  }

  /** `dial`: let go of the current socket, if any, and open a new one. */
  protected _dial(): void {
    this._release(1000, 'reconnect', false)
    const gen = this._gen
    this._httpStatus = undefined
    this._openedAt = 0
    this._step('dial', this._o.connectTimeoutMs, () =>
      this._fail('CONNECT_TIMEOUT', `no handshake in ${this._o.connectTimeoutMs} ms`, 'connect timeout'),
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
          gen === this._gen && this._fail('URL_FAILED', 'url or protocols function failed', 'url failed', false, cause),
      )
      .then(flush)
  }

  private _open(gen: number, url: string | URL, protocols: string | string[] | undefined): void {
    if (gen !== this._gen) return
    const parsed = parseWebSocketUrl(url)
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
    listen(ws, this)
  }

  /** `open`: the features start and the queue goes out before the `open` event (a `send` from it comes after). */
  private _opening(ws: SocketLike): void {
    const attempt = this._attempt
    this._openedAt = Date.now()
    this._step('open')
    this._opened(ws)
    this._post('open', { attempt })
  }

  /** The socket is gone (closed by the peer, or by us for a dead link): `retry` after a backoff delay, or `stop`. */
  protected _lost(info: CloseInfo, hard: boolean, now = false): void {
    this._release(info.code, info.reason, hard)
    const rc = this._o.reconnect
    if (rc && this._openedAt !== 0 && Date.now() - this._openedAt >= rc.stableAfterMs) this._attempt = 0
    this._openedAt = 0
    const retry = rc && this._policy(info)
    if (!retry || this._attempt >= rc.maxAttempts) {
      this._post('close', { ...info, willReconnect: false })
      this._halt(retry ? error('RECONNECT_EXHAUSTED', `gave up after ${this._attempt} attempts`) : undefined, info.code)
      return
    }
    if (now) {
      // a wake-up found the link dead: dial at once, with a fresh attempt count
      this._post('close', { ...info, willReconnect: true })
      this._redial()
      return
    }
    const delayMs =
      classifyClose(info.code) === 'retry-later'
        ? backoffDelayMs(0, { ...rc, initialDelayMs: rc.maxDelayMs, jitter: 'equal' })
        : backoffDelayMs(this._attempt, rc)
    const attempt = ++this._attempt
    this._post('close', { ...info, willReconnect: true })
    this._step('retry', delayMs, () => this._dial())
    this._post('reconnecting', { attempt, delayMs })
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

  /**
   * `stop` until `connect()`/`reconnect()` (the close policy, `maxAttempts`, or a mistake no retry can fix): pending
   * requests fail with `CLOSED`. Queued messages stay for a revival; `send` is refused meanwhile.
   */
  protected _halt(reason: LifelineError | undefined, code?: number): void {
    this._release(1000, '', false)
    this._step('stop')
    this._stopped(error('CLOSED', reason ? reason.message : `closed (${code}), not reconnecting`), false)
    if (reason) this._post('error', reason)
  }

  /** `dial` now with a fresh attempt count: the page came back, the network returned, a wake found the link dead. */
  protected _redial(): void {
    this._attempt = 0
    this._dial()
  }

  /** We give up on the current socket: report why, then handle it as a lost link (`now`: redial without waiting). */
  protected _fail(code: ErrorCode, message: string, reason: string, now = false, cause?: unknown): void {
    this._post('error', error(code, message, cause))
    this._lost({ code: code === 'HEARTBEAT_TIMEOUT' ? 4000 : 1006, reason, wasClean: false }, true, now)
  }

  /** Lets go of the socket, if any, and of everything tied to it. Returns whether there was one. */
  protected _release(code: number, reason: string, hard: boolean): boolean {
    // Stryker disable next-line UpdateOperator: any change of the number supersedes the old socket
    this._gen++
    this._releasing()
    const ws = this._ws
    this._ws = undefined
    if (ws) {
      unlisten(ws, this)
      release(ws, code, reason, hard)
    }
    return ws !== undefined
  }

  /** A socket is let go of: the heartbeat stops. */
  protected abstract _releasing(): void

  // --- events ------------------------------------------------------------------------------------------------------

  /** Queues an event for delivery once the current step has finished. */
  protected _post(name: string, payload: unknown): void {
    post(this, name, payload)
  }

  // --- the socket's listener (an EventListener object) ---------------------------------------------------------------

  /** The current socket's events. Events from any other socket (replaced or released) are ignored. */
  handleEvent(event: SocketEvent): void {
    const ws = this._ws
    if (ws === undefined || event.target !== ws) return
    const type = event.type
    if (type === 'message') this._received(event.data)
    else if (type === 'open') this._opening(ws)
    else if (type === 'close') {
      const info: CloseInfo = { code: event.code ?? 1006, reason: event.reason ?? '', wasClean: event.wasClean === true }
      if (this._httpStatus !== undefined) info.httpStatus = this._httpStatus
      this._lost(info, false)
    } else {
      if (event.status !== undefined) this._httpStatus = event.status
      const detail = event.status === undefined ? undefined : { httpStatus: event.status }
      this._post('error', error('SOCKET_ERROR', redactIn(event.message || 'WebSocket error'), detail))
    }
    flush()
  }

  /** A message of the current socket (the platform removes this listener from a released socket). */
  handleMessage(data: unknown): void {
    this._received(data)
    flush()
  }

  // --- the heartbeat's owner ----------------------------------------------------------------------------------------

  /** The heartbeat asks to send `frame`, or (`undefined`) reports the link dead. */
  handleHeartbeat(frame: string | undefined): void {
    if (frame === undefined) this._fail('HEARTBEAT_TIMEOUT', 'no reply to a ping: link dead', 'heartbeat timeout')
    else this._reply(frame)
    flush()
  }

  /** The clock jumped while the link was up (the machine slept): verify it now, as a page wake-up does. */
  handleClockJump(): void {
    this._wake(false)
    flush()
  }

  /** A wake-up (`offline`: the network went): verify an open link now, or dial at once. */
  protected abstract _wake(offline: boolean): void

  buffered(): number {
    return this._ws?.bufferedAmount ?? 0
  }

  received(): number {
    const ws = this._ws
    return ws === undefined ? 0 : (receivedBytes(ws) ?? 0)
  }

  drained(): number {
    const ws = this._ws
    if (ws === undefined) return 0
    return sentBytes(ws) ?? this._written - ws.bufferedAmount
  }

  // --- writing ------------------------------------------------------------------------------------------------------

  /** Writes `frame` to the current socket if it is open (a heartbeat frame: never queued). */
  protected _reply(frame: string): void {
    const ws = this._ws
    if (ws && ws.readyState === OPEN) this._send(ws, frame)
  }

  /** Every write to a socket goes through here, counted for the heartbeat's view of a draining uplink. */
  protected _send(ws: SocketLike, data: string | ArrayBufferLike | ArrayBufferView | Blob): void {
    this._written += typeof data === 'string' ? data.length : ((data as ArrayBufferView).byteLength ?? (data as Blob).size ?? 0)
    ws.send(data)
  }
}
