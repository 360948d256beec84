import { flush } from './events'
import type { AnyLifeline, Client } from './lifeline'

/** What the page told us. `online`: the network came back. `offline`: it went. `wake`: the page became visible or was restored from the back/forward cache. */
export type WakeReason = 'online' | 'offline' | 'wake'

interface EventSource {
  addEventListener(type: string, listener: () => void): void
  removeEventListener(type: string, listener: () => void): void
}

const nothingToDispose = (): void => undefined

/**
 * Listens to the page's network and lifecycle events, where there is a page. Returns the one dispose function.
 * In Node (no `addEventListener` on the global) it listens to nothing.
 */
export function watchEnvironment(notify: (reason: WakeReason) => void): () => void {
  const g = globalThis as unknown as Partial<EventSource> & { document?: EventSource & { visibilityState?: string } }
  if (typeof g.addEventListener !== 'function') return nothingToDispose
  const target = g as EventSource
  const doc = g.document
  const online = (): void => notify('online')
  const offline = (): void => notify('offline')
  const wake = (): void => {
    if (doc?.visibilityState !== 'hidden') notify('wake')
  }
  target.addEventListener('online', online)
  target.addEventListener('offline', offline)
  target.addEventListener('pageshow', wake)
  doc?.addEventListener('visibilitychange', wake)
  return () => {
    target.removeEventListener('online', online)
    target.removeEventListener('offline', offline)
    target.removeEventListener('pageshow', wake)
    doc?.removeEventListener('visibilitychange', wake)
  }
}

/**
 * Page watching over `client`, in a page (a no-op elsewhere): on `online` a client waiting out a backoff delay dials
 * at once; on `offline`, and when the page becomes visible or is restored from the back/forward cache, an open
 * client probes its link with a ping. Returns the dispose function; `close()` disposes it too.
 */
export function watchPage(client: AnyLifeline): () => void {
  const c = client as Client
  const unwatch = watchEnvironment((reason) => {
    if (c.state === 'reconnecting' && reason !== 'offline') c['_dial']()
    else if (c.state === 'open') c['_hb']?.probe()
    flush()
  })
  c['_use']({ stopped: (_why, ended) => ended && unwatch() })
  return unwatch
}
