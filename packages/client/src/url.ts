import { LifelineError } from './errors'

const SCHEMES = ['ws:', 'wss:', 'http:', 'https:']

/**
 * Parses a WebSocket URL the way browsers resolve it (relative to the page, where there is one). Returns the URL, or
 * a `BAD_OPTION` error saying what is wrong with it (the URL itself redacted).
 */
export function parseWebSocketUrl(source: string | URL): URL | LifelineError {
  const text = String(source)
  let url: URL
  try {
    url = new URL(text, (globalThis as { location?: { href?: string } }).location?.href)
  } catch {
    return new LifelineError('BAD_OPTION', `url ${redact(text)} is not a valid URL`)
  }
  if (!SCHEMES.includes(url.protocol)) {
    return new LifelineError('BAD_OPTION', `url ${redact(url)} must use ws:, wss:, http: or https:, not ${url.protocol}`)
  }
  return url
}

/**
 * A URL as it may appear in messages and logs: no userinfo, no query, no fragment (tokens live there). Text that is
 * no URL keeps only what comes before any `?` or `#`, and loses any `user:pass@`.
 */
export function redact(source: string | URL): string {
  const text = String(source)
  const cut = text.search(/[?#]/)
  let kept = cut === -1 ? text : `${text.slice(0, cut)}?…`
  kept = kept.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1')
  return `'${kept}'`
}

/** `text` (e.g. an error message from `ws` or a browser) with every URL in it {@link redact}ed. */
export function redactIn(text: string): string {
  return text.replace(/\b(?:wss?|https?):\/\/[^\s'"]+/gi, (url) => redact(url).slice(1, -1))
}
