import { describe, expect, it } from 'vitest'
import { type BackoffOptions, backoffDelayMs } from '../src/backoff'

const base: BackoffOptions = { initialDelayMs: 1_000, maxDelayMs: 30_000, factor: 2, jitter: 'none' }

describe('backoffDelayMs', () => {
  it('grows the ceiling by factor per attempt and caps it at maxDelayMs', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, base))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ])
  })

  it('full jitter draws uniformly in [0, ceiling]', () => {
    const opts = { ...base, jitter: 'full' as const }
    expect(backoffDelayMs(3, opts, () => 0)).toBe(0)
    expect(backoffDelayMs(3, opts, () => 0.5)).toBe(4_000)
    expect(backoffDelayMs(3, opts, () => 0.999_999)).toBe(8_000)
  })

  it('equal jitter draws in [ceiling/2, ceiling]', () => {
    const opts = { ...base, jitter: 'equal' as const }
    expect(backoffDelayMs(2, opts, () => 0)).toBe(2_000)
    expect(backoffDelayMs(2, opts, () => 0.5)).toBe(3_000)
    expect(backoffDelayMs(2, opts, () => 0.999_999)).toBe(4_000)
  })

  it('stays within bounds for huge attempt numbers (no Infinity, no NaN)', () => {
    const d = backoffDelayMs(10_000, { ...base, jitter: 'full' }, () => 0.7)
    expect(d).toBe(21_000)
  })

  it('with the default random, full-jitter delays spread over the window', () => {
    const draws = Array.from({ length: 2_000 }, () => backoffDelayMs(4, { ...base, jitter: 'full' }))
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...draws)).toBeLessThanOrEqual(16_000)
    const firstHalf = draws.filter((d) => d < 8_000).length / draws.length
    expect(firstHalf).toBeGreaterThan(0.4)
    expect(firstHalf).toBeLessThan(0.6)
  })
})
