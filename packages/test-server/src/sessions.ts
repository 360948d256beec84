import { randomUUID } from 'node:crypto'
import type { WebSocket } from 'ws'
import type { Envelope } from './protocol.js'
import type { SessionStore, Signal } from './store.js'

/** A connection's side of resume: its session, what it has written of it, and what it has acknowledged. */
export interface Link {
  readonly session: string
  /** The last server sequence number written to this connection. */
  pushed: number
  /** The last client sequence number processed. */
  inSeq: number
  /** The last client sequence number acknowledged to the client. */
  acked: number
  /** The last server sequence number the client acknowledged. */
  clientAck: number
  ackDue: boolean
  /** Inbound frames of this link, processed one after another: the last step still waiting on the store, if any. */
  inbound: Promise<void>
  /** How many inbound steps wait on the store (0: a frame is processed at once, with a synchronous store). */
  busy: number
  /** Whether a pump waits on the store; `pumpAgain`: another was asked for meanwhile. */
  pumping: boolean
  pumpAgain: boolean
}

/** A store's answer, now (in memory) or later (Redis). */
type Maybe<T> = T | Promise<T>

/** Runs `fn` on `value` at once when it is one, or once it resolves: one code path for both kinds of store. */
const when = <T, R>(value: Maybe<T>, fn: (v: T) => Maybe<R>): Maybe<R> => (value instanceof Promise ? value.then(fn) : fn(value))

/** The store operations a frame needs, synchronous or not. */
interface Ops {
  accept(session: string, seq: number): Maybe<boolean>
  commit(session: string, seq: number, bodies: string[]): Maybe<boolean>
  ack(session: string, seq: number): Maybe<void>
  after(session: string, seq: number): Maybe<Array<{ seq: number; frame: string }>>
}

/** What the session layer needs of a connection. */
export interface Resumable {
  readonly socket: WebSocket
  link?: Link
}

export interface SessionsContext<C extends Resumable> {
  store: SessionStore
  /** Writes a frame (the server's one write path, which `silence` holds). */
  write(conn: C, frame: string): void
  later(ms: number, fn: () => void): void
}

const ACK_EVERY = 32
const ACK_DELAY_MS = 200

/**
 * Resume, server side (PROTOCOL.md, "Resume"): sessions opened by a client's `resume` request, server messages numbered
 * and kept in the store until acknowledged, client messages accepted once by sequence number, acknowledgements both
 * ways. With a shared store (Redis), a session moves between backends: the one that holds its client writes to it.
 */
export class Sessions<C extends Resumable> {
  /** This server's name in signals. */
  readonly backend = randomUUID()
  /** Client messages dropped as duplicates, since start. */
  duplicates = 0
  /** Client messages dropped because one before them was missing (a gap): never expected. */
  gaps = 0
  private readonly local = new Map<string, C>()
  private readonly unsubscribe: () => void

  constructor(private readonly ctx: SessionsContext<C>) {
    this.unsubscribe = ctx.store.onSignal((session, what, from) => this.signalled(session, what, from))
  }

  /**
   * A client's `resume` request: opens or resumes its session, answers, then replays what it missed. Resolves once
   * answered (or failed: the connection is dropped).
   */
  hello(conn: C, request: Envelope): Promise<void> {
    return this.open(conn, request).catch((err: unknown) => this.failed(conn, err))
  }

  private async open(conn: C, request: Envelope): Promise<void> {
    const data = request.data as { session?: unknown; seq?: unknown } | undefined
    const session = data?.session ?? null
    const seq = data?.seq
    if ((session !== null && typeof session !== 'string') || typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) {
      const error = { code: 'BAD_REQUEST', message: 'resume takes { session: string | null, seq: integer >= 0 }' }
      this.ctx.write(conn, JSON.stringify({ type: 'resume', re: request.id, error }))
      return
    }
    const opened = await this.ctx.store.open(session, seq)
    const previous = this.local.get(opened.session)
    if (previous && previous !== conn) previous.socket.terminate()
    this.local.set(opened.session, conn)
    if (opened.resumed) await this.ctx.store.signal(opened.session, 'taken', this.backend)
    conn.link = {
      session: opened.session,
      pushed: opened.resumed ? seq : 0,
      inSeq: opened.inSeq,
      acked: opened.inSeq,
      clientAck: seq,
      ackDue: false,
      inbound: Promise.resolve(),
      busy: 0,
      pumping: false,
      pumpAgain: false,
    }
    const answer = { session: opened.session, resumed: opened.resumed, seq: opened.inSeq, reason: opened.reason }
    this.ctx.write(conn, JSON.stringify({ type: 'resume', re: request.id, data: answer }))
    this.pump(conn)
  }

  /**
   * A numbered connection's inbound envelope, in arrival order: trims what the client acknowledged, drops duplicates,
   * and runs the rest. An effectful request is accepted (recorded as processed) before it runs; anything else runs
   * first, its replies to this session are collected, and acceptance and replies are committed in one step, so a
   * server that dies in between loses neither. `processed` is told of each envelope that counts (not duplicates).
   */
  inbound(
    conn: C,
    envelope: Envelope & { seq?: unknown; ack?: unknown },
    effectful: boolean,
    run: () => void,
    processed: () => void,
  ): void {
    const link = conn.link as Link
    const step = (): Maybe<void> => this.step(conn, link, envelope, effectful, run, processed)
    // in order: at once when nothing waits on the store, else after what does
    const result = link.busy === 0 ? step() : link.inbound.then(step)
    if (!(result instanceof Promise)) return
    link.busy++
    link.inbound = result
      .catch((err: unknown) => this.failed(conn, err))
      .finally(() => {
        link.busy--
      })
  }

  /** One inbound frame; synchronous with a store that answers at once. */
  private step(
    conn: C,
    link: Link,
    envelope: Envelope & { seq?: unknown; ack?: unknown },
    effectful: boolean,
    run: () => void,
    processed: () => void,
  ): Maybe<void> {
    const ops: Ops = this.ctx.store.now ?? this.ctx.store
    // the client acknowledges on every message it sends: the store is told only when that moves
    const moved = typeof envelope.ack === 'number' && envelope.ack > link.clientAck
    if (moved) link.clientAck = envelope.ack as number
    const acked: Maybe<void> = moved ? ops.ack(link.session, link.clientAck) : undefined
    return when(acked, () => {
      if (envelope.type === 'ack') return
      const seq = envelope.seq
      if (typeof seq !== 'number') {
        processed()
        return run()
      }
      if (effectful) {
        return when(ops.accept(link.session, seq), (ok) => {
          if (!ok) return this.dropped(link, seq)
          this.accepted(conn, link, seq)
          processed()
          run()
        })
      }
      // a duplicate's run is harmless: it has no effect beyond its replies, which are discarded with it
      const out = this.collect(link.session, run)
      const bodies = out.map((e) => JSON.stringify(e))
      return when(ops.commit(link.session, seq, bodies), (ok) => {
        if (!ok) return this.dropped(link, seq)
        this.accepted(conn, link, seq)
        processed()
        if (out.length > 0) this.wake(link.session)
      })
    })
  }

  private collector: { session: string; out: Envelope[] } | undefined

  /** Runs `run`, keeping what it sends to `session` instead of appending it. */
  private collect(session: string, run: () => void): Envelope[] {
    const out: Envelope[] = []
    this.collector = { session, out }
    try {
      run()
    } finally {
      this.collector = undefined
    }
    return out
  }

  private accepted(conn: C, link: Link, seq: number): void {
    link.inSeq = seq
    this.ackSoon(conn, link)
  }

  private dropped(link: Link, seq: number): void {
    if (seq > link.inSeq + 1) this.gaps++
    else this.duplicates++
  }

  /** Sends an application message to a session, numbered and kept until acknowledged; false when it has none. */
  deliverTo(session: string, envelope: Envelope): Promise<boolean> {
    if (this.collector?.session === session) {
      this.collector.out.push(envelope)
      return Promise.resolve(true)
    }
    return this.ctx.store.append(session, JSON.stringify(envelope)).then((seq) => {
      if (seq === 0) return false
      this.wake(session)
      return true
    })
  }

  /**
   * The session has new messages: the connection holding it writes them. Other backends are told even when it is
   * held here: a client may have just resumed elsewhere, before this backend heard of it (its 'taken' signal still
   * on the way), and the backend that holds it now must not wait for the session's next message to write this one.
   */
  private wake(session: string): void {
    const here = this.local.get(session)
    if (here) this.pump(here)
    this.ctx.store.signal(session, 'data', this.backend).catch((err: unknown) => {
      console.error(`lifeline-test-server: session store: signal failed: ${(err as Error).message}`)
    })
  }

  /** The connection closed: its session stays in the store for a resume. */
  closed(conn: C): void {
    if (conn.link && this.local.get(conn.link.session) === conn) this.local.delete(conn.link.session)
  }

  close(): void {
    this.unsubscribe()
    this.local.clear()
  }

  private signalled(session: string, what: Signal, from: string): void {
    const conn = this.local.get(session)
    if (!conn || from === this.backend) return
    if (what === 'data') this.pump(conn)
    else {
      // resumed on another backend: this connection is stale
      this.local.delete(session)
      conn.socket.terminate()
    }
  }

  /** Writes what the connection has not been written yet, in order; one pump at a time per connection. */
  private pump(conn: C): void {
    const link = conn.link
    if (!link) return
    if (link.pumping) {
      link.pumpAgain = true
      return
    }
    const ops: Ops = this.ctx.store.now ?? this.ctx.store
    const write = (frames: Array<{ seq: number; frame: string }>): void => {
      for (const f of frames) {
        if (conn.link !== link || f.seq <= link.pushed) continue
        link.pushed = f.seq
        link.acked = link.inSeq
        this.ctx.write(conn, `{"ack":${link.inSeq},${f.frame.slice(1)}`)
      }
    }
    const frames = ops.after(link.session, link.pushed)
    if (!(frames instanceof Promise)) {
      write(frames)
      return
    }
    link.pumping = true
    frames
      .then(write)
      .catch((err: unknown) => this.failed(conn, err))
      .finally(() => {
        link.pumping = false
        if (link.pumpAgain) {
          link.pumpAgain = false
          this.pump(conn)
        }
      })
  }

  private ackSoon(conn: C, link: Link): void {
    if (link.inSeq - link.acked >= ACK_EVERY) this.ack(conn, link)
    else if (!link.ackDue) {
      link.ackDue = true
      this.ctx.later(ACK_DELAY_MS, () => this.ack(conn, link))
    }
  }

  private ack(conn: C, link: Link): void {
    link.ackDue = false
    if (link.acked === link.inSeq || conn.link !== link) return
    link.acked = link.inSeq
    this.ctx.write(conn, `{"type":"ack","ack":${link.inSeq}}`)
  }

  /** The store failed (Redis away): the connection goes, and its client resumes once the store is back. */
  private failed(conn: C, err: unknown): void {
    console.error(`lifeline-test-server: session store: ${(err as Error).message}; dropping the connection`)
    conn.socket.terminate()
  }
}
