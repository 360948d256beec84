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
    expect(seen).toEqual(['online', 'offline', 'wake', 'wake'])
    stop()
    page.fire('online')
    page.show()
    expect(seen).toHaveLength(4)
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

  it('probes an open link on offline and wake-ups: a dead one is found within timeoutMs', async () => {
    const client = await openClient()
    page.fire('offline')
    expect(
      FakeSocket.last()
        .envelopes()
        .map((e) => e.type),
    ).toEqual(['ping'])
    vi.advanceTimersByTime(10_000)
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
    expect(page.removed.mock.calls.map(([type]) => type).sort()).toEqual(['offline', 'online', 'pageshow'])
    FakeSocket.last().serverClose(1006, '', false)
    page.fire('online')
    expect(FakeSocket.instances).toHaveLength(1)
    expect(client.state).toBe('reconnecting')
    client.close()
  })

  it('watchPage listens, and close() removes exactly what it added (online, offline, pageshow, visibilitychange)', async () => {
    const client = await openClient()
    const added = page.listeners.mock.calls.map(([type, fn]) => [type, fn])
    expect(added.map(([type]) => type).sort()).toEqual(['offline', 'online', 'pageshow'])
    client.close()
    expect(page.removed.mock.calls.map(([type, fn]) => [type, fn])).toEqual(added)
    expect(page.docRemoved.mock.calls.map(([type]) => type)).toEqual(['visibilitychange'])
  })
})
