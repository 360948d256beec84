import { startTestServer, type TestServer } from '@lifeline/test-server'
import { expect, test } from '../lib/fixtures'
import { type Nginx, startNginx } from '../lib/nginx'
import { pagesDir } from '../lib/paths'
import { spaOut } from '../lib/spa'

type Close = { code: number; reason: string; afterMs: number }

test.describe('through nginx (proxy_read_timeout 2s)', () => {
  let nginx: Nginx | undefined
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  test.afterEach(async ({}, testInfo) => {
    if (nginx && testInfo.status !== testInfo.expectedStatus) await testInfo.attach('nginx error.log', { body: nginx.log() })
    await nginx?.stop()
    nginx = undefined
  })

  test('a 1.5 s heartbeat keeps the link open for 10 s with zero reconnects', async ({ engine, server }) => {
    nginx = await startNginx([server.port], 2)
    await engine.goto(`${nginx.httpUrl}/e2e/scenario.html`)
    await engine.waitFor('window.Lifeline && window.lifelineScenarios', 'Lifeline in the page')
    const r = await engine.run<{ closes: Close[]; reconnects: number; pongs: number; heldMs: number; state: string }>(
      'proxyIdle',
      {
        heartbeat: { intervalMs: 1_500, timeoutMs: 1_000 },
        watchMs: 10_000,
      },
    )
    expect(r.closes).toEqual([])
    expect(r.reconnects).toBe(0)
    expect(r.pongs).toBeGreaterThanOrEqual(5)
    expect(r.heldMs).toBeGreaterThanOrEqual(10_000)
    expect(r.state).toBe('open')
  })

  test('with the heartbeat off, nginx cuts the idle link after about 2 s and Lifeline reconnects', async ({ engine, server }) => {
    nginx = await startNginx([server.port], 2)
    await engine.goto(`${nginx.httpUrl}/e2e/scenario.html`)
    await engine.waitFor('window.Lifeline && window.lifelineScenarios', 'Lifeline in the page')
    const r = await engine.run<{ closes: Close[]; reconnects: number }>('proxyIdle', { heartbeat: false })
    const [cut] = r.closes
    expect(cut?.code).toBe(1006)
    expect(cut?.afterMs).toBeGreaterThanOrEqual(1_800)
    expect(cut?.afterMs).toBeLessThan(4_000)
    expect(r.reconnects).toBeGreaterThanOrEqual(1)
    expect(nginx.log()).toContain('upstream timed out')
  })

  test('two backends: kill the one serving the client, it comes back through nginx on the other', async ({ engine, server }) => {
    const other: TestServer = await startTestServer({ faultsOverHttp: true, mounts: { '/e2e': pagesDir, '/spa': spaOut } })
    try {
      nginx = await startNginx([server.port, other.port], 30)
      await engine.goto(`${nginx.httpUrl}/e2e/scenario.html`)
      await engine.waitFor('window.Lifeline && window.lifelineScenarios', 'Lifeline in the page')
      await engine.run('holdOpen')
      const serving = server.connections.size === 1 ? server : other
      const spare = serving === server ? other : server
      expect(serving.connections.size).toBe(1)
      expect(spare.connections.size).toBe(0)
      await serving.close()
      const r = await engine.run<{ echo: string; closes: number[] }>('awaitBack')
      expect(r.echo).toBe('via the other backend')
      expect(r.closes[0]).toBe(1006)
      expect(spare.accepted).toBe(1)
    } finally {
      await other.close()
    }
  })
})
