// The package as users receive it: `pnpm pack` makes the tarballs, plain `npm` installs them into a fresh project
// outside the workspace (no workspace links), and that project uses them the ways users do.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const tsc = join(root, 'node_modules/typescript/bin/tsc')
const vite = join(root, 'e2e/node_modules/vite/bin/vite.js')

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout, env: { ...process.env, npm_config_loglevel: 'error' } }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout.trim()),
    )
  })
}

let dir: string
let app: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lifeline-artifact-'))
  const packs = join(dir, 'packs')
  mkdirSync(packs)
  for (const pkg of ['packages/client', 'packages/test-server']) {
    await run('pnpm', ['pack', '--pack-destination', packs], join(root, pkg))
  }
  const tarballs = readdirSync(packs).map((f) => join(packs, f))
  app = join(dir, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
  await run('npm', ['install', '--no-audit', '--no-fund', ...tarballs], app, 180_000)
}, 240_000)

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A Node script in the app: start the installed test server, connect, request, close, exit by itself. */
const nodeScript = (load: string): string => `${load}
const server = await startTestServer()
const client = new Lifeline(server.url)
const rpc = withRequests(client)
const n = await rpc.request('sum', [20, 22])
client.close()
await server.close()
console.log(JSON.stringify({ n, isError: new LifelineError('CLOSED', '') instanceof Error }))
`

describe('the package as npm would publish it', () => {
  it('npm publish --dry-run is clean, the metadata complete, the tarball holds what users need', async () => {
    const cwd = join(root, 'packages/client')
    const output = await new Promise<string>((resolve, reject) => {
      execFile('npm', ['publish', '--dry-run'], { cwd, timeout: 120_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`npm publish --dry-run: ${err.message}\n${stdout}\n${stderr}`)) : resolve(`${stdout}\n${stderr}`),
      )
    })
    // the only warnings allowed: not being logged in (a dry run needs no login) and this machine's npm config
    const warnings = output
      .split('\n')
      .filter((l) => /npm warn/i.test(l) && !/requires you to be logged in|Unknown user config|will stop working/.test(l))
    expect(warnings).toEqual([])
    for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'dist/lifeline.min.js', 'dist/index.d.ts', 'dist/index.cjs']) {
      expect(output).toContain(file)
    }
    const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as Record<string, unknown>
    for (const field of ['license', 'repository', 'homepage', 'bugs', 'keywords', 'files', 'description']) {
      expect(pkg[field], field).toBeTruthy()
    }
  }, 150_000)
})

describe('the packed artifact, installed with npm into a fresh project', () => {
  it('a Node ESM script connects to the installed test server and exits by itself', async () => {
    writeFileSync(
      join(app, 'esm.mjs'),
      nodeScript(
        "import { Lifeline, LifelineError, withRequests } from '@lifeline/client'\nimport { startTestServer } from '@lifeline/test-server'",
      ),
    )
    expect(JSON.parse(await run(process.execPath, ['esm.mjs'], app, 20_000))).toEqual({ n: 42, isError: true })
  })

  it('a Node CommonJS script does too', async () => {
    writeFileSync(
      join(app, 'cjs.cjs'),
      `(async () => {\n${nodeScript("const { Lifeline, LifelineError, withRequests } = require('@lifeline/client')\nconst { startTestServer } = await import('@lifeline/test-server')")}\n})()`,
    )
    expect(JSON.parse(await run(process.execPath, ['cjs.cjs'], app, 20_000))).toEqual({ n: 42, isError: true })
  })

  it.each(['node16', 'bundler'])('TypeScript strict type-checks a consumer under moduleResolution %s', async (resolution) => {
    const project = join(app, `ts-${resolution}`)
    mkdirSync(project, { recursive: true })
    writeFileSync(
      join(project, 'main.ts'),
      `import { Lifeline, type LifelineError, withRequests } from '@lifeline/client'
type In = { chat: { text: string } }
type Out = { chat: { text: string } }
const client = new Lifeline<In, Out>('ws://127.0.0.1:1/ws', { lazy: true })
client.on('message', (m) => { const text: string | undefined = m.data?.text; void text })
client.on('error', (e: LifelineError) => void e.code)
client.send('chat', { text: 'hi' })
// @ts-expect-error not an outbound type
client.send('nope', 1)
const rpc = withRequests<{ sum: { data: number[]; reply: number } }>(client)
const total: Promise<number> = rpc.request('sum', [1, 2])
void total
client.close()
`,
    )
    const module = resolution === 'node16' ? 'node16' : 'esnext'
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module,
          moduleResolution: resolution,
          target: 'es2022',
          skipLibCheck: false,
          types: [],
        },
        files: ['main.ts'],
      }),
    )
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }))
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], project, 60_000)
  })

  it('Vite builds a browser app from it, with no ws inside', async () => {
    const web = join(app, 'web')
    mkdirSync(web, { recursive: true })
    writeFileSync(join(web, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>')
    writeFileSync(
      join(web, 'main.js'),
      "import { Lifeline } from '@lifeline/client'\nconst c = new Lifeline('wss://example.test/ws')\nc.on('state', (s) => console.log(s.to))\n",
    )
    await run(process.execPath, [vite, 'build', '--logLevel', 'error'], web, 60_000)
    const assets = join(web, 'dist/assets')
    const code = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n')
    expect(code).toContain('lifeline')
    expect(code).not.toMatch(/WebSocketServer|createWebSocketStream|permessage-deflate/)
  })

  it('dist/lifeline.min.js from the installed package defines the global Lifeline, every feature wired in', () => {
    const code = readFileSync(join(app, 'node_modules/@lifeline/client/dist/lifeline.min.js'), 'utf8')
    const page: Record<string, unknown> = {
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      queueMicrotask,
      URL,
      TextEncoder,
    }
    page['window'] = page
    runInNewContext(code, page)
    const Lifeline = page['Lifeline'] as (new (
      url: string,
      o: object,
    ) => { request: unknown; close(): void }) &
      Record<string, unknown>
    expect(typeof Lifeline['withRequests']).toBe('function')
    const client = new Lifeline('ws://x/ws', { lazy: true, WebSocket: class {} })
    expect(typeof client.request).toBe('function')
    client.close()
  })
})
