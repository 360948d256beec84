// Figure 1: browser bundle size, minified + gzip -9, dependencies included, beside the peers measured the same way.
// The budgets CI enforces, one per entry point, are size-limit's (.size-limit.json, `pnpm size`).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { report } from './lib/cli.mjs'

const require = createRequire(import.meta.url)
const gz = (code) => gzipSync(code, { level: 9 }).length

/** What a user's bundler makes of `import X from pkg`, for the browser, minified. */
async function bundleSize(entry) {
  const out = await build({
    stdin: { contents: entry, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  })
  const code = out.outputFiles[0].text
  return { minBytes: code.length, gzipBytes: gz(code), hasWs: /WebSocketServer|createWebSocketStream/.test(code) }
}

const minJs = readFileSync(require.resolve('@lifeline/client/lifeline.min.js'))
/** The composable-core issue's SPA: the core client, sending and listening (reconnect, heartbeat, queue, envelopes). */
const SPA_CORE = `import { Lifeline } from '@lifeline/client'
const c = new Lifeline('wss://example.test/ws')
c.on('message', (m) => console.log(m)).on('state', (s) => console.log(s))
c.send('hello', 1)`
const entries = {
  'lifeline core (SPA, esbuild)': SPA_CORE,
  'lifeline + withRequests + watchPage (SPA)': `${SPA_CORE}
import { withRequests, watchPage } from '@lifeline/client'
watchPage(c); withRequests(c).request('sum', [1, 2]).then(console.log)`,
  'reconnecting-websocket': `import RWS from 'reconnecting-websocket'; console.log(RWS)`,
  partysocket: `import { WebSocket } from 'partysocket'; console.log(WebSocket)`,
  'socket.io-client': `import { io } from 'socket.io-client'; console.log(io)`,
  'eventemitter3 alone': `import EventEmitter from 'eventemitter3'; console.log(EventEmitter)`,
}
const rows = {
  'lifeline.min.js (published)': { minBytes: minJs.length, gzipBytes: gz(minJs), hasWs: /WebSocketServer/.test(minJs) },
}
for (const [name, entry] of Object.entries(entries)) rows[name] = await bundleSize(entry)

/** The goals of the composable-core issue: the <script> build with every feature, and what an SPA gets for the core. */
const goals = { scriptGzipBytes: 5_000, spaCoreGzipBytes: 3_200 }
const size = rows['lifeline.min.js (published)'].gzipBytes
const spa = rows['lifeline core (SPA, esbuild)'].gzipBytes
report('size', { rows, goals, meetsGoal: size <= goals.scriptGzipBytes && spa <= goals.spaCoreGzipBytes })
for (const [name, r] of Object.entries(rows))
  console.log(
    `${name.padEnd(42)} ${String(r.gzipBytes).padStart(7)} B gz  ${String(r.minBytes).padStart(7)} B min${r.hasWs ? '  (carries ws!)' : ''}`,
  )
if (process.argv.includes('--check') && Object.values(rows).some((r) => r.hasWs)) {
  console.error('a browser bundle of Lifeline carries ws')
  process.exit(1)
}
