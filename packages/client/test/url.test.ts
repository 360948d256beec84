import { describe, expect, it } from 'vitest'
import { LifelineError } from '../src/errors'
import { parseWebSocketUrl, redact, redactIn } from '../src/url'

describe('parseWebSocketUrl', () => {
  it.each(['ws://h/p', 'wss://h:8443/p?x=1', 'http://h/', 'https://h/'])('accepts %s', (url) => {
    expect(parseWebSocketUrl(url)).toBeInstanceOf(URL)
  })

  it.each([
    ['not a url', "url 'not a url' is not a valid URL"],
    ['ftp://h/p?token=s', "url 'ftp://h/p?…' must use ws:, wss:, http: or https:, not ftp:"],
  ])('refuses %s with BAD_OPTION, the URL redacted', (url, message) => {
    const err = parseWebSocketUrl(url)
    expect(err).toBeInstanceOf(LifelineError)
    expect(err).toMatchObject({ code: 'BAD_OPTION', message })
  })
})

describe('redact', () => {
  it.each([
    ['ws://h/p', "'ws://h/p'"],
    ['wss://h/p?token=secret', "'wss://h/p?…'"],
    ['wss://h/p#frag', "'wss://h/p?…'"],
    ['wss://user:pw@h/p?x', "'wss://h/p?…'"],
    ['wss://user@h/p', "'wss://h/p'"],
    ['a?b', "'a?…'"],
    ['plain', "'plain'"],
  ])('%s -> %s', (url, shown) => expect(redact(url)).toBe(shown))

  it('takes URL objects', () => expect(redact(new URL('ws://u:p@h/x?y=1'))).toBe("'ws://h/x?…'"))
})

describe('redactIn', () => {
  it('redacts every ws, wss, http and https URL in a text, and leaves the rest', () => {
    const text = "a ws://h/a?t=1 b wss://u:p@h/b?t=2 c http://h/c?t=3 d https://h/d?t=4 e 'what?'"
    expect(redactIn(text)).toBe("a ws://h/a?… b wss://h/b?… c http://h/c?… d https://h/d?… e 'what?'")
  })
})
