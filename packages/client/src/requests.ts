import { type Envelope, encode, isRemoteError } from './codec'
import { error } from './connection'
import { LifelineError } from './errors'
import { flush } from './events'
import type { Client, Feature, Lifeline, Tracked } from './lifeline'
import { checkNumber, DEFAULTS, MAX_DURATION_MS } from './options'
import type { SocketLike } from './socket'

/** Request types to their `data` and reply, e.g. `{ sum: { data: number[]; reply: number } }`. */
export type RequestMap = Record<string, { data: unknown; reply: unknown }>

/** The constraint of a request map type parameter: any object type whose entries are `{ data; reply }`, interface or type. */
export type RequestMapOf<Rpc> = { [K in keyof Rpc]: { data: unknown; reply: unknown } }

export interface RequestsOptions {
  /**
   * Default reply deadline in milliseconds, counted from the `request()` call: time spent queued while
   * disconnected and re-sends after a reconnect count against it. @default 10_000
   */
  timeoutMs?: number | undefined
}

export interface RequestOptions {
  /**
   * Reply deadline in milliseconds, counted from this call: time queued while disconnected and re-sends after a
   * reconnect count against it. @default the `timeoutMs` given to `withRequests`
   */
  timeoutMs?: number
  /** Aborts the request: it leaves the queue and rejects with `ABORTED`. */
  signal?: AbortSignal
}

/** Request/response over a client (see {@link withRequests}). */
export interface Requests<Rpc extends RequestMapOf<Rpc> = RequestMap> {
  /**
   * Sends a request and resolves with the reply's `data`. Rejects with a `LifelineError`: `REQUEST_TIMEOUT`,
   * `CLOSED`, `ABORTED`, `QUEUE_FULL`, `NOT_OPEN`, `BAD_INPUT`, `BAD_MESSAGE` (a reply with a malformed `error`), or
   * `REMOTE_ERROR` (the server's error in `detail`). The deadline runs from this call; a request written before a
   * drop is re-sent, with the same id, after the reconnect.
   */
  request<K extends keyof Rpc & string>(type: K, data?: Rpc[K]['data'], options?: RequestOptions): Promise<Rpc[K]['reply']>
  /** Requests awaiting their reply. */
  readonly pending: number
}

/** One request awaiting its reply: waits in the client's queue until written, then in the in-flight map. */
class PendingRequest implements Tracked {
  written = false
  timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    readonly id: string,
    readonly type: string,
    readonly frame: string,
    readonly resolve: (data: unknown) => void,
    readonly reject: (err: LifelineError) => void,
  ) {}
}

/** The timer callback, shared by every request (the feature and the request ride along as arguments). */
const expire = (rq: RequestFeature, entry: PendingRequest, timeoutMs: number): void =>
  rq.fail(entry, error('REQUEST_TIMEOUT', `no reply to '${entry.type}' in ${timeoutMs} ms`))

const isAbortSignal = (s: unknown): s is AbortSignal =>
  typeof (s as AbortSignal)?.aborted === 'boolean' && typeof (s as AbortSignal).addEventListener === 'function'

/**
 * Request/response, one module: the queue half (a request waits in the client's queue until written, and leaves it
 * on timeout or abort) and the in-flight half (by id, re-sent after a reconnect, settled by its reply). Owns every
 * request's timer and abort listener: each exit (reply, timeout, abort, stop) clears them.
 */
class RequestFeature implements Feature, Requests {
  private readonly _pending = new Map<string, PendingRequest>()
  private _seq = 0

  constructor(
    private readonly _c: Client,
    private readonly _timeoutMs: number,
  ) {}

  get pending(): number {
    return this._pending.size
  }

  request(type: string, data?: unknown, options: RequestOptions = {}): Promise<unknown> {
    const c = this._c
    let frame: string
    let timeoutMs: number
    let signal: AbortSignal | undefined
    const id = String(++this._seq)
    try {
      if (!c['_o'].envelopes) throw error('BAD_INPUT', 'request() needs envelopes (the client has envelopes: false)')
      if (typeof options !== 'object' || options === null) throw error('BAD_INPUT', 'request options must be an object')
      signal = options.signal
      if (signal !== undefined && !isAbortSignal(signal)) throw error('BAD_INPUT', 'signal must be an AbortSignal')
      timeoutMs = checkNumber('timeoutMs', options.timeoutMs ?? this._timeoutMs, 1, MAX_DURATION_MS, 'BAD_INPUT')
      frame = encode(type, data, id)
      if (signal?.aborted) throw error('ABORTED', `request '${type}' aborted`)
    } catch (err) {
      return Promise.reject(err)
    }
    let entry!: PendingRequest
    const promise = new Promise<unknown>((resolve, reject) => {
      entry = new PendingRequest(id, type, frame, resolve, reject)
    })
    entry.timer = setTimeout(expire, timeoutMs, this, entry, timeoutMs)
    this._pending.set(id, entry)
    const refusal = c['_out'](entry)
    if (refusal) this.fail(entry, refusal)
    else if (signal) {
      const abort = (): void => this.fail(entry, error('ABORTED', `request '${type}' aborted`))
      const detach = (): void => signal.removeEventListener('abort', abort)
      signal.addEventListener('abort', abort)
      promise.then(detach, detach)
    }
    flush()
    return promise
  }

  /** Rejects one request and forgets it; a no-op when it already settled. */
  fail(entry: PendingRequest, err: LifelineError): void {
    if (this._pending.get(entry.id) !== entry) return
    this._forget(entry)
    entry.reject(err)
  }

  // --- hooks ---------------------------------------------------------------------------------------------------------

  /**
   * Re-sends, in the order they were made, the requests written to a socket that died before their reply; not when
   * resume has re-sent what was in flight (the server then holds each request once, and its reply for us).
   */
  opened(ws: SocketLike, sequenced: boolean): void {
    if (!sequenced) for (const entry of this._pending.values()) if (entry.written) this._c['_write'](ws, entry)
  }

  /**
   * Settles the request a reply answers: its `data`, the server's error as `REMOTE_ERROR`, or `BAD_MESSAGE` for an
   * `error` of the wrong shape. Returns false when the reply matches no pending request.
   */
  reply(reply: Envelope, frame: string): boolean {
    const entry = this._pending.get(reply.re as string)
    if (!entry) return false
    this._forget(entry)
    const e = reply.error
    if (e === undefined) entry.resolve(reply.data)
    else if (isRemoteError(e)) entry.reject(new LifelineError('REMOTE_ERROR', e.message, e))
    else entry.reject(error('BAD_MESSAGE', `reply to '${entry.type}' has a malformed error`, frame))
    return true
  }

  stopped(why: LifelineError): void {
    for (const entry of [...this._pending.values()]) this.fail(entry, why)
  }

  private _forget(entry: PendingRequest): void {
    clearTimeout(entry.timer)
    this._pending.delete(entry.id)
    if (!entry.written) this._c['_queue']?.remove((item) => item === entry)
  }
}

/** Each client's requests feature: one per client, so ids never collide. */
const features = new WeakMap<object, RequestFeature>()

/**
 * Request/response over `client` (protocol v1: `id` on the request, `re` on the reply). One per client: a second
 * call returns the first one's handle. Throws `BAD_OPTION` on a bad `timeoutMs`.
 *
 * ```ts
 * const client = new Lifeline<In, Out>(url)
 * const rpc = withRequests<{ sum: { data: number[]; reply: number } }>(client)
 * const total = await rpc.request('sum', [1, 2])
 * ```
 */
export function withRequests<Rpc extends RequestMapOf<Rpc> = RequestMap>(
  // biome-ignore lint/suspicious/noExplicitAny: a client of any message maps
  client: Lifeline<any, any>,
  options: RequestsOptions = {},
): Requests<Rpc> {
  let feature = features.get(client)
  if (feature === undefined) {
    const timeoutMs = checkNumber('timeoutMs', options?.timeoutMs ?? DEFAULTS.requestTimeoutMs, 1)
    feature = new RequestFeature(client as Client, timeoutMs)
    features.set(client, feature)
    ;(client as Client)['_use'](feature)
  }
  return feature as Requests<Rpc>
}
