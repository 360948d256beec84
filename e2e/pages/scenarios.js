// Scenarios that run inside the page, in any engine, and return a plain result object. The drivers (Playwright for
// Chromium and Firefox, W3C WebDriver for WebKit) only load the page, call one, and hand the result to the assertions.
// Needs `window.Lifeline` (the <script> build or the SPA bundle) and a page served by the test server.
;(() => {
  const wsUrl = `ws://${location.host}/ws`

  /** Polls until `check()` is truthy; rejects after `ms`. No sleeps. */
  const until = (check, what, ms = 8_000) =>
    new Promise((resolve, reject) => {
      const end = Date.now() + ms
      const poll = () => {
        let value
        try {
          value = check()
        } catch (err) {
          reject(err)
          return
        }
        if (value) resolve(value)
        else if (Date.now() > end) reject(new Error(`timed out after ${ms} ms waiting for ${what}`))
        else setTimeout(poll, 10)
      }
      poll()
    })

  /** Injects a fault through the test server's HTTP endpoint. */
  const fault = async (name, ...args) => {
    const res = await fetch(`/__faults/${name}`, { method: 'POST', body: JSON.stringify(args) })
    if (!res.ok) throw new Error(`fault ${name}: HTTP ${res.status} ${await res.text()}`)
    return res.json()
  }

  /** A client that records every event with a timestamp, and counts the sockets it makes. */
  /** Uncaught errors the page saw (what `reportError` and rethrows reach), from the moment the scenario started. */
  const uncaught = () => {
    const seen = []
    const onError = (event) => seen.push(String(event.error?.message ?? event.message))
    window.addEventListener('error', onError)
    return { seen, stop: () => window.removeEventListener('error', onError) }
  }

  const make = (options = {}, url = wsUrl) => {
    const dials = { count: 0 }
    const Native = window.WebSocket
    class Counted extends Native {
      constructor(...args) {
        super(...args)
        dials.count++
      }
    }
    const client = new window.Lifeline(url, { WebSocket: Counted, ...options })
    const events = []
    for (const name of ['open', 'close', 'reconnecting', 'state', 'message', 'text', 'latency', 'error']) {
      client.on(name, (payload) => events.push({ name, payload, at: Date.now() }))
    }
    const of = (name) => events.filter((e) => e.name === name)
    const opens = (n) => until(() => of('open').length >= n, `${n} open events`)
    window.__client = client
    return { client, events, of, opens, dials }
  }

  const fast = { reconnect: { initialDelayMs: 100, maxDelayMs: 1_000, stableAfterMs: 60_000 } }

  const scenarios = {
    async basics() {
      const { client, of, opens } = make(fast)
      await opens(1)
      client.send('echo', { text: 'héllo ✓' })
      await until(() => of('message').length, 'the echo')
      const sum = await client.request('sum', [1, 2, 3.5])
      const remote = await client
        .request('fail', { code: 'NOPE', message: 'no' })
        .catch((e) => ({ code: e.code, detail: e.detail }))
      const unknown = await client.request('nope').catch((e) => e.detail.code)
      client.close()
      return {
        engine: navigator.userAgent,
        echoed: of('message')[0].payload,
        sum,
        remote,
        unknown,
        state: client.state,
        errorIsTyped: new window.Lifeline.LifelineError('CLOSED', '') instanceof Error,
      }
    },

    async dropReconnect() {
      const { client, of, opens } = make({
        reconnect: { initialDelayMs: 200, maxDelayMs: 3_200, factor: 2, stableAfterMs: 60_000 },
      })
      await opens(1)
      for (let n = 2; n <= 5; n++) {
        await fault('drop')
        await opens(n)
      }
      const reply = await client.request('echo', 'back')
      const result = {
        closes: of('close').map((e) => [e.payload.code, e.payload.willReconnect]),
        attempts: of('reconnecting').map((e) => e.payload),
        reply,
      }
      client.close()
      return result
    },

    async halfOpen({ intervalMs = 600, timeoutMs = 400 } = {}) {
      const { client, of, opens } = make({ ...fast, heartbeat: { intervalMs, timeoutMs } })
      await opens(1)
      const silenceMs = intervalMs + timeoutMs + 1_500
      const t0 = Date.now()
      await fault('silence', silenceMs)
      const close = await until(() => of('close')[0], 'the heartbeat timeout', 10_000)
      const detectMs = close.at - t0
      // Frames written while the server is still silent are lost like on any dead link: ask once it speaks again.
      await until(() => client.state === 'open' && Date.now() - t0 > silenceMs + 100, 'recovery after the silence', 15_000)
      const reply = await client.request('echo', 'alive')
      client.close()
      return {
        close: close.payload,
        detectMs,
        budgetMs: intervalMs + timeoutMs,
        reply,
        errors: of('error').map((e) => e.payload.code),
      }
    },

    async restartQueue() {
      const { client, of, opens } = make(fast)
      await opens(1)
      await fault('restart', 800)
      await until(() => client.state !== 'open', 'the drop')
      const accepted = []
      for (let i = 0; i < 20; i++) accepted.push(client.send('echo', i))
      const queuedWhileDown = client.queued
      await opens(2)
      client.send('echo', 'after')
      await until(() => of('message').length >= 21, 'all 21 echoes', 10_000)
      client.close()
      return { accepted, queuedWhileDown, echoed: of('message').map((e) => e.payload.data) }
    },

    async refuseAndPolicy() {
      const { client, of, opens, dials } = make({ reconnect: { initialDelayMs: 100, maxDelayMs: 400, stableAfterMs: 60_000 } })
      await opens(1)
      await fault('refuse', 1_200, 401)
      await fault('drop')
      await opens(2)
      const retriesWhileRefused = of('reconnecting').length
      await fault('close', 4401, 'token expired')
      await until(() => client.state === 'closed', 'the stop')
      const dialsAtStop = dials.count
      // Nothing may dial now: watch for three times the longest backoff delay.
      const watchUntil = Date.now() + 1_200
      await until(() => Date.now() > watchUntil || dials.count > dialsAtStop, 'the watch window', 5_000)
      const result = {
        retriesWhileRefused,
        lastClose: of('close').at(-1).payload,
        state: client.state,
        dialsAfterStop: dials.count - dialsAtStop,
      }
      client.reconnect()
      await opens(3)
      result.revived = client.state
      client.close()
      return result
    },

    async closeStops() {
      const { client, of, opens, dials } = make(fast)
      await opens(1)
      client.close(1000, 'done')
      client.close()
      const before = dials.count
      await fault('drop')
      window.dispatchEvent(new Event('online'))
      const watchUntil = Date.now() + 1_000
      await until(() => Date.now() > watchUntil || dials.count > before, 'the watch window', 5_000)
      return {
        state: client.state,
        dialsAfterClose: dials.count - before,
        closes: of('close').map((e) => e.payload),
        sendAfterClose: client.send('x'),
      }
    },

    async garbage() {
      const { client, of, opens } = make(fast)
      await opens(1)
      await fault('garbage')
      await until(() => of('error').length >= 10 && of('message').length >= 1, 'ten BAD_MESSAGE errors')
      const reply = await client.request('echo', 'still up')
      const polluted = 'polluted' in {} || Object.hasOwn(Object.prototype, 'polluted')
      client.close()
      return {
        errors: of('error').map((e) => e.payload.code),
        messages: of('message').map((e) => e.payload.type),
        state: of('state').map((e) => e.payload.to),
        reply,
        polluted,
        closes: of('close').length,
      }
    },

    // A server that accepts TCP and never answers the upgrade: the connect timeout must release the socket in a way
    // the browser accepts (no close(1006)), retry with backoff, and open once the server answers.
    async stalledHandshake() {
      const errors = uncaught()
      await fault('stall', 60_000)
      const { client, of, opens, dials } = make(
        { connectTimeoutMs: 400, reconnect: { initialDelayMs: 100, maxDelayMs: 300, stableAfterMs: 60_000 } },
        `${wsUrl}?token=secret-token`,
      )
      await until(() => of('error').filter((e) => e.payload.code === 'CONNECT_TIMEOUT').length >= 3, 'three timeouts', 10_000)
      const stuck = { state: client.state, reconnecting: of('reconnecting').length }
      await fault('reset')
      await opens(1)
      const reply = await client.request('echo', 'answered')
      client.close()
      errors.stop()
      return {
        ...stuck,
        dials: dials.count,
        reply,
        codes: [...new Set(of('error').map((e) => e.payload.code))],
        messages: of('error').map((e) => e.payload.message),
        uncaught: errors.seen,
      }
    },

    // A machine that slept 10 minutes: the wall clock jumps (Date.now is moved ahead: the page cannot be suspended
    // here). First with no page event and no send: the runtime's clock watchdog notices within seconds, fails the
    // link (silent past interval + timeout on the wall clock) and redials at once. Then a send right after a second
    // jump, before any timer ran: the link is failed first and the message goes to the next one, not the dead one.
    async sleepWake() {
      const { client, of, opens } = make({
        reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none', stableAfterMs: 60_000 },
      })
      await opens(1)
      const realNow = Date.now
      let shift = 0
      Date.now = () => realNow() + shift
      try {
        shift += 600_000
        const wokeAt = performance.now()
        await until(() => of('error').some((e) => e.payload.code === 'HEARTBEAT_TIMEOUT'), 'the jump noticed', 8_000)
        const noticedMs = Math.round(performance.now() - wokeAt)
        await opens(2)
        const backMs = Math.round(performance.now() - wokeAt)
        shift += 600_000
        const accepted = client.send('after-sleep', { n: 1 })
        const timeoutsAtSend = of('error').filter((e) => e.payload.code === 'HEARTBEAT_TIMEOUT').length
        await opens(3)
        const delays = of('reconnecting').map((e) => e.payload.delayMs)
        return { noticedMs, backMs, accepted, timeoutsAtSend, delays, state: client.state }
      } finally {
        Date.now = realNow
        client.close()
      }
    },

    // A URL the page's Content Security Policy forbids (csp.html: connect-src 'self'; localhost is not 127.0.0.1): no
    // retry can heal it, so the client stops in closed with BAD_OPTION, whichever way the engine reports the block.
    async cspBlocked() {
      const errors = uncaught()
      const started = performance.now()
      const { client, of, dials } = make(
        { connectTimeoutMs: 20_000, reconnect: { initialDelayMs: 50, maxDelayMs: 50 } },
        `ws://localhost:${location.port}/ws`,
      )
      await until(() => client.state === 'closed', 'the client to stop', 15_000)
      const ms = Math.round(performance.now() - started)
      const result = { state: client.state, dials: dials.count, ms, codes: of('error').map((e) => e.payload.code) }
      client.close()
      errors.stop()
      return { ...result, uncaught: errors.seen }
    },

    // An app whose listeners all throw: every throw is reported to the page, and Lifeline goes on as if nothing happened.
    async throwingListeners() {
      const errors = uncaught()
      const names = ['open', 'close', 'reconnecting', 'state', 'message', 'text', 'latency', 'error']
      const Native = window.WebSocket
      const client = new window.Lifeline(wsUrl, {
        WebSocket: Native,
        heartbeat: { intervalMs: 300, timeoutMs: 1_000 },
        reconnect: { initialDelayMs: 100, maxDelayMs: 300, stableAfterMs: 60_000 },
      })
      for (const name of names) {
        client.on(name, () => {
          throw new Error(`app bug in ${name}`)
        })
      }
      const heard = {}
      for (const name of names) client.on(name, () => (heard[name] = (heard[name] ?? 0) + 1))
      client.send('echo', 'queued before open')
      await until(() => heard.open === 1 && heard.message === 1, 'open and the echo of the queued message')
      await until(() => (heard.latency ?? 0) >= 1, 'a pong')
      await fault('drop')
      await until(() => heard.open === 2, 'the reconnect')
      const reply = await client.request('echo', 'still working')
      await fault('garbage') // frames that are no envelopes: text and error events, and their throws
      await until(() => (heard.error ?? 0) >= 10 && (heard.text ?? 0) >= 1, 'the error events')
      client.close()
      errors.stop()
      return {
        state: client.state,
        reply,
        heard,
        reported: errors.seen.length,
        reportedKinds: [...new Set(errors.seen.map((m) => m.replace(/^.*app bug in /, '')))].sort(),
      }
    },

    // A server that knows no envelopes (the test server's /raw echo): text in, text out.
    async plainText() {
      const rawUrl = `ws://${location.host}/raw`
      const plain = make(
        { envelopes: false, heartbeat: { intervalMs: 300, timeoutMs: 500, frames: { ping: 'ping', pong: 'pong' } } },
        rawUrl,
      )
      await plain.opens(1)
      plain.client.sendRaw('hello')
      plain.client.sendRaw('{"type":"looks like an envelope"}')
      await until(() => plain.of('text').length >= 2, 'two echoes')
      await until(() => plain.of('latency').length >= 1, 'a heartbeat answered through the echo', 5_000)
      const enveloped = make({ heartbeat: false }, rawUrl)
      await enveloped.opens(1)
      enveloped.client.sendRaw('hi')
      await until(() => enveloped.of('text').length >= 1, 'the echo')
      const result = {
        plainTexts: plain.of('text').map((e) => e.payload),
        plainErrors: plain.of('error').length,
        envelopedTexts: enveloped.of('text').map((e) => e.payload),
        envelopedErrors: enveloped.of('error').map((e) => e.payload.code),
      }
      plain.client.close()
      enveloped.client.close()
      return result
    },

    // Behind a proxy: hold one connection open for `watchMs` and report what happened to it.
    async proxyIdle({ heartbeat, watchMs }) {
      const { client, of, opens } = make({
        heartbeat,
        reconnect: { initialDelayMs: 100, maxDelayMs: 500, stableAfterMs: 60_000 },
      })
      await opens(1)
      const openAt = of('open')[0].at
      if (watchMs) {
        await until(() => Date.now() > openAt + watchMs || of('close').length, 'the watch window', watchMs + 5_000)
      } else {
        await until(() => of('close').length, 'the proxy to cut the idle link', 15_000)
        await opens(2)
      }
      const result = {
        closes: of('close').map((e) => ({ ...e.payload, afterMs: e.at - openAt })),
        reconnects: of('reconnecting').length,
        pongs: of('latency').length,
        state: client.state,
        heldMs: Date.now() - openAt,
      }
      client.close()
      return result
    },

    // Failover: open, let the test kill the backend, then come back through the proxy on the other one.
    async holdOpen() {
      window.__held = make({
        heartbeat: { intervalMs: 1_000, timeoutMs: 1_000 },
        reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
      })
      await window.__held.opens(1)
      return { id: (await window.__held.client.request('whoami')).id }
    },
    async awaitBack() {
      const { client, of, opens } = window.__held
      await opens(2)
      const result = {
        id: (await client.request('whoami')).id,
        echo: await client.request('echo', 'via the other backend'),
        closes: of('close').map((e) => e.payload.code),
      }
      client.close()
      return result
    },

    // Offline is driven from outside (Playwright's setOffline, or WebDriver's stand-in); these are its page steps.
    async offlineStart() {
      const rec = make({ reconnect: { initialDelayMs: 10_000, maxDelayMs: 10_000, jitter: 'none', stableAfterMs: 60_000 } })
      window.__offline = rec
      await rec.opens(1)
      return { state: rec.client.state }
    },
    async offlineAwaitDown() {
      const { client } = window.__offline
      await until(() => client.state === 'reconnecting', 'the lost link')
      return { state: client.state, onLine: navigator.onLine }
    },
    async offlineAwaitUp({ onlineAt }) {
      const { client, of } = window.__offline
      await until(() => client.state === 'open', 'the link back after online', 5_000)
      const open = of('open').at(-1)
      const result = {
        state: client.state,
        backAfterOnlineMs: open.at - onlineAt,
        backoffDelayMs: of('reconnecting')[0]?.payload.delayMs,
      }
      client.close()
      return result
    },
  }

  window.lifelineScenarios = scenarios
  window.lifelineRun = (name, args) =>
    scenarios[name](args).then(
      (result) => ({ ok: true, result }),
      (err) => ({ ok: false, error: String(err?.stack ? err.stack : err) }),
    )
})()
