import { describe, expect, it } from 'vitest'
import { classifyClose, defaultShouldReconnect } from '../src/close-policy'

describe('classifyClose', () => {
  it.each([1000, 1001, 1005, 1006, 1009, 1011, 1012, 1014, 1015])('retries after %i', (code) => {
    expect(classifyClose(code)).toBe('retry')
  })
  it('retries later after 1013 (try again later)', () => {
    expect(classifyClose(1013)).toBe('retry-later')
  })
  it.each([1002, 1003, 1007, 1008, 1010, 3000, 3003, 4401, 4403])('stops after %i', (code) => {
    expect(classifyClose(code)).toBe('stop')
  })
  it.each([4000, 4001, 4400, 4402, 4404, 4499, 3001, 3999])('retries after application code %i', (code) => {
    expect(classifyClose(code)).toBe('retry')
  })
  it.each([4500, 4501, 4750, 4999])('stops after application code %i', (code) => {
    expect(classifyClose(code)).toBe('stop')
  })
  it('defaultShouldReconnect follows the table', () => {
    expect(defaultShouldReconnect({ code: 1006, reason: '', wasClean: false })).toBe(true)
    expect(defaultShouldReconnect({ code: 1013, reason: '', wasClean: true })).toBe(true)
    expect(defaultShouldReconnect({ code: 4401, reason: 'token expired', wasClean: true })).toBe(false)
  })
})

describe('classifyClose, edges pinned', () => {
  it.each([
    [1000, 'retry'],
    [4499, 'retry'],
    [4500, 'stop'],
    [4999, 'stop'],
    [5000, 'retry'],
    [3001, 'retry'],
    [1013, 'retry-later'],
  ] as const)('%i → %s', (code, verdict) => {
    expect(classifyClose(code)).toBe(verdict)
  })
})
