import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

/**
 * Fault injection state. The server consults it; tests and the demo page drive it.
 * Persistent faults (silence, delayPongs, refuse) end on their own after `ms`, or at once through their undo
 * function or `reset()`. Instant faults (drop, close, garbage, flood, restart) act once.
 */
export interface FaultActions {
  /** Terminates every socket without a close frame (a dropped network). */
  drop(): number
  /** Closes every socket with this code and reason. */
  close(code: number, reason?: string): number
  /** Stops answering and sending, on current links and on links opened meanwhile, without closing: half-open links. */
  silence(ms: number): () => void
  /** Holds every pong back by `ms`. */
  delayPongs(ms: number): () => void
  /**
   * Accepts the TCP connection of every handshake begun within `ms` and never answers its upgrade: hanging
   * handshakes. Those sockets stay held (the client must give up on them) until the server closes.
   */
  stall(ms: number): () => void
  /** Rejects handshakes with this HTTP status for `ms`. */
  refuse(ms: number, status?: number): () => void
  /** Drops every connection, stops listening for `downMs`, then listens again on the same port. Resolves when back. */
  restart(downMs: number): Promise<void>
  /** Sends malformed frames to every client. */
  garbage(): number
  /** Sends `n` messages to every client at once. */
  flood(n: number): number
  /** Undoes every persistent fault. */
  reset(): void
}

/** A fault that holds until a deadline or its undo. */
export class TimedFault {
  private until = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  value = 0

  get active(): boolean {
    return this.until > Date.now()
  }

  set(ms: number, value = 0): () => void {
    if (!(ms >= 0 && Number.isFinite(ms))) throw new RangeError(`fault duration must be a finite number >= 0, got ${ms}`)
    clearTimeout(this.timer)
    this.until = Date.now() + ms
    this.value = value
    this.timer = setTimeout(() => this.clear(), ms)
    return () => this.clear()
  }

  clear(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.until = 0
    this.value = 0
  }
}

/**
 * The frames `garbage()` sends. All but the last are no valid envelope (or reply to no request): each must make a
 * client report BAD_MESSAGE and nothing else. The last is a valid envelope carrying `__proto__`/`constructor` keys:
 * it must arrive as an ordinary message and pollute no prototype.
 */
export const GARBAGE_FRAMES: readonly string[] = [
  'this is not json',
  '{"type":',
  '[1,2,3]',
  'null',
  '42',
  '{"data":"no type"}',
  '{"type":7}',
  '{"type":"x","id":true}',
  '{"type":"x","re":"no-such-request"}',
  '{"type":"x","error":"not an object"}',
  '{"type":"pollute","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
]

/** What the faults act on: the server's sockets, its listening state and its timers. */
export interface FaultTargets {
  sockets(): Iterable<WebSocket>
  /** Drops everything, stops listening for `downMs`, listens again. */
  restart(downMs: number): Promise<void>
}

/** The persistent faults' state, which the server consults, and the actions that set it. */
export interface Faults {
  actions: FaultActions
  silence: TimedFault
  slowPongs: TimedFault
  refusal: TimedFault
  stall: TimedFault
  /** Sockets whose upgrade `stall` holds unanswered. */
  stalled: Set<Socket>
}

export function createFaults(targets: FaultTargets): Faults {
  const silence = new TimedFault()
  const slowPongs = new TimedFault()
  const refusal = new TimedFault()
  const stall = new TimedFault()
  const each = (fn: (socket: WebSocket) => void): number => {
    let n = 0
    for (const socket of targets.sockets()) {
      fn(socket)
      n++
    }
    return n
  }
  const actions: FaultActions = {
    drop: () => each((socket) => socket.terminate()),
    close: (code, reason = '') => each((socket) => socket.close(code, reason)),
    silence: (ms) => silence.set(ms),
    stall: (ms) => stall.set(ms),
    delayPongs: (ms) => slowPongs.set(60 * 60_000, ms),
    refuse: (ms, status = 503) => refusal.set(ms, status),
    restart: (downMs) => targets.restart(downMs),
    garbage: () =>
      each((socket) => {
        for (const frame of GARBAGE_FRAMES) socket.send(frame)
      }),
    flood: (n) => {
      const count = Math.max(0, Math.min(100_000, Math.floor(n)))
      return each((socket) => {
        for (let i = 0; i < count; i++) socket.send(JSON.stringify({ type: 'flood', data: { i } }))
      })
    },
    reset: () => {
      silence.clear()
      slowPongs.clear()
      refusal.clear()
      stall.clear()
    },
  }
  return { actions, silence, slowPongs, refusal, stall, stalled: new Set() }
}
