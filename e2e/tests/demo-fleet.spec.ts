// The fleet demo as the README starts it (`node scripts/start.mjs --fleet`, here on a free port, and without the build
// check: the suite runs after `pnpm build`, and three engines must not build at once): the page's
// "Kill this backend" button SIGKILLs the backend serving it, the balancer moves the client to the other one, and the
// session resumes there from Redis: the stream loses nothing.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from '../lib/fixtures'
import { e2eDir } from '../lib/paths'

test('the fleet demo: "Kill this backend" mid-stream, and the stream loses nothing', async ({ engine }) => {
  test.setTimeout(60_000)
  const child = spawn(process.execPath, [join(e2eDir, '..', 'scripts', 'start.mjs'), '--fleet', '--port', '0', '--no-build'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  try {
    await expect.poll(() => /demo:\s+(http:\/\/\S+)/.exec(out)?.[1], { message: 'the fleet demo', timeout: 30_000 }).toBeTruthy()
    const url = /demo:\s+(http:\/\/\S+)/.exec(out)?.[1] as string
    await engine.goto(url)
    await engine.waitFor(
      `window.demo && window.demo.client.resume.active && !document.querySelector('#kill-backend').hidden`,
      'the fleet demo',
    )
    await engine.click('#stream')
    await engine.waitFor('window.demo.stream.seen.size >= 10', 'the stream')
    await engine.click('#kill-backend')
    await engine.waitFor(
      'window.demo.stream.resumes >= 1 && window.demo.stream.seen.size >= 40',
      'a resume on the other backend',
      20_000,
    )
    await engine.click('#stream')
    await engine.waitFor(`document.querySelector('#r-lost').textContent === '0'`, 'nothing lost', 10_000)
    const s = await engine.evaluate<{ dupes: number; order: number; resets: number }>('return window.demo.stream')
    expect(s).toMatchObject({ dupes: 0, order: 0, resets: 0 })
    expect(out).toMatch(/backend [AB] died \(SIGKILL\)/)
  } finally {
    child.kill('SIGTERM')
  }
})
