import { EventEmitter } from 'eventemitter3'

/** eventemitter3's record of one listener. */
interface ListenerRecord {
  fn: (payload: unknown) => void
  context: unknown
  once: boolean
}

/**
 * Hands an exception thrown by an app's listener to the platform, the way it reports any uncaught error
 * (`reportError` in browsers: the console and `window.onerror`; a rethrow outside Lifeline's stack elsewhere,
 * which Node reports as `uncaughtException`). Lifeline's own work goes on either way.
 */
export function reportListenerError(err: unknown): void {
  const report = (globalThis as { reportError?: (err: unknown) => void }).reportError
  if (typeof report === 'function') report(err)
  else
    queueMicrotask(() => {
      throw err
    })
}

function call(emitter: EventEmitter, name: string, record: ListenerRecord, payload: unknown): void {
  if (record.once) emitter.removeListener(name, record.fn, undefined, true)
  try {
    record.fn.call(record.context, payload)
  } catch (err) {
    reportListenerError(err)
  }
}

/** eventemitter3 prefixes event names where `Object.create(null)` is missing (never in current runtimes). */
const PREFIX = EventEmitter.prefixed

/**
 * Calls every listener of `name` in order, each isolated: one that throws is reported and neither stops the
 * others nor reaches the caller. Same semantics as eventemitter3's `emit` (context, `once`, listeners added during
 * the emit wait for the next one), reading its listener records (pinned by events.test.ts) so that the hot path
 * allocates nothing.
 */
export function emitIsolated(emitter: EventEmitter, name: string, payload: unknown): void {
  const records = (emitter as unknown as { _events: Record<string, ListenerRecord | ListenerRecord[] | undefined> })._events
  const found = records[PREFIX ? PREFIX + name : name]
  if (found === undefined) return
  if ((found as ListenerRecord).fn !== undefined) {
    call(emitter, name, found as ListenerRecord, payload)
    return
  }
  // eventemitter3 replaces the array on removal and appends on addition: a snapshot of the length is enough.
  const all = found as ListenerRecord[]
  for (let i = 0, n = all.length; i < n; i++) call(emitter, name, all[i] as ListenerRecord, payload)
}

/**
 * Events waiting for delivery, from every client, as flat (emitter, name, payload) triples. A transition posts its
 * events, then flushes: they go out once it has finished. One queue for the runtime, not one per client (an idle
 * client holds none): a listener of one client may act on another, and the order stays causal across them.
 */
const outbox: unknown[] = []
let posted = 0
let delivering = false

/** Queues an event; {@link flush} delivers it. */
export function post(emitter: EventEmitter, name: string, payload: unknown): void {
  outbox[posted++] = emitter
  outbox[posted++] = name
  outbox[posted++] = payload
}

/**
 * Delivers the posted events in order, each listener isolated. Every entry point (public method, socket event,
 * timer) ends here. Inside a listener it does nothing: what the listener causes is delivered after the current
 * event, by the loop already running.
 */
export function flush(): void {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a shortcut; the loop below would do nothing then
  if (delivering || posted === 0) return
  delivering = true
  try {
    for (let i = 0; i < posted; i += 3) {
      const emitter = outbox[i] as EventEmitter
      const payload = outbox[i + 2]
      // Stryker disable next-line ArithmeticOperator: only lets go of the references (garbage collection)
      outbox[i] = outbox[i + 2] = undefined
      emitIsolated(emitter, outbox[i + 1] as string, payload)
    }
  } finally {
    posted = 0
    delivering = false
  }
}

/**
 * An event that is a whole transition by itself (an inbound message): delivered at once when nothing is pending,
 * which spares the hot path the queue; posted behind what is pending otherwise.
 */
export function deliver(emitter: EventEmitter, name: string, payload: unknown): void {
  if (delivering || posted !== 0) {
    post(emitter, name, payload)
    return
  }
  delivering = true
  emitIsolated(emitter, name, payload) // never throws: every listener runs inside its own try
  delivering = false
  // what the listeners posted is delivered by the caller's flush: every entry point ends in one
}
