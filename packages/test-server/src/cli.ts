#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { startTestServer } from './server.js'

const usage = `lifeline-test-server [--port 8080] [--host 127.0.0.1] [--ping-interval-ms 0] [--no-faults]

Serves Lifeline protocol v1 on ws://HOST:PORT/ws and the demo page on http://HOST:PORT/.
Faults can be injected from the demo page (POST /__faults/<name>) unless --no-faults is given.`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'ping-interval-ms': { type: 'string', default: '0' },
      'no-faults': { type: 'boolean', default: false },
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
  const server = await startTestServer({ port, host: values.host, pingIntervalMs, faultsOverHttp: !values['no-faults'] })
  console.log(`Lifeline test server\n  demo:      ${server.httpUrl}/\n  websocket: ${server.url}`)
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
