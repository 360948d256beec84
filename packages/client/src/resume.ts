import { type Envelope, encode } from './codec'
import { error } from './connection'
import { flush } from './events'
import type { Client, Lifeline, QueueItem } from './lifeline'
import { checkNumber } from './options'
import { NONE } from './queue'
import type { SocketLike } from './socket'

export interface ResumeOptions {
  /**
   * How long the client waits for the server's answer to its `resume` request after a socket opens, in milliseconds.
   * Past it, a client with a session (a server answered before) takes the silence for a dead link (`CONNECT_TIMEOUT`)
   * and redials. One without probes the link (a heartbeat ping): a link that answers belongs to a server without
   * resume (a foreign one), and the client goes on without numbering; one that does not is dead and redialed
   * (`HEARTBEAT_TIMEOUT`). Without a heartbeat, it goes on without numbering at once. Messages sent meanwhile wait in the queue. @default 5_000
   */
  helloTimeoutMs?: number
}

/** What resume is doing, for the app to show. */
export interface Resume {
  /** The session the server gave, once it answered; undefined before, or with a server without resume. */
  readonly session: string | undefined
  /** Whether the server speaks resume on the current connection (false while disconnected). */
  readonly active: boolean
  /** Whether the last open resumed the session (the server had it and filled the gap). */
  readonly resumed: boolean
  /** How many messages the client re-sent on the last resume. */
  readonly replayed: number
  /** Messages sent and not yet acknowledged by the server (they count toward the queue's `maxMessages`). */
  readonly unacked: number
  /** The sequence number of the last server message delivered (0: none in this session). */
  readonly lastSeq: number
}

/** One message written under a sequence number and not yet acknowledged. */
interface Sent {
  seq: number
  item: QueueItem
  frame: string
}

// Where resume stands on the current socket: no socket, hello sent, numbering, a server without resume, or the hello
// unanswered in time and a probe asking whether the link is alive.
const OFF = 0
const HELLO_SENT = 1
const ON = 2
const V1 = 3
const PROBING = 4
type Phase = typeof OFF | typeof HELLO_SENT | typeof ON | typeof V1 | typeof PROBING

/** Acknowledge at the latest after this many inbound messages… */
const ACK_EVERY = 32
/** …or this long after the first unacknowledged one, in milliseconds (fewer when a message of ours carries the ack). */
const ACK_DELAY_MS = 200

/** The hello request's id: replies to it carry `re: "resume"` (never a request id of withRequests, which are numbers). */
const HELLO = 'resume'
const ENVELOPE_START = '{"type":'

/**
 * Resume (PROTOCOL.md, "Resume"): numbers every envelope both ways, acknowledges cumulatively, keeps what the server
 * has not acknowledged and re-sends it after a reconnect; drops inbound duplicates by sequence number. Owns its two
 * timers (the hello deadline and the ack delay); both end when the socket is released.
 */
export class Resumer implements Resume {
  session: string | undefined
  resumed = false
  replayed = 0
  lastSeq = 0
  private _phase: Phase = OFF
  private _acked = 0
  private _seq = 0
  /** Sent and unacknowledged, oldest first, from `_head` on (trimming moves the head; the array is cut now and then). */
  private _sent: Sent[] = NONE
  private _head = 0
  /** The hello's deadline until the answer, then the ack delay: one at a time. */
  private _timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly _c: Client,
    private readonly _helloMs: number,
    private readonly _limit: number,
  ) {}

  get active(): boolean {
    return this._phase === ON
  }

  get unacked(): number {
    return this._sent.length - this._head
  }

  /** Whether writes wait: from open until the server has answered the hello. */
  get _holding(): boolean {
    return this._phase === HELLO_SENT || this._phase === PROBING
  }

  /** Whether one more message would pass the bound (`queued` + unacknowledged ≥ the queue's `maxMessages`). */
  _full(queued: number): boolean {
    return this._phase !== V1 && this.unacked + queued >= this._limit
  }

  /** A socket opened: ask to resume (or for a session), and hold every write until the answer. */
  _open(ws: SocketLike): void {
    this._phase = HELLO_SENT
    this._c['_send'](ws, encode('resume', { session: this.session ?? null, seq: this.lastSeq }, HELLO))
    this._timer = setTimeout(() => {
      this._timer = undefined
      this._silent(ws)
      flush()
    }, this._helloMs)
  }

  /**
   * No answer in time. With a session (the server answered a hello before), the link is dead. Without, it may be a
   * foreign server that ignores the hello on a live link, or a dead link: a probe tells (see {@link _alive}); without
   * a heartbeat to probe with, the server is taken for one without resume.
   */
  private _silent(ws: SocketLike): void {
    const hb = this._c['_hb']
    if (this.session !== undefined) this._c['_fail']('CONNECT_TIMEOUT', 'no answer to resume', 'resume timeout')
    else if (hb?.probe() === false) this._c['_fail']('HEARTBEAT_TIMEOUT', 'link dead', 'heartbeat timeout')
    else if (hb?.verifying) this._phase = PROBING
    else this._settle(ws, V1, 'no answer')
  }

  /**
   * A frame answered the probe, after it was handled: unless it was the hello's answer itself, the link is alive and
   * the server ignores resume.
   */
  _alive(): void {
    if (this._phase === PROBING) this._settle(this._c['_ws'] as SocketLike, V1, 'no answer')
  }

  /** The timer (the hello's deadline, or the ack delay) ends, and nothing keeps it (an idle connection holds none). */
  private _clear(): void {
    clearTimeout(this._timer)
    this._timer = undefined
  }

  /** The socket is gone: the timer ends; what was sent stays for the next resume. */
  _released(): void {
    this._clear()
    if (this._phase !== V1) this._phase = OFF
  }

  /** The client ended: nothing more to re-send. */
  _ended(): void {
    this._released()
    this._sent = NONE
    this._head = 0
  }

  /**
   * Numbers an outgoing envelope (one `send()` encoded: text starting `{"type":`) with the current ack on it, and keeps
   * it until acknowledged; binary and other raw frames pass as they are.
   */
  _stamp(item: QueueItem, frame: unknown): unknown {
    if (this._phase !== ON || typeof frame !== 'string' || !frame.startsWith(ENVELOPE_START)) return frame
    const sent = { seq: ++this._seq, item, frame }
    if (this._sent === NONE) this._sent = []
    this._sent.push(sent)
    return this._numbered(sent)
  }

  /**
   * An inbound envelope: returns whether it goes on to the app. The hello's answer, `ack` frames and duplicates stop
   * here; an `ack` field on anything trims what the server has acknowledged.
   */
  _inbound(ws: SocketLike, envelope: Envelope & { seq?: unknown; ack?: unknown }): boolean {
    if (envelope.re === HELLO && this._phase !== ON) {
      if (this._phase === V1) this._late(envelope)
      else this._answer(ws, envelope)
      return false
    }
    if (this._phase !== ON) {
      // kept without a session, for a late answer (see _late)
      if (typeof envelope.seq === 'number' && envelope.seq > this.lastSeq) this.lastSeq = envelope.seq
      return true
    }
    if (typeof envelope.ack === 'number') this._trim(envelope.ack)
    if (envelope.type === 'ack') return false
    const seq = envelope.seq
    if (typeof seq !== 'number') return true
    if (seq <= this.lastSeq) return false
    if (seq !== this.lastSeq + 1) {
      this._c['_post']('error', error('BAD_MESSAGE', `seq gap ${this.lastSeq}-${seq}`, envelope))
    }
    this.lastSeq = seq
    if (this.lastSeq - this._acked >= ACK_EVERY) this._ack(ws)
    else this._timer ??= setTimeout(() => this._ack(ws), ACK_DELAY_MS)
    return true
  }

  private _numbered(sent: Sent): string {
    this._acked = this.lastSeq
    return `{"seq":${sent.seq},"ack":${this.lastSeq},${sent.frame.slice(1)}`
  }

  private _ack(ws: SocketLike): void {
    this._clear()
    if (this._c['_ws'] !== ws || this._acked === this.lastSeq) return
    this._acked = this.lastSeq
    this._c['_send'](ws, `{"type":"ack","ack":${this.lastSeq}}`)
  }

  private _trim(upTo: number): void {
    const sent = this._sent
    while (this._head < sent.length && (sent[this._head] as Sent).seq <= upTo) this._head++
    if (this._head === sent.length) {
      // all acknowledged: an idle connection keeps none of it
      this._sent = NONE
      this._head = 0
    } else if (this._head > 64 && this._head * 2 > sent.length) this._cut()
  }

  /** Drops the acknowledged entries before the head for good. */
  private _cut(): void {
    this._sent = this._sent.slice(this._head)
    this._head = 0
  }

  /** The server's answer to the hello: resumed, a new session (a reset, if we had one), or no resume at all. */
  private _answer(ws: SocketLike, reply: Envelope): void {
    const data = reply.data as { session?: unknown; resumed?: unknown; seq?: unknown; reason?: unknown } | undefined
    if (reply.error !== undefined || typeof data?.session !== 'string' || typeof data.seq !== 'number') {
      if (reply.error === undefined) this._c['_post']('error', error('BAD_MESSAGE', 'bad resume answer', reply))
      this._settle(ws, V1, 'unsupported')
      return
    }
    if (data.resumed === true && data.session === this.session) {
      this._trim(data.seq)
      this._cut()
      this.resumed = true
      this.replayed = this._sent.length
      this._phase = ON
      this._clear()
      for (const sent of this._sent) this._c['_send'](ws, this._numbered(sent))
      this._c['_post']('resumed', { session: data.session, replayed: this.replayed })
      this._c['_ready'](ws, true)
      return
    }
    const had = this.session !== undefined
    this.session = data.session
    this._settle(ws, ON, typeof data.reason === 'string' ? data.reason : 'unknown', had)
  }

  /**
   * The hello answered after the client went on without resume (a link slower than the probe's answer): the session
   * is taken up on this socket from here, numbering from 1, its messages delivered so far counted (`lastSeq`). What was
   * written before has gone as protocol v1 does.
   */
  private _late(reply: Envelope): void {
    const data = reply.data as { session?: unknown } | undefined
    if (reply.error !== undefined || typeof data?.session !== 'string') return
    this.session = data.session
    this._phase = ON
  }

  /**
   * Goes on afresh: numbering from 1 (or none, for `v1`). Unacknowledged messages are sent again, requests through
   * their own feature; `reset` tells the app, which may see some of them twice and should resync.
   */
  private _settle(ws: SocketLike, phase: typeof ON | typeof V1, reason: string, had = this.session !== undefined): void {
    this._clear()
    this._cut()
    const again = this._sent.filter((s) => s.item === s.frame)
    this._sent = NONE
    this._seq = 0
    this.lastSeq = 0
    this._acked = 0
    this.resumed = false
    this.replayed = 0
    this._phase = phase
    if (phase === V1) this.session = undefined
    for (const sent of again) this._c['_send'](ws, this._stamp(sent.item, sent.frame) as string)
    if (had) this._c['_post']('reset', { reason, resent: again.length })
    this._c['_ready'](ws, false)
  }
}

/**
 * Resume over `client` (PROTOCOL.md, "Resume"): nothing sent or received is lost or doubled across reconnects, with a
 * server that speaks it; a server that does not (protocol v1, or a foreign one) works as before. Call it right after
 * `new Lifeline(…)`: it takes effect from the next socket that opens. One per client: a second call returns the first.
 * Listen to `resumed` and `reset` on the client; `reset` means the server could not fill the gap (the app resyncs).
 * Throws `BAD_OPTION` on a bad option.
 *
 * ```ts
 * const client = new Lifeline(url)
 * const resume = withResume(client)
 * client.on('reset', () => reloadState())
 * ```
 */
export function withResume(
  // biome-ignore lint/suspicious/noExplicitAny: a client of any message maps
  client: Lifeline<any, any>,
  options: ResumeOptions = {},
): Resume {
  const c = client as unknown as Client
  let resumer = c['_resume']
  if (resumer === undefined) {
    if (!c['_o'].envelopes) throw error('BAD_OPTION', 'resume needs envelopes')
    const queue = c['_o'].queue
    resumer = new Resumer(c, checkNumber('helloTimeoutMs', options.helloTimeoutMs ?? 5_000, 1), queue ? queue.maxMessages : 1_000)
    c['_resume'] = resumer
  }
  return resumer
}
