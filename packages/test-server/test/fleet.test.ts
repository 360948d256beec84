// Fleet mode: test servers sharing sessions, replay buffers and rooms through a real Redis (Debian's redis-server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisProcess, redisBinary, startRedis } from '../src/redis-process'
import { RedisStore } from '../src/redis-store'
import { startTestServer, type TestServer } from '../src/server'
import { RawClient } from './raw-client'
import { until } from './until'

const ci = process.env['CI'] === 'true' || process.env['CI'] === '1'
const missing = redisBinary() === undefined
if (missing && !ci) console.warn('fleet tests: no redis-server (apt-get install redis-server); skipping them')
if (missing && ci) throw new Error('fleet tests: no redis-server; CI=true makes it mandatory')

describe.skipIf(missing)('fleet mode (Redis)', () => {
  let redis: RedisProcess
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })

  const servers: TestServer[] = []
  const clients: RawClient[] = []
  const fleet = async (n: number): Promise<TestServer[]> => {
    const started = await Promise.all(Array.from({ length: n }, () => startTestServer({ redisUrl: redis.url })))
    servers.push(...started)
    return started
  }
  const open = async (url: string): Promise<RawClient> => {
    const c = await RawClient.open(url)
    clients.push(c)
    return c
  }
  afterAll(async () => {
    for (const c of clients) c.close()
    await Promise.all(servers.map((s) => s.close()))
  })

  /** The raw client's frames of `type`, parsed. */
  const of = (c: RawClient, type: string) =>
    c.frames
      .map((f) => JSON.parse(String(f)) as Record<string, unknown> & { data?: Record<string, unknown> })
      .filter((f) => f['type'] === type)

  it('a session opened on one server resumes on another: the client messages are accepted once, the missed ones replayed', async () => {
    const [a, b] = await fleet(2)
    const one = await open((a as TestServer).url)
    one.send(JSON.stringify({ type: 'resume', id: 'resume', data: { session: null, seq: 0 } }))
    await until(() => of(one, 'resume').length === 1, 'the answer')
    const session = of(one, 'resume')[0]?.data?.['session'] as string
    expect(of(one, 'resume')[0]?.data).toMatchObject({ resumed: false, seq: 0, reason: 'new' })
    for (let seq = 1; seq <= 3; seq++) one.send(JSON.stringify({ seq, type: 'echo', data: { n: seq } }))
    await until(() => of(one, 'echo').length === 3, 'three echoes')
    expect(of(one, 'echo').map((e) => e['seq'])).toEqual([1, 2, 3])
    // the link dies; the client had processed server message 1 only, and the server had client messages 1-3
    const two = await open((b as TestServer).url)
    two.send(JSON.stringify({ type: 'resume', id: 'resume', data: { session, seq: 1 } }))
    await until(() => of(two, 'echo').length === 2, 'the replay of echoes 2 and 3')
    expect(of(two, 'resume')[0]?.data).toMatchObject({ session, resumed: true, seq: 3 })
    expect(of(two, 'echo').map((e) => e['seq'])).toEqual([2, 3])
    await until(() => one.closed, 'the stale link on the first server to be dropped')
    two.send(JSON.stringify({ seq: 3, type: 'echo', data: { n: 3 } })) // a duplicate: dropped
    two.send(JSON.stringify({ seq: 4, type: 'echo', data: { n: 4 } }))
    await until(() => of(two, 'echo').length === 3, 'echo 4')
    expect(of(two, 'echo').map((e) => (e.data as { n: number }).n)).toEqual([2, 3, 4])
    expect((b as TestServer).resume?.duplicates).toBe(1)
  })

  it('a broadcast reaches room members on other servers', async () => {
    const [a, b] = await fleet(2)
    const hello = async (url: string) => {
      const c = await open(url)
      c.send(JSON.stringify({ type: 'resume', id: 'resume', data: { session: null, seq: 0 } }))
      await until(() => of(c, 'resume').length === 1, 'the answer')
      return c
    }
    const x = await hello((a as TestServer).url)
    const y = await hello((b as TestServer).url)
    x.send(JSON.stringify({ seq: 1, type: 'join', id: '1', data: { room: 'fleet' } }))
    await until(() => of(x, 'join').length === 1, 'x joined')
    y.send(JSON.stringify({ seq: 1, type: 'join', id: '1', data: { room: 'fleet' } }))
    await until(() => of(y, 'join').length === 1, 'y joined')
    y.send(JSON.stringify({ seq: 2, type: 'broadcast', id: '2', data: { room: 'fleet', message: 'hi from b' } }))
    await until(() => of(x, 'broadcast').length === 1, 'the broadcast on the other server')
    expect(of(x, 'broadcast')[0]?.data).toMatchObject({ room: 'fleet', message: 'hi from b' })
    expect(of(y, 'broadcast')[0]?.data?.['delivered']).toBe(1)
  })

  it('the store: bounded buffers (an overrun cannot resume), an unknown session is a fresh one', async () => {
    const store = await RedisStore.connect(redis.url, { maxBuffered: 3, ttlMs: 60_000 })
    try {
      const { session } = await store.open(null, 0)
      for (let i = 1; i <= 5; i++) await store.append(session, `{"type":"m","data":${i}}`)
      expect((await store.after(session, 0)).map((f) => f.seq)).toEqual([3, 4, 5])
      expect(await store.open(session, 1)).toMatchObject({ resumed: false, reason: 'overrun' })
      expect(await store.open(session, 2)).toMatchObject({ resumed: true, replay: [{ seq: 3 }, { seq: 4 }, { seq: 5 }] })
      await store.ack(session, 4)
      expect((await store.after(session, 0)).map((f) => f.frame)).toEqual(['{"seq":5,"type":"m","data":5}'])
      expect(await store.open('no-such-session', 0)).toMatchObject({ resumed: false, reason: 'unknown' })
      expect(await store.accept(session, 2)).toBe(false)
      expect(await store.accept(session, 1)).toBe(true)
      expect(await store.accept(session, 1)).toBe(false)
    } finally {
      await store.close()
    }
  })
})
