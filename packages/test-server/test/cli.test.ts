import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { until } from './until'

const bin = fileURLToPath(new URL('../bin/lifeline-test-server.js', import.meta.url))

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { child, output: () => out, exited }
}

describe('lifeline-test-server (the CLI)', () => {
  it('serves the demo and the protocol, with faults over HTTP, and stops on SIGTERM', async () => {
    const { child, output, exited } = run(['--port', '0'])
    const demo = await until(() => /demo:\s+(http:\/\/\S+)/.exec(output())?.[1], 'the demo URL')
    expect(output()).toMatch(/websocket: ws:\/\/127\.0\.0\.1:\d+\/ws/)
    expect((await fetch(demo)).status).toBe(200)
    expect((await fetch(`${demo}__faults/reset`, { method: 'POST' })).status).toBe(200)
    child.kill('SIGTERM')
    await expect(exited).resolves.toBe(0)
  })

  it('--no-faults turns the fault endpoint off', async () => {
    const { child, output, exited } = run(['--port', '0', '--no-faults'])
    const demo = await until(() => /demo:\s+(http:\/\/\S+)/.exec(output())?.[1], 'the demo URL')
    expect((await fetch(`${demo}__faults/drop`, { method: 'POST' })).status).toBe(404)
    child.kill('SIGTERM')
    await exited
  })

  it('--mount serves a folder under a prefix, beside the demo and the bundles', async () => {
    const dir = fileURLToPath(new URL('.', import.meta.url))
    const { child, output, exited } = run(['--port', '0', '--mount', `/tests=${dir}`])
    const demo = await until(() => /demo:\s+(http:\/\/\S+)/.exec(output())?.[1], 'the demo URL')
    expect(output()).toMatch(/\/tests:\s+http:\/\/127\.0\.0\.1:\d+\/tests\//)
    const file = await fetch(`${demo}tests/cli.test.ts`)
    expect(file.status).toBe(200)
    expect(await file.text()).toContain("describe('lifeline-test-server (the CLI)'")
    expect((await fetch(`${demo}lifeline.min.js`)).status).toBe(200)
    child.kill('SIGTERM')
    await expect(exited).resolves.toBe(0)
  })

  it('refuses a malformed --mount with a message and exit code 1', async () => {
    const { output, exited } = run(['--port', '0', '--mount', 'app=./dist'])
    await expect(exited).resolves.toBe(1)
    expect(output()).toContain('--mount takes /prefix=dir')
  })

  it('refuses a bad port with a message and exit code 1', async () => {
    const { output, exited } = run(['--port', 'eighty'])
    await expect(exited).resolves.toBe(1)
    expect(output()).toContain('--port must be 0..65535')
  })
})
