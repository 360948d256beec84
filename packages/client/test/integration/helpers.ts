import { startTestServer, type TestServer, type TestServerOptions, until } from '@lifeline/test-server'
import { afterEach } from 'vitest'
import type { LifelineError } from '../../src/errors'
import { Lifeline, type LifelineEvents } from '../../src/lifeline'
import type { LifelineOptions, UrlSource } from '../../src/options'

type EventName = keyof LifelineEvents
export interface Recorded {
  name: EventName
  payload: unknown
  at: number
}

export { until }

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.()
})

/** A test server on a free port, closed after the test. */
export async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startTestServer(options)
  cleanups.push(() => s.close())
  return s
}

/** Fast timings so a test sees several reconnects in well under a second. */
export const fast: LifelineOptions = {
  heartbeat: { intervalMs: 300, timeoutMs: 200 },
  reconnect: { initialDelayMs: 20, maxDelayMs: 100, stableAfterMs: 200 },
  connectTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
}

/** A Lifeline client that records its events, closed after the test. */
export function client(url: UrlSource, options: LifelineOptions = {}) {
  const c = new Lifeline(url, { ...fast, ...options })
  const events: Recorded[] = []
  for (const name of ['open', 'close', 'reconnecting', 'state', 'message', 'text', 'binary', 'latency', 'error'] as const) {
    c.on(name, (payload: unknown) => events.push({ name, payload, at: Date.now() }))
  }
  cleanups.push(() => c.close())
  const of = <P = unknown>(name: EventName): P[] => events.filter((e) => e.name === name).map((e) => e.payload as P)
  const count = (name: EventName): number => events.filter((e) => e.name === name).length
  const errors = (): string[] => of<LifelineError>('error').map((e) => e.code)
  const opens = (n: number): Promise<true> => until(() => count('open') >= n || undefined, `${n} open events`)
  return { c, events, of, count, errors, opens }
}
