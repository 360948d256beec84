import { type ClockWatcher, JUMP_MS, unwatchClock, watchClock } from './clock'
import type { HeartbeatFrames } from './options'

export interface HeartbeatTimings {
  /** Inbound silence before a ping is sent, in milliseconds. */
  intervalMs: number
  /** Wait for any inbound frame after a ping before the link is declared dead, in milliseconds. */
  timeoutMs: number
  /** The wait after a probe (see `probe`), in milliseconds. */
  probeTimeoutMs?: number
  /** `false`: the server pings; the client sends none and only keeps the deadline. */
  clientPings?: boolean
  /** Text frames to ping with, instead of protocol v1's envelopes. */
  frames?: HeartbeatFrames | undefined
}

/** Protocol v1's answer to a ping envelope from the server: a pong echoing its `data`. */
export const pongTo = (data: unknown): string => JSON.stringify({ type: 'pong', data })

/** Who a heartbeat works for; it hears of clock jumps while the heartbeat runs. */
export interface HeartbeatOwner extends ClockWatcher {
  /** A frame: send this ping now. `undefined`: the link is dead. */
  handleHeartbeat(frame: string | undefined): void
  /** Bytes written to the socket and not yet handed to the network (`bufferedAmount`). */
  buffered(): number
  /** Bytes the socket has handed to the network so far (written minus buffered): rising means the peer takes data. */
  drained(): number
  /**
   * Bytes received so far, where the runtime counts them below the frames (Node), or a constant: rising means the
   * peer is talking, protocol-level pings and frames still arriving included.
   */
  received(): number
}

/** The timer callback, shared by every heartbeat (the heartbeat rides along as the timer's argument): no closure per arm. */
const fire = (heartbeat: Heartbeat): void => heartbeat['_tick']()

/** How long to look again when several frames arrived since the last check, in milliseconds. */
export const recheckMs = (t: HeartbeatTimings): number => Math.min(1_000, t.intervalMs / 10)

/**
 * Detects dead links. It owns one timer and nothing else.
 *
 * Per inbound frame, `touch()` only counts. The clock is read for the first frame after each check, and then:
 * - if a ping is outstanding, or the timer was last armed from a timer callback, it re-arms from this network
 *   callback: a fresh timer chain, which Chrome's throttling of chained timers in hidden tabs does not slow down;
 * - when the timer fires, one frame since the last check is timed exactly; several mean the link may still be busy,
 *   so it looks again after {@link recheckMs} before pinging (a ping is at most that late, never early by more);
 * - the wall clock decides: silence past `intervalMs + timeoutMs` (the machine slept, the tab was throttled) is
 *   death at once, without writing; past `intervalMs`, a ping goes out and the deadline runs;
 * - a ping queued behind outgoing data (a busy, slow uplink) cannot be answered before that data has gone: when the
 *   deadline passes while the socket's buffer held data and is still draining, the deadline starts again.
 */
export class Heartbeat {
  // set in the constructor, like every field: all of them then sit inside the object (no property array: idle memory)
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined
  /** Inbound frames since the timer last fired (or was re-armed by a frame). */
  private _frames = 0
  /** When the first of those frames arrived (epoch ms). */
  private _firstAt = 0
  /** When the outstanding ping went out (epoch ms), 0 when none is. */
  private _pingAt = 0
  /** When the last ping went out (epoch ms), for round-trip times of pongs that carry no timestamp. */
  private _lastPingAt = 0
  private _chained = false
  /** How long the outstanding ping may wait for an answer, in ms: `timeoutMs`, or less for a probe. */
  private _deadline = 0
  /** A probe (a wake, a network change) awaits its answer: until then the link is not trusted with data. */
  private _verifying = false
  /** The owner's `received()` at the last check. */
  private _read = 0
  /** The owner's `buffered()` and `drained()` at the last look while a ping was outstanding. */
  private _buffered = 0
  private _drained = 0

  constructor(
    private readonly _t: HeartbeatTimings,
    private readonly _owner: HeartbeatOwner,
  ) {}

  start(): void {
    this._frames = 0
    this._firstAt = Date.now()
    this._pingAt = 0
    this._read = this._owner.received()
    this._arm(this._t.intervalMs)
    watchClock(this._owner)
  }

  stop(): void {
    clearTimeout(this._timer)
    unwatchClock(this._owner)
    this._timer = undefined
    this._pingAt = 0
    this._verifying = false
  }

  /**
   * Called on every inbound frame: the hot path is one increment and one comparison. Returns true when the frame
   * answered a probe (the link is verified: what waited for it may go).
   */
  touch(): boolean {
    if (this._frames++ !== 0) return false
    this._firstAt = Date.now()
    const verified = this._verifying
    if (this._pingAt !== 0 || this._chained) {
      this._pingAt = 0
      this._verifying = false
      this._frames = 1
      this._arm(this._t.intervalMs)
    }
    return verified
  }

  /**
   * Whether the heartbeat's timer is more than `JUMP_MS` overdue on the wall clock: the machine slept (or the
   * process stood still) and nothing has looked at the link since. One clock read.
   */
  overdue(): boolean {
    // the timer is due at the latest `deadline` after the ping, or `intervalMs` after the first frame of the window
    const since = this._pingAt !== 0 ? this._pingAt : this._firstAt
    const dueMs = this._pingAt !== 0 ? this._deadline : this._t.intervalMs
    return this._timer !== undefined && Date.now() - since > dueMs + JUMP_MS
  }

  /** Whether a probe awaits its answer (see {@link probe}). */
  get verifying(): boolean {
    return this._verifying
  }

  /**
   * Verifies the link now (the page woke up, the network changed), by the rule of a check on the wall clock:
   * silence past `intervalMs + timeoutMs`, or a ping unanswered past its deadline (its data not draining), is death
   * at once: the heartbeat stops and returns false, and the owner fails the link. Otherwise a ping goes out whose
   * deadline is `deadlineMs` (an outstanding ping's deadline shrinks to it), {@link verifying} is true until a frame
   * answers, and it returns true (when the server pings, nothing can be asked: the rule alone applies). A no-op
   * (true) when stopped.
   */
  probe(deadlineMs = this._t.probeTimeoutMs ?? this._t.timeoutMs): boolean {
    if (this._timer === undefined) return true
    const now = Date.now()
    const pingAt = this._pingAt
    const dead =
      pingAt !== 0
        ? now - pingAt >= this._deadline && !this._draining()
        : this._frames <= 1 && now - this._firstAt >= this._t.intervalMs + this._t.timeoutMs
    if (dead) {
      this.stop()
      return false
    }
    if (this._t.clientPings !== false) {
      this._verifying = true
      if (pingAt === 0) this._sendPing(deadlineMs)
      else {
        // a ping is out: its deadline shrinks to the probe's (a draining uplink past it gets the probe's anew)
        const waited = Math.min(now - pingAt, this._deadline)
        if (waited + deadlineMs < this._deadline || waited === this._deadline) {
          this._pingAt = now - waited
          this._deadline = waited + deadlineMs
          this._arm(deadlineMs, true)
        }
      }
    }
    return true
  }

  /**
   * The round-trip time of a pong, in milliseconds: from the timestamp it echoes (`ts`, set by our ping) or else
   * from the last ping. `undefined` when implausible: a timestamp from before the link opened (`openedAt`, epoch
   * ms) or from the future.
   */
  rttMs(ts: unknown, openedAt: number): number | undefined {
    const sentAt = typeof ts === 'number' ? ts : this._lastPingAt
    const now = Date.now()
    return openedAt > 0 && sentAt >= openedAt && sentAt <= now ? now - sentAt : undefined
  }

  private _arm(ms: number, chained = false): void {
    clearTimeout(this._timer)
    this._chained = chained
    this._timer = setTimeout(fire, ms, this)
  }

  private _sendPing(deadlineMs = this._t.timeoutMs): void {
    this._frames = 0
    this._deadline = Math.min(deadlineMs, this._t.timeoutMs)
    this._pingAt = this._lastPingAt = Date.now()
    // Read before the ping is written: a browser counts the ping itself until its next turn.
    this._buffered = this._owner.buffered()
    this._drained = this._owner.drained()
    this._arm(this._deadline, true)
    const frames = this._t.frames
    this._owner.handleHeartbeat(frames ? frames.ping : JSON.stringify({ type: 'ping', data: { ts: this._pingAt } }))
  }

  /** The timer fired (called through {@link fire}). */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: called by the shared timer callback `fire`
  private _tick(): void {
    const now = Date.now()
    const read = this._owner.received()
    if (read !== this._read) {
      this._read = read
      // Bytes came that no frame reported (protocol-level pings, a large frame still arriving): life, as of now.
      if (this._frames === 0) {
        this._frames = 1
        this._firstAt = now
        this._pingAt = 0
      }
    }
    const { intervalMs, timeoutMs } = this._t
    const frames = this._frames
    this._frames = 0
    if (this._pingAt !== 0) {
      // Any frame would have cleared the ping (touch), so nothing came: dead once the deadline has passed.
      const waited = now - this._pingAt
      if (waited < this._deadline) this._arm(this._deadline - waited, true)
      else if (this._draining()) {
        this._pingAt = now
        this._arm(this._deadline, true)
      } else this._die()
      return
    }
    if (frames > 1) {
      this._arm(recheckMs(this._t), true)
      return
    }
    const silent = now - this._firstAt
    if (silent >= intervalMs + timeoutMs) this._die()
    else if (silent < intervalMs) this._arm(intervalMs - silent, true)
    else if (this._t.clientPings !== false) this._sendPing()
    // the server pings: a frame is due by intervalMs, and timeoutMs later the link is dead
    else this._arm(intervalMs + timeoutMs - silent, true)
  }

  /** Whether outgoing data held the ping back and is still leaving: the link is alive, if slow. */
  private _draining(): boolean {
    const buffered = this._owner.buffered()
    const drained = this._owner.drained()
    const moving = (this._buffered > 0 || buffered > 0) && drained > this._drained
    this._buffered = buffered
    this._drained = drained
    return moving
  }

  private _die(): void {
    this.stop()
    this._owner.handleHeartbeat(undefined)
  }
}
