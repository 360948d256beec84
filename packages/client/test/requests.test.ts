import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LifelineError } from '../src/errors'
import { RequestTracker } from '../src/requests'

describe('RequestTracker', () => {
  let tracker: RequestTracker
  beforeEach(() => {
    vi.useFakeTimers()
    tracker = new RequestTracker()
  })
  afterEach(() => {
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
  })

  it('resolves with the reply data and forgets the request', async () => {
    const [, promise] = tracker.add('1', 'frame', 1_000)
    expect(tracker.settle({ type: 'echo', re: '1', data: { ok: true } })).toBe(true)
    await expect(promise).resolves.toEqual({ ok: true })
    expect(tracker.size).toBe(0)
  })

  it('rejects with REMOTE_ERROR carrying the server error', async () => {
    const [entry, promise] = tracker.add('2', 'frame', 1_000)
    tracker.wrote(entry)
    tracker.settle({ type: 'fail', re: '2', error: { code: 'NOPE', message: 'not allowed' } })
    await expect(promise).rejects.toMatchObject({ code: 'REMOTE_ERROR', message: 'not allowed', detail: { code: 'NOPE' } })
  })

  it('the clock starts at the first write, not at creation', async () => {
    const [entry, promise] = tracker.add('3', 'frame', 1_000)
    vi.advanceTimersByTime(5_000)
    expect(tracker.size).toBe(1)
    tracker.wrote(entry)
    tracker.wrote(entry) // a re-send does not restart it
    vi.advanceTimersByTime(999)
    expect(tracker.size).toBe(1)
    vi.advanceTimersByTime(1)
    await expect(promise).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' })
    expect(tracker.size).toBe(0)
  })

  it('a reply after the timeout matches nothing', async () => {
    const [entry, promise] = tracker.add('4', 'frame', 10)
    tracker.wrote(entry)
    vi.advanceTimersByTime(10)
    await expect(promise).rejects.toBeInstanceOf(LifelineError)
    expect(tracker.settle({ type: 'x', re: '4' })).toBe(false)
  })

  it('lists written requests in order, and failAll rejects every one', async () => {
    const entries = ['a', 'b', 'c'].map((id) => tracker.add(id, id, 1_000))
    tracker.wrote(entries[2]![0])
    tracker.wrote(entries[0]![0])
    expect(tracker.written().map((e) => e.id)).toEqual(['a', 'c'])
    tracker.failAll(new LifelineError('CLOSED', 'closed'))
    for (const [, promise] of entries) await expect(promise).rejects.toMatchObject({ code: 'CLOSED' })
    expect(tracker.size).toBe(0)
  })

  it('fail is a no-op once settled', async () => {
    const [entry, promise] = tracker.add('5', 'f', 1_000)
    tracker.settle({ type: 'x', re: '5', data: 1 })
    tracker.fail(entry, new LifelineError('CLOSED', 'late'))
    await expect(promise).resolves.toBe(1)
  })
})
