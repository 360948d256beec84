import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const clientDist = join(dirname(createRequire(import.meta.url).resolve('@lifeline/client/package.json')), 'dist')
const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'demo')

const JS = 'text/javascript; charset=utf-8'

/** The files the server serves, by URL path. Nothing outside this table is reachable. */
const FILES: Record<string, { path: string; type: string }> = {
  '/': { path: join(demoDir, 'index.html'), type: 'text/html; charset=utf-8' },
  '/demo.js': { path: join(demoDir, 'demo.js'), type: JS },
  '/demo.css': { path: join(demoDir, 'demo.css'), type: 'text/css; charset=utf-8' },
  '/lifeline.min.js': { path: join(clientDist, 'lifeline.min.js'), type: JS },
  '/lifeline.mjs': { path: join(clientDist, 'index.browser.mjs'), type: JS },
}

export function staticFile(path: string): { path: string; type: string } | undefined {
  return Object.hasOwn(FILES, path) ? FILES[path] : undefined
}
