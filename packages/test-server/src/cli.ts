#!/usr/bin/env node
import { appendFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Envelope } from './protocol.js'
import { startTestServer } from './server.js'

const usage = `lifeline-test-server [--port 8080] [--host 127.0.0.1] [--ping-interval-ms 0] [--no-faults] [--mount /prefix=dir ...] [--redis-url redis://host:port] [--no-resume] [--record file] [--killable]

Serves Lifeline protocol v1 on ws://HOST:PORT/ws and the demo page on http://HOST:PORT/.
Faults can be injected from the demo page (POST /__faults/<name>) unless --no-faults is given.
--mount serves a folder under a URL prefix (repeatable), e.g. --mount /app=./dist: a page there reaches
the WebSocket on its own origin, and /lifeline.min.js is always served.
Resume (PROTOCOL.md) keeps sessions in memory; --redis-url keeps them in Redis (fleet mode: several servers behind a
proxy share sessions, replay buffers and rooms); --no-resume answers resume requests like a protocol v1 server.
--record appends every inbound envelope processed to a file, one JSON line each (the soak counts them).
--killable lets POST /__faults/kill end this process at once, as a crash would (the fleet demo's button).`

/** Parses `--mount /prefix=dir` values into the server's mounts; throws on a malformed one. */
function parseMounts(values: readonly string[]): Record<string, string> {
  const mounts: Record<string, string> = {}
  for (const value of values) {
    const at = value.indexOf('=')
    const prefix = value.slice(0, at)
    const dir = value.slice(at + 1)
    if (at < 0 || !/^\/[\w.-]+$/.test(prefix) || dir === '') {
      throw new Error(`--mount takes /prefix=dir (a prefix of letters, digits, '.', '_' or '-'), got '${value}'`)
    }
    mounts[prefix] = resolve(dir)
  }
  return mounts
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'ping-interval-ms': { type: 'string', default: '0' },
      'no-faults': { type: 'boolean', default: false },
      mount: { type: 'string', multiple: true, default: [] },
      'redis-url': { type: 'string' },
      'no-resume': { type: 'boolean', default: false },
      record: { type: 'string' },
      killable: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const port = Number(values.port)
  const pingIntervalMs = Number(values['ping-interval-ms'])
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be 0..65535, got ${values.port}`)
  if (!(pingIntervalMs >= 0)) throw new Error(`--ping-interval-ms must be >= 0, got ${values['ping-interval-ms']}`)
  const mounts = parseMounts(values.mount)
  const redisUrl = values['redis-url']
  // written synchronously: a backend killed with SIGKILL has recorded everything it processed
  const recordTo = values.record
  const server = await startTestServer({
    port,
    host: values.host,
    pingIntervalMs,
    faultsOverHttp: !values['no-faults'],
    mounts,
    resume: !values['no-resume'],
    ...(values.killable ? { onKill: () => process.kill(process.pid, 'SIGKILL') } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    ...(recordTo === undefined ? {} : { onProcessed: (e: Envelope) => appendFileSync(recordTo, `${JSON.stringify(e)}\n`) }),
  })
  const served = Object.entries(mounts).map(
    ([prefix, dir]) => `\n  ${`${prefix}:`.padEnd(10)} ${server.httpUrl}${prefix}/ (${dir})`,
  )
  const sessions = values['no-resume'] ? 'off' : redisUrl ? `in Redis (${redisUrl}, fleet mode)` : 'in memory'
  console.log(
    `Lifeline test server\n  demo:      ${server.httpUrl}/\n  websocket: ${server.url}${served.join('')}\n  resume:    ${sessions}`,
  )
  const stop = (): void => {
    void server.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(`lifeline-test-server: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`)
  process.exit(1)
})
