import { LifelineError } from './errors'

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

/** Decodes an inbound text frame. Never throws: a frame that is no valid envelope comes back as a `BAD_MESSAGE` error. */
export function decode(text: string): Envelope | LifelineError {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(text)
  } catch {
    return new LifelineError('BAD_MESSAGE', 'frame is not JSON', text)
  }
  // Hot path: one pass of cheap checks. Arrays and null fail the `type` check (no string `type` on them).
  if (typeof value !== 'object' || value === null || typeof value['type'] !== 'string' || Array.isArray(value)) {
    return new LifelineError('BAD_MESSAGE', 'frame is not an envelope with a string type', text)
  }
  const { id, re, error } = value
  if (
    (id !== undefined && typeof id !== 'string') ||
    (re !== undefined && typeof re !== 'string') ||
    (error !== undefined && !isRemoteError(error))
  ) {
    return new LifelineError('BAD_MESSAGE', 'envelope has a malformed id, re or error', text)
  }
  return value as unknown as Envelope
}

const isRemoteError = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as RemoteError).code === 'string' &&
  typeof (e as RemoteError).message === 'string'
