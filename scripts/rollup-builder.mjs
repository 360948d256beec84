// The one builder behind rollup.config.mjs: turns a target description into a rollup config.
import { dirname, resolve } from 'node:path'
import commonjs from '@rollup/plugin-commonjs'
import nodeResolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'

/** Browser targets import `platform.browser.ts` (the native WebSocket) instead of `platform.ts` (isomorphic-ws). */
const browserPlatform = () => ({
  name: 'browser-platform',
  resolveId: (source, importer) =>
    source === './platform' && importer ? resolve(dirname(importer), 'platform.browser.ts') : null,
})

/** Fails the build if a browser target would pull in `ws` (or anything else Node-only). */
const noNodeModules = (forbidden) => ({
  name: 'no-node-modules',
  resolveId(source) {
    if (forbidden.includes(source)) this.error(`a browser build must not import '${source}'`)
    return null
  },
})

/**
 * Internal members are `_camelCase`; the public API never is, so they can be renamed safely. eventemitter3's
 * `_events` is read by events.ts and must keep its name where eventemitter3 is not bundled in.
 */
const privateMembers = { regex: /^_[a-zA-Z]/, reserved: ['_events'] }

const minifier = () =>
  terser({
    ecma: 2020,
    compress: { passes: 3, pure_getters: true },
    mangle: { properties: privateMembers },
    format: { comments: false },
  })

/** Readable output (names, layout, doc comments kept) with the private members renamed: what SPAs bundle. */
const privateRenamer = () =>
  terser({
    ecma: 2020,
    compress: false,
    mangle: { properties: privateMembers, keep_fnames: true, keep_classnames: true, toplevel: false },
    format: { beautify: true, comments: /^\*\*/ },
  })

/**
 * @param {object} target
 * @param {string} target.input
 * @param {'node' | 'browser'} target.platform
 * @param {boolean} [target.inline] bundle the dependencies (the <script> build)
 * @param {boolean} [target.minify]
 * @param {boolean} [target.renamePrivate] rename `_members` only (the browser module: an SPA's bundler minifies the rest)
 * @param {string} target.tsconfig
 * @param {import('rollup').OutputOptions[]} target.output
 */
export function bundle({ input, platform, inline = false, minify = false, renamePrivate = false, tsconfig, output }) {
  const browser = platform === 'browser'
  return {
    input,
    output,
    external: inline ? [] : (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    treeshake: { moduleSideEffects: false },
    plugins: [
      browser && browserPlatform(),
      browser && noNodeModules(['ws', 'isomorphic-ws']),
      typescript({ tsconfig, declaration: false, sourceMap: false }),
      inline && nodeResolve({ browser, exportConditions: browser ? ['browser', 'import'] : ['node', 'import'] }),
      inline && commonjs(),
      minify && minifier(),
      renamePrivate && privateRenamer(),
    ].filter(Boolean),
  }
}

/** One bundled declaration file per output. */
export function types({ input, tsconfig, output }) {
  return { input, output, plugins: [dts({ tsconfig })] }
}
