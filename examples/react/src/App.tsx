import { type LifelineError, withRequests } from '@lifeline/client'
import { useEffect, useMemo, useState } from 'react'
import { useLifeline } from './useLifeline'

interface In {
  echo: { n: number; sentAt: number }
}
interface Out {
  echo: { n: number; sentAt: number }
}
interface Rpc {
  sum: { data: number[]; reply: number }
}

const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
const url = `${scheme}://${location.host}/ws`
// a short heartbeat, so it shows within seconds (the defaults: a ping after 50 s of silence, 10 s to answer)
const options = { heartbeat: { intervalMs: 2_000, timeoutMs: 1_500 }, reconnect: { initialDelayMs: 300, maxDelayMs: 3_000 } }
const fault = (name: string, args: unknown[] = []): Promise<Response> =>
  fetch(`/__faults/${name}`, { method: 'POST', body: JSON.stringify(args) })

export function App() {
  const { client, state, rttMs, messages, reconnects } = useLifeline<In, Out>(url, options)
  const rpc = useMemo(() => (client ? withRequests<Rpc>(client, { timeoutMs: 5_000 }) : null), [client])
  const [sum, setSum] = useState<string>('–')

  // one echo a second, queued while the link is down and flushed when it is back
  useEffect(() => {
    if (!client) return
    let n = 0
    const timer = setInterval(() => client.send('echo', { n: ++n, sentAt: Date.now() }), 1_000)
    return () => clearInterval(timer)
  }, [client])

  // a request on every open
  useEffect(() => {
    if (state !== 'open' || !rpc) return
    rpc.request('sum', [20, 22]).then(
      (total) => setSum(String(total)),
      (err: LifelineError) => setSum(`failed: ${err.code}`),
    )
  }, [state, rpc])

  return (
    <main>
      <h1>Lifeline in a React app</h1>
      <p>
        State: <output data-testid="state">{state}</output> · heartbeat round trip:{' '}
        <output data-testid="rtt">{rttMs === null ? '–' : `${rttMs} ms`}</output> · reconnects:{' '}
        <output data-testid="reconnects">{reconnects}</output> · 20 + 22 = <output data-testid="sum">{sum}</output>
      </p>
      <p>
        <button type="button" onClick={() => void fault('drop')}>
          Drop the link (no close frame)
        </button>{' '}
        <button type="button" onClick={() => void fault('restart', [2_000])}>
          Restart the server (down 2 s)
        </button>
      </p>
      <ol reversed data-testid="messages">
        {messages.map((msg) => (
          <li key={`${msg.type}-${msg.data.n}`}>
            {msg.type} #{msg.data.n} after {Date.now() - msg.data.sentAt} ms
          </li>
        ))}
      </ol>
    </main>
  )
}
