import type { LifelineError } from '../src/errors'
import { Lifeline, type LifelineEvents } from '../src/lifeline'
import type { LifelineOptions, UrlSource } from '../src/options'
import { type Requests, withRequests } from '../src/requests'

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
  'resumed',
  'reset',
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
export function record(client: Lifeline<any, any>) {
  const events: Recorded[] = []
  for (const name of EVENT_NAMES) client.on(name, (payload: unknown) => events.push({ name, payload, at: Date.now() }))
  const of = <P = unknown>(name: EventName): P[] => events.filter((e) => e.name === name).map((e) => e.payload as P)
  const count = (name: EventName): number => events.filter((e) => e.name === name).length
  const errors = (): string[] => of<LifelineError>('error').map((e) => e.code)
  return { events, of, count, errors }
}

/** A client's options in the tests: the core's, plus the requests feature's deadline. */
export interface TestOptions extends LifelineOptions {
  requestTimeoutMs?: number
}

/** A client with the requests feature, its `request` at hand as in the <script> build (`client.request`). */
export function withRequest(url: UrlSource, options: TestOptions = {}): Lifeline & Pick<Requests, 'request'> {
  const { requestTimeoutMs, ...core } = options
  const client = new Lifeline(url, core)
  const rpc = withRequests(client, { timeoutMs: requestTimeoutMs })
  return Object.assign(client, { request: rpc.request.bind(rpc) })
}
