import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FaultActions } from './faults.js'
import { staticFile } from './static.js'

export interface HttpOptions {
  /** Extra folders to serve, by URL prefix. */
  mounts: Record<string, string> | undefined
  /** Whether `POST /__faults/<name>` may inject faults. */
  faultsOverHttp: boolean
  faults: FaultActions
  /** What `GET /__status` reports (live connections and the like), as JSON. */
  status: () => unknown
  /** `POST /__faults/kill`, when set: the process dies at once (a crashed backend, for the fleet demo). */
  kill: (() => void) | undefined
}

const respond = (res: ServerResponse, status: number, text: string): void => {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(text)
}

/** The HTTP side: `/healthz`, `/__status`, the demo and the client bundles (see static.ts), and faults over HTTP when enabled. */
export function httpHandler(options: HttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  /** `POST /__faults/<name>` with an optional JSON array of arguments as the body. */
  async function faultOverHttp(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { faults } = options
    if (!options.faultsOverHttp) return respond(res, 404, 'faults over HTTP are disabled')
    const fault = Object.hasOwn(faults, name) ? (faults as unknown as Record<string, unknown>)[name] : undefined
    if (name === 'kill' && options.kill) {
      const kill = options.kill
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"fault":"kill","result":null}', () => kill())
      return
    }
    if (typeof fault !== 'function') return respond(res, 404, `no fault '${name}'`)
    let body = ''
    for await (const chunk of req) body += chunk
    try {
      const args: unknown = body.trim() === '' ? [] : JSON.parse(body)
      if (!Array.isArray(args)) throw new TypeError('body must be a JSON array of arguments')
      const ok = (result: unknown, then?: () => void): void => {
        const json = JSON.stringify({ fault: name, result: typeof result === 'number' ? result : null })
        res.writeHead(200, { 'content-type': 'application/json' }).end(json, then)
      }
      if (name === 'restart') {
        // answer first: the restart closes every connection, this one included
        const downMs = args[0]
        if (typeof downMs !== 'number' || !(downMs >= 0 && downMs <= 60_000))
          throw new RangeError('restart takes [downMs: 0..60000]')
        ok(null, () => void faults.restart(downMs))
      } else ok(fault(...args))
    } catch (err) {
      respond(res, 400, (err as Error).message)
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (req.method === 'POST' && path.startsWith('/__faults/')) return faultOverHttp(path.slice(10), req, res)
    if (req.method !== 'GET' && req.method !== 'HEAD') return respond(res, 405, 'method not allowed')
    if (path === '/healthz') return respond(res, 200, 'ok')
    if (path === '/__status') {
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(options.status()))
      return
    }
    const file = staticFile(path, options.mounts)
    if (!file) return respond(res, 404, 'not found')
    try {
      const body = await readFile(file.path)
      // no-cache, not no-store: always revalidated, yet a page may enter the back/forward cache (no-store bars it)
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' }).end(body)
    } catch (err) {
      respond(res, 404, `not built: ${(err as Error).message}`)
    }
  }

  return (req, res) => {
    void handle(req, res)
  }
}
