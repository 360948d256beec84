// A small React hook over one Lifeline client: it renders the connection state, the heartbeat's round trip and the
// last messages, and closes the client when the component unmounts. React stays in the app: @lifeline/client does not
// depend on it.
import { type InboundEnvelope, Lifeline, type LifelineOptions, type State, watchPage } from '@lifeline/client'
import { useEffect, useState } from 'react'

export interface LifelineView<In extends object, Out extends object> {
  /** The client, for `send` and features such as `withRequests`; null until the effect has run. */
  client: Lifeline<In, Out> | null
  state: State
  /** The last heartbeat round trip in ms, or null before the first. */
  rttMs: number | null
  /** The last `keep` messages, newest first. */
  messages: InboundEnvelope<In>[]
  /** How many times the client has reopened after the first open. */
  reconnects: number
}

/**
 * Opens one client per mounted component (for `url` and `options` as first given) and closes it on unmount, so React's
 * strict-mode double mount leaves no socket behind. Changing `url` later does not reconnect: key the component instead.
 */
export function useLifeline<In extends object, Out extends object>(
  url: string,
  options?: LifelineOptions,
  keep = 20,
): LifelineView<In, Out> {
  const [client, setClient] = useState<Lifeline<In, Out> | null>(null)
  const [state, setState] = useState<State>('idle')
  const [rttMs, setRtt] = useState<number | null>(null)
  const [messages, setMessages] = useState<InboundEnvelope<In>[]>([])
  const [reconnects, setReconnects] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: one client per mount, by design (see above)
  useEffect(() => {
    const next = new Lifeline<In, Out>(url, options)
    let opens = 0
    next
      .on('state', ({ to }) => setState(to))
      .on('latency', ({ rttMs: ms }) => setRtt(ms))
      .on('open', () => {
        if (opens++ > 0) setReconnects((n) => n + 1)
      })
      .on('message', (msg) => setMessages((last) => [msg, ...last].slice(0, keep)))
    watchPage(next)
    setClient(next)
    return () => next.close()
  }, [])

  return { client, state, rttMs, messages, reconnects }
}
