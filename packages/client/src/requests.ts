import { type Envelope, isRemoteError } from './codec'
import { LifelineError } from './errors'

/** One request awaiting its reply. A class, so a queue holding frames and requests can tell them apart. */
export class PendingRequest {
  /** Whether it has been written to an open socket at least once (then it is re-sent after a reconnect). */
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

/** The timer callback, shared by every request (the tracker and the request ride along as arguments). */
const expire = (tracker: RequestTracker, entry: PendingRequest, timeoutMs: number): void =>
  tracker.fail(entry, new LifelineError('REQUEST_TIMEOUT', `no reply to '${entry.type}' within ${timeoutMs} ms`))

/**
 * Tracks requests by id. Owns their timers: every exit (reply, timeout, abort, failure) clears one, and tells the
 * owner through `dropped` so that a request still waiting in the send queue leaves it.
 */
export class RequestTracker {
  /** Made on the first request: an idle connection holds no map. */
  private _pending: Map<string, PendingRequest> | undefined

  constructor(private readonly _dropped: (entry: PendingRequest) => void) {}

  get size(): number {
    return this._pending?.size ?? 0
  }

  /**
   * Registers a request whose deadline runs from now, re-sends included; the returned promise settles through
   * {@link settle}, {@link fail} or the deadline.
   */
  add(id: string, type: string, frame: string, timeoutMs: number): [PendingRequest, Promise<unknown>] {
    let entry!: PendingRequest
    const promise = new Promise<unknown>((resolve, reject) => {
      entry = new PendingRequest(id, type, frame, resolve, reject)
    })
    entry.timer = setTimeout(expire, timeoutMs, this, entry, timeoutMs)
    this._pending ??= new Map()
    this._pending.set(id, entry)
    return [entry, promise]
  }

  /** Rejects one request and forgets it; a no-op when it already settled. */
  fail(entry: PendingRequest, err: LifelineError): void {
    if (this._pending?.get(entry.id) !== entry) return
    this._forget(entry)
    entry.reject(err)
  }

  /**
   * Settles the request a reply answers: its `data`, the server's error as `REMOTE_ERROR`, or `BAD_MESSAGE` for an
   * `error` of the wrong shape. Returns false when the reply matches no pending request.
   */
  settle(reply: Envelope, frame: string): boolean {
    const entry = this._pending?.get(reply.re as string)
    if (!entry) return false
    this._forget(entry)
    const error = reply.error
    if (error === undefined) entry.resolve(reply.data)
    else if (isRemoteError(error)) entry.reject(new LifelineError('REMOTE_ERROR', error.message, error))
    else entry.reject(new LifelineError('BAD_MESSAGE', `the reply to '${entry.type}' has a malformed error`, frame))
    return true
  }

  /** The requests written before and still unanswered, in the order they were made. */
  written(): PendingRequest[] {
    return [...(this._pending?.values() ?? [])].filter((entry) => entry.written)
  }

  failAll(err: LifelineError): void {
    for (const entry of [...(this._pending?.values() ?? [])]) this.fail(entry, err)
  }

  private _forget(entry: PendingRequest): void {
    clearTimeout(entry.timer)
    this._pending?.delete(entry.id)
    if (!entry.written) this._dropped(entry)
  }
}
