import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LifelineError } from '../src/errors'
import { type PendingRequest, RequestTracker } from '../src/requests'

describe('RequestTracker', () => {
  let tracker: RequestTracker
  let dropped: PendingRequest[]
  beforeEach(() => {
    vi.useFakeTimers()
    dropped = []
    tracker = new RequestTracker((entry) => dropped.push(entry))
  })
  afterEach(() => {
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
  })

  it('resolves with the reply data and forgets the request', async () => {
    const [, promise] = tracker.add('1', 'echo', 'frame', 1_000)
    expect(tracker.settle({ type: 'echo', re: '1', data: { ok: true } }, '')).toBe(true)
    await expect(promise).resolves.toEqual({ ok: true })
    expect(tracker.size).toBe(0)
  })

  it('rejects with REMOTE_ERROR carrying the server error', async () => {
    const [, promise] = tracker.add('2', 'fail', 'frame', 1_000)
    tracker.settle({ type: 'fail', re: '2', error: { code: 'NOPE', message: 'not allowed' } }, '')
    await expect(promise).rejects.toMatchObject({ code: 'REMOTE_ERROR', message: 'not allowed', detail: { code: 'NOPE' } })
  })

  it.each([['boom'], [{ message: 1 }], [{ code: 'X' }], [42]])(
    'an error of the wrong shape (%j) settles at once with BAD_MESSAGE carrying the frame',
    async (bad) => {
      const [, promise] = tracker.add('2', 'fail', 'frame', 1_000)
      expect(tracker.settle({ type: 'fail', re: '2', error: bad as never }, 'the frame')).toBe(true)
      await expect(promise).rejects.toMatchObject({ code: 'BAD_MESSAGE', detail: 'the frame' })
      expect(tracker.size).toBe(0)
    },
  )

  it('the clock starts at the call, whether or not the request was written', async () => {
    const [entry, promise] = tracker.add('3', 'sum', 'frame', 1_000)
    vi.advanceTimersByTime(999)
    expect(tracker.size).toBe(1)
    vi.advanceTimersByTime(1)
    await expect(promise).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', message: "no reply to 'sum' within 1000 ms" })
    expect(tracker.size).toBe(0)
    expect(dropped).toEqual([entry]) // an unwritten request leaves the send queue
  })

  it('a written request that times out is not reported as dropped (it is in no queue)', async () => {
    const [entry, promise] = tracker.add('3', 'sum', 'frame', 10)
    entry.written = true
    vi.advanceTimersByTime(10)
    await expect(promise).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' })
    expect(dropped).toEqual([])
  })

  it('a reply after the timeout matches nothing', async () => {
    const [, promise] = tracker.add('4', 'x', 'frame', 10)
    vi.advanceTimersByTime(10)
    await expect(promise).rejects.toBeInstanceOf(LifelineError)
    expect(tracker.settle({ type: 'x', re: '4' }, '')).toBe(false)
  })

  it('lists written requests in order, and failAll rejects every one', async () => {
    const entries = ['a', 'b', 'c'].map((id) => tracker.add(id, id, id, 1_000))
    entries[2]![0].written = true
    entries[0]![0].written = true
    expect(tracker.written().map((e) => e.id)).toEqual(['a', 'c'])
    tracker.failAll(new LifelineError('CLOSED', 'closed'))
    for (const [, promise] of entries) await expect(promise).rejects.toMatchObject({ code: 'CLOSED' })
    expect(tracker.size).toBe(0)
    expect(dropped.map((e) => e.id)).toEqual(['b'])
  })

  it('fail is a no-op once settled', async () => {
    const [entry, promise] = tracker.add('5', 'x', 'f', 1_000)
    tracker.settle({ type: 'x', re: '5', data: 1 }, '')
    tracker.fail(entry, new LifelineError('CLOSED', 'late'))
    await expect(promise).resolves.toBe(1)
  })
})
