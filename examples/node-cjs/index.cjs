// A Node client (CommonJS) that survives a server restart. It starts the bundled test server itself, so one command runs
// it: `pnpm --filter example-node-cjs start`. Every state change and heartbeat round trip is logged; the server
// restarts after 2 s, and the client comes back on its own.
const { Lifeline, withRequests } = require('@lifeline/client')

async function main() {
  const { startTestServer } = await import('@lifeline/test-server') // the test server is ESM only
  const server = await startTestServer()
  const client = new Lifeline(server.url, {
    heartbeat: { intervalMs: 500, timeoutMs: 500 }, // short, so the heartbeat shows in a few seconds
    reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 },
  })
  const rpc = withRequests(client)
  let opens = 0

  client.on('state', ({ from, to }) => console.log(`state: ${from} -> ${to}`))
  client.on('latency', ({ rttMs }) => console.log(`heartbeat: round trip ${rttMs} ms`))
  client.on('reconnecting', ({ attempt, delayMs }) => console.log(`reconnecting: attempt ${attempt} in ${delayMs} ms`))
  client.on('error', (err) => console.log(`error: ${err.code} ${err.message}`))
  client.on('open', async () => {
    opens++
    console.log(`open (${opens}): 20 + 22 = ${await rpc.request('sum', [20, 22])}`)
    if (opens === 1) {
      setTimeout(() => {
        console.log('server: restarting (down for 1 s)')
        void server.faults.restart(1_000)
      }, 2_000)
    } else {
      console.log('back after the restart: done')
      client.close() // cancels every timer: the process exits by itself
      await server.close()
    }
  })
}

main()
