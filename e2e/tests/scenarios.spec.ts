import { expect, openScenarioPage, test } from '../lib/fixtures'

type Close = { code: number; reason: string; wasClean: boolean; willReconnect: boolean }

for (const loading of ['script', 'spa'] as const) {
  test.describe(`loaded by ${loading === 'script' ? '<script> tag' : 'an SPA built by Vite'}`, () => {
    test.beforeEach(async ({ engine, server }) => {
      await openScenarioPage(engine, server, loading)
    })

    test('connect, typed send, request and reply', async ({ engine }) => {
      const r = await engine.run<{
        echoed: unknown
        sum: number
        remote: unknown
        unknown: string
        state: string
        errorIsTyped: boolean
      }>('basics')
      expect(r.echoed).toEqual({ type: 'echo', data: { text: 'héllo ✓' } })
      expect(r.sum).toBe(6.5)
      expect(r.remote).toEqual({ code: 'REMOTE_ERROR', detail: { code: 'NOPE', message: 'no' } })
      expect(r.unknown).toBe('UNKNOWN_TYPE')
      expect(r.state).toBe('closed')
      expect(r.errorIsTyped).toBe(true)
    })

    test('server drop → reconnect with growing jittered delays', async ({ engine }) => {
      const r = await engine.run<{
        closes: [number, boolean][]
        attempts: { attempt: number; delayMs: number }[]
        reply: string
      }>('dropReconnect')
      expect(r.closes).toEqual(Array(4).fill([1006, true]))
      expect(r.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4])
      // full jitter: attempt n waits in [0, 200·2^(n-1)] ms, and the draws differ
      r.attempts.forEach((a, i) => {
        expect(a.delayMs).toBeGreaterThanOrEqual(0)
        expect(a.delayMs).toBeLessThanOrEqual(200 * 2 ** i)
      })
      expect(new Set(r.attempts.map((a) => a.delayMs)).size).toBeGreaterThan(1)
      expect(r.reply).toBe('back')
    })

    test('half-open link (server silent) detected within interval + timeout, then recovered', async ({ engine }) => {
      const r = await engine.run<{ close: Close; detectMs: number; budgetMs: number; reply: string; errors: string[] }>(
        'halfOpen',
      )
      expect(r.close).toMatchObject({ code: 4000, reason: 'heartbeat timeout', willReconnect: true })
      expect(r.errors).toContain('HEARTBEAT_TIMEOUT')
      expect(r.detectMs).toBeGreaterThanOrEqual(r.budgetMs - 50)
      expect(r.detectMs).toBeLessThanOrEqual(r.budgetMs + 400)
      expect(r.reply).toBe('alive')
    })

    if (loading === 'spa') return // the SPA proves the bundle works; the full matrix runs on the <script> build

    test('server restart → messages queued meanwhile delivered in order', async ({ engine }) => {
      const r = await engine.run<{ accepted: boolean[]; queuedWhileDown: number; echoed: unknown[] }>('restartQueue')
      expect(r.accepted).toEqual(Array(20).fill(true))
      expect(r.queuedWhileDown).toBe(20)
      expect(r.echoed).toEqual([...Array.from({ length: 20 }, (_, i) => i), 'after'])
    })

    test('refused handshakes (401) are retried; a 4401 close stops as the policy says', async ({ engine }) => {
      const r = await engine.run<{
        retriesWhileRefused: number
        lastClose: Close
        state: string
        dialsAfterStop: number
        revived: string
      }>('refuseAndPolicy')
      expect(r.retriesWhileRefused).toBeGreaterThanOrEqual(2)
      expect(r.lastClose).toMatchObject({ code: 4401, reason: 'token expired', willReconnect: false })
      expect(r.state).toBe('closed')
      expect(r.dialsAfterStop).toBe(0)
      expect(r.revived).toBe('open')
    })

    test('close() → no more dials, even after a drop and an online event', async ({ engine }) => {
      const r = await engine.run<{ state: string; dialsAfterClose: number; closes: Close[]; sendAfterClose: boolean }>(
        'closeStops',
      )
      expect(r.state).toBe('closed')
      expect(r.dialsAfterClose).toBe(0)
      expect(r.closes).toEqual([{ code: 1000, reason: 'done', wasClean: true, willReconnect: false }])
      expect(r.sendAfterClose).toBe(false)
    })

    test('garbage frames → BAD_MESSAGE errors, the connection stays up', async ({ engine }) => {
      const r = await engine.run<{
        errors: string[]
        messages: string[]
        state: string[]
        reply: string
        polluted: boolean
        closes: number
      }>('garbage')
      expect(r.errors).toEqual(Array(10).fill('BAD_MESSAGE'))
      expect(r.messages).toEqual(['pollute'])
      expect(r.state).toEqual(['connecting', 'open', 'closed'])
      expect(r.closes).toBe(1) // only our own close() at the end
      expect(r.reply).toBe('still up')
      expect(r.polluted).toBe(false)
    })

    test('a handshake that never completes: CONNECT_TIMEOUT, retries, open once answered; nothing thrown', async ({ engine }) => {
      const r = await engine.run<{
        state: string
        reconnecting: number
        dials: number
        reply: string
        codes: string[]
        messages: string[]
        uncaught: string[]
      }>('stalledHandshake')
      expect(r.uncaught).toEqual([]) // before: close(1006) threw inside the timer and the client stayed connecting
      expect(['connecting', 'reconnecting']).toContain(r.state)
      expect(r.reconnecting).toBeGreaterThanOrEqual(3)
      expect(r.dials).toBeGreaterThanOrEqual(4)
      expect(r.reply).toBe('answered')
      expect(r.codes).toContain('CONNECT_TIMEOUT')
      for (const message of r.messages) expect(message).not.toContain('secret-token')
    })

    test('every listener throws: each throw is reported to the page, Lifeline carries on', async ({ engine }) => {
      const r = await engine.run<{
        state: string
        reply: string
        heard: { open: number; message: number; latency: number; reconnecting: number; error: number }
        reported: number
        reportedKinds: string[]
      }>('throwingListeners')
      expect(r.reply).toBe('still working')
      expect(r.state).toBe('closed')
      expect(r.heard.open).toBe(2)
      expect(r.heard.message).toBeGreaterThanOrEqual(1)
      expect(r.heard.latency).toBeGreaterThanOrEqual(1)
      expect(r.heard.reconnecting).toBeGreaterThanOrEqual(1)
      expect(r.heard.error).toBeGreaterThanOrEqual(10)
      expect(r.reportedKinds).toEqual(['close', 'error', 'latency', 'message', 'open', 'reconnecting', 'state', 'text'])
      expect(r.reported).toBeGreaterThanOrEqual(Object.values(r.heard).reduce((a, b) => a + b, 0))
    })

    test('a server with no envelopes: text frames reach the text event', async ({ engine }) => {
      const r = await engine.run<{
        plainTexts: string[]
        plainErrors: number
        envelopedTexts: string[]
        envelopedErrors: string[]
      }>('plainText')
      expect(r.plainTexts).toEqual(['hello', '{"type":"looks like an envelope"}'])
      expect(r.plainErrors).toBe(0)
      expect(r.envelopedTexts).toEqual(['hi'])
      expect(r.envelopedErrors).toEqual(['BAD_MESSAGE'])
    })

    test('a sleep (the wall clock jumps 10 min): noticed within seconds with no page event, redialed at once; a send right after goes to the new link', async ({
      engine,
      server,
    }) => {
      const r = await engine.run<{
        noticedMs: number
        backMs: number
        accepted: boolean
        timeoutsAtSend: number
        delays: number[]
        state: string
      }>('sleepWake')
      console.log(`${engine.name} (${loading}): a 10-minute clock jump noticed in ${r.noticedMs} ms, back open in ${r.backMs} ms`)
      expect(r.noticedMs).toBeLessThan(5_000) // the watchdog looks every 2 s; the heartbeat alone would wait 50 s
      expect(r.accepted).toBe(true)
      expect(r.timeoutsAtSend).toBe(2) // the send itself found the link dead before writing into it
      expect(r.delays).toEqual([]) // no backoff wait: dialed at once both times
      await expect.poll(() => server.received.filter((e) => e.type === 'after-sleep').length).toBe(1)
    })

    test('offline then online → back right after online, not after the backoff', async ({ engine, server }) => {
      await engine.run('offlineStart')
      const how = await engine.setOffline(true)
      server.faults.drop() // the same lost link in every engine, whatever its offline emulation does to sockets
      await engine.run('offlineAwaitDown')
      const onlineAt = Date.now()
      await engine.setOffline(false)
      const r = await engine.run<{ state: string; backAfterOnlineMs: number; backoffDelayMs: number }>('offlineAwaitUp', {
        onlineAt,
      })
      test.info().annotations.push({ type: 'offline', description: how })
      console.log(`${engine.name} (${loading}): online → open in ${r.backAfterOnlineMs} ms (network ${how})`)
      expect(r.state).toBe('open')
      expect(r.backoffDelayMs).toBe(10_000)
      expect(r.backAfterOnlineMs).toBeLessThan(2_000)
    })
  })
}

test("a URL the page's Content Security Policy forbids: stopped with BAD_OPTION at once, no retry loop", async ({
  engine,
  server,
}) => {
  await engine.goto(`${server.httpUrl}/e2e/csp.html`)
  await engine.waitFor('window.Lifeline && window.lifelineScenarios', 'Lifeline in the page')
  const r = await engine.run<{ state: string; dials: number; ms: number; codes: string[]; uncaught: string[] }>('cspBlocked')
  console.log(`${engine.name}: CSP-blocked URL stopped after ${r.ms} ms, ${r.dials} dial(s), errors ${r.codes.join(', ')}`)
  expect(r.state).toBe('closed')
  expect(r.codes).toContain('BAD_OPTION')
  expect(r.dials).toBeLessThanOrEqual(1)
  expect(r.ms).toBeLessThan(5_000) // not a 20 s connect timeout per try
  expect(r.uncaught).toEqual([])
})
