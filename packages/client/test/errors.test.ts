import { describe, expect, it } from 'vitest'
import { badMessage, LifelineError } from '../src/errors'

describe('badMessage', () => {
  it('builds a BAD_MESSAGE error with the frame, without a stack trace, and restores the limit', () => {
    const before = Error.stackTraceLimit
    const err = badMessage('frame is not JSON', '{x}')
    expect(err).toBeInstanceOf(LifelineError)
    expect(err).toMatchObject({ code: 'BAD_MESSAGE', message: 'frame is not JSON', detail: '{x}' })
    expect(err.stack?.split('\n')).toHaveLength(1)
    expect(Error.stackTraceLimit).toBe(before)
  })

  it('where the engine has no stackTraceLimit, builds it as usual and adds none', () => {
    const E = Error as { stackTraceLimit?: number }
    const before = E.stackTraceLimit
    delete E.stackTraceLimit
    try {
      const err = badMessage('m', 'f')
      expect(err).toMatchObject({ code: 'BAD_MESSAGE', message: 'm', detail: 'f' })
      expect('stackTraceLimit' in Error).toBe(false)
    } finally {
      if (before !== undefined) E.stackTraceLimit = before
    }
  })
})
