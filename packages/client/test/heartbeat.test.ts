import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Heartbeat } from '../src/heartbeat'

const timings = { intervalMs: 50_000, timeoutMs: 10_000 }

describe('Heartbeat', () => {
  let ping: ReturnType<typeof vi.fn<(frame: string) => void>>
  let dead: ReturnType<typeof vi.fn<() => void>>
  let hb: Heartbeat
  /** The socket's send buffer as the owner reports it: bytes waiting, and bytes handed to the network so far. */
  let uplink: { buffered: number; drained: number; received: number }

  beforeEach(() => {
    vi.useFakeTimers()
    ping = vi.fn<(frame: string) => void>()
    dead = vi.fn<() => void>()
    uplink = { buffered: 0, drained: 0, received: 0 }
    hb = new Heartbeat(timings, {
      handleHeartbeat: (frame) => (frame === undefined ? dead() : ping(frame)),
      handleClockJump: () => undefined,
      buffered: () => uplink.buffered,
      drained: () => uplink.drained,
      received: () => uplink.received,
    })
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

  it('frames its pings: an envelope carrying the send time, or the text frame given', () => {
    vi.setSystemTime(1_000_000)
    hb.start()
    vi.advanceTimersByTime(50_000)
    expect(ping).toHaveBeenCalledWith('{"type":"ping","data":{"ts":1050000}}')
    const frames = new Heartbeat(
      { ...timings, frames: { ping: 'PING', pong: 'PONG' } },
      {
        handleHeartbeat: (frame) => ping(frame as string),
        handleClockJump: () => undefined,
        buffered: () => 0,
        drained: () => 0,
        received: () => 0,
      },
    )
    frames.start()
    vi.advanceTimersByTime(50_000)
    expect(ping).toHaveBeenLastCalledWith('PING')
    frames.stop()
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

  it('a single frame is timed exactly: the ping comes intervalMs after it', () => {
    hb.start()
    vi.advanceTimersByTime(30_000)
    hb.touch()
    vi.advanceTimersByTime(49_999)
    expect(ping).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(ping).toHaveBeenCalledTimes(1)
  })

  it('traffic denser than the recheck window never pings', () => {
    hb.start()
    for (let t = 0; t < 300_000; t += 200) {
      vi.advanceTimersByTime(200)
      hb.touch()
    }
    expect(ping).not.toHaveBeenCalled()
    expect(dead).not.toHaveBeenCalled()
  })

  it('sporadic frames: a ping is never later than intervalMs + recheck after the last frame', () => {
    const step = 1_000 // min(1 s, intervalMs / 10)
    const start = Date.now()
    hb.start()
    const frames = [30_000, 60_000, 61_000, 90_000, 95_000]
    let now = 0
    for (const at of frames) {
      vi.advanceTimersByTime(at - now)
      now = at
      hb.touch()
    }
    const last = frames.at(-1) as number
    let pingedAt = 0
    ping.mockImplementation(() => {
      pingedAt = Date.now() - start
    })
    vi.advanceTimersByTime(last + timings.intervalMs + step - now)
    expect(pingedAt).toBeGreaterThan(0)
    expect(pingedAt).toBeLessThanOrEqual(last + timings.intervalMs + step)
  })

  it('reads the clock once per window, not once per frame', () => {
    hb.start()
    const clock = vi.spyOn(Date, 'now')
    for (let i = 0; i < 1_000; i++) hb.touch()
    expect(clock).toHaveBeenCalledTimes(1)
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

  describe('probe: verify the link now (a wake-up, a network change)', () => {
    const probing = () =>
      new Heartbeat(
        { ...timings, probeTimeoutMs: 3_000 },
        {
          handleHeartbeat: (frame) => (frame === undefined ? dead() : ping(frame)),
          handleClockJump: () => undefined,
          buffered: () => uplink.buffered,
          drained: () => uplink.drained,
          received: () => uplink.received,
        },
      )

    it('pings at once with the short deadline, and is verifying until a frame answers', () => {
      const p = probing()
      p.start()
      vi.advanceTimersByTime(1_000)
      expect(p.touch()).toBe(false) // not verifying: an ordinary frame
      p.probe()
      expect(ping).toHaveBeenCalledTimes(1)
      expect(p.verifying).toBe(true)
      vi.advanceTimersByTime(2_000)
      expect(p.touch()).toBe(true) // the answer: the link is verified
      expect(p.verifying).toBe(false)
      expect(p.touch()).toBe(false)
      vi.advanceTimersByTime(49_999)
      expect(ping).toHaveBeenCalledTimes(1)
      expect(dead).not.toHaveBeenCalled()
      p.stop()
    })

    it('an unanswered probe is death after probeTimeoutMs, not timeoutMs', () => {
      const p = probing()
      p.start()
      p.probe()
      vi.advanceTimersByTime(2_999)
      expect(dead).not.toHaveBeenCalled()
      vi.advanceTimersByTime(1)
      expect(dead).toHaveBeenCalledTimes(1)
      expect(p.verifying).toBe(false)
    })

    it('silence past intervalMs + timeoutMs on the wall clock (a sleep, timers not yet run) is death at once, no ping', () => {
      const p = probing()
      p.start()
      vi.setSystemTime(Date.now() + 60_000)
      expect(p.probe()).toBe(false) // the owner fails the link (and dials at once)
      expect(ping).not.toHaveBeenCalled()
      expect(dead).not.toHaveBeenCalled()
      expect(vi.getTimerCount()).toBe(0) // stopped
    })

    it('silence just under intervalMs + timeoutMs is probed, not declared dead', () => {
      const p = probing()
      p.start()
      vi.setSystemTime(Date.now() + 59_999)
      expect(p.probe()).toBe(true)
      expect(ping).toHaveBeenCalledTimes(1)
      expect(dead).not.toHaveBeenCalled()
      p.stop()
    })

    it("an outstanding ping's deadline shrinks to the probe's; one long unanswered is death at once", () => {
      const p = probing()
      p.start()
      vi.advanceTimersByTime(50_000) // the ordinary ping: deadline 10 s
      vi.advanceTimersByTime(1_000)
      p.probe() // 3 s from now
      expect(ping).toHaveBeenCalledTimes(1)
      expect(p.verifying).toBe(true)
      vi.advanceTimersByTime(2_999)
      expect(dead).not.toHaveBeenCalled()
      vi.advanceTimersByTime(1)
      expect(dead).toHaveBeenCalledTimes(1)

      const q = probing()
      q.start()
      vi.advanceTimersByTime(50_000)
      vi.setSystemTime(Date.now() + 20_000) // asleep with a ping out: its deadline passed on the wall clock
      expect(q.probe()).toBe(false)
      expect(dead).toHaveBeenCalledTimes(1)
    })

    it('a probe with a ping already out and closer to its deadline keeps that deadline', () => {
      const p = probing()
      p.start()
      vi.advanceTimersByTime(50_000)
      vi.advanceTimersByTime(8_000) // 2 s left
      p.probe()
      vi.advanceTimersByTime(2_000)
      expect(dead).toHaveBeenCalledTimes(1)
    })
  })

  describe('clientPings: false (the server pings)', () => {
    const serverDriven = () =>
      new Heartbeat(
        { ...timings, clientPings: false },
        {
          handleHeartbeat: (frame) => (frame === undefined ? dead() : ping(frame)),
          handleClockJump: () => undefined,
          buffered: () => 0,
          drained: () => 0,
          received: () => uplink.received,
        },
      )

    it('sends no ping; silence of intervalMs + timeoutMs is death; any frame re-arms the deadline', () => {
      const s = serverDriven()
      s.start()
      vi.advanceTimersByTime(59_999)
      expect(ping).not.toHaveBeenCalled()
      expect(dead).not.toHaveBeenCalled()
      vi.advanceTimersByTime(1)
      expect(dead).toHaveBeenCalledTimes(1)

      const t = serverDriven()
      t.start()
      vi.advanceTimersByTime(45_000)
      t.touch() // the server's ping
      vi.advanceTimersByTime(59_999)
      expect(dead).toHaveBeenCalledTimes(1)
      vi.advanceTimersByTime(1)
      expect(dead).toHaveBeenCalledTimes(2)
      expect(ping).not.toHaveBeenCalled()
    })

    it('a probe asks nothing (no ping, not verifying); the wall-clock rule still applies', () => {
      const s = serverDriven()
      s.start()
      s.probe()
      expect(ping).not.toHaveBeenCalled()
      expect(s.verifying).toBe(false)
      vi.setSystemTime(Date.now() + 60_000)
      expect(s.probe()).toBe(false)
    })
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

  it('a pong echoing our ping time gives the round trip; implausible times give none', () => {
    hb.start()
    const opened = Date.now()
    vi.advanceTimersByTime(50_000)
    const pingAt = Date.now()
    vi.advanceTimersByTime(40)
    expect(hb.rttMs(pingAt, opened)).toBe(40)
    expect(hb.rttMs(undefined, opened)).toBe(40) // no timestamp: from the last ping
    expect(hb.rttMs(1, opened)).toBeUndefined() // from 1970
    expect(hb.rttMs(opened - 1, opened)).toBeUndefined() // before this link opened
    expect(hb.rttMs(Date.now() + 1, opened)).toBeUndefined() // from the future
    expect(hb.rttMs('123', opened)).toBe(40) // not a number: the last ping
    expect(hb.rttMs(pingAt, 0)).toBeUndefined() // no link open
  })

  it('no round trip before any ping', () => {
    hb.start()
    expect(hb.rttMs(undefined, Date.now())).toBeUndefined()
  })

  describe('bytes received below the frames (Node: protocol-level pings, a large frame still arriving)', () => {
    it('count as life: a server that only sends ping frames is never pinged, nor declared dead', () => {
      hb.start()
      for (let t = 0; t < 300_000; t += 20_000) {
        uplink.received += 6 // a ping frame, answered by ws itself: no frame reaches Lifeline
        vi.advanceTimersByTime(20_000)
      }
      expect(dead).not.toHaveBeenCalled()
      expect(ping).not.toHaveBeenCalled()
    })

    it('answer an outstanding ping', () => {
      hb.start()
      vi.advanceTimersByTime(50_000)
      expect(ping).toHaveBeenCalledTimes(1)
      uplink.received += 1_000 // part of a big frame
      vi.advanceTimersByTime(10_000)
      expect(dead).not.toHaveBeenCalled()
      vi.advanceTimersByTime(50_000) // silence again: the next ping
      expect(ping).toHaveBeenCalledTimes(2)
    })

    it('a counter that does not move is no life', () => {
      uplink.received = 500 // read at start: no news
      hb.start()
      vi.advanceTimersByTime(60_000)
      expect(dead).toHaveBeenCalledTimes(1)
    })
  })

  describe('a ping queued behind outgoing data (busy, slow uplink)', () => {
    it('while the buffer still drains at the deadline, the deadline starts again', () => {
      hb.start()
      uplink.buffered = 64_000
      vi.advanceTimersByTime(50_000) // ping, behind 64 KB
      expect(ping).toHaveBeenCalledTimes(1)
      for (let window = 0; window < 5; window++) {
        uplink.drained += 16_000 // 16 KB/s leaves; the app keeps the buffer full
        vi.advanceTimersByTime(10_000)
        expect(dead).not.toHaveBeenCalled()
      }
      hb.touch() // the pong, at last
      vi.advanceTimersByTime(49_999)
      expect(dead).not.toHaveBeenCalled()
      expect(ping).toHaveBeenCalledTimes(1)
    })

    it('a buffer that stops draining is a dead link: death one deadline later', () => {
      hb.start()
      uplink.buffered = 64_000
      vi.advanceTimersByTime(50_000)
      uplink.drained += 1_000
      vi.advanceTimersByTime(10_000)
      expect(dead).not.toHaveBeenCalled() // it moved in the first window
      vi.advanceTimersByTime(9_999)
      expect(dead).not.toHaveBeenCalled()
      vi.advanceTimersByTime(1)
      expect(dead).toHaveBeenCalledTimes(1)
    })

    it('an empty buffer at the ping and at the deadline: no extension, whatever was written meanwhile', () => {
      hb.start()
      vi.advanceTimersByTime(50_000)
      uplink.drained += 500 // the ping itself, and more, left at once: nothing held the ping back
      vi.advanceTimersByTime(10_000)
      expect(dead).toHaveBeenCalledTimes(1)
    })

    it('data stuck in the buffer (nothing leaves) does not extend the deadline', () => {
      hb.start()
      uplink.buffered = 64_000
      vi.advanceTimersByTime(50_000)
      uplink.buffered = 80_000 // the app wrote more, none of it left
      vi.advanceTimersByTime(10_000)
      expect(dead).toHaveBeenCalledTimes(1)
    })

    it('the buffer is read before the ping is written (a browser counts the ping itself until its next turn)', () => {
      hb.start()
      ping.mockImplementation(() => {
        uplink.buffered = 20 // the ping
      })
      vi.advanceTimersByTime(50_000)
      uplink.buffered = 0
      uplink.drained += 20
      vi.advanceTimersByTime(10_000)
      expect(dead).toHaveBeenCalledTimes(1) // the ping left at once; no data held it back
    })
  })

  describe('edges', () => {
    it('silence of exactly intervalMs + timeoutMs (a sleep) is death at once', () => {
      hb.start()
      vi.setSystemTime(Date.now() + 60_000)
      vi.advanceTimersByTime(50_000)
      expect(dead).toHaveBeenCalledTimes(1)
    })

    it('a pong echoing the very moment the link opened is plausible', () => {
      hb.start()
      const opened = Date.now()
      vi.advanceTimersByTime(10)
      expect(hb.rttMs(opened, opened)).toBe(10)
    })

    it('the buffer held data at the ping and has emptied since: one more deadline for the tail', () => {
      hb.start()
      uplink.buffered = 10_000
      vi.advanceTimersByTime(50_000) // ping behind 10 KB
      uplink.buffered = 0
      uplink.drained += 10_000
      vi.advanceTimersByTime(10_000)
      expect(dead).not.toHaveBeenCalled()
      vi.advanceTimersByTime(10_000) // nothing more left, nothing came
      expect(dead).toHaveBeenCalledTimes(1)
    })
  })
})

describe('Heartbeat, pinned', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('a frame after a timer re-armed the heartbeat re-arms it from the network callback (hidden-tab throttling)', () => {
    const owner = {
      handleHeartbeat: vi.fn(),
      handleClockJump: () => undefined,
      buffered: () => 0,
      drained: () => 0,
      received: () => 0,
    }
    const hb = new Heartbeat({ intervalMs: 10_000, timeoutMs: 1_000 }, owner)
    hb.start()
    hb.touch()
    hb.touch() // two frames: the check re-arms itself (a timer chain)
    vi.advanceTimersByTime(10_000)
    const spy = vi.spyOn(globalThis, 'setTimeout')
    hb.touch()
    expect(spy).toHaveBeenCalledTimes(1)
    expect(spy.mock.calls[0]?.[1]).toBe(10_000)
    hb.touch() // later frames of the same window only count
    expect(spy).toHaveBeenCalledTimes(1)
    spy.mockRestore()
    hb.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})
