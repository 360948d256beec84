export interface HeartbeatTimings {
  /** Inbound silence before a ping is sent, in milliseconds. */
  intervalMs: number
  /** Wait for any inbound frame after a ping before the link is declared dead, in milliseconds. */
  timeoutMs: number
}

/**
 * Detects dead links. It owns one timer and nothing else.
 *
 * - `touch()` on every inbound frame: cheap (a clock read) unless a ping is outstanding or the timer was last
 *   armed from a timer callback; then it re-arms from the network callback, which starts a fresh timer chain
 *   that hidden-tab throttling (Chrome's intensive throttling of chained timers) does not slow down.
 * - When the timer fires, the wall clock decides: silence past `intervalMs + timeoutMs` (the machine slept, the
 *   tab was throttled) is death at once, without writing; past `intervalMs`, a ping goes out and the deadline runs.
 */
export class Heartbeat {
  private _timer: ReturnType<typeof setTimeout> | undefined
  private _lastInboundAt = 0
  private _pingAt = 0
  private _chained = false
  /** When the last ping went out (epoch ms), for round-trip times. */
  lastPingAt = 0

  constructor(
    private readonly _t: HeartbeatTimings,
    private readonly _ping: () => void,
    private readonly _dead: () => void,
  ) {}

  start(): void {
    this._lastInboundAt = Date.now()
    this._pingAt = 0
    this._arm(this._t.intervalMs)
  }

  stop(): void {
    clearTimeout(this._timer)
    this._timer = undefined
    this._pingAt = 0
  }

  touch(): void {
    this._lastInboundAt = Date.now()
    if (this._pingAt !== 0 || this._chained) {
      this._pingAt = 0
      this._arm(this._t.intervalMs)
    }
  }

  /** Ping now unless a ping is already outstanding (network changed, page woke up). */
  probe(): void {
    if (this._timer !== undefined && this._pingAt === 0) this._sendPing(false)
  }

  private _arm(ms: number, chained = false): void {
    clearTimeout(this._timer)
    this._chained = chained
    this._timer = setTimeout(() => this._tick(), ms)
  }

  private _sendPing(chained: boolean): void {
    this._pingAt = this.lastPingAt = Date.now()
    this._arm(this._t.timeoutMs, chained)
    this._ping()
  }

  private _tick(): void {
    const now = Date.now()
    const { intervalMs, timeoutMs } = this._t
    if (this._pingAt !== 0) {
      const waited = now - this._pingAt
      if (waited >= timeoutMs) this._die()
      else this._arm(timeoutMs - waited, true)
      return
    }
    const silent = now - this._lastInboundAt
    if (silent >= intervalMs + timeoutMs) this._die()
    else if (silent >= intervalMs) this._sendPing(true)
    else this._arm(intervalMs - silent, true)
  }

  private _die(): void {
    this.stop()
    this._dead()
  }
}
