import type { BackoffOptions, Jitter } from './backoff'
import type { CloseInfo } from './close-policy'
import { LifelineError } from './errors'
import type { WebSocketConstructor } from './socket'

/** Where to dial. A function is called before every dial, so it can hand out a fresh token each time. */
export type UrlSource = string | URL | (() => string | URL | Promise<string | URL>)

/** Subprotocols to offer. A function is called before every dial. */
export type ProtocolsSource = string | string[] | (() => string | string[] | Promise<string | string[]>)

/** Text frames for servers whose heartbeat is not protocol v1's `ping`/`pong` envelopes. */
export interface HeartbeatFrames {
  /** The frame sent as a ping, e.g. `'ping'`. When the server sends this frame, Lifeline answers with `pong`. */
  ping: string
  /** The frame the server answers with, e.g. `'pong'`. */
  pong: string
}

export interface HeartbeatOptions {
  /**
   * Inbound silence, in milliseconds, after which a ping is sent. Any inbound frame counts as life. To keep the
   * per-frame cost to a counter, the clock is read once per check window: a ping goes out at most
   * `min(1 s, intervalMs / 10)` after `intervalMs` of silence; with sporadic traffic it may go out earlier.
   * @default 50_000 (with `timeoutMs`, 60 s in all: under nginx's default `proxy_read_timeout` of 60 s)
   */
  intervalMs?: number
  /**
   * Milliseconds to wait after a ping for any inbound frame before the link is declared dead: it is then closed
   * with code 4000, reason `'heartbeat timeout'`, and Lifeline reconnects.
   * @default 10_000
   */
  timeoutMs?: number
  /**
   * How long a probe waits for an answer, in milliseconds: the ping sent when the page wakes up or the network
   * changes (see `watchPage`). Meanwhile messages wait in the queue rather than go into a link that may be dead.
   * At most `timeoutMs`.
   * @default 3_000
   */
  probeTimeoutMs?: number
  /**
   * `false` for servers that ping (the Socket.IO model): the client sends no pings, answers the server's, and
   * declares the link dead after `intervalMs + timeoutMs` without any inbound frame; the server must send something
   * at least every `intervalMs`. Wake-ups are then verified by the wall clock alone (no probe can be sent).
   * @default true
   */
  clientPings?: boolean
  /**
   * Use these text frames instead of protocol v1's `{ "type": "ping" }` / `{ "type": "pong" }` envelopes.
   * @default undefined (envelopes)
   */
  frames?: HeartbeatFrames
}

export interface ReconnectOptions {
  /** Ceiling of the first retry's delay, in milliseconds. @default 1_000 */
  initialDelayMs?: number
  /** Largest delay between attempts, in milliseconds. @default 30_000 */
  maxDelayMs?: number
  /** Growth of the delay ceiling per attempt. @default 2 */
  factor?: number
  /** `full`: uniform in [0, ceiling]; `equal`: in [ceiling/2, ceiling]; `none`: the ceiling itself. @default 'full' */
  jitter?: Jitter
  /** Failed attempts in a row after which the client stops (state `closed`, error `RECONNECT_EXHAUSTED`). @default Infinity */
  maxAttempts?: number
  /**
   * Milliseconds a connection must stay open before the attempt count resets, so that a server that accepts and
   * drops at once meets growing delays instead of a tight loop.
   * @default 5_000
   */
  stableAfterMs?: number
}

export interface QueueOptions {
  /** Messages (and requests) held while the socket is not open; past this, new ones are refused with `QUEUE_FULL`. @default 1_000 */
  maxMessages?: number
}

export interface LifelineOptions {
  /** Heartbeat settings, or `false` to send no pings (the server's pings are still answered). @default { intervalMs: 50_000, timeoutMs: 10_000 } */
  heartbeat?: HeartbeatOptions | false
  /** Reconnect settings, or `false` to never reconnect on its own. @default { initialDelayMs: 1_000, maxDelayMs: 30_000, factor: 2, jitter: 'full', maxAttempts: Infinity, stableAfterMs: 5_000 } */
  reconnect?: ReconnectOptions | false
  /**
   * Decides whether to reconnect after the server or the network closed the connection.
   * Not consulted after the user's own `close()`, which never reconnects.
   * @default defaultShouldReconnect (the table in `classifyClose`)
   */
  shouldReconnect?: (close: CloseInfo) => boolean
  /** Milliseconds a handshake may take before it is abandoned and retried. @default 10_000 */
  connectTimeoutMs?: number
  /**
   * Whether text frames are protocol v1 envelopes. `true`: each one is decoded; one that is no envelope reaches the
   * `text` event and is reported as `BAD_MESSAGE`. `false`: nothing is decoded, every text frame reaches `text` as
   * it is (a plain reconnecting socket for any server); requests are then unavailable, and the heartbeat needs
   * `frames` (or `heartbeat: false`), since envelope pings could not be told from data.
   * @default true
   */
  envelopes?: boolean
  /** Send-queue settings, or `false` to refuse messages (`NOT_OPEN`) while not open. @default { maxMessages: 1_000 } */
  queue?: QueueOptions | false
  /** Subprotocols, or a function called before every dial. @default undefined */
  protocols?: ProtocolsSource
  /** The WebSocket constructor to use. @default the global WebSocket in browsers, `ws` in Node */
  WebSocket?: WebSocketConstructor
  /** Node only: the options object handed to `ws` (headers, agent, TLS, …). @default undefined */
  wsOptions?: object
  /** Do not dial until the first `send`, `request` or `connect()`. @default false */
  lazy?: boolean
}

/** Options with every default filled in and every value checked. */
export interface ResolvedOptions {
  protocols: LifelineOptions['protocols'] | undefined
  shouldReconnect: LifelineOptions['shouldReconnect'] | undefined
  wsOptions: LifelineOptions['wsOptions'] | undefined
  lazy: boolean | undefined
  heartbeat: (Required<Omit<HeartbeatOptions, 'frames'>> & { frames: HeartbeatFrames | undefined }) | false
  reconnect: (BackoffOptions & { maxAttempts: number; stableAfterMs: number }) | false
  queue: Required<QueueOptions> | false
  connectTimeoutMs: number
  envelopes: boolean
  WebSocket: WebSocketConstructor
}

const freeze = <T extends object>(o: T): Readonly<T> => {
  for (const value of Object.values(o)) if (typeof value === 'object') Object.freeze(value)
  return Object.freeze(o)
}

/** The defaults, exported so apps can build on them (frozen: clients share them). */
export const DEFAULTS = freeze({
  heartbeat: { intervalMs: 50_000, timeoutMs: 10_000, probeTimeoutMs: 3_000, clientPings: true },
  reconnect: {
    initialDelayMs: 1_000,
    maxDelayMs: 30_000,
    factor: 2,
    jitter: 'full',
    maxAttempts: Infinity,
    stableAfterMs: 5_000,
  },
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  queue: { maxMessages: 1_000 },
} as const)

const bad = (message: string): LifelineError => new LifelineError('BAD_OPTION', message)

/** The longest duration a timer can wait, in milliseconds (2^31 - 1): longer ones fire at once in every runtime. */
export const MAX_DURATION_MS = 2_147_483_647

/** Numeric options by name: the smallest and largest allowed value (`Infinity`: unbounded). Others: a duration. */
const LIMITS: Record<string, [min: number, max: number]> = {
  intervalMs: [1, MAX_DURATION_MS],
  timeoutMs: [1, MAX_DURATION_MS],
  probeTimeoutMs: [1, MAX_DURATION_MS],
  connectTimeoutMs: [1, MAX_DURATION_MS],
  requestTimeoutMs: [1, MAX_DURATION_MS],
  factor: [1, Number.MAX_VALUE],
  maxAttempts: [0, Infinity],
  maxMessages: [0, Infinity],
}
const DURATION: [number, number] = [0, MAX_DURATION_MS]

/** A number in [`min`, `max`] (`max` Infinity: `Infinity` itself allowed). Throws `code` (`BAD_OPTION`) naming it. */
export function checkNumber(
  name: string,
  value: unknown,
  min = 0,
  max = MAX_DURATION_MS,
  code: 'BAD_OPTION' | 'BAD_INPUT' = 'BAD_OPTION',
): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`
    throw new LifelineError(code, `${name} must be a number ${range}, got ${String(value)}`)
  }
  return value
}

/** Each key of `defaults`, taken from `given` when set there, numbers checked against {@link LIMITS}. */
function fill<T extends object>(name: string, given: unknown, defaults: T): T {
  if (typeof given !== 'object' || given === null) throw bad(`${name} must be an object${name === 'options' ? '' : ' or false'}`)
  const out = {} as T
  for (const key in defaults) {
    const value = (given as Partial<T>)[key] ?? defaults[key]
    const [min, max] = LIMITS[key] ?? DURATION
    if (typeof defaults[key] === 'number') checkNumber(`${name}.${key}`, value, min, max)
    out[key] = value
  }
  return out
}

/** A section (`heartbeat`, `reconnect`, `queue`): `false`, the shared defaults when not given, or a checked copy. */
const section = <T extends object>(name: string, given: unknown, defaults: T): T | false =>
  given === false ? false : given === undefined ? defaults : fill(name, given, defaults)

/** Fills in defaults and validates. Throws `BAD_OPTION` naming the first bad option. */
export function resolveOptions(options: LifelineOptions, defaultWebSocket: WebSocketConstructor | undefined): ResolvedOptions {
  const { connectTimeoutMs } = fill('options', options, { connectTimeoutMs: DEFAULTS.connectTimeoutMs } as {
    connectTimeoutMs: number
  })
  const timings = section('heartbeat', options.heartbeat, DEFAULTS.heartbeat as Required<Omit<HeartbeatOptions, 'frames'>>)
  const reconnect = section('reconnect', options.reconnect, DEFAULTS.reconnect as ResolvedOptions['reconnect'] & object)
  const queue = section('queue', options.queue, DEFAULTS.queue as { maxMessages: number })
  const frames = options.heartbeat ? options.heartbeat.frames : undefined
  if (frames !== undefined && (typeof frames?.ping !== 'string' || typeof frames.pong !== 'string')) {
    throw bad('heartbeat.frames must be { ping: string, pong: string }')
  }
  if (frames !== undefined && frames.ping === frames.pong) throw bad('heartbeat.frames: ping and pong must differ')
  if (timings && typeof timings.clientPings !== 'boolean') throw bad('heartbeat.clientPings must be a boolean')
  if (reconnect && !['full', 'equal', 'none'].includes(reconnect.jitter))
    throw bad(`reconnect.jitter must be 'full', 'equal' or 'none'`)
  const { protocols, shouldReconnect } = options
  if (protocols !== undefined && !Array.isArray(protocols) && !['string', 'function'].includes(typeof protocols)) {
    throw bad('protocols must be a string, a string[] or a function')
  }
  if (shouldReconnect !== undefined && typeof shouldReconnect !== 'function') throw bad('shouldReconnect must be a function')
  for (const flag of ['lazy', 'envelopes'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw bad(`${flag} must be a boolean`)
  }
  if (options.wsOptions !== undefined && (typeof options.wsOptions !== 'object' || options.wsOptions === null)) {
    throw bad('wsOptions must be an object')
  }
  const envelopes = options.envelopes ?? true
  if (!envelopes && timings && timings.clientPings && frames === undefined) {
    throw bad(
      'envelopes: false needs heartbeat.frames (text ping/pong frames the server knows), heartbeat.clientPings: false or heartbeat: false',
    )
  }
  const WebSocket = options.WebSocket ?? defaultWebSocket
  if (typeof WebSocket !== 'function') throw bad('no WebSocket implementation: pass options.WebSocket')
  // one literal of every key, not a spread of the caller's object: every client's options then share one hidden
  // class, its fields in the object (a spread made one hidden class per client once the site saw several shapes)
  return {
    // the shared, frozen defaults unless text frames are given: no copy per client (idle memory)
    heartbeat: timings && frames === undefined ? (timings as ResolvedOptions['heartbeat']) : timings && { ...timings, frames },
    reconnect,
    queue,
    connectTimeoutMs,
    envelopes,
    WebSocket,
    protocols,
    shouldReconnect,
    wsOptions: options.wsOptions,
    lazy: options.lazy,
  }
}
