import type { SocketLike } from '../src/socket'

/** A scriptable WebSocket double: records what the client does, and lets a test play the server and the network. */
export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = []
  static last(): FakeSocket {
    const socket = FakeSocket.instances.at(-1)
    if (!socket) throw new Error('no socket was made')
    return socket
  }

  readyState = 0
  binaryType = 'blob'
  sent: unknown[] = []
  closedWith: { code: number | undefined; reason: string | undefined } | undefined
  terminated = false
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null
  onerror: ((event: { message?: string }) => void) | null = null

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
    readonly options?: unknown,
  ) {
    FakeSocket.instances.push(this)
  }

  send(data: unknown): void {
    if (this.readyState !== 1) throw new Error(`send in readyState ${this.readyState}`)
    this.sent.push(data)
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason }
    this.readyState = 2
  }

  terminate(): void {
    this.terminated = true
    this.readyState = 3
  }

  // --- the test plays the other side --------------------------------------------------------------------------------

  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }

  receive(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'object' && !(data instanceof ArrayBuffer) ? JSON.stringify(data) : data })
  }

  serverClose(code: number, reason = '', wasClean = true): void {
    this.readyState = 3
    this.onclose?.({ code, reason, wasClean })
  }

  /** Parsed envelopes sent so far (raw frames that are not JSON are skipped). */
  envelopes(): Array<{ type: string; data?: unknown; id?: string }> {
    return this.sent.flatMap((frame) => {
      if (typeof frame !== 'string') return []
      try {
        return [JSON.parse(frame)]
      } catch {
        return []
      }
    })
  }
}
