import { describe, expectTypeOf, it } from 'vitest'
import { type CloseEvent, Lifeline, type LifelineError, type State, withRequests } from '../src/index'

type In = { chat: { from: string; text: string }; joined: { id: number } }
type Out = { chat: { text: string }; typing: boolean }
type Rpc = { sum: { data: number[]; reply: number }; whoami: { data: undefined; reply: { id: number } } }

declare const client: Lifeline<In, Out>
declare const untyped: Lifeline
const rpc = withRequests<Rpc>(client)

describe('typed messages', () => {
  it('send takes only outbound types, with their data', () => {
    client.send('chat', { text: 'hi' })
    client.send('typing', true)
    // @ts-expect-error not an outbound type
    client.send('joined', { id: 1 })
    // @ts-expect-error wrong data for 'chat'
    client.send('chat', { text: 42 })
    expectTypeOf(client.send('typing', false)).toEqualTypeOf<boolean>()
  })

  it('request resolves with the reply type of its request type', () => {
    expectTypeOf(rpc.request('sum', [1, 2])).toEqualTypeOf<Promise<number>>()
    expectTypeOf(rpc.request('whoami')).toEqualTypeOf<Promise<{ id: number }>>()
    // @ts-expect-error wrong data for 'sum'
    void rpc.request('sum', 'one')
    // @ts-expect-error not a request type
    void rpc.request('chat', {})
    // @ts-expect-error the core client has no request(): withRequests adds it
    void client.request
  })

  it('message envelopes narrow by type', () => {
    client.on('message', (message) => {
      // data is what the map declares for the type (not optional: declare undefined for messages without data)
      if (message.type === 'chat') expectTypeOf(message.data).toEqualTypeOf<{ from: string; text: string }>()
      if (message.type === 'joined') expectTypeOf(message.data).toEqualTypeOf<{ id: number }>()
      expectTypeOf(message.id).toEqualTypeOf<string | undefined>()
      // @ts-expect-error not an inbound type
      if (message.type === 'typing') return
    })
  })

  it('maps may be interfaces as well as types', () => {
    interface InI {
      chat: { text: string }
    }
    interface OutI {
      chat: { text: string }
    }
    interface RpcI {
      sum: { data: number[]; reply: number }
    }
    const typed = new Lifeline<InI, OutI>('ws://x/')
    typed.send('chat', { text: 'hi' })
    // @ts-expect-error wrong data for 'chat'
    typed.send('chat', { text: 1 })
    typed.on('message', (message) => expectTypeOf(message.data).toEqualTypeOf<{ text: string }>())
    expectTypeOf(withRequests<RpcI>(typed).request('sum', [1])).toEqualTypeOf<Promise<number>>()
    interface NotRpc {
      sum: number
    }
    // @ts-expect-error a request map's entries are { data; reply }
    withRequests<NotRpc>(typed)
  })

  it('an untyped client takes any type and data', () => {
    untyped.send('anything', { at: 'all' })
    expectTypeOf(withRequests(untyped).request('x')).toEqualTypeOf<Promise<unknown>>()
  })
})

describe('events', () => {
  it('payloads are typed', () => {
    client.on('open', ({ attempt }) => expectTypeOf(attempt).toEqualTypeOf<number>())
    client.on('close', (event) => expectTypeOf(event).toEqualTypeOf<CloseEvent>())
    client.on('reconnecting', (e) => expectTypeOf(e).toEqualTypeOf<{ attempt: number; delayMs: number }>())
    client.on('state', ({ from, to }) => {
      expectTypeOf(from).toEqualTypeOf<State>()
      expectTypeOf(to).toEqualTypeOf<State>()
    })
    client.on('latency', ({ rttMs }) => expectTypeOf(rttMs).toEqualTypeOf<number>())
    client.on('error', (err) => expectTypeOf(err).toEqualTypeOf<LifelineError>())
    // @ts-expect-error no such event
    client.on('opened', () => undefined)
  })

  it('state is the documented union', () => {
    expectTypeOf(client.state).toEqualTypeOf<'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'>()
  })
})

describe('options', () => {
  it('are checked at compile time too', () => {
    new Lifeline('ws://x', { heartbeat: { intervalMs: 1_000, timeoutMs: 500 }, reconnect: { jitter: 'equal' } })
    new Lifeline(async () => new URL('ws://x'), { heartbeat: false, reconnect: false, queue: false })
    // @ts-expect-error jitter is 'full' | 'equal' | 'none'
    new Lifeline('ws://x', { reconnect: { jitter: 'some' } })
    // @ts-expect-error a url is a string, a URL or a function
    new Lifeline(42)
  })
})

describe('the published surface', () => {
  it('holds no internal entry points', () => {
    expectTypeOf<Lifeline>().not.toHaveProperty('handleEvent')
    expectTypeOf<Lifeline>().not.toHaveProperty('handleHeartbeat')
    expectTypeOf<Lifeline>().not.toHaveProperty('emit')
    expectTypeOf<Lifeline>().not.toHaveProperty('handleMessage')
    expectTypeOf<Lifeline>().not.toHaveProperty('buffered')
    expectTypeOf<Lifeline>().not.toHaveProperty('_state')
    expectTypeOf<Lifeline>().toHaveProperty('on')
    expectTypeOf<Lifeline>().toHaveProperty('off')
  })

  it('the close event may carry the HTTP status of a refused handshake', () => {
    const client = new Lifeline('ws://x')
    client.on('close', (e) => expectTypeOf(e.httpStatus).toEqualTypeOf<number | undefined>())
    client.on('text', (t) => expectTypeOf(t).toEqualTypeOf<string>())
  })
})
