import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CHECK_MS, JUMP_MS, unwatchClock, watchClock } from '../src/clock'

describe('the clock watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
  })

  it('tells every watcher when its timer fires more than JUMP_MS late (the machine slept), and only then', () => {
    const a = { handleClockJump: vi.fn() }
    const b = { handleClockJump: vi.fn() }
    watchClock(a)
    watchClock(b)
    expect(vi.getTimerCount()).toBe(1) // one watchdog for the runtime
    vi.advanceTimersByTime(10 * CHECK_MS) // on time: nothing
    vi.setSystemTime(Date.now() + JUMP_MS) // late, but not past the jump threshold
    vi.advanceTimersByTime(CHECK_MS)
    expect(a.handleClockJump).not.toHaveBeenCalled()
    vi.setSystemTime(Date.now() + JUMP_MS + 1)
    vi.advanceTimersByTime(CHECK_MS)
    expect(a.handleClockJump).toHaveBeenCalledTimes(1)
    expect(b.handleClockJump).toHaveBeenCalledTimes(1)
    unwatchClock(a)
    vi.setSystemTime(Date.now() + 60_000)
    vi.advanceTimersByTime(CHECK_MS)
    expect(a.handleClockJump).toHaveBeenCalledTimes(1)
    expect(b.handleClockJump).toHaveBeenCalledTimes(2)
    unwatchClock(b) // the last one: the watchdog stops
  })

  it('a watcher that leaves during the notification does not stop the others hearing it', () => {
    const b = { handleClockJump: vi.fn() }
    const a = { handleClockJump: vi.fn(() => unwatchClock(b)) }
    watchClock(a)
    watchClock(b)
    vi.setSystemTime(Date.now() + 60_000)
    vi.advanceTimersByTime(CHECK_MS)
    expect(b.handleClockJump).toHaveBeenCalledTimes(1)
    unwatchClock(a)
  })

  it('starts afresh: a watchdog restarted after a pause does not count the pause as a jump', () => {
    const a = { handleClockJump: vi.fn() }
    watchClock(a)
    unwatchClock(a)
    vi.setSystemTime(Date.now() + 60_000)
    watchClock(a)
    vi.advanceTimersByTime(CHECK_MS)
    expect(a.handleClockJump).not.toHaveBeenCalled()
    unwatchClock(a)
  })
})
