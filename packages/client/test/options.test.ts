import { describe, expect, it } from 'vitest'
import { DEFAULTS, type LifelineOptions, resolveOptions } from '../src/options'
import { FakeSocket } from './fake-socket'

const resolve = (options: LifelineOptions) => resolveOptions(options, FakeSocket)

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const o = resolve({})
    expect(o.heartbeat).toEqual({ ...DEFAULTS.heartbeat, frames: undefined })
    expect(o.reconnect).toEqual(DEFAULTS.reconnect)
    expect(o.connectTimeoutMs).toBe(10_000)
    expect(o.queue).toEqual({ maxMessages: 1_000 })
    expect(o.WebSocket).toBe(FakeSocket)
  })

  it('merges partial sections and keeps false', () => {
    const o = resolve({ heartbeat: { intervalMs: 1_500 }, reconnect: false, queue: false })
    expect(o.heartbeat).toMatchObject({ intervalMs: 1_500, timeoutMs: 10_000 })
    expect(o.reconnect).toBe(false)
    expect(o.queue).toBe(false)
  })

  it.each<[string, unknown]>([
    ['heartbeat', 5],
    ['heartbeat', { intervalMs: -1 }],
    ['heartbeat', { intervalMs: 0 }],
    ['heartbeat', { timeoutMs: Number.NaN }],
    ['heartbeat', { frames: { ping: 'ping' } }],
    ['reconnect', { jitter: 'some' }],
    ['reconnect', { factor: 0.5 }],
    ['reconnect', { maxDelayMs: Infinity }],
    ['reconnect', { maxAttempts: -1 }],
    ['connectTimeoutMs', 0],
    ['queue', { maxMessages: -5 }],
    ['queue', null],
    ['protocols', 5],
    ['shouldReconnect', true],
    // longer than a timer can wait (2^31 - 1 ms): it would fire at once
    ['connectTimeoutMs', 3e9],
    ['heartbeat', { intervalMs: 3e9 }],
    ['heartbeat', { timeoutMs: 3e9 }],
    ['reconnect', { initialDelayMs: 3e9 }],
    ['reconnect', { maxDelayMs: 3e9 }],
    ['reconnect', { stableAfterMs: 3e9 }],
    ['lazy', 'yes'],
    ['envelopes', 'no'],
    ['wsOptions', 'headers'],
  ])('rejects %s = %j with BAD_OPTION', (name, value) => {
    expect(() => resolve({ [name]: value } as LifelineOptions)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }))
  })

  it('accepts each lower bound itself', () => {
    const o = resolve({ heartbeat: { intervalMs: 1, timeoutMs: 1 }, reconnect: { factor: 1, initialDelayMs: 0, maxAttempts: 0 } })
    expect(o.heartbeat).toMatchObject({ intervalMs: 1, timeoutMs: 1 })
    expect(o.reconnect).toMatchObject({ factor: 1, initialDelayMs: 0, maxAttempts: 0, maxDelayMs: 30_000 })
  })

  it.each<[LifelineOptions, string]>([
    [{ reconnect: { maxAttempts: -1 } }, 'reconnect.maxAttempts must be a number >= 0, got -1'],
    [{ heartbeat: null as never }, 'heartbeat must be an object or false'],
    [{ heartbeat: { frames: { ping: 1 as never, pong: 'p' } } }, 'heartbeat.frames must be { ping: string, pong: string }'],
    [{ heartbeat: { frames: { ping: 'p', pong: 1 as never } } }, 'heartbeat.frames must be { ping: string, pong: string }'],
    [{ heartbeat: { frames: { ping: 'p', pong: 'p' } } }, 'heartbeat.frames: ping and pong must differ'],
    [{ wsOptions: null as never }, 'wsOptions must be an object'],
  ])('names what is wrong: %j', (options, message) => {
    expect(() => resolve(options)).toThrow(expect.objectContaining({ code: 'BAD_OPTION', message }))
  })

  it('says options must be an object (not "or false")', () => {
    expect(() => resolve(7 as never)).toThrow(expect.objectContaining({ message: 'options must be an object' }))
  })

  it('heartbeat.clientPings: a boolean; false lets envelopes: false go without text frames', () => {
    expect(() => resolve({ heartbeat: { clientPings: 'no' as never } })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION', message: 'heartbeat.clientPings must be a boolean' }),
    )
    expect(() => resolve({ envelopes: false })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }))
    expect(resolve({ envelopes: false, heartbeat: { clientPings: false } }).heartbeat).toMatchObject({ clientPings: false })
  })

  it('keeps text heartbeat frames', () => {
    const frames = { ping: 'ping', pong: 'pong' }
    expect(resolve({ heartbeat: { frames } }).heartbeat).toEqual({
      intervalMs: 50_000,
      timeoutMs: 10_000,
      probeTimeoutMs: 3_000,
      clientPings: true,
      frames,
    })
  })

  it('accepts the longest duration a timer can wait', () => {
    expect(resolve({ connectTimeoutMs: 2_147_483_647 }).connectTimeoutMs).toBe(2_147_483_647)
  })

  it('names the option and the allowed range', () => {
    expect(() => resolve({ heartbeat: { intervalMs: 3e9 } })).toThrow(
      'heartbeat.intervalMs must be a number in [1, 2147483647], got 3000000000',
    )
  })

  it('accepts maxAttempts: Infinity and maxMessages: Infinity', () => {
    expect(resolve({ reconnect: { maxAttempts: Infinity }, queue: { maxMessages: Infinity } }).queue).toEqual({
      maxMessages: Infinity,
    })
  })

  it('rejects options that are no object', () => {
    expect(() => resolve(null as unknown as LifelineOptions)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }))
  })

  it('says so when there is no WebSocket at all', () => {
    expect(() => resolveOptions({}, undefined)).toThrow(/no WebSocket implementation/)
  })
})

describe('resolveOptions, messages pinned', () => {
  it.each<[LifelineOptions, string]>([
    [{ reconnect: { jitter: 'some' as never } }, "reconnect.jitter must be 'full', 'equal' or 'none'"],
    [{ protocols: 5 as never }, 'protocols must be a string, a string[] or a function'],
    [{ shouldReconnect: true as never }, 'shouldReconnect must be a function'],
    [{ lazy: 'yes' as never }, 'lazy must be a boolean'],
    [{ envelopes: 'no' as never }, 'envelopes must be a boolean'],
    [{ queue: 5 as never }, 'queue must be an object or false'],
    [{ heartbeat: { frames: null as never } }, 'heartbeat.frames must be { ping: string, pong: string }'],
  ])('%j: %s', (options, message) => {
    expect(() => resolve(options)).toThrow(expect.objectContaining({ code: 'BAD_OPTION', message }))
  })

  it('string and function protocols are accepted; a partial section keeps the other defaults', () => {
    expect(resolve({ protocols: 'v1' }).protocols).toBe('v1')
    const fn = () => ['v1']
    expect(resolve({ protocols: fn }).protocols).toBe(fn)
    expect(resolve({ queue: {} }).queue).toEqual({ maxMessages: 1_000 })
    expect(resolve({ reconnect: { factor: 3 } }).reconnect).toEqual({ ...DEFAULTS.reconnect, factor: 3 })
  })
})
