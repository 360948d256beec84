// The browser examples run as their READMEs say (`pnpm start`, here on a free port) and show what they claim: the
// state, the heartbeat, messages, and a reconnect after the link drops. Chromium only: each run rebuilds the example's
// dist/, which parallel engines would race on (the scenarios cover the engines).
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from '../lib/fixtures'
import { e2eDir } from '../lib/paths'

/** Starts an example as its README says, on a free port; resolves with its page's URL once it serves. */
async function start(name: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  // the pnpm that runs this suite, when it does (else the one on PATH)
  const pnpm = process.env['npm_execpath']
  const [cmd, args] = pnpm && /pnpm\.c?js$/.test(pnpm) ? [process.execPath, [pnpm]] : ['pnpm', []]
  const child = spawn(cmd, [...args, 'start', '--port', '0'], {
    cwd: join(e2eDir, '..', 'examples', name),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: pnpm, tsc, vite and the server go together
  })
  let out = ''
  const collect = (chunk: Buffer): void => {
    out += chunk.toString()
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const url = await expect
    .poll(() => /\/example:\s+(http:\/\/\S+)/.exec(out)?.[1], {
      message: `${name} to serve (output so far below)`,
      timeout: 50_000,
    })
    .toBeTruthy()
    .then(() => /\/example:\s+(http:\/\/\S+)/.exec(out)?.[1] as string)
    .catch((err: Error) => {
      throw new Error(`${err.message}\n${out}`)
    })
  return { url, child, output: () => out }
}

const stop = (child: ChildProcess): void => {
  if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM')
}

for (const name of ['html', 'vite-ts']) {
  test(`example ${name}: state, heartbeat, echoes and a request; a dropped link comes back`, async ({ engine }) => {
    test.setTimeout(90_000)
    const { url, child } = await start(name)
    try {
      await engine.goto(url)
      const shown = (id: string): string => `document.getElementById('${id}').value`
      await engine.waitFor(`${shown('state')} === 'open'`, 'the page to connect')
      await engine.waitFor(`/^\\d+ ms$/.test(${shown('rtt')})`, 'a heartbeat round trip', 10_000)
      await engine.waitFor(`Number(${shown('echoes')}) >= 2`, 'echoes back')
      await engine.waitFor(`document.getElementById('log').textContent.includes('20 + 22 = 42')`, 'the request')
      await engine.click('#drop')
      await engine.waitFor(`document.getElementById('log').textContent.includes('reconnecting: attempt 1')`, 'the reconnect')
      await engine.waitFor(`${shown('state')} === 'open'`, 'the page to come back', 10_000)
      const before = Number(await engine.evaluate<string>(`return ${shown('echoes')}`))
      await engine.waitFor(`Number(${shown('echoes')}) > ${before}`, 'echoes after the reconnect')
      const log = await engine.evaluate<string>(`return document.getElementById('log').textContent`)
      expect(log).toMatch(/state: open -> reconnecting/)
      expect(log).toMatch(/heartbeat: round trip \d+ ms/)
    } finally {
      stop(child)
    }
  })
}

test('example react: the useLifeline hook renders state, latency, messages and the reconnect', async ({ engine }) => {
  test.setTimeout(90_000)
  const { url, child } = await start('react')
  try {
    await engine.goto(url)
    const shown = (id: string): string => `document.querySelector('[data-testid=${id}]')?.textContent`
    await engine.waitFor(`${shown('state')} === 'open'`, 'the hook to render open')
    await engine.waitFor(`/^\\d+ ms$/.test(${shown('rtt')})`, 'a heartbeat round trip', 10_000)
    await engine.waitFor(`${shown('sum')} === '42'`, 'the request on open')
    await engine.waitFor(`document.querySelectorAll('[data-testid=messages] li').length >= 2`, 'echoes rendered')
    await engine.click('button')
    await engine.waitFor(`${shown('reconnects')} === '1' && ${shown('state')} === 'open'`, 'the reconnect rendered', 15_000)
  } finally {
    stop(child)
  }
})
