import { describe, expect, it } from 'vitest'
import { assertTransition, type State, TRANSITIONS } from '../src/machine'

const states = Object.keys(TRANSITIONS) as State[]

describe('the transition table', () => {
  it('allows exactly the listed transitions', () => {
    for (const from of states) {
      for (const to of states) {
        if (TRANSITIONS[from].includes(to)) expect(() => assertTransition(from, to)).not.toThrow()
        else expect(() => assertTransition(from, to)).toThrow(`illegal transition ${from} -> ${to}`)
      }
    }
  })

  it('reaches closed from every state, and only reconnect/connect leaves it', () => {
    for (const from of states.filter((s) => s !== 'closed')) expect(TRANSITIONS[from]).toContain('closed')
    expect(TRANSITIONS.closed).toEqual(['connecting'])
  })
})
