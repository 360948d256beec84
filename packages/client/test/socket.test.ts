import { describe, expect, it } from 'vitest'
import { isSendableCloseCode, release } from '../src/socket'
import { FakeSocket, WsFakeSocket } from './fake-socket'

describe('isSendableCloseCode (what a browser lets a page send)', () => {
  it.each([1000, 3000, 3999, 4000, 4999])('accepts %i', (code) => expect(isSendableCloseCode(code)).toBe(true))
  it.each([999, 1001, 1006, 2999, 5000, 3000.5, Number.NaN])('refuses %s', (code) =>
    expect(isSendableCloseCode(code)).toBe(false),
  )
})

describe('release', () => {
  const socket = (readyState: number, Kind = FakeSocket) => Object.assign(new Kind('ws://x'), { readyState })

  it('an open socket: closed with the code and reason when a browser would take them', () => {
    const s = socket(1)
    release(s, 4000, 'heartbeat timeout', false)
    expect(s.closedWith).toEqual({ code: 4000, reason: 'heartbeat timeout' })
  })

  it('an open socket and an internal code (1006): a bare close(), which every browser takes', () => {
    const s = socket(1)
    release(s, 1006, 'connect timeout', false)
    expect(s.closedWith).toEqual({ code: undefined, reason: undefined })
  })

  it('a connecting socket: abandoned with a bare close(), whatever the code', () => {
    const s = socket(0)
    release(s, 1000, 'reconnect', false)
    expect(s.closedWith).toEqual({ code: undefined, reason: undefined })
  })

  it('a socket already closing or closed: left alone', () => {
    for (const state of [2, 3]) {
      const s = socket(state)
      release(s, 1000, '', false)
      expect(s.closedWith).toBeUndefined()
    }
  })

  it('hard, where terminate() exists (ws): terminated, no closing handshake; elsewhere the same as soft', () => {
    const ws = socket(1, WsFakeSocket) as WsFakeSocket
    release(ws, 4000, 'heartbeat timeout', true)
    expect(ws.terminated).toBe(true)
    expect(ws.closedWith).toBeUndefined()
    const browser = socket(1)
    release(browser, 4000, 'heartbeat timeout', true)
    expect(browser.closedWith).toEqual({ code: 4000, reason: 'heartbeat timeout' })
  })
})
