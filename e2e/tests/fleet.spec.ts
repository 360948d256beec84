// The fleet: three test servers in fleet mode (sessions, replay buffers and rooms in one Redis) behind nginx
// (`hash $remote_addr consistent`). A page exchanges 1,000 numbered messages each way, plus requests, while the test
// drops its link, silences it, kills the backend serving it for good and restarts another one; at the end both sides
// hold every message exactly once, in order, and every request has its reply, computed once.
import { expect, test } from '../lib/fixtures'
import { type Backend, type Fleet, startFleet } from '../lib/fleet'

type State = {
  sent: number
  requests: number
  echoes: number
  lastEcho: number
  outOfOrder: number
  duplicates: number
  replies: number
  wrongReplies: number
  failed: string[]
  resets: unknown[]
  resumed: number[]
  closes: number[]
  errors: string[]
  session: string | undefined
  state: string
  done: boolean
}

test.describe('a fleet behind nginx, with resume', () => {
  let fleet: Fleet | undefined
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  test.afterEach(async ({}, testInfo) => {
    if (fleet && testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('nginx error.log', { body: fleet.nginx.log() })
      for (const b of fleet.backends) await testInfo.attach(`backend ${b.port}`, { body: b.output() })
    }
    await fleet?.stop()
    fleet = undefined
  })

  test('1,000 messages each way and 20 requests through drops, silence, a backend killed and one restarted: each exactly once, in order', async ({
    engine,
  }) => {
    test.setTimeout(120_000)
    fleet = await startFleet(3)
    const f = fleet
    await engine.goto(`${f.nginx.httpUrl}/e2e/fleet.html`)
    await engine.waitFor('window.Lifeline && window.fleetRun', 'the page')
    await engine.evaluate(`return window.fleetRun({ count: 1000, requestEvery: 50, everyMs: 12 })`)
    const state = (): Promise<State> => engine.evaluate<State>('return window.fleetState()')
    const serving = async (): Promise<Backend> => {
      let found: Backend | undefined
      await expect
        .poll(
          async () => {
            const s = await state()
            found = s.state === 'open' && s.session ? await f.holder(s.session) : undefined
            return found !== undefined
          },
          { message: 'the backend serving the page', timeout: 20_000, intervals: [50] },
        )
        .toBe(true)
      return found as Backend
    }
    const progressed = async (echoes: number): Promise<void> => {
      try {
        await expect.poll(async () => (await state()).echoes, { timeout: 30_000, intervals: [50] }).toBeGreaterThanOrEqual(echoes)
      } catch (err) {
        throw new Error(`${(err as Error).message}\npage: ${JSON.stringify(await state())}`)
      }
    }

    await progressed(100)
    await (await serving()).fault('drop') // the link dies without a close frame
    await progressed(250)
    await (await serving()).fault('silence', [3_000]) // half-open: the heartbeat finds it dead
    await progressed(450)
    const doomed = await serving()
    await doomed.kill() // the serving backend, for good: nginx moves the client on, the session follows through Redis
    await progressed(650)
    const restarted = await serving()
    expect(restarted).not.toBe(doomed)
    await restarted.kill()
    await restarted.start() // a crash and a restart
    await progressed(800)
    await (await serving()).fault('drop')

    await expect
      .poll(
        async () => {
          const s = await state()
          return s.done && s.echoes >= 1_000 && s.replies + s.failed.length + s.wrongReplies >= s.requests
        },
        { message: 'every echo and reply', timeout: 60_000, intervals: [100] },
      )
      .toBe(true)
    const s = await state()
    await engine.evaluate('window.fleet.client.close(); return true')
    expect(s.sent).toBe(1_000)
    expect(s.echoes).toBe(1_000)
    expect(s.lastEcho).toBe(1_000)
    expect(s.duplicates).toBe(0)
    expect(s.outOfOrder).toBe(0)
    expect(s.requests).toBe(20)
    expect(s.replies).toBe(20)
    expect(s.failed).toEqual([])
    expect(s.resets).toEqual([])
    expect(s.resumed.length).toBeGreaterThanOrEqual(4)
    // the server side: every client message (1,000 echoes + 20 requests) processed once, in order (acceptance takes
    // only the next number), and every server message (1,000 echoes + 20 replies) numbered once
    const counters = f.counters(s.session as string)
    expect(counters).toEqual({ in: 1_020, out: 1_020 })
  })

  test('a broadcast reaches room members sitting on different backends', async ({ engine }) => {
    fleet = await startFleet(3)
    const f = fleet
    await engine.goto(`${f.nginx.httpUrl}/e2e/fleet.html`)
    await engine.waitFor('window.Lifeline && window.fleetBroadcast', 'the page')
    // nginx pins this machine's clients to one backend: the second client goes straight to another one
    const pinned = await fetch(`${f.nginx.httpUrl}/__status`).then((res) => res.json() as Promise<{ port: number }>)
    const other = f.backends.find((b) => b.port !== pinned.port) as Backend
    const r = await engine.evaluate<{ heard: { a: string[]; b: string[] }; delivered: number[] }>(
      'return window.fleetBroadcast(args[0])',
      [`ws://127.0.0.1:${other.port}/ws`],
    )
    expect(r.heard).toEqual({ a: ['from b'], b: ['from a'] })
    expect(r.delivered).toEqual([1, 1])
  })
})
