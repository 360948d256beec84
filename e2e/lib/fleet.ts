import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { join } from 'node:path'
import { type RedisProcess, startRedis } from '@lifeline/test-server'
import { expect } from '@playwright/test'
import { type Nginx, startNginx } from './nginx'
import { e2eDir, pagesDir } from './paths'
import { freePort } from './ports'

const bin = join(e2eDir, '..', 'packages', 'test-server', 'bin', 'lifeline-test-server.js')

/** One test-server process in fleet mode: killed for real (SIGKILL), like a crashed backend. */
export interface Backend {
  port: number
  url: string
  /** What `GET /__status` says, or undefined while it is down. */
  status(): Promise<{ connections: number; sessions: string[] } | undefined>
  /** POST /__faults/<name> with `args`. */
  fault(name: string, args?: unknown[]): Promise<void>
  kill(): Promise<void>
  /** Starts it again on the same port. */
  start(): Promise<void>
  output(): string
}

async function backend(port: number, redisUrl: string): Promise<Backend> {
  let child: ChildProcess | undefined
  let out = ''
  const url = `http://127.0.0.1:${port}`
  const status = async () => {
    try {
      const r = await fetch(`${url}/__status`)
      return r.ok ? ((await r.json()) as { connections: number; sessions: string[] }) : undefined
    } catch {
      return undefined // down: nothing listens on the port
    }
  }
  const self: Backend = {
    port,
    url,
    status,
    fault: async (name, args = []) => {
      const r = await fetch(`${url}/__faults/${name}`, { method: 'POST', body: JSON.stringify(args) })
      if (!r.ok) throw new Error(`fault ${name} on :${port}: ${r.status} ${await r.text()}`)
    },
    kill: async () => {
      const c = child
      if (!c || c.exitCode !== null || c.signalCode !== null) return
      const exited = new Promise((resolve) => c.once('exit', resolve))
      c.kill('SIGKILL')
      await exited
    },
    start: async () => {
      const args = [bin, '--port', String(port), '--redis-url', redisUrl, '--mount', `/e2e=${pagesDir}`]
      child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString()
      })
      child.stderr?.on('data', (chunk: Buffer) => {
        out += chunk.toString()
      })
      await expect.poll(status, { message: `backend :${port} to serve`, timeout: 10_000, intervals: [25] }).toBeTruthy()
    },
    output: () => out,
  }
  await self.start()
  return self
}

/** Redis, `n` test servers in fleet mode and nginx in front of them (`hash $remote_addr consistent`). */
export interface Fleet {
  redis: RedisProcess
  backends: Backend[]
  nginx: Nginx
  /** The backend that holds `session` now, if any. */
  holder(session: string): Promise<Backend | undefined>
  /** The session's counters in Redis: the last client message processed (`in`) and the last server message (`out`). */
  counters(session: string): { in: number; out: number }
  stop(): Promise<void>
}

export async function startFleet(n: number, readTimeoutS = 30): Promise<Fleet> {
  const redis = await startRedis()
  const backends: Backend[] = []
  try {
    for (let i = 0; i < n; i++) backends.push(await backend(await freePort(), redis.url))
    const nginx = await startNginx(
      backends.map((b) => b.port),
      readTimeoutS,
    )
    return {
      redis,
      backends,
      nginx,
      holder: async (session) => {
        for (const b of backends) if ((await b.status())?.sessions.includes(session)) return b
        return undefined
      },
      counters: (session) => {
        const cli = (field: string): number =>
          Number(
            execFileSync('redis-cli', ['-p', String(redis.port), 'HGET', `ll:s:${session}`, field])
              .toString()
              .trim(),
          )
        return { in: cli('in'), out: cli('out') }
      },
      stop: async () => {
        // backends first: nginx's graceful stop waits for proxied WebSockets to end
        await Promise.all(backends.map((b) => b.kill()))
        await nginx.stop()
        await redis.stop()
      },
    }
  } catch (err) {
    await Promise.all(backends.map((b) => b.kill()))
    await redis.stop()
    throw err
  }
}
