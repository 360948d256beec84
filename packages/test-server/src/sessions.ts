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
  /** Inbound frames of this link, processed one after another (acceptance is asynchronous with Redis). */
  inbound: Promise<void>
  /** Writes from the store, one pump at a time. */
  pumping: Promise<void>
  pumpAgain: boolean
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

  /** A client's `resume` request: opens or resumes its session, answers, then replays what it missed. */
  hello(conn: C, request: Envelope): void {
    this.open(conn, request).catch((err: unknown) => this.failed(conn, err))
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
      pumping: Promise.resolve(),
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
    const { store } = this.ctx
    link.inbound = link.inbound
      .then(async () => {
        // the client acknowledges on every message it sends: the store is told only when that moves
        if (typeof envelope.ack === 'number' && envelope.ack > link.clientAck) {
          link.clientAck = envelope.ack
          await store.ack(link.session, envelope.ack)
        }
        if (envelope.type === 'ack') return
        const seq = envelope.seq
        if (typeof seq !== 'number') {
          processed()
          return run()
        }
        if (effectful) {
          if (!(await store.accept(link.session, seq))) return this.dropped(link, seq)
          this.accepted(conn, link, seq)
          processed()
          return run()
        }
        // a duplicate's run is harmless: it has no effect beyond its replies, which are discarded with it
        const out = this.collect(link.session, run)
        const bodies = out.map((e) => JSON.stringify(e))
        if (!(await store.commit(link.session, seq, bodies))) return this.dropped(link, seq)
        this.accepted(conn, link, seq)
        processed()
        if (out.length > 0) await this.wake(link.session)
      })
      .catch((err: unknown) => this.failed(conn, err))
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
    return this.ctx.store.append(session, JSON.stringify(envelope)).then(async (seq) => {
      if (seq === 0) return false
      await this.wake(session)
      return true
    })
  }

  /**
   * The session has new messages: the connection holding it writes them. Other backends are told even when it is
   * held here: a client may have just resumed elsewhere, before this backend heard of it (its 'taken' signal still
   * on the way), and the backend that holds it now must not wait for the session's next message to write this one.
   */
  private async wake(session: string): Promise<void> {
    const here = this.local.get(session)
    if (here) this.pump(here)
    await this.ctx.store.signal(session, 'data', this.backend)
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
    if (link.pumpAgain) return
    link.pumpAgain = true
    link.pumping = link.pumping
      .then(async () => {
        link.pumpAgain = false
        const frames = await this.ctx.store.after(link.session, link.pushed)
        for (const f of frames) {
          if (conn.link !== link || f.seq <= link.pushed) continue
          link.pushed = f.seq
          link.acked = link.inSeq
          this.ctx.write(conn, `{"ack":${link.inSeq},${f.frame.slice(1)}`)
        }
      })
      .catch((err: unknown) => this.failed(conn, err))
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
