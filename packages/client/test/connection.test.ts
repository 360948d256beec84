import { describe, expect, it } from 'vitest'
import { next, type State, type Step, TRANSITIONS } from '../src/connection'

const states = Object.keys(TRANSITIONS) as State[]
const steps: Step[] = ['dial', 'open', 'retry', 'stop', 'suspend']

describe('the transition table', () => {
  it('next() follows the table and throws on a step a state does not allow', () => {
    for (const from of states) {
      for (const step of steps) {
        const to = TRANSITIONS[from][step]
        if (to === undefined) expect(() => next(from, step)).toThrow(`no step ${step} from ${from}`)
        else expect(next(from, step)).toBe(to)
      }
    }
  })

  it('every state can stop, and dial always leads to connecting; only a connecting socket opens', () => {
    for (const from of states) {
      expect(TRANSITIONS[from].stop).toBe('closed')
      expect(TRANSITIONS[from].dial).toBe('connecting')
      expect(TRANSITIONS[from].open).toBe(from === 'connecting' ? 'open' : undefined)
    }
    expect(states.filter((s) => TRANSITIONS[s].retry)).toEqual(['connecting', 'open'])
    // the page hides: whatever is under way waits in reconnecting for the page to come back
    expect(states.filter((s) => TRANSITIONS[s].suspend)).toEqual(['connecting', 'open', 'reconnecting'])
    for (const s of states) if (TRANSITIONS[s].suspend) expect(TRANSITIONS[s].suspend).toBe('reconnecting')
  })
})
