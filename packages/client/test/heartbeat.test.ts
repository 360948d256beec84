import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Heartbeat } from '../src/heartbeat'

const timings = { intervalMs: 50_000, timeoutMs: 10_000 }

describe('Heartbeat', () => {
  let ping: ReturnType<typeof vi.fn<() => void>>
  let dead: ReturnType<typeof vi.fn<() => void>>
  let hb: Heartbeat

  beforeEach(() => {
    vi.useFakeTimers()
    ping = vi.fn<() => void>()
    dead = vi.fn<() => void>()
    hb = new Heartbeat(timings, ping, dead)
  })
  afterEach(() => {
    hb.stop()
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
  })

  it('pings after intervalMs of inbound silence, and declares death timeoutMs later', () => {
    hb.start()
    vi.advanceTimersByTime(49_999)
    expect(ping).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(ping).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(9_999)
    expect(dead).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(dead).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('any inbound frame after the ping counts as life and restarts the interval', () => {
    hb.start()
    vi.advanceTimersByTime(50_000)
    vi.advanceTimersByTime(5_000)
    hb.touch()
    vi.advanceTimersByTime(49_999)
    expect(ping).toHaveBeenCalledTimes(1)
    expect(dead).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(ping).toHaveBeenCalledTimes(2)
  })

  it('inbound traffic postpones the ping: the interval counts from the last frame', () => {
    hb.start()
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(30_000)
      hb.touch()
    }
    expect(ping).not.toHaveBeenCalled()
    vi.advanceTimersByTime(50_000)
    expect(ping).toHaveBeenCalledTimes(1)
  })

  it('touch is cheap while the timer was armed from a network callback (no re-arm per frame)', () => {
    hb.start()
    const spy = vi.spyOn(globalThis, 'setTimeout')
    for (let i = 0; i < 100; i++) hb.touch()
    expect(spy).not.toHaveBeenCalled()
  })

  it('re-arms from the network callback after a timer-armed wait (fresh chain for throttled tabs)', () => {
    hb.start()
    vi.advanceTimersByTime(20_000)
    hb.touch()
    vi.advanceTimersByTime(30_000) // fires, sees 30 s of silence, re-arms from the timer for the remaining 20 s
    const spy = vi.spyOn(globalThis, 'setTimeout')
    hb.touch()
    expect(spy).toHaveBeenCalledTimes(1)
    hb.touch()
    expect(spy).toHaveBeenCalledTimes(1)
  })

  it('declares death without pinging when the wall clock shows the link silent past interval + timeout (sleep)', () => {
    hb.start()
    // The machine sleeps: the clock jumps, the timer fires late.
    vi.setSystemTime(Date.now() + 120_000)
    vi.advanceTimersByTime(50_000)
    expect(ping).not.toHaveBeenCalled()
    expect(dead).toHaveBeenCalledTimes(1)
  })

  it('probe pings at once and runs the deadline; a second probe waits for the first', () => {
    hb.start()
    hb.probe()
    hb.probe()
    expect(ping).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(10_000)
    expect(dead).toHaveBeenCalledTimes(1)
  })

  it('probe does nothing when stopped', () => {
    hb.probe()
    expect(ping).not.toHaveBeenCalled()
  })

  it('stop cancels everything', () => {
    hb.start()
    vi.advanceTimersByTime(50_000)
    hb.stop()
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(1_000_000)
    expect(dead).not.toHaveBeenCalled()
  })

  it('records when the last ping went out', () => {
    hb.start()
    vi.advanceTimersByTime(50_000)
    expect(hb.lastPingAt).toBe(Date.now())
  })
})
