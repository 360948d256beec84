import { WebSocket } from 'ws'
import type { Envelope } from '../src/protocol'
import { until } from './until'

/** A bare `ws` client that records frames, so the server is tested without Lifeline in between. */
export class RawClient {
  readonly frames: string[] = []
  readonly binary: Buffer[] = []
  closed: { code: number; reason: string } | undefined
  private seq = 0

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) this.binary.push(data as Buffer)
      else this.frames.push(data.toString())
    })
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() }
    })
  }

  static open(url: string, options?: ConstructorParameters<typeof WebSocket>[2]): Promise<RawClient> {
    const socket = new WebSocket(url, options)
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RawClient(socket)))
      socket.once('error', reject)
    })
  }

  /** Fails with the HTTP status of a refused handshake. */
  static refusal(url: string, options?: ConstructorParameters<typeof WebSocket>[2]): Promise<number> {
    const socket = new WebSocket(url, options)
    return new Promise((resolve, reject) => {
      socket.once('open', () => reject(new Error('handshake was accepted')))
      socket.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0)
        socket.terminate()
      })
      socket.once('error', () => undefined)
    })
  }

  envelopes(): Array<Record<string, unknown>> {
    return this.frames.map((f) => JSON.parse(f) as Record<string, unknown>)
  }

  send(envelope: object | string): void {
    this.socket.send(typeof envelope === 'string' ? envelope : JSON.stringify(envelope))
  }

  /** Sends a request and waits for the frame that replies to it. */
  async request(type: string, data?: unknown, deadlineMs = 3_000): Promise<Envelope> {
    const id = `r${++this.seq}`
    this.send({ type, data, id })
    return until(() => this.envelopes().find((e) => e['re'] === id) as Envelope | undefined, `the reply to ${type}`, deadlineMs)
  }

  close(): void {
    this.socket.terminate()
  }
}
