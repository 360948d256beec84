import { describe, expect, it } from 'vitest'
import { client, server, until } from './helpers'

describe('against the test server', () => {
  it('connects, sends typed envelopes and gets replies', async () => {
    const s = await server()
    const { c, of, opens } = client(s.url)
    await opens(1)
    expect(c.state).toBe('open')
    c.send('echo', { text: 'hello' })
    await until(() => of('message').length, 'the echo')
    expect(of('message')).toEqual([{ type: 'echo', data: { text: 'hello' } }])
    await expect(c.request('sum', [1, 2, 3.5])).resolves.toBe(6.5)
    await expect(c.request('echo', { deep: [1, { a: null }] })).resolves.toEqual({ deep: [1, { a: null }] })
  })

  it('error replies reject with REMOTE_ERROR; unknown types too', async () => {
    const s = await server()
    const { c } = client(s.url)
    await expect(c.request('fail', { code: 'NOPE', message: 'not today' })).rejects.toMatchObject({
      code: 'REMOTE_ERROR',
      message: 'not today',
      detail: { code: 'NOPE' },
    })
    await expect(c.request('no-such-thing')).rejects.toMatchObject({ code: 'REMOTE_ERROR', detail: { code: 'UNKNOWN_TYPE' } })
    await expect(c.request('sum', 'not numbers')).rejects.toMatchObject({ detail: { code: 'BAD_REQUEST' } })
  })

  it('binary frames come back untouched through the binary event', async () => {
    const s = await server()
    const { c, of, opens } = client(s.url)
    await opens(1)
    c.sendRaw(new Uint8Array([1, 2, 250]))
    await until(() => of('binary').length, 'the binary echo')
    expect([...new Uint8Array(of<ArrayBuffer>('binary')[0]!)]).toEqual([1, 2, 250])
  })

  it('calls the url function before every dial (fresh tokens)', async () => {
    const s = await server()
    let token = 0
    const { opens } = client(async () => `${s.url}?token=${++token}`)
    await opens(1)
    s.faults.drop()
    await opens(2)
    const urls = [...s.connections].map((conn) => conn.url)
    expect(urls).toEqual(['/ws?token=2'])
    expect(token).toBe(2)
  })

  it('garbage frames are BAD_MESSAGE errors; the connection stays up and keeps working', async () => {
    const s = await server()
    const { c, errors, of, opens } = client(s.url)
    await opens(1)
    const sent = s.faults.garbage()
    expect(sent).toBe(1)
    await until(() => errors().length >= 10 && of('message').length >= 1, 'ten BAD_MESSAGE errors and one message')
    expect(new Set(errors())).toEqual(new Set(['BAD_MESSAGE']))
    expect(of('message').map((m) => (m as { type: string }).type)).toEqual(['pollute'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(c.state).toBe('open')
    await expect(c.request('echo', 1)).resolves.toBe(1)
  })

  it('close() leaves nothing running and the server sees a clean 1000', async () => {
    const s = await server()
    const { c, opens } = client(s.url)
    await opens(1)
    const [conn] = [...s.connections]
    const closed = new Promise<number>((resolve) => conn!.socket.once('close', (code) => resolve(code)))
    c.close()
    await expect(closed).resolves.toBe(1000)
    expect(s.accepted).toBe(1)
  })
})
