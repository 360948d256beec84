// Resume against the real test server: nothing lost, nothing doubled, across drops, restarts and half-open links.
import { describe, expect, it } from 'vitest'
import { withResume } from '../../src/resume'
import { client, server, until } from './helpers'

type Echo = { n: number }

/** Sends `count` numbered echoes, one per `everyMs`... no: all at once, in bursts between faults (see callers). */
function echoes(c: ReturnType<typeof client>) {
  const got: number[] = []
  c.c.on('message', (m) => {
    if (m.type === 'echo') got.push((m.data as Echo).n)
  })
  return got
}

describe('resume (withResume) against the test server', () => {
  it('negotiates a session on open, then numbers both ways; a v1 client on the same server sees no difference', async () => {
    const s = await server()
    const a = client(s.url)
    const resume = withResume(a.c)
    await a.opens(1)
    await until(() => resume.active, 'resume to settle')
    expect(resume.session).toMatch(/^[0-9a-f-]{36}$/)
    expect(resume.resumed).toBe(false)
    const got = echoes(a)
    for (let n = 1; n <= 5; n++) a.c.send('echo', { n })
    await until(() => got.length === 5, 'five echoes')
    expect(got).toEqual([1, 2, 3, 4, 5])
    expect(resume.lastSeq).toBe(5)
    await until(() => resume.unacked === 0, 'the server to acknowledge')
    const plain = client(s.url)
    await plain.opens(1)
    plain.c.send('echo', { n: 9 })
    await until(() => plain.of('message').length === 1, 'the v1 echo')
    expect(plain.of<{ seq?: number }>('message')[0]?.seq).toBeUndefined()
  })

  it('a dropped link mid-stream: every message arrives once, in order, both ways; requests run once', async () => {
    const s = await server()
    const a = client(s.url)
    const resume = withResume(a.c)
    await until(() => resume.active, 'resume to settle')
    const got = echoes(a)
    const N = 400
    const replies: Promise<unknown>[] = []
    for (let n = 1; n <= N; n++) {
      a.c.send('echo', { n })
      if (n % 40 === 0) replies.push(a.c.request('sum', [n, 1]))
      if (n % 100 === 50) s.faults.drop() // the link dies with frames in flight both ways
    }
    await until(() => got.length >= N && resume.active && resume.unacked === 0, `${N} echoes`, 10_000)
    expect(got).toEqual(Array.from({ length: N }, (_, i) => i + 1))
    expect(await Promise.all(replies)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 40 + 1))
    const echoed = s.received.filter((e) => e.type === 'echo').map((e) => (e.data as Echo).n)
    expect(echoed).toEqual(Array.from({ length: N }, (_, i) => i + 1))
    expect(s.received.filter((e) => e.type === 'sum')).toHaveLength(10)
    expect(a.count('resumed')).toBeGreaterThanOrEqual(1)
    expect(a.count('reset')).toBe(0)
  })

  it('a server restart: the session survives it (in memory), and the client resumes', async () => {
    const s = await server()
    const a = client(s.url)
    const resume = withResume(a.c)
    await until(() => resume.active, 'resume to settle')
    const got = echoes(a)
    for (let n = 1; n <= 50; n++) a.c.send('echo', { n })
    void s.faults.restart(100)
    for (let n = 51; n <= 100; n++) a.c.send('echo', { n })
    await until(() => got.length >= 100 && resume.active, '100 echoes', 10_000)
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(resume.resumed).toBe(true)
  })

  it('an unknown session (another server) is a reset: the app hears it, numbering starts afresh', async () => {
    const s1 = await server()
    const s2 = await server()
    let url = s1.url
    const a = client(() => url)
    const resume = withResume(a.c)
    await until(() => resume.active, 'resume to settle')
    const first = resume.session
    url = s2.url
    s1.faults.drop()
    await until(() => a.count('reset') === 1 && resume.active, 'the reset')
    expect(a.of('reset')[0]).toEqual({ reason: 'unknown', resent: 0 })
    expect(resume.session).not.toBe(first)
    expect(resume.lastSeq).toBe(0)
  })

  it('two servers sharing one store: a client resumes on the other one', async () => {
    const { MemoryStore } = await import('../../../test-server/src/store')
    const store = new MemoryStore()
    const s1 = await server({ store })
    const s2 = await server({ store })
    let url = s1.url
    const a = client(() => url)
    const resume = withResume(a.c)
    await until(() => resume.active, 'resume to settle')
    const got = echoes(a)
    for (let n = 1; n <= 100; n++) a.c.send('echo', { n })
    url = s2.url
    s1.faults.drop()
    for (let n = 101; n <= 200; n++) a.c.send('echo', { n })
    await until(() => got.length >= 200 && resume.active && resume.unacked === 0, '200 echoes', 10_000)
    expect(got).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    const all = [...s1.received, ...s2.received].filter((e) => e.type === 'echo').map((e) => (e.data as Echo).n)
    expect(all.sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    expect(a.count('reset')).toBe(0)
  })
})
