// Figure 1: browser bundle size, minified + gzip -9, dependencies included. Fails (exit 1) over the budget.
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
const entries = {
  'lifeline (esbuild, import)': `import { Lifeline } from '@lifeline/client'; console.log(Lifeline)`,
  'reconnecting-websocket': `import RWS from 'reconnecting-websocket'; console.log(RWS)`,
  partysocket: `import { WebSocket } from 'partysocket'; console.log(WebSocket)`,
  'socket.io-client': `import { io } from 'socket.io-client'; console.log(io)`,
  'eventemitter3 alone': `import EventEmitter from 'eventemitter3'; console.log(EventEmitter)`,
}
const rows = {
  'lifeline.min.js (published)': { minBytes: minJs.length, gzipBytes: gz(minJs), hasWs: /WebSocketServer/.test(minJs) },
}
for (const [name, entry] of Object.entries(entries)) rows[name] = await bundleSize(entry)

const budget = JSON.parse(readFileSync(new URL('./budget.json', import.meta.url)))['lifeline.min.js']
const size = rows['lifeline.min.js (published)'].gzipBytes
const withinBudget = size <= budget.maxGzipBytes
report('size', { rows, budget, withinBudget, meetsGoal: size <= budget.goalGzipBytes })
for (const [name, r] of Object.entries(rows))
  console.log(
    `${name.padEnd(30)} ${String(r.gzipBytes).padStart(7)} B gz  ${String(r.minBytes).padStart(7)} B min${r.hasWs ? '  (carries ws!)' : ''}`,
  )
// --check: the CI gate (run.mjs reports the budget at the end of a full run instead)
if (process.argv.includes('--check') && !withinBudget) {
  console.error(`size budget exceeded: lifeline.min.js is ${size} B gz, budget ${budget.maxGzipBytes} B (bench/budget.json)`)
  process.exit(1)
}
if (process.argv.includes('--check') && (rows['lifeline.min.js (published)'].hasWs || rows['lifeline (esbuild, import)'].hasWs)) {
  console.error('a browser bundle of Lifeline carries ws')
  process.exit(1)
}
