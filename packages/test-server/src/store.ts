import { randomUUID } from 'node:crypto'

/** A server message kept for a session until acknowledged: its sequence number and its frame (which carries it). */
export interface StoredFrame {
  seq: number
  frame: string
}

/** The answer to a client's `resume`: the session (resumed or new) and what to replay. */
export interface Opened {
  session: string
  resumed: boolean
  /** Why a session was not resumed: `new` (the client named none), `unknown`, `expired` or `overrun`. */
  reason?: 'new' | 'unknown' | 'expired' | 'overrun'
  /** The last client sequence number the server processed. */
  inSeq: number
  /** Server messages after the client's last one, in order. */
  replay: StoredFrame[]
}

/** A cross-backend notice about a session: it has new frames, or a client resumed it on another backend. */
export type Signal = 'data' | 'taken'

/**
 * Where sessions, their replay buffers and room membership live: in memory (one server) or in Redis (a fleet).
 * Every operation that decides something (the next sequence number, whether a client message is new) is atomic.
 */
export interface SessionStore {
  open(session: string | null, clientSeq: number): Promise<Opened>
  /** Whether client message `seq` is the next one of `session` (then it is recorded as processed). */
  accept(session: string, seq: number): Promise<boolean>
  /**
   * Accepts client message `seq` (as `accept`) and, in the same step, numbers and keeps the server messages it
   * produced (`bodies`): a server that dies in between loses neither. Returns whether it was accepted.
   */
  commit(session: string, seq: number, bodies: string[]): Promise<boolean>
  /** Numbers a server message for `session` and keeps it; returns its sequence number (0: no such session). */
  append(session: string, body: string): Promise<number>
  /** The client acknowledged up to `seq`: those frames are dropped. */
  ack(session: string, seq: number): Promise<void>
  /** Frames after `seq`, in order. */
  after(session: string, seq: number): Promise<StoredFrame[]>
  join(room: string, session: string): Promise<number>
  leave(room: string, session: string): Promise<boolean>
  members(room: string): Promise<string[]>
  /** Tells every backend (`from` included) about `session`. */
  signal(session: string, what: Signal, from: string): Promise<void>
  /** The same operations, synchronous, when the store can answer at once (in memory): no promise per message. */
  readonly now?: SyncStore
  /** Listens to signals; returns the function that stops it. */
  onSignal(listener: (session: string, what: Signal, from: string) => void): () => void
  close(): Promise<void>
}

/** A store's operations that decide per message, answered at once. */
export interface SyncStore {
  accept(session: string, seq: number): boolean
  commit(session: string, seq: number, bodies: string[]): boolean
  ack(session: string, seq: number): void
  after(session: string, seq: number): StoredFrame[]
}

export interface StoreLimits {
  /** Server messages kept per session, unacknowledged; past this the oldest go, and that session can no longer resume. @default 10_000 */
  maxBuffered: number
  /** How long a session lives after its last activity, in milliseconds; its unacknowledged messages live as long. @default 300_000 */
  ttlMs: number
}

export const DEFAULT_LIMITS: StoreLimits = { maxBuffered: 10_000, ttlMs: 300_000 }

/** Prefixes a stored body (`{…}`) with its sequence number: `{"seq":7,…}`. */
export const stamped = (seq: number, body: string): string => `{"seq":${seq},${body.slice(1)}`

/**
 * Whether a session whose buffer starts at `first` (undefined: empty) and whose last message is `out` can fill the gap
 * of a client that has `clientSeq`.
 */
export function fillable(clientSeq: number, out: number, first: number | undefined): boolean {
  if (clientSeq > out) return false
  return first === undefined ? clientSeq === out : first <= clientSeq + 1
}

interface MemorySession {
  in: number
  out: number
  buf: StoredFrame[]
  expiresAt: number
}

/** Sessions in this process: they survive a `restart` of the server, not the process. */
export class MemoryStore implements SessionStore {
  private readonly sessions = new Map<string, MemorySession>()
  private readonly rooms = new Map<string, Set<string>>()
  private readonly listeners: Array<(session: string, what: Signal, from: string) => void> = []

  constructor(private readonly limits: StoreLimits = DEFAULT_LIMITS) {}

  private live(id: string): MemorySession | undefined {
    const s = this.sessions.get(id)
    if (s && s.expiresAt < Date.now()) {
      this.sessions.delete(id)
      return undefined
    }
    if (s) s.expiresAt = Date.now() + this.limits.ttlMs
    return s
  }

  async open(session: string | null, clientSeq: number): Promise<Opened> {
    const known = session === null ? undefined : this.sessions.get(session)
    const s = session === null ? undefined : this.live(session)
    if (s && session !== null && fillable(clientSeq, s.out, s.buf[0]?.seq)) {
      return { session, resumed: true, inSeq: s.in, replay: await this.after(session, clientSeq) }
    }
    const id = randomUUID()
    this.sessions.set(id, { in: 0, out: 0, buf: [], expiresAt: Date.now() + this.limits.ttlMs })
    const reason = session === null ? 'new' : s ? 'overrun' : known ? 'expired' : 'unknown'
    return { session: id, resumed: false, reason, inSeq: 0, replay: [] }
  }

  readonly now: SyncStore = {
    accept: (session, seq) => {
      const s = this.live(session)
      if (!s || seq !== s.in + 1) return false
      s.in = seq
      return true
    },
    commit: (session, seq, bodies) => {
      if (!this.now.accept(session, seq)) return false
      for (const body of bodies) this.appendNow(session, body)
      return true
    },
    ack: (session, seq) => {
      const s = this.live(session)
      const first = s?.buf[0]?.seq
      // the buffer holds consecutive numbers: the acknowledged ones are a prefix of known length
      if (s && first !== undefined && seq >= first) s.buf.splice(0, seq - first + 1)
    },
    after: (session, seq) => {
      const buf = this.live(session)?.buf ?? []
      const first = buf[0]?.seq
      return first === undefined ? [] : buf.slice(Math.max(0, seq - first + 1))
    },
  }

  private appendNow(session: string, body: string): number {
    const s = this.live(session)
    if (!s) return 0
    const seq = ++s.out
    s.buf.push({ seq, frame: stamped(seq, body) })
    if (s.buf.length > this.limits.maxBuffered) s.buf.shift()
    return seq
  }

  async accept(session: string, seq: number): Promise<boolean> {
    return this.now.accept(session, seq)
  }

  async commit(session: string, seq: number, bodies: string[]): Promise<boolean> {
    return this.now.commit(session, seq, bodies)
  }

  async append(session: string, body: string): Promise<number> {
    return this.appendNow(session, body)
  }

  async ack(session: string, seq: number): Promise<void> {
    this.now.ack(session, seq)
  }

  async after(session: string, seq: number): Promise<StoredFrame[]> {
    return this.now.after(session, seq)
  }

  async join(room: string, session: string): Promise<number> {
    const members = this.rooms.get(room) ?? new Set<string>()
    this.rooms.set(room, members)
    members.add(session)
    return members.size
  }

  async leave(room: string, session: string): Promise<boolean> {
    return this.rooms.get(room)?.delete(session) ?? false
  }

  async members(room: string): Promise<string[]> {
    const members = [...(this.rooms.get(room) ?? [])]
    return members.filter((m) => this.live(m) !== undefined || !this.rooms.get(room)?.delete(m))
  }

  async signal(session: string, what: Signal, from: string): Promise<void> {
    for (const listener of [...this.listeners]) listener(session, what, from)
  }

  onSignal(listener: (session: string, what: Signal, from: string) => void): () => void {
    this.listeners.push(listener)
    return () => {
      const i = this.listeners.indexOf(listener)
      if (i >= 0) this.listeners.splice(i, 1)
    }
  }

  async close(): Promise<void> {
    this.listeners.length = 0
  }
}
