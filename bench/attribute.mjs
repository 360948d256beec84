// Byte attribution of an SPA's bundle of the client, by source module: esbuild from the TypeScript sources (the
// browser platform), minified, private `_members` mangled as the published build does. Usage:
//   node bench/attribute.mjs ["<entry code>"]
import { dirname, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const src = resolve(import.meta.dirname, '../packages/client/src')
const entry =
  process.argv[2] ??
  `import { Lifeline } from './index'; const c = new Lifeline('ws://x'); c.on('message', console.log); c.on('state', console.log); c.send('a', 1)`
const browserPlatform = {
  name: 'browser-platform',
  setup(b) {
    b.onResolve({ filter: /^\.\/platform$/ }, (args) => ({ path: resolve(dirname(args.importer), 'platform.browser.ts') }))
  },
}
const out = await build({
  stdin: { contents: entry, resolveDir: src, loader: 'ts' },
  bundle: true,
  minify: true,
  mangleProps: /^_[a-zA-Z]/,
  reserveProps: /^_events$|^_eventsCount$/,
  format: 'esm',
  platform: 'browser',
  write: false,
  metafile: true,
  logLevel: 'silent',
  plugins: [browserPlatform],
})
const code = out.outputFiles[0].text
if (process.env.DUMP) console.log(code)
const gz = gzipSync(code, { level: 9 }).length
console.log(`total: ${gz} B gz, ${code.length} B min`)
const inputs = Object.values(out.metafile.outputs)[0].inputs
for (const [file, v] of Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
  const share = Math.round((gz * v.bytesInOutput) / code.length)
  console.log(
    `${String(v.bytesInOutput).padStart(6)} B min  ~${String(share).padStart(5)} B gz  ${file.replace(/.*node_modules\//, '')}`,
  )
}
