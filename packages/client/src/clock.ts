/** Who hears of a clock jump. */
export interface ClockWatcher {
  /** The wall clock moved far more than the watchdog's timer: the machine slept, or the process was stopped. */
  handleClockJump(): void
}

/** How often the watchdog looks at the clock, in milliseconds. */
export const CHECK_MS = 2_000
/**
 * How much later than scheduled the watchdog's timer must fire to count as a jump, in milliseconds. Shorter gaps
 * need no verifying: the heartbeat's own deadlines cover them.
 */
export const JUMP_MS = 10_000

const watchers = new Set<ClockWatcher>()
let timer: ReturnType<typeof setInterval> | undefined
let last = 0

function check(): void {
  const now = Date.now()
  const jumped = now - last > CHECK_MS + JUMP_MS
  last = now
  if (jumped) for (const watcher of [...watchers]) watcher.handleClockJump()
}

/**
 * Starts telling `watcher` of clock jumps: timers that fire far later than scheduled, in every runtime (a page event
 * may not come: a Node process, a page that stayed visible). One watchdog timer serves every watcher of the runtime;
 * it runs only while there is one, and keeps no Node process alive.
 */
export function watchClock(watcher: ClockWatcher): void {
  watchers.add(watcher)
  if (timer !== undefined) return
  last = Date.now()
  timer = setInterval(check, CHECK_MS)
  ;(timer as { unref?: () => void }).unref?.()
}

/** Stops telling `watcher`; the watchdog stops with the last one. */
export function unwatchClock(watcher: ClockWatcher): void {
  watchers.delete(watcher)
  if (watchers.size !== 0) return
  clearInterval(timer)
  timer = undefined
}
