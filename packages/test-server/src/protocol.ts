/** Lifeline protocol v1, server side: the envelope and argument parsing the handlers (handlers.ts) use. See PROTOCOL.md. */

export interface Envelope {
  type: string
  data?: unknown
  id?: string
  re?: string
  error?: { code: string; message: string }
}

/** What a handler returns: reply data, or an error for the reply. */
export type HandlerResult = { data: unknown } | { error: { code: string; message: string } }

export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Parses a client's text frame. Throws ProtocolError('BAD_MESSAGE') on anything that is no envelope. */
export function parseEnvelope(text: string): Envelope {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ProtocolError('BAD_MESSAGE', 'frame is not JSON')
  }
  if (!isObject(value) || typeof value['type'] !== 'string') {
    throw new ProtocolError('BAD_MESSAGE', 'frame is not an envelope with a string type')
  }
  if (value['id'] !== undefined && typeof value['id'] !== 'string') {
    throw new ProtocolError('BAD_MESSAGE', 'id must be a string')
  }
  return value as unknown as Envelope
}

export const numbers = (data: unknown): number[] => {
  if (!Array.isArray(data) || !data.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new ProtocolError('BAD_REQUEST', 'sum takes an array of finite numbers')
  }
  return data
}

export const roomName = (data: unknown): string => {
  const room = isObject(data) ? data['room'] : undefined
  if (typeof room !== 'string' || room === '') throw new ProtocolError('BAD_REQUEST', 'data.room must be a non-empty string')
  return room
}

/** `delay` takes `{ ms, data? }` and replies with `data` after `ms` (at most 60 s). */
export const delayArgs = (data: unknown): { ms: number; data: unknown } => {
  const ms = isObject(data) ? data['ms'] : undefined
  if (typeof ms !== 'number' || !(ms >= 0 && ms <= 60_000)) throw new ProtocolError('BAD_REQUEST', 'delay takes { ms: 0..60000 }')
  return { ms, data: isObject(data) ? data['data'] : undefined }
}

export const failArgs = (data: unknown): { code: string; message: string } => ({
  code: isObject(data) && typeof data['code'] === 'string' ? data['code'] : 'FAILED',
  message: isObject(data) && typeof data['message'] === 'string' ? data['message'] : 'failed on purpose',
})
