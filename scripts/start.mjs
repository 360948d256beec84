// `pnpm start`: builds the client and the test server when their sources are newer than what was built (and says
// so), then runs the test server with the demo page in this process, so that Ctrl-C ends it cleanly.
//   pnpm start [--port 8080] [--host 127.0.0.1] [--no-faults] …   (the test server's own flags; --help lists them)
//   pnpm start … --no-build           (run what is built, unchecked)
//   pnpm start --fleet [--port 8080]   (two test servers sharing sessions through Redis, behind a balancer; needs
//                                       redis-server: the demo's "Kill this backend" button then works)
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const inputs = ['packages/client/src', 'packages/test-server/src', 'rollup.config.mjs', 'scripts/rollup-builder.mjs']
const outputs = ['packages/client/dist/lifeline.min.js', 'packages/client/dist/index.mjs', 'packages/test-server/dist/cli.js']

/** The newest modification time under `path` (a file or a directory), in ms. */
function newest(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
}

const args = process.argv.slice(2).filter((a) => a !== '--no-build')
// --no-build: run what is built as it is (tests that start several demos at once, which must not build concurrently)
const skipBuild = process.argv.includes('--no-build')
const built = outputs.every((file) => existsSync(join(root, file)))
const stale =
  !skipBuild &&
  (!built || Math.max(...inputs.map((p) => newest(join(root, p)))) > Math.min(...outputs.map((f) => newest(join(root, f)))))
if (stale) {
  console.log(`lifeline: building the client and the test server (${built ? 'sources changed' : 'first run'}, about 20 s)…`)
  const build = spawnSync('pnpm', ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: false })
  if (build.status !== 0) {
    console.error('lifeline: the build failed (run `pnpm build` to see why)')
    process.exit(build.status ?? 1)
  }
} else console.log(`lifeline: ${skipBuild ? 'not checking the build (--no-build)' : 'the build is up to date'}`)

if (args.includes('--fleet')) {
  const { parseArgs } = await import('node:util')
  const { values } = parseArgs({
    args,
    options: {
      fleet: { type: 'boolean' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  })
  const { startFleet } = await import('./fleet.mjs')
  console.log('lifeline: starting Redis, two test servers in fleet mode and a balancer; Ctrl-C stops them')
  const stop = await startFleet({ root, port: Number(values.port), host: values.host })
  const quit = () => stop().then(() => process.exit(0))
  process.once('SIGINT', quit)
  process.once('SIGTERM', quit)
} else await startOne()

async function startOne() {
  if (!args.some((a) => a === '--port' || a.startsWith('--port='))) args.unshift('--port', '8080')
  console.log(`lifeline: starting the test server (${args.join(' ')}); Ctrl-C stops it`)
  process.argv = [process.argv[0], 'lifeline-test-server', ...args]
  await import('../packages/test-server/dist/cli.js')
}
