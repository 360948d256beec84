import type { LifelineError } from '../src/errors'
import type { Lifeline, LifelineEvents } from '../src/lifeline'

export type EventName = keyof LifelineEvents
export const EVENT_NAMES: readonly EventName[] = [
  'open',
  'close',
  'reconnecting',
  'state',
  'message',
  'text',
  'binary',
  'latency',
  'error',
]

export interface Recorded {
  name: EventName
  payload: unknown
  /** When it was heard (epoch ms). */
  at: number
}

/**
 * Records every event a client emits, in order: the one recorder of the unit and integration tests. Call it before
 * anything else listens, so that the recorder hears each event first.
 */
// biome-ignore lint/suspicious/noExplicitAny: records clients of any message maps
export function record(client: Lifeline<any, any, any>) {
  const events: Recorded[] = []
  for (const name of EVENT_NAMES) client.on(name, (payload: unknown) => events.push({ name, payload, at: Date.now() }))
  const of = <P = unknown>(name: EventName): P[] => events.filter((e) => e.name === name).map((e) => e.payload as P)
  const count = (name: EventName): number => events.filter((e) => e.name === name).length
  const errors = (): string[] => of<LifelineError>('error').map((e) => e.code)
  return { events, of, count, errors }
}
