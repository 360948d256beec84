import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { server, until } from './integration/helpers'

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
// A package that depends on @lifeline/client, so resolution goes through the published `exports` map.
const consumer = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-server')

/** A Node client script: connect, request, close; the process must then exit by itself (nothing left running). */
const script = (load: string) => `
${load}
const client = new Lifeline(process.env.URL, { reconnect: { initialDelayMs: 10 } })
const rpc = withRequests(client)
client.on('error', (e) => console.error('error', e.code))
rpc.request('sum', [20, 22]).then((n) => {
  console.log(JSON.stringify({ n, state: client.state, isError: new LifelineError('CLOSED', '') instanceof Error }))
  client.close()
})
`

function run(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: consumer, env: { ...process.env, ...env }, timeout: 10_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim())),
    )
  })
}

describe('the published builds', () => {
  it('ESM in Node (import through exports) talks to a real server and exits by itself', async () => {
    const s = await server()
    const out = await run(
      ['--input-type=module', '-e', script(`import { Lifeline, LifelineError, withRequests } from '@lifeline/client'`)],
      {
        URL: s.url,
      },
    )
    expect(JSON.parse(out)).toEqual({ n: 42, state: 'open', isError: true })
  })

  it('CJS in Node (require through exports) talks to a real server and exits by itself', async () => {
    const s = await server()
    const out = await run(['-e', script(`const { Lifeline, LifelineError, withRequests } = require('@lifeline/client')`)], {
      URL: s.url,
    })
    expect(JSON.parse(out)).toEqual({ n: 42, state: 'open', isError: true })
  })

  it('the published declarations hold the public API only: no private member, no engine class', () => {
    const dts = readFileSync(join(dist, 'index.d.ts'), 'utf8')
    expect(dts).not.toMatch(/\b_[a-zA-Z]\w*\??:|\bprivate\b|\bprotected\b|class Client|class Connection|interface Feature/)
    expect(dts).toMatch(/declare const Lifeline: LifelineConstructor/)
  })

  it.each(['lifeline.min.js', 'index.browser.mjs'])('%s carries no ws and no isomorphic-ws', (file) => {
    const code = readFileSync(join(dist, file), 'utf8')
    expect(code).not.toMatch(/require\(['"](ws|isomorphic-ws)['"]\)|from\s*['"](ws|isomorphic-ws)['"]|import\(['"]ws['"]\)/)
    expect(code).not.toMatch(/createWebSocketStream|WebSocketServer|permessage-deflate/)
  })

  it('lifeline.min.js defines the global Lifeline: the class, with every other export as a property', async () => {
    const code = readFileSync(join(dist, 'lifeline.min.js'), 'utf8')
    const sent: string[] = []
    class PageSocket {
      readyState = 0
      binaryType = 'blob'
      listeners: Record<string, { handleEvent(e: unknown): void }> = {}
      constructor(readonly url: string) {
        queueMicrotask(() => {
          this.readyState = 1
          this.listeners['open']?.handleEvent({ type: 'open', target: this })
        })
      }
      addEventListener(type: string, listener: { handleEvent(e: unknown): void }) {
        this.listeners[type] = listener
      }
      removeEventListener(type: string) {
        delete this.listeners[type]
      }
      send(data: string) {
        sent.push(data)
      }
      close() {
        this.readyState = 3
      }
    }
    const page: Record<string, unknown> = {
      WebSocket: PageSocket,
      queueMicrotask,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      URL,
      TextEncoder,
    }
    page['window'] = page
    runInNewContext(code, page)
    const Lifeline = page['Lifeline'] as Record<string, unknown> &
      (new (
        url: string,
      ) => { send(t: string): boolean; request(t: string): Promise<unknown>; state: string; close(): void })
    expect(typeof Lifeline).toBe('function')
    for (const name of [
      'Lifeline',
      'LifelineError',
      'backoffDelayMs',
      'classifyClose',
      'defaultShouldReconnect',
      'DEFAULTS',
      'TRANSITIONS',
      'withRequests',
      'watchPage',
    ]) {
      expect(Lifeline[name], name).toBeDefined()
    }
    expect(Lifeline['Lifeline']).toBe(Lifeline)
    const client = new Lifeline('ws://page.test/ws')
    expect(typeof client.request).toBe('function') // every feature wired in
    expect(client.send('hello')).toBe(true)
    await until(() => client.state === 'open', 'the page socket to open')
    expect(sent).toEqual(['{"type":"hello"}'])
    client.close()
  })
})
