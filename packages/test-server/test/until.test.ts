import { describe, expect, it } from 'vitest'
import { until } from './until'

describe('until', () => {
  it('returns the first truthy value of a sync check', async () => {
    let n = 0
    await expect(until(() => ++n >= 3 && n, 'three polls')).resolves.toBe(3)
  })

  it('awaits async checks instead of taking their promise as truthy', async () => {
    let n = 0
    await expect(until(async () => ++n >= 3 && 'done', 'three async polls')).resolves.toBe('done')
    expect(n).toBe(3)
  })

  it('throws after the deadline, naming what it waited for', async () => {
    await expect(until(async () => false, 'nothing', 30)).rejects.toThrow('timed out after 30 ms waiting for nothing')
  })
})
