import { EventEmitter } from 'eventemitter3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { deliver, emitIsolated, flush, post, reportListenerError } from '../src/events'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('emitIsolated', () => {
  it('calls every listener in order with the payload and its context, like eventemitter3', () => {
    const ee = new EventEmitter()
    const calls: unknown[] = []
    const context = { name: 'ctx' }
    ee.on('x', (p: unknown) => calls.push(['a', p]))
    ee.on(
      'x',
      function (this: typeof context, p: unknown) {
        calls.push([this.name, p])
      },
      context,
    )
    emitIsolated(ee, 'x', 1)
    expect(calls).toEqual([
      ['a', 1],
      ['ctx', 1],
    ])
    emitIsolated(ee, 'nobody', 1) // no listener: nothing happens
  })

  it('a single listener with a context, and once listeners (alone or among others) are called once', () => {
    const ee = new EventEmitter()
    const calls: string[] = []
    ee.once('one', () => calls.push('alone'))
    emitIsolated(ee, 'one', 0)
    emitIsolated(ee, 'one', 0)
    ee.on('many', () => calls.push('always'))
    ee.once('many', () => calls.push('once'))
    emitIsolated(ee, 'many', 0)
    emitIsolated(ee, 'many', 0)
    expect(calls).toEqual(['alone', 'always', 'once', 'always'])
    expect(ee.listenerCount('one')).toBe(0)
  })

  it('a listener that throws is reported; the others still run and nothing reaches the caller', () => {
    const reported: unknown[] = []
    vi.stubGlobal('reportError', (err: unknown) => reported.push(err))
    const ee = new EventEmitter()
    const boom = new Error('app bug')
    const calls: string[] = []
    ee.on('x', () => calls.push('first'))
    ee.on('x', () => {
      throw boom
    })
    ee.on('x', () => calls.push('third'))
    expect(() => emitIsolated(ee, 'x', 0)).not.toThrow()
    expect(calls).toEqual(['first', 'third'])
    expect(reported).toEqual([boom])
    ee.removeAllListeners()
    ee.on('solo', () => {
      throw boom
    })
    expect(() => emitIsolated(ee, 'solo', 0)).not.toThrow()
    expect(reported).toEqual([boom, boom])
  })

  it('listeners added during an emit wait for the next one; removed ones are still called this time (as eventemitter3)', () => {
    const ee = new EventEmitter()
    const calls: string[] = []
    const late = (): number => calls.push('late')
    const second = (): number => calls.push('second')
    ee.on('x', () => {
      calls.push('first')
      ee.on('x', late)
      ee.off('x', second)
    })
    ee.on('x', second)
    emitIsolated(ee, 'x', 0)
    expect(calls).toEqual(['first', 'second'])
    calls.length = 0
    emitIsolated(ee, 'x', 0)
    expect(calls).toEqual(['first', 'late'])
  })
})

describe('reportListenerError', () => {
  it('uses the platform reportError where there is one', () => {
    const report = vi.fn()
    vi.stubGlobal('reportError', report)
    const err = new Error('x')
    reportListenerError(err)
    expect(report).toHaveBeenCalledWith(err)
  })

  it('elsewhere rethrows outside the caller, on a microtask (Node reports it as uncaught)', () => {
    vi.stubGlobal('reportError', undefined)
    const tasks: Array<() => void> = []
    vi.stubGlobal('queueMicrotask', (task: () => void) => tasks.push(task))
    const err = new Error('x')
    expect(() => reportListenerError(err)).not.toThrow()
    expect(tasks).toHaveLength(1)
    expect(() => tasks[0]?.()).toThrow(err)
  })
})

describe('once and ordering, pinned', () => {
  it('a once listener leaves; the same function added with on stays', () => {
    const ee = new EventEmitter()
    const seen: string[] = []
    const fn = (p: unknown) => seen.push(String(p))
    ee.on('x', fn)
    ee.once('x', fn)
    emitIsolated(ee, 'x', 1)
    emitIsolated(ee, 'x', 2)
    expect(seen).toEqual(['1', '1', '2'])
    expect(ee.listenerCount('x')).toBe(1)
    const single = new EventEmitter()
    single.on('y', fn)
    emitIsolated(single, 'y', 3)
    emitIsolated(single, 'y', 4)
    expect(seen).toEqual(['1', '1', '2', '3', '4'])
  })

  it('an event delivered from inside a listener waits for the current event to reach every listener', () => {
    const ee = new EventEmitter()
    const seen: string[] = []
    ee.on('first', () => {
      seen.push('first:a')
      deliver(ee, 'second', null)
      post(ee, 'third', null)
    })
    ee.on('first', () => seen.push('first:b'))
    ee.on('second', () => seen.push('second'))
    ee.on('third', () => seen.push('third'))
    post(ee, 'first', null)
    flush()
    expect(seen).toEqual(['first:a', 'first:b', 'second', 'third'])
  })

  it('deliver goes behind what is already posted', () => {
    const ee = new EventEmitter()
    const seen: string[] = []
    ee.on('posted', () => seen.push('posted'))
    ee.on('now', () => seen.push('now'))
    post(ee, 'posted', null)
    deliver(ee, 'now', null)
    expect(seen).toEqual([])
    flush()
    expect(seen).toEqual(['posted', 'now'])
  })

  it('what a message listener causes is delivered after every message listener has run', () => {
    const ee = new EventEmitter()
    const seen: string[] = []
    ee.on('message', () => {
      seen.push('m1')
      post(ee, 'state', null)
      flush() // inside delivery: does nothing yet
    })
    ee.on('message', () => seen.push('m2'))
    ee.on('state', () => seen.push('state'))
    deliver(ee, 'message', null)
    flush()
    expect(seen).toEqual(['m1', 'm2', 'state'])
  })
})
