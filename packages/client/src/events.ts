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
