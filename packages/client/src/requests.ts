import type { Envelope } from './codec'
import { LifelineError } from './errors'

/** One request awaiting its reply. A class, so a queue holding frames and requests can tell them apart. */
export class PendingRequest {
  /** Whether it has been written to an open socket at least once (its clock runs from then). */
  written = false
  timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    readonly id: string,
    readonly frame: string,
    readonly timeoutMs: number,
    readonly resolve: (data: unknown) => void,
    readonly reject: (err: LifelineError) => void,
  ) {}
}

/** Tracks requests by id. Owns their timers: every exit (reply, timeout, abort, failure) clears one. */
export class RequestTracker {
  /** Made on the first request: an idle connection holds no map. */
  private _pending: Map<string, PendingRequest> | undefined

  get size(): number {
    return this._pending?.size ?? 0
  }

  /** Registers a request; the returned promise settles through {@link settle}, {@link fail} or its timeout. */
  add(id: string, frame: string, timeoutMs: number): [PendingRequest, Promise<unknown>] {
    let entry!: PendingRequest
    const promise = new Promise<unknown>((resolve, reject) => {
      entry = new PendingRequest(id, frame, timeoutMs, resolve, reject)
    })
    this._pending ??= new Map()
    this._pending.set(id, entry)
    return [entry, promise]
  }

  /** Marks a request as written to an open socket; starts its clock on the first write. */
  wrote(entry: PendingRequest): void {
    if (entry.written) return
    entry.written = true
    entry.timer = setTimeout(
      () => this.fail(entry, new LifelineError('REQUEST_TIMEOUT', `no reply to '${entry.id}' within ${entry.timeoutMs} ms`)),
      entry.timeoutMs,
    )
  }

  /** Rejects one request and forgets it; a no-op when it already settled. */
  fail(entry: PendingRequest, err: LifelineError): void {
    if (this._pending?.get(entry.id) !== entry) return
    this._forget(entry)
    entry.reject(err)
  }

  /** Settles the request a reply answers. Returns false when the reply matches no pending request. */
  settle(reply: Envelope): boolean {
    const entry = this._pending?.get(reply.re as string)
    if (!entry) return false
    this._forget(entry)
    if (reply.error) entry.reject(new LifelineError('REMOTE_ERROR', reply.error.message, reply.error))
    else entry.resolve(reply.data)
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
  }
}
