import { error } from './connection'
import { flush } from './events'
import type { Client, Lifeline } from './lifeline'
import { redact } from './url'

/**
 * What the page told us. `online`: the network came back. `offline`: it went. `wake`: the page became visible or
 * focused, or loaded. `hide`: it went into the back/forward cache (`pagehide` with `persisted`) or was frozen.
 * `show`: it came back from either (`pageshow` with `persisted`, `resume`). `blocked`: the page's Content Security
 * Policy refused a connection (`connect-src`); the blocked URL comes along.
 */
export type WakeReason = 'online' | 'offline' | 'wake' | 'hide' | 'show' | 'blocked'

type Listener = (event: { persisted?: boolean; effectiveDirective?: string; blockedURI?: string }) => void
interface EventSource {
  addEventListener(type: string, listener: Listener): void
  removeEventListener(type: string, listener: Listener): void
}

const nothingToDispose = (): void => undefined

/**
 * Listens to the page's network and lifecycle events, where there is a page. Returns the one dispose function.
 * In Node (no `addEventListener` on the global) it listens to nothing. A `pagehide` that is no move into the
 * back/forward cache (the page is really unloading) reports nothing: that page is not reconnected.
 */
export function watchEnvironment(notify: (reason: WakeReason, blockedUrl?: string) => void): () => void {
  const g = globalThis as unknown as Partial<EventSource> & { document?: EventSource & { visibilityState?: string } }
  if (typeof g.addEventListener !== 'function') return nothingToDispose
  const target = g as EventSource
  const doc = g.document
  const visible = (): boolean => doc?.visibilityState !== 'hidden'
  const on: Record<string, Listener> = {
    online: () => notify('online'),
    offline: () => notify('offline'),
    focus: () => notify('wake'),
    pageshow: (e) => notify(e.persisted ? 'show' : 'wake'),
    pagehide: (e) => e.persisted && notify('hide'),
  }
  const onDoc: Record<string, Listener> = {
    visibilitychange: () => visible() && notify('wake'),
    freeze: () => notify('hide'),
    resume: () => notify('show'),
    securitypolicyviolation: (e) => e.effectiveDirective === 'connect-src' && notify('blocked', e.blockedURI),
  }
  for (const type in on) target.addEventListener(type, on[type] as Listener)
  for (const type in onDoc) doc?.addEventListener(type, onDoc[type] as Listener)
  return () => {
    for (const type in on) target.removeEventListener(type, on[type] as Listener)
    for (const type in onDoc) doc?.removeEventListener(type, onDoc[type] as Listener)
  }
}

/** Whether a URL the page's policy blocked (a full URL, or an origin only) is where `socketUrl` dials. */
function sameTarget(blockedUrl: string | undefined, socketUrl: string): boolean {
  try {
    const blocked = new URL(blockedUrl ?? '')
    const target = new URL(socketUrl)
    return blocked.host === target.host && blocked.protocol === target.protocol
  } catch {
    return false // no URL: not ours to judge
  }
}

/**
 * The page's Content Security Policy blocked the socket a client is dialing (Chromium reports it this way, with an
 * `error` and no `close`): no retry can heal that, so the client stops with `BAD_OPTION` instead of retrying forever.
 */
function blocked(c: Client, blockedUrl: string | undefined): void {
  const url = c['_ws']?.url
  if (c.state === 'connecting' && url !== undefined && sameTarget(blockedUrl, url)) {
    c['_halt'](error('BAD_OPTION', `the page's Content Security Policy (connect-src) blocks ${redact(url)}`))
  }
}

/**
 * The engine's `suspend` step: the page is hidden in the back/forward cache or frozen. The socket is closed cleanly,
 * the queue stays, and nothing dials until the page comes back.
 */
function suspend(c: Client): void {
  const had = c['_release'](1000, 'page hidden', false)
  c['_step']('suspend')
  if (had) c['_post']('close', { code: 1000, reason: 'page hidden', wasClean: true, willReconnect: true })
}

/**
 * Page watching over `client`, in a page (a no-op elsewhere). Returns the dispose function; `close()` disposes it too.
 * - The page wakes up (visible, focused) or the network changes (`online`, `offline`): an open link is verified at
 *   once. Silent past `intervalMs + timeoutMs` (a laptop that slept), it is dead now and redialed without a backoff
 *   wait; otherwise a probe ping runs (`heartbeat.probeTimeoutMs`), and messages wait in the queue until it is
 *   answered. A client waiting out a backoff delay dials at once (`offline` aside), with a fresh attempt count.
 * - The page goes into the back/forward cache or is frozen: the socket is closed cleanly (the server sees it at once,
 *   the page stays cacheable) and the queue kept; when the page comes back, the client dials at once.
 * - The page's Content Security Policy blocks the URL (`connect-src`): the client stops in `closed` with
 *   `BAD_OPTION` rather than retrying forever (where the browser throws instead, the client stops the same way).
 * A deliberate `close()` is never undone, and a page that is really unloading is not reconnected.
 */
// biome-ignore lint/suspicious/noExplicitAny: a client of any message maps
export function watchPage(client: Lifeline<any, any>): () => void {
  const c = client as Client
  const unwatch = watchEnvironment((reason, blockedUrl) => {
    const state = c.state
    if (reason === 'blocked') blocked(c, blockedUrl)
    else if (reason !== 'hide') c['_wake'](reason === 'offline')
    else if (state !== 'idle' && state !== 'closed') suspend(c)
    flush()
  })
  c['_use']({
    opened: () => undefined,
    reply: () => false,
    stopped: (_why, ended) => ended && unwatch(),
  })
  return unwatch
}
