// `pnpm api:check` (part of `pnpm test`): the API reference in docs/api must be what TypeDoc makes of the sources
// now. It regenerates the reference into a temporary folder and compares it with the committed one, file by file.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const committed = join(root, 'docs/api')
const fresh = mkdtempSync(join(tmpdir(), 'lifeline-api-'))

/** Every file under `dir`, as paths relative to it. */
const files = (dir) =>
  readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile())
    .map((f) => relative(dir, f))
    .sort()

try {
  execFileSync(join(root, 'node_modules/.bin/typedoc'), ['--out', fresh, '--logLevel', 'Warn', '--treatWarningsAsErrors'], {
    cwd: root,
    stdio: 'inherit',
  })
  const want = files(fresh)
  const have = files(committed)
  const stale = [
    ...want.filter((f) => !have.includes(f) || readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(committed, f), 'utf8')),
    ...have.filter((f) => !want.includes(f)),
  ]
  if (stale.length > 0) {
    console.error(
      `api:check: docs/api is stale (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}): run \`pnpm api\``,
    )
    process.exit(1)
  }
  console.log(`api:check: docs/api is up to date (${want.length} files)`)
} finally {
  rmSync(fresh, { recursive: true, force: true })
}
