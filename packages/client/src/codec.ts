import { badMessage, LifelineError } from './errors'

/** A server's error reply, carried in `envelope.error`. */
export interface RemoteError {
  code: string
  message: string
}

/** One protocol v1 message: one JSON object per text frame (see PROTOCOL.md). */
export interface Envelope<T extends string = string, D = unknown> {
  type: T
  data?: D
  /** Set on requests: the reply carries it back in `re`. */
  id?: string
  /** Set on replies: the `id` of the request answered. */
  re?: string
  /** Set on error replies. */
  error?: RemoteError
}

/** Encodes an outgoing envelope. Throws `BAD_INPUT` when `type` is no non-empty string or `data` cannot be serialized. */
export function encode(type: unknown, data?: unknown, id?: string): string {
  if (typeof type !== 'string' || type === '') {
    throw new LifelineError('BAD_INPUT', 'message type must be a non-empty string', type)
  }
  try {
    return JSON.stringify({ type, data, id })
  } catch (cause) {
    throw new LifelineError('BAD_INPUT', `cannot serialize data of '${type}'`, cause)
  }
}

const notEnvelope = (text: string): LifelineError =>
  badMessage('frame is not an envelope (a JSON object with a string type)', text)

/**
 * Whether `text` is braced, `{` … `}` give or take surrounding whitespace: anything else is no envelope and needs no
 * parse (a failed parse throws, which costs microseconds per garbage frame). `trim()` returns a frame with nothing to
 * trim as it is, without copying it.
 */
function braced(text: string): boolean {
  const t = text.trim()
  return t.charCodeAt(0) === 123 && t.charCodeAt(t.length - 1) === 125
}

/** A non-string `id` or `re` as sent: a number some servers use (kept as its string), or `null` for none. */
function reference(value: unknown): string | undefined | false {
  if (value === null) return undefined
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : false
}

/**
 * Decodes an inbound text frame. Never throws: a frame that is no valid envelope comes back as a `BAD_MESSAGE` error.
 * Harmless variations are accepted: numeric `id`/`re` (made strings), `id: null`, `re: null`, `error: null`. An
 * `error` of the wrong shape is kept on a reply (the request it answers fails with `BAD_MESSAGE`) and refused elsewhere.
 */
export function decode(text: string): Envelope | LifelineError {
  if (!braced(text)) return notEnvelope(text)
  let value: Record<string, unknown>
  try {
    value = JSON.parse(text)
  } catch {
    return badMessage('frame is not JSON', text)
  }
  if (typeof value['type'] !== 'string') return notEnvelope(text)
  const { id, re, error } = value
  if (id !== undefined && typeof id !== 'string') {
    const ref = reference(id)
    if (ref === false) return badMessage('envelope has a malformed id', text)
    value['id'] = ref
  }
  if (re !== undefined && typeof re !== 'string') {
    const ref = reference(re)
    if (ref === false) return badMessage('envelope has a malformed re', text)
    value['re'] = ref
  }
  if (error === null) value['error'] = undefined
  else if (error !== undefined && value['re'] === undefined && !isRemoteError(error)) {
    return badMessage('envelope has a malformed error', text)
  }
  return value as unknown as Envelope
}

/** Whether `e` is a server error reply's `{ code: string, message: string }`. */
export const isRemoteError = (e: unknown): e is RemoteError =>
  typeof (e as RemoteError | null)?.code === 'string' && typeof (e as RemoteError).message === 'string'
