import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { startTestServer } from '@lifeline/test-server'
import { expect, test } from '@playwright/test'
import { e2eDir } from '../lib/paths'

for (const file of ['client.mjs', 'client.cjs']) {
  test(`Node client script (${file.endsWith('.mjs') ? 'ESM' : 'CJS'}): connects, survives a drop, exits by itself`, async () => {
    const server = await startTestServer()
    const child = spawn(process.execPath, [join(e2eDir, 'node', file)], {
      env: { ...process.env, LIFELINE_URL: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const lines: Record<string, unknown>[] = []
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line))
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      await expect.poll(() => lines.some((l) => 'ready' in l), { message: 'ready', timeout: 10_000 }).toBe(true)
      expect(lines.find((l) => 'ready' in l)).toEqual({ ready: 42 })
      server.faults.drop()
      await expect(exited, stderr).resolves.toBe(0)
      expect(lines.find((l) => 'back' in l)).toEqual({ back: 'after the drop', opens: 2 })
    } finally {
      child.kill()
      await server.close()
    }
  })
}
