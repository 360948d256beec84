import { startTestServer, type TestServer, type TestServerOptions } from '@lifeline/test-server'
import { afterEach } from 'vitest'
import { until } from '../../../test-server/test/until'
import type { UrlSource } from '../../src/options'
import { record, type TestOptions, withRequest } from '../recorder'

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
export const fast: TestOptions = {
  heartbeat: { intervalMs: 300, timeoutMs: 200 },
  reconnect: { initialDelayMs: 20, maxDelayMs: 100, stableAfterMs: 200 },
  connectTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
}

/** A Lifeline client that records its events, closed after the test. */
export function client(url: UrlSource, options: TestOptions = {}) {
  const c = withRequest(url, { ...fast, ...options })
  const recorder = record(c)
  cleanups.push(() => c.close())
  const opens = (n: number): Promise<true> => until(() => recorder.count('open') >= n || undefined, `${n} open events`)
  return { c, ...recorder, opens }
}
