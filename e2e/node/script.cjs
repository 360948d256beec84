// The steps both client scripts take: connect, request, report "ready", survive the drop the test causes, request
// again, close, and exit by themselves (a timer or socket left behind would keep the process alive and fail the test).
const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`)

exports.run = (Lifeline, withRequests) => {
  const client = new Lifeline(process.env.LIFELINE_URL, {
    heartbeat: { intervalMs: 500, timeoutMs: 500 },
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  })
  const rpc = withRequests(client)
  const opens = []
  client.on('error', (err) => say({ error: err.code }))
  client.on('open', async ({ attempt }) => {
    opens.push(attempt)
    if (opens.length === 1) {
      say({ ready: await rpc.request('sum', [40, 2]) })
    } else {
      say({ back: await rpc.request('echo', 'after the drop'), opens: opens.length })
      client.close()
    }
  })
}
