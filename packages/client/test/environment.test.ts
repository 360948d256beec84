import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watchEnvironment, watchPage } from '../src/environment'
import { Lifeline } from '../src/lifeline'
import type { LifelineOptions } from '../src/options'
import { FakeSocket } from './fake-socket'

/** Gives Node's global the page events a browser has, for the length of a test. */
function fakePage() {
  const win = new EventTarget()
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' })
  const g = globalThis as unknown as Record<string, unknown>
  // through `win` at call time, so that the spies below see every call
  g['addEventListener'] = (...args: Parameters<EventTarget['addEventListener']>) => win.addEventListener(...args)
  g['removeEventListener'] = (...args: Parameters<EventTarget['removeEventListener']>) => win.removeEventListener(...args)
  g['document'] = doc
  const listeners = vi.spyOn(win, 'addEventListener')
  const removed = vi.spyOn(win, 'removeEventListener')
  const docRemoved = vi.spyOn(doc, 'removeEventListener')
  return {
    fire: (type: string) => win.dispatchEvent(new Event(type)),
    hide: () => {
      doc.visibilityState = 'hidden'
      doc.dispatchEvent(new Event('visibilitychange'))
    },
    /** A page event with `persisted` (pagehide/pageshow of the back/forward cache). */
    firePersisted: (type: string, persisted: boolean) => win.dispatchEvent(Object.assign(new Event(type), { persisted })),
    fireDoc: (type: string) => doc.dispatchEvent(new Event(type)),
    /** A Content Security Policy violation, as the page reports it. */
    violation: (effectiveDirective: string, blockedURI: string) =>
      doc.dispatchEvent(Object.assign(new Event('securitypolicyviolation'), { effectiveDirective, blockedURI })),
    show: () => {
      doc.visibilityState = 'visible'
      doc.dispatchEvent(new Event('visibilitychange'))
    },
    listeners,
    removed,
    docRemoved,
    restore: () => {
      delete g['addEventListener']
      delete g['removeEventListener']
      delete g['document']
    },
  }
}

describe('watchEnvironment', () => {
  let page: ReturnType<typeof fakePage>
  beforeEach(() => {
    page = fakePage()
  })
  afterEach(() => page.restore())

  it('reports online, offline and wake-ups; hiding the page is no wake-up', () => {
    const seen: string[] = []
    const stop = watchEnvironment((reason) => seen.push(reason))
    page.fire('online')
    page.fire('offline')
    page.hide()
    page.show()
    page.fire('pageshow')
    page.fire('focus')
    expect(seen).toEqual(['online', 'offline', 'wake', 'wake', 'wake'])
    stop()
    page.fire('online')
    page.show()
    expect(seen).toHaveLength(5)
  })

  it('reports the back/forward cache and freezing: hide and show; a real unload reports nothing', () => {
    const seen: string[] = []
    const stop = watchEnvironment((reason) => seen.push(reason))
    page.firePersisted('pagehide', false) // unloading for good
    page.firePersisted('pagehide', true)
    page.firePersisted('pageshow', true)
    page.firePersisted('pageshow', false) // a first load
    page.fireDoc('freeze')
    page.fireDoc('resume')
    expect(seen).toEqual(['hide', 'show', 'wake', 'hide', 'show'])
    stop()
    page.firePersisted('pagehide', true)
    page.fireDoc('freeze')
    expect(seen).toHaveLength(5)
  })

  it('does nothing in Node (no global addEventListener)', () => {
    page.restore()
    const notify = vi.fn()
    const stop = watchEnvironment(notify)
    stop()
    expect(notify).not.toHaveBeenCalled()
  })
})

describe('Lifeline in a page', () => {
  let page: ReturnType<typeof fakePage>
  beforeEach(() => {
    page = fakePage()
    FakeSocket.instances = []
    vi.useFakeTimers()
  })
  afterEach(() => {
    page.restore()
    vi.useRealTimers()
  })

  const openClient = async ({ watch = true, ...options }: LifelineOptions & { watch?: boolean } = {}) => {
    const client = new Lifeline('ws://test/ws', {
      WebSocket: FakeSocket,
      heartbeat: { intervalMs: 50_000, timeoutMs: 10_000 },
      ...options,
    })
    if (watch) watchPage(client)
    await Promise.resolve()
    FakeSocket.last().open()
    return client
  }

  it('dials at once when the network comes back, instead of waiting out the backoff', async () => {
    const client = await openClient({ reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' } })
    FakeSocket.last().serverClose(1006, '', false)
    expect(client.state).toBe('reconnecting')
    page.fire('offline')
    expect(FakeSocket.instances).toHaveLength(1)
    page.fire('online')
    expect(FakeSocket.instances).toHaveLength(2)
    expect(client.state).toBe('connecting')
    client.close()
  })

  it('probes an open link on offline and wake-ups: a dead one is found within probeTimeoutMs', async () => {
    const client = await openClient({ heartbeat: { intervalMs: 50_000, timeoutMs: 10_000, probeTimeoutMs: 2_000 } })
    page.fire('offline')
    expect(
      FakeSocket.last()
        .envelopes()
        .map((e) => e.type),
    ).toEqual(['ping'])
    vi.advanceTimersByTime(1_999)
    expect(client.state).toBe('open')
    vi.advanceTimersByTime(1)
    expect(client.state).toBe('reconnecting')
    client.close()
  })

  it('close() removes its page listeners; a deliberate close is not undone by a wake-up', async () => {
    const client = await openClient()
    client.close()
    page.fire('online')
    page.show()
    expect(FakeSocket.instances).toHaveLength(1)
    expect(client.state).toBe('closed')
  })

  it('a client without watchPage listens to nothing', async () => {
    const client = await openClient({
      watch: false,
      reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' },
    })
    expect(page.listeners).not.toHaveBeenCalled()
    FakeSocket.last().serverClose(1006, '', false)
    page.fire('online') // a watching client would dial now
    page.show()
    expect(FakeSocket.instances).toHaveLength(1)
    expect(client.state).toBe('reconnecting')
    client.close()
  })

  it('the dispose function watchPage returns stops the watching; the client goes on', async () => {
    const client = new Lifeline('ws://test/ws', {
      WebSocket: FakeSocket,
      reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' },
    })
    const unwatch = watchPage(client)
    await Promise.resolve()
    FakeSocket.last().open()
    unwatch()
    expect(page.removed.mock.calls.map(([type]) => type).sort()).toEqual(['focus', 'offline', 'online', 'pagehide', 'pageshow'])
    FakeSocket.last().serverClose(1006, '', false)
    page.fire('online')
    expect(FakeSocket.instances).toHaveLength(1)
    expect(client.state).toBe('reconnecting')
    client.close()
  })

  it('watchPage listens, and close() removes exactly what it added (online, offline, pageshow, visibilitychange)', async () => {
    const client = await openClient()
    const added = page.listeners.mock.calls.map(([type, fn]) => [type, fn])
    expect(added.map(([type]) => type).sort()).toEqual(['focus', 'offline', 'online', 'pagehide', 'pageshow'])
    client.close()
    expect(page.removed.mock.calls.map(([type, fn]) => [type, fn])).toEqual(added)
    expect(page.docRemoved.mock.calls.map(([type]) => type)).toEqual([
      'visibilitychange',
      'freeze',
      'resume',
      'securitypolicyviolation',
    ])
  })

  describe('wake = verify at once', () => {
    it('after a sleep (silent past interval + timeout on the wall clock), a wake-up redials at once; sends wait', async () => {
      const client = await openClient({ reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' } })
      const errors: string[] = []
      client.on('error', (e) => errors.push(e.code))
      vi.setSystemTime(Date.now() + 10 * 60_000) // the laptop slept 10 minutes; no timer has run yet
      page.show()
      expect(errors).toEqual(['HEARTBEAT_TIMEOUT'])
      expect(FakeSocket.instances).toHaveLength(2) // no backoff wait
      expect(client.state).toBe('connecting')
      expect(FakeSocket.instances[0]?.sent).toEqual([]) // no ping written into the dead link
      expect(client.send('after-wake')).toBe(true)
      FakeSocket.last().open()
      expect(
        FakeSocket.last()
          .envelopes()
          .map((e) => e.type),
      ).toEqual(['after-wake'])
      client.close()
    })

    it('a live link: the probe ping goes out, messages wait for its answer, then go in order', async () => {
      const client = await openClient()
      const socket = FakeSocket.last()
      vi.advanceTimersByTime(1_000)
      page.fire('online')
      expect(socket.envelopes().map((e) => e.type)).toEqual(['ping'])
      client.send('a')
      client.send('b')
      expect(client.queued).toBe(2)
      expect(socket.envelopes().map((e) => e.type)).toEqual(['ping'])
      socket.receive({ type: 'pong' })
      expect(socket.envelopes().map((e) => e.type)).toEqual(['ping', 'a', 'b'])
      expect(client.queued).toBe(0)
      client.send('c') // verified: straight out
      expect(socket.envelopes().map((e) => e.type)).toEqual(['ping', 'a', 'b', 'c'])
      client.close()
    })

    it('an unanswered probe is death after probeTimeoutMs (3 s, the default), then a reconnect; the waiting messages go to the new link', async () => {
      const client = await openClient()
      const socket = FakeSocket.last()
      page.fire('offline')
      client.send('kept')
      vi.advanceTimersByTime(2_999)
      expect(client.state).toBe('open')
      vi.advanceTimersByTime(1)
      expect(client.state).toBe('reconnecting')
      expect(socket.sent.filter((f) => String(f).includes('kept'))).toEqual([])
      vi.advanceTimersByTime(1_000)
      FakeSocket.last().open()
      expect(
        FakeSocket.last()
          .envelopes()
          .map((e) => e.type),
      ).toEqual(['kept'])
      client.close()
    })
  })

  describe('back/forward cache and freezing', () => {
    it('pagehide (persisted) closes the socket cleanly and keeps the queue; pageshow (persisted) dials at once', async () => {
      const client = await openClient({ reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' } })
      const closes: unknown[] = []
      client.on('close', (e) => closes.push(e))
      const socket = FakeSocket.last()
      page.firePersisted('pagehide', true)
      expect(socket.closedWith).toEqual({ code: 1000, reason: 'page hidden' })
      expect(client.state).toBe('reconnecting')
      expect(closes).toEqual([{ code: 1000, reason: 'page hidden', wasClean: true, willReconnect: true }])
      expect(client.send('while-cached')).toBe(true)
      vi.advanceTimersByTime(60 * 60_000) // nothing dials while the page sits in the cache
      expect(FakeSocket.instances).toHaveLength(1)
      page.firePersisted('pageshow', true)
      expect(FakeSocket.instances).toHaveLength(2)
      FakeSocket.last().open()
      expect(
        FakeSocket.last()
          .envelopes()
          .map((e) => e.type),
      ).toEqual(['while-cached'])
      client.close()
    })

    it('freeze and resume do the same', async () => {
      const client = await openClient()
      page.fireDoc('freeze')
      expect(client.state).toBe('reconnecting')
      expect(vi.getTimerCount()).toBe(0) // no backoff timer, no heartbeat
      page.fireDoc('resume')
      expect(client.state).toBe('connecting')
      client.close()
    })

    it('a page really unloading is not touched; a closed client is not revived by pageshow', async () => {
      const client = await openClient()
      page.firePersisted('pagehide', false)
      expect(client.state).toBe('open')
      client.close()
      page.firePersisted('pageshow', true)
      page.fireDoc('resume')
      expect(FakeSocket.instances).toHaveLength(1)
      expect(client.state).toBe('closed')
    })

    it('a lazy client not yet dialed is left alone by pagehide', () => {
      const client = new Lifeline('ws://test/ws', { WebSocket: FakeSocket, lazy: true })
      watchPage(client)
      page.firePersisted('pagehide', true)
      expect(client.state).toBe('idle')
      client.close()
    })
  })

  describe("a URL the page's Content Security Policy blocks", () => {
    it('stops the dialing client with BAD_OPTION instead of retrying forever (Chromium: an error, no close)', async () => {
      const client = new Lifeline('ws://test/ws?token=secret', { WebSocket: FakeSocket })
      const errors: Array<{ code: string; message: string }> = []
      client.on('error', (e) => errors.push(e))
      watchPage(client)
      await Promise.resolve()
      page.violation('img-src', 'ws://test/ws') // another directive: not about the socket
      page.violation('connect-src', 'ws://elsewhere/ws') // another target
      page.violation('connect-src', 'not a url')
      expect(client.state).toBe('connecting')
      page.violation('connect-src', 'ws://test/ws?token=secret')
      expect(client.state).toBe('closed')
      expect(errors).toEqual([
        expect.objectContaining({
          code: 'BAD_OPTION',
          message: "the page's Content Security Policy (connect-src) blocks 'ws://test/ws?…'",
        }),
      ])
      vi.advanceTimersByTime(60_000)
      expect(FakeSocket.instances).toHaveLength(1) // no retry loop
      client.close()
    })

    it('an origin-only report matches too; an open client is not affected', async () => {
      const client = new Lifeline('ws://test/ws', { WebSocket: FakeSocket })
      watchPage(client)
      await Promise.resolve()
      page.violation('connect-src', 'ws://test')
      expect(client.state).toBe('closed')
      client.close()
      const open = await openClient()
      page.violation('connect-src', 'ws://test/ws')
      expect(open.state).toBe('open')
      open.close()
    })
  })
})
