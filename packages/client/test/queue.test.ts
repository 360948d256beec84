import { describe, expect, it } from 'vitest'
import { BoundedQueue, NONE } from '../src/queue'

describe('BoundedQueue', () => {
  it('keeps order and refuses past its bound without evicting', () => {
    const q = new BoundedQueue<number>(3)
    expect([q.push(1), q.push(2), q.push(3), q.push(4)]).toEqual([true, true, true, false])
    expect(q.size).toBe(3)
    expect(q.drain()).toEqual([1, 2, 3])
    expect(q.size).toBe(0)
    expect(q.push(5)).toBe(true)
  })

  it('removes what a test selects', () => {
    const q = new BoundedQueue<number>(10)
    for (const n of [1, 2, 3, 4]) q.push(n)
    q.remove((n) => n % 2 === 0)
    expect(q.drain()).toEqual([1, 3])
  })

  it('an empty queue holds the shared empty list, which nothing ever writes to', () => {
    const a = new BoundedQueue<number>(5)
    const b = new BoundedQueue<number>(5)
    a.push(1)
    expect(b.size).toBe(0)
    expect(a.drain()).toEqual([1])
    expect(a.drain()).toBe(NONE)
    a.push(2)
    b.push(3)
    expect([a.drain(), b.drain(), NONE]).toEqual([[2], [3], []])
  })

  it('a bound of 0 refuses everything', () => {
    expect(new BoundedQueue<number>(0).push(1)).toBe(false)
  })
})
