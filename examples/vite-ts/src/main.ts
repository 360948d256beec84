import { Lifeline, type LifelineError, watchPage, withRequests } from '@lifeline/client'
import type { In, Out, Rpc } from './messages'

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id)
  if (!found) throw new Error(`#${id} is missing from index.html`)
  return found as T
}
const show = (id: string, text: string): void => {
  element<HTMLOutputElement>(id).value = text
}
const log = (line: string): void => {
  const row = document.createElement('div')
  row.textContent = `${new Date().toLocaleTimeString()} ${line}`
  element('log').prepend(row)
}

const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
// a short heartbeat, so it shows within seconds (the defaults: a ping after 50 s of silence, 10 s to answer)
const client = new Lifeline<In, Out>(`${scheme}://${location.host}/ws`, {
  heartbeat: { intervalMs: 2_000, timeoutMs: 1_500 },
  reconnect: { initialDelayMs: 300, maxDelayMs: 3_000 },
})
const rpc = withRequests<Rpc>(client, { timeoutMs: 5_000 })
watchPage(client) // reconnects at once when the network or the page comes back

let echoes = 0
client
  .on('state', ({ from, to }) => {
    show('state', to)
    log(`state: ${from} -> ${to}`)
  })
  .on('latency', ({ rttMs }) => {
    show('rtt', `${rttMs} ms`)
    log(`heartbeat: round trip ${rttMs} ms`)
  })
  .on('reconnecting', ({ attempt, delayMs }) => log(`reconnecting: attempt ${attempt} in ${delayMs} ms`))
  .on('error', (err: LifelineError) => log(`error: ${err.code} ${err.message}`))
  .on('message', (msg) => {
    // `msg` is a union narrowed by `type`: msg.data is { n, sentAt } here, { room, from, message } for 'broadcast'
    if (msg.type === 'echo') {
      show('echoes', String(++echoes))
      log(`message: echo #${msg.data.n} after ${Date.now() - msg.data.sentAt} ms`)
    } else log(`message: ${msg.data.from} in ${msg.data.room}: ${msg.data.message}`)
  })
  .on('open', async () => {
    try {
      const total = await rpc.request('sum', [20, 22]) // typed: number
      show('sum', String(total))
      log(`request: 20 + 22 = ${total}`)
    } catch (err) {
      log(`request failed: ${(err as LifelineError).code}`)
    }
  })

// one echo a second, queued while the link is down and flushed when it is back
let n = 0
setInterval(() => client.send('echo', { n: ++n, sentAt: Date.now() }), 1_000)

const fault = (name: string, args: unknown[] = []): Promise<Response> =>
  fetch(`/__faults/${name}`, { method: 'POST', body: JSON.stringify(args) })
element('drop').addEventListener('click', () => void fault('drop'))
element('restart').addEventListener('click', () => void fault('restart', [2_000]))
