import { createRequire } from 'node:module'
import { dirname, extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const clientDist = join(dirname(createRequire(import.meta.url).resolve('@lifeline/client/package.json')), 'dist')
const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'demo')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}
const typeOf = (path: string): string => TYPES[extname(path)] ?? 'application/octet-stream'

/** The files the server always serves, by URL path. */
const FILES: Record<string, string> = {
  '/': join(demoDir, 'index.html'),
  '/demo.js': join(demoDir, 'demo.js'),
  '/demo.css': join(demoDir, 'demo.css'),
  '/lifeline.min.js': join(clientDist, 'lifeline.min.js'),
  '/lifeline.mjs': join(clientDist, 'index.browser.mjs'),
}

/**
 * Resolves a URL path to a file: the fixed table above, or a file under one of `mounts` (URL prefix → folder).
 * Nothing outside those folders is reachable: `..` and encoded escapes resolve outside and are refused.
 */
export function staticFile(path: string, mounts: Record<string, string> = {}): { path: string; type: string } | undefined {
  if (Object.hasOwn(FILES, path)) return { path: FILES[path] as string, type: typeOf(FILES[path] as string) }
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) continue
    let rest: string
    try {
      rest = decodeURIComponent(path.slice(prefix.length))
    } catch {
      return undefined
    }
    const root = resolve(dir)
    const file = resolve(root, `.${sep}${rest.endsWith('/') || rest === '' ? `${rest}index.html` : rest}`)
    if (!file.startsWith(root + sep)) return undefined
    return { path: file, type: typeOf(file) }
  }
  return undefined
}
