import { bundle, types } from './scripts/rollup-builder.mjs'

const src = 'packages/client/src'
const dist = 'packages/client/dist'
const tsconfig = 'packages/client/tsconfig.json'

export default [
  // Node and bundlers: dependencies stay external (ws reaches Node through isomorphic-ws).
  bundle({
    input: `${src}/index.ts`,
    platform: 'node',
    tsconfig,
    output: [
      { file: `${dist}/index.mjs`, format: 'es' },
      { file: `${dist}/index.cjs`, format: 'cjs', exports: 'named' },
    ],
  }),
  // Browser bundlers (the `browser` export condition): the native WebSocket, no isomorphic-ws, no ws.
  bundle({
    input: `${src}/index.ts`,
    platform: 'browser',
    renamePrivate: true,
    tsconfig,
    output: [{ file: `${dist}/index.browser.mjs`, format: 'es' }],
  }),
  // <script src="lifeline.min.js">: the global `Lifeline` is the class, every other export is a property of it.
  bundle({
    input: `${src}/browser.ts`,
    platform: 'browser',
    inline: true,
    minify: true,
    tsconfig,
    output: [{ file: `${dist}/lifeline.min.js`, format: 'iife', name: 'Lifeline', exports: 'default' }],
  }),
  types({
    input: `${src}/index.ts`,
    tsconfig,
    output: [{ file: `${dist}/index.d.ts` }, { file: `${dist}/index.d.cts` }],
  }),
]
