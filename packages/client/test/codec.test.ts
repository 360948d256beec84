import { describe, expect, it, vi } from 'vitest'
import { decode, encode } from '../src/codec'
import { LifelineError } from '../src/errors'

const badMessage = (text: string): void => {
  const result = decode(text)
  expect(result).toBeInstanceOf(LifelineError)
  expect((result as LifelineError).code).toBe('BAD_MESSAGE')
  expect((result as LifelineError).detail).toBe(text)
}

describe('encode', () => {
  it('writes type, data and id, leaving out what is undefined', () => {
    expect(encode('chat', { text: 'hi' })).toBe('{"type":"chat","data":{"text":"hi"}}')
    expect(encode('ping')).toBe('{"type":"ping"}')
    expect(encode('sum', [1, 2], '7')).toBe('{"type":"sum","data":[1,2],"id":"7"}')
  })

  it.each([[''], [undefined], [42], [null], [{}]])('refuses type %j with BAD_INPUT', (type) => {
    expect(() => encode(type)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })

  it('refuses data JSON cannot hold with BAD_INPUT', () => {
    const circular: Record<string, unknown> = {}
    circular['self'] = circular
    expect(() => encode('x', circular)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => encode('x', { n: 10n })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })
})

describe('decode', () => {
  it('returns the envelope as sent', () => {
    expect(decode('{"type":"chat","data":{"text":"hi"}}')).toEqual({ type: 'chat', data: { text: 'hi' } })
    expect(decode('{"type":"sum","re":"3","data":6}')).toEqual({ type: 'sum', re: '3', data: 6 })
    expect(decode('{"type":"fail","re":"4","error":{"code":"NOPE","message":"no"}}')).toEqual({
      type: 'fail',
      re: '4',
      error: { code: 'NOPE', message: 'no' },
    })
  })

  it.each([
    'not json',
    '{"type":',
    '',
    '[1,2]',
    'null',
    '42',
    '"string"',
    '{"data":1}',
    '{"type":7}',
    '{"type":null}',
    '{"type":"x","id":true}',
    '{"type":"x","id":{}}',
    '{"type":"x","re":{}}',
    '{"type":"x","re":1e999}',
    ' [1]',
    '\n "x"',
    '{"type":"x","error":"boom"}',
    '{"type":"x","error":{"code":1,"message":"m"}}',
  ])('answers %j with BAD_MESSAGE, never a throw', (text) => badMessage(text))

  it('accepts harmless variations of references: numeric id/re as strings, null as none', () => {
    expect(decode('{"type":"x","id":5}')).toEqual({ type: 'x', id: '5' })
    expect(decode('{"type":"x","re":7,"data":1}')).toEqual({ type: 'x', re: '7', data: 1 })
    expect(decode('{"type":"x","id":null}')).toEqual({ type: 'x', id: undefined })
    expect(decode('{"type":"x","re":"3","error":null,"data":2}')).toEqual({ type: 'x', re: '3', data: 2, error: undefined })
    expect(decode(' \n\t{"type":"x"}')).toEqual({ type: 'x' })
  })

  it('keeps a malformed error on a reply (the request it answers fails), refuses it elsewhere', () => {
    expect(decode('{"type":"x","re":"1","error":"boom"}')).toEqual({ type: 'x', re: '1', error: 'boom' })
    badMessage('{"type":"x","error":"boom"}')
  })

  it('rejects what is no object without parsing it (no SyntaxError thrown and caught per garbage frame)', () => {
    const parse = vi.spyOn(JSON, 'parse')
    for (const text of ['hello', '', '   ', '[{"type":"x"}]', '"{"', '{', '}', ' { ', '{"type":"x"', 'x}', '{"a":1} x'])
      badMessage(text)
    expect(parse).not.toHaveBeenCalled()
  })

  it('parses what is braced, whitespace around it allowed', () => {
    const parse = vi.spyOn(JSON, 'parse')
    expect(decode(' \r\n{"type":"x"}\t ')).toEqual({ type: 'x' })
    badMessage('{}') // braced, parsed, no type
    badMessage('{"type":}') // braced, not JSON
    expect(parse).toHaveBeenCalledTimes(3)
  })

  it('refuses references that are no string or finite number', () => {
    for (const text of ['{"type":"x","re":true}', '{"type":"x","re":[1]}', '{"type":"x","id":-1e999}']) badMessage(text)
  })

  it('does not pollute prototypes', () => {
    const result = decode('{"type":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')
    expect(result).not.toBeInstanceOf(LifelineError)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined()
  })
})

describe('messages and lenient forms, pinned', () => {
  const message = (text: string): string => (decode(text) as LifelineError).message

  it('says what is wrong with a frame', () => {
    expect(message('nope')).toBe('frame is not an envelope (a JSON object with a string type)')
    expect(message('{}')).toBe('frame is not an envelope (a JSON object with a string type)')
    expect(message('{x}')).toBe('frame is not JSON')
    expect(message('{"type":"a","id":{}}')).toBe('envelope has a malformed id')
    expect(message('{"type":"a","re":[]}')).toBe('envelope has a malformed re')
    expect(message('{"type":"a","error":"boom"}')).toBe('envelope has a malformed error')
    expect(message('{"type":"a","error":null,"id":1e400}')).toBe('envelope has a malformed id') // Infinity
  })

  it('says what is wrong with an outgoing message', () => {
    expect(() => encode('')).toThrow('message type must be a non-empty string')
    const circular: Record<string, unknown> = {}
    circular['self'] = circular
    expect(() => encode('x', circular)).toThrow("cannot serialize data of 'x'")
  })

  it('reads braces through JSON whitespace on either side, and nothing else as an envelope', () => {
    expect(decode(' \n\t{"type":"a"}\r\n ')).toEqual({ type: 'a' })
    expect(decode('{"type":"a"}  ')).toEqual({ type: 'a' })
    expect(decode('   {"type":"a"}')).toEqual({ type: 'a' })
    for (const text of ['', ' ', '{', '}', ' { ', '["{"]', 'x{"type":"a"}']) badMessage(text)
  })

  it('null id and re are absent; numeric ones are their strings; a string id stays as sent', () => {
    expect(decode('{"type":"a","id":null,"re":null}')).toEqual({ type: 'a', id: undefined, re: undefined })
    expect(decode('{"type":"a","id":7}')).toEqual({ type: 'a', id: '7' })
    expect(decode('{"type":"a","re":7.5}')).toEqual({ type: 'a', re: '7.5' })
    expect(decode('{"type":"a","id":"x"}')).toEqual({ type: 'a', id: 'x' })
    expect(decode('{"type":"a","id":""}')).toEqual({ type: 'a', id: '' })
  })

  it('a server error is { code: string, message: string }; anything else is malformed', () => {
    expect(decode('{"type":"a","error":{"code":"X","message":"m"}}')).toEqual({ type: 'a', error: { code: 'X', message: 'm' } })
    for (const error of ['{"code":"X"}', '{"message":"m"}', '{"code":1,"message":"m"}', '{"code":"X","message":2}', '5', '"x"'])
      badMessage(`{"type":"a","error":${error}}`)
  })
})
