// The examples run as their READMEs say, and do what they show: a Node client that survives a server restart.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { e2eDir } from '../lib/paths'

for (const [name, file] of [
  ['node-esm', 'index.mjs'],
  ['node-cjs', 'index.cjs'],
] as const) {
  test(`example ${name}: logs the heartbeat, survives a server restart, exits by itself`, async () => {
    const child = spawn(process.execPath, [file], {
      cwd: join(e2eDir, '..', 'examples', name),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      await expect(exited, err).resolves.toBe(0)
      expect(out).toMatch(/heartbeat: round trip \d+ ms/)
      expect(out).toContain('open (1): 20 + 22 = 42')
      expect(out).toContain('server: restarting')
      expect(out).toMatch(/reconnecting: attempt 1 in \d+ ms/)
      expect(out).toContain('open (2): 20 + 22 = 42')
      expect(out).toContain('back after the restart: done')
    } finally {
      child.kill()
    }
  })
}
